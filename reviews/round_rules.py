"""Who may do what in review rounds. Imported from ``reviews.rules`` so the permissions exist
whenever the app's rules do.

Staff (district union and bureau, administrators) run rounds; experts score only what they are
assigned; a decision needs the district union's AND the bureau's sign-off (R3, R16), each given
by its own body.
"""

import rules

from accounts.rules import (
    is_admin,
    is_bureau_staff,
    is_district_staff,
    is_district_union_staff,
    is_expert,
)


@rules.predicate
def is_assigned_to_entry(user, entry):
    """The user is an expert with a current assignment on this round entry."""
    if entry is None or not user.is_authenticated:
        return False
    return entry.assignments.filter(expert=user).exists()


@rules.predicate
def is_assigned_expert_of_application(user, application):
    """The expert is assigned to a round entry of this application. This is the real version of
    ``reviews.rules.is_assigned_expert`` (issue #3's placeholder): wire it there."""
    if application is None or not user.is_authenticated:
        return False
    from .round_models import Assignment

    return Assignment.objects.filter(expert=user, entry__application=application).exists()


@rules.predicate
def owns_assignment(user, assignment):
    return assignment is not None and assignment.expert_id == user.pk


round_staff = is_district_staff | is_admin

rules.add_perm("reviews.list_rounds", round_staff)
rules.add_perm("reviews.view_round", round_staff)
rules.add_perm("reviews.manage_rounds", round_staff)
rules.add_perm("reviews.manage_experts", round_staff)
rules.add_perm("reviews.reopen_score", round_staff)
rules.add_perm("reviews.record_decision", round_staff)
rules.add_perm("reviews.sign_off_union", is_district_union_staff)
rules.add_perm("reviews.sign_off_bureau", is_bureau_staff)
rules.add_perm("reviews.list_my_reviews", is_expert)
rules.add_perm("reviews.view_entry_as_expert", is_expert & is_assigned_to_entry)
rules.add_perm("reviews.score", is_expert & owns_assignment)
rules.add_perm("reviews.declare_conflict", is_expert & owns_assignment)
