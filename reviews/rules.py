"""Who may do what with calls and applications (R16, R20)."""

import rules

from accounts.rules import is_admin, is_district_staff, is_enterprise_union

from .models import EDITABLE_STATUSES


@rules.predicate
def belongs_to_application_enterprise(user, application):
    """The user is the union of the enterprise whose studio applies."""
    return application is not None and user.enterprise_id == application.studio.enterprise_id


@rules.predicate
def is_assigned_expert(user, application):
    """An expert assigned to review this application (in any round) may read it and its
    materials; a declared conflict removes the assignment, and with it this access."""
    from .round_rules import is_assigned_expert_of_application

    return is_assigned_expert_of_application(user, application)


@rules.predicate
def is_editable(user, application):
    return application is not None and application.status in EDITABLE_STATUSES


staff = is_district_staff | is_admin
own_application = is_enterprise_union & belongs_to_application_enterprise

rules.add_perm("reviews.list_calls", staff)
rules.add_perm("reviews.manage_calls", staff)
rules.add_perm("reviews.list_applications", staff | is_enterprise_union)
rules.add_perm("reviews.start_application", is_enterprise_union)
rules.add_perm("reviews.view_application", staff | own_application | is_assigned_expert)
rules.add_perm("reviews.change_application", own_application & is_editable)
rules.add_perm("reviews.submit_application", own_application)
rules.add_perm("reviews.withdraw_application", own_application)
rules.add_perm("reviews.check_application", staff)
rules.add_perm("reviews.download_material", staff | own_application | is_assigned_expert)
rules.add_perm("reviews.export_applications", staff)
rules.add_perm("reviews.download_dossier", staff)
from . import round_rules  # noqa: E402,F401  (review rounds, issue #4)
