"""Every write to review rounds (R17, R19, R24, R25): rounds and their schedule, rubric, bonus
corrections, experts and assignments, scores, reminders and decisions.

Each function checks the actor's permission and the round's state, changes rows in one
transaction, records an audit event and queues notifications with ``accounts.services.notify``.
The round moves through ONE transition function (``transition_round``) with an explicit table;
decisions take effect only with both bodies' sign-off (R3, R16) and then hand over to the studio
lifecycle through ``reviews.handover``.
"""

from datetime import timedelta
from decimal import Decimal, InvalidOperation

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from accounts.services import district_staff_users, notify, union_users_of
from audit.services import changed_fields, record_event, snapshot
from core import policy
from core.files import validate_upload_under
from core.permissions import require_perm
from core.refusals import refuse
from studios.models import Studio
from studios.queries import with_eligibility_data

from . import handover
from .assignment import conflict_reason, plan_assignments
from .bonus import compute_bonus, default_bonus_values
from .defaults import DEFAULT_RUBRICS, DEFAULT_SPREAD_THRESHOLD
from .models import Application, ApplicationStatus, Call
from .round_models import (
    OUTCOMES_BY_KIND,
    Assignment,
    AssignmentState,
    ConflictDeclaration,
    Criterion,
    CriterionScore,
    Decision,
    DecisionOutcome,
    DecisionState,
    ExpertProfile,
    HonourCorrection,
    ReviewRound,
    RoundEntry,
    RoundKind,
    RoundStage,
    RoundStatus,
    StageKind,
    StagePhoto,
)
from .services import refuse_all, studio_records


def _lock_round(review_round: ReviewRound) -> ReviewRound:
    return ReviewRound.objects.select_for_update().get(pk=review_round.pk)


# --- The round's state -------------------------------------------------------------------


class RoundAction:
    OPEN_SCORING = "open_scoring"
    CLOSE_SCORING = "close_scoring"
    REOPEN_SCORING = "reopen_scoring"
    FINISH = "finish"


#: (status, action) -> status. Anything else is refused and changes nothing.
ROUND_TABLE = {
    (RoundStatus.DRAFT, RoundAction.OPEN_SCORING): RoundStatus.SCORING,
    (RoundStatus.SCORING, RoundAction.CLOSE_SCORING): RoundStatus.CLOSED,
    (RoundStatus.CLOSED, RoundAction.REOPEN_SCORING): RoundStatus.SCORING,
    (RoundStatus.CLOSED, RoundAction.FINISH): RoundStatus.FINISHED,
}

ROUND_ACTION_LABELS = {
    RoundAction.OPEN_SCORING: gettext_lazy("Open scoring"),
    RoundAction.CLOSE_SCORING: gettext_lazy("Close scoring"),
    RoundAction.REOPEN_SCORING: gettext_lazy("Reopen scoring"),
    RoundAction.FINISH: gettext_lazy("Finish the round"),
}


def allowed_round_actions(review_round: ReviewRound) -> list[str]:
    return [action for (status, action) in ROUND_TABLE if status == review_round.status]


def transition_round(actor, review_round: ReviewRound, action: str, reason: str = ""):
    """Move the round along its table, after the action's own checks (R17)."""
    with transaction.atomic():
        locked = _lock_round(review_round)
        require_perm(actor, "reviews.manage_rounds", locked)
        target = ROUND_TABLE.get((locked.status, action))
        if target is None:
            raise refuse(
                "R17",
                _("A round that is “%(status)s” cannot “%(action)s”.")
                % {
                    "status": locked.get_status_display(),
                    "action": ROUND_ACTION_LABELS.get(action, action),
                },
            )
        CHECKS.get(action, _no_check)(locked)
        before = locked.status
        locked.status = target
        locked.save(update_fields=["status"])
        record_event(
            actor,
            f"review_round.{action}",
            locked,
            before={"status": before},
            after={"status": target},
            reason=reason,
            rule="R17",
        )
        if action == RoundAction.OPEN_SCORING:
            _record_studios_under_review(actor, locked)
            _notify_experts_scoring_opened(locked)
    review_round.status = locked.status
    return locked


def _no_check(review_round) -> None:
    return None


def _check_open_scoring(review_round: ReviewRound) -> None:
    problems = []
    if not review_round.criteria.exists():
        problems.append(_("The rubric has no criteria."))
    if not review_round.entries.exists():
        problems.append(_("The round has no entries."))
    elif review_round.entries.filter(assignments__isnull=True).exists():
        problems.append(_("Every entry needs at least one expert."))
    if review_round.scoring_deadline is None:
        problems.append(_("Set the scoring deadline first."))
    elif review_round.scoring_deadline < timezone.localdate():
        problems.append(_("The scoring deadline has passed."))
    if problems:
        raise refuse_all("R17", problems)


def _check_finish(review_round: ReviewRound) -> None:
    undecided = review_round.entries.exclude(decision__state=DecisionState.EFFECTIVE)
    if undecided.exists():
        raise refuse("R16", _("every entry needs a decision signed by both bodies."))


CHECKS = {RoundAction.OPEN_SCORING: _check_open_scoring, RoundAction.FINISH: _check_finish}


#: The article each kind of round reviews under.
RULE_OF_KIND = {
    RoundKind.INITIAL: "R16",
    RoundKind.NEXT_YEAR: "R17",
    RoundKind.CYCLE: "R24",
    RoundKind.RECTIFICATION: "R25",
}


def _record_studios_under_review(actor, review_round: ReviewRound) -> None:
    """One event per studio when scoring opens: the one event of a round its union reads
    (``reviews.labels``): that the studio is under review, with no expert and no score."""
    for entry in review_round.entries.select_related("studio").order_by("pk"):
        record_event(
            actor,
            "review_round.entered",
            review_round,
            after={"kind": review_round.kind, "round": review_round.name},
            rule=RULE_OF_KIND.get(review_round.kind, ""),
            studio=entry.studio,
        )


def _notify_experts_scoring_opened(review_round: ReviewRound) -> None:
    experts = User.objects.filter(review_assignments__entry__round=review_round).distinct()
    notify(
        experts,
        kind="reviews.scoring_opened",
        title=format_lazy(gettext_lazy("Scoring is open: {}"), review_round.name),
        body=format_lazy(
            gettext_lazy("Please score your assigned studios by {}."),
            review_round.scoring_deadline,
        ),
        url=reverse("reviews:my_reviews"),
    )


# --- Creating rounds ---------------------------------------------------------------------


def studio_snapshot(studio: Studio, review_round: ReviewRound) -> dict:
    """The studio's records frozen for a re-review, in the shape of ``Application.snapshot``
    (no application sections: projects and results come from the ledgers once they exist)."""
    today = timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):  # labels frozen in Chinese, as on submit
        records = studio_records(studio, today)
    return {
        "version": 1,
        "frozen_at": timezone.localtime().isoformat(),
        "call": None,
        "number": None,
        "round": {"id": review_round.pk, "kind": review_round.kind},
        **records,
        "projects": [],
        "results": [],
        "talent_cultivation": "",
        "eligibility": [],
        "materials": [],
    }


def _new_round(actor, kind: str, data: dict) -> ReviewRound:
    review_round = ReviewRound(
        kind=kind,
        created_by=actor,
        bonus_values=default_bonus_values(),
        bonus_cap=policy.R19_DEFAULT_BONUS_CAP,
        spread_threshold=DEFAULT_SPREAD_THRESHOLD,
        **data,
    )
    review_round.full_clean()
    review_round.save()
    Criterion.objects.bulk_create(
        Criterion(round=review_round, order=i, **row)
        for i, row in enumerate(DEFAULT_RUBRICS[kind], start=1)
    )
    RoundStage.objects.bulk_create(
        RoundStage(round=review_round, kind=stage) for stage in StageKind.values
    )
    return review_round


def _entry_for(review_round, studio, application=None) -> RoundEntry:
    frozen = application.snapshot if application is not None else None
    entry = RoundEntry(
        round=review_round,
        studio=studio,
        application=application,
        snapshot=frozen or studio_snapshot(studio, review_round),
    )
    entry.bonus, entry.bonus_detail = compute_bonus(
        entry.snapshot, [], review_round.bonus_values, review_round.bonus_cap
    )
    return entry


@transaction.atomic
def create_round_for_call(actor, call: Call, data: dict) -> ReviewRound:
    """R16, R17: an initial recognition round over the call's accepted applications."""
    require_perm(actor, "reviews.manage_rounds")
    applications = list(
        Application.objects.filter(call=call, status=ApplicationStatus.ACCEPTED)
        .exclude(round_entries__round__kind=RoundKind.INITIAL)
        .select_related("studio")
        .order_by("number", "pk")
    )
    if not applications:
        raise refuse("R16", _("The call has no accepted applications that are not yet in a round."))
    data = {**data, "name": data.get("name") or call.title, "call": call}
    review_round = _new_round(actor, RoundKind.INITIAL, data)
    RoundEntry.objects.bulk_create(_entry_for(review_round, a.studio, a) for a in applications)
    record_event(
        actor,
        "review_round.created",
        review_round,
        after={**snapshot(review_round), "entries": len(applications)},
        rule="R16",
    )
    return review_round


#: The article each re-review kind carries out (and cites when it refuses).
RULE_OF_KIND = {RoundKind.NEXT_YEAR: "R17", RoundKind.CYCLE: "R24", RoundKind.RECTIFICATION: "R25"}

#: Which studios each re-review kind may take in, by lifecycle status.
STUDIO_STATUSES_BY_KIND = {
    RoundKind.NEXT_YEAR: ("recognised",),
    RoundKind.CYCLE: ("in_cycle", "under_rereview"),
    RoundKind.RECTIFICATION: ("rectification",),
}


@transaction.atomic
def create_round_for_studios(kind: str, studio_ids, actor, *, name="", **data) -> ReviewRound:
    """R17, R24, R25: a re-review round over a list of studios (the lifecycle's schedule lists
    give the ids). Each entry freezes its own snapshot of the studio now."""
    require_perm(actor, "reviews.manage_rounds")
    if kind not in STUDIO_STATUSES_BY_KIND:
        raise refuse("R16", _("Initial recognition rounds are built from a call."))
    rule = RULE_OF_KIND[kind]
    studios = list(
        with_eligibility_data(Studio.objects.filter(pk__in=list(studio_ids))).order_by("pk")
    )
    if not studios:
        raise refuse(rule, _("Choose at least one studio."))
    wrong = [s.name for s in studios if s.status not in STUDIO_STATUSES_BY_KIND[kind]]
    if wrong:
        raise refuse(
            rule,
            _("These studios are not due for this kind of review: %(names)s")
            % {"names": "、".join(wrong)},
        )
    label = RoundKind(kind).label
    review_round = _new_round(
        actor, kind, {**data, "name": name or f"{timezone.localdate().year} {label}"}
    )
    RoundEntry.objects.bulk_create(_entry_for(review_round, s) for s in studios)
    record_event(
        actor,
        "review_round.created",
        review_round,
        after={**snapshot(review_round), "entries": len(studios)},
        rule=rule,
    )
    return review_round


#: Which kind of round reviews each of the lifecycle's schedule lists (``studios.schedules``).
ROUND_KIND_OF_SCHEDULE = {
    "next_year": RoundKind.NEXT_YEAR,
    "expiring": RoundKind.CYCLE,
    "rectification": RoundKind.RECTIFICATION,
}


@transaction.atomic
def create_round_from_schedule(actor, schedule: str, on=None, window=None) -> ReviewRound:
    """R17, R24, R25 in one step: a round over every studio on a lifecycle schedule list that is
    not already in an unfinished round of that kind, so pressing twice makes no duplicates.
    ``window``: the expiry list's window in calendar months (default R24's 6)."""
    from studios.schedules import schedule_studio_ids

    kind = ROUND_KIND_OF_SCHEDULE.get(schedule)
    if kind is None:
        raise refuse("R24", _("This list is not reviewed by a round."))
    ids = schedule_studio_ids(on or timezone.localdate(), window)[schedule]
    busy = set(
        RoundEntry.objects.filter(round__kind=kind, studio_id__in=ids)
        .exclude(round__status=RoundStatus.FINISHED)
        .values_list("studio_id", flat=True)
    )
    free = [pk for pk in ids if pk not in busy]
    if not free:
        raise refuse(
            RULE_OF_KIND[kind], _("Every studio on this list is already in a review round.")
        )
    return create_round_for_studios(kind, free, actor)


ROUND_SETTINGS = ("name", "scoring_deadline", "experts_per_entry", "method", "spread_threshold")


@transaction.atomic
def update_round(actor, review_round: ReviewRound, data: dict) -> ReviewRound:
    """Settings of the round. The bonus table changes only while the round is in preparation
    (R19, R33), and every entry's bonus follows it."""
    locked = _lock_round(review_round)
    require_perm(actor, "reviews.manage_rounds", locked)
    if locked.status == RoundStatus.FINISHED:
        raise refuse("R17", _("A finished round cannot change."))
    bonus_keys = {"bonus_values", "bonus_cap"} & set(data)
    if bonus_keys and not locked.rubric_editable:
        changed = any(getattr(locked, k) != data[k] for k in bonus_keys)
        if changed:
            raise refuse("R19", _("Bonus values change only before scoring opens."))
    before = snapshot(locked)
    for field, value in data.items():
        setattr(locked, field, value)
    locked.full_clean()
    locked.save()
    old, new = changed_fields(before, snapshot(locked))
    if new:
        record_event(actor, "review_round.updated", locked, before=old, after=new, rule="R19")
    if bonus_keys:
        for entry in locked.entries.prefetch_related("corrections"):
            refresh_bonus(entry, locked)
    return locked


@transaction.atomic
def save_rubric(actor, review_round: ReviewRound, rows: list[dict]) -> None:
    """Replace the rubric; only until scoring opens (R33: weights are data on the round)."""
    locked = _lock_round(review_round)
    require_perm(actor, "reviews.manage_rounds", locked)
    if not locked.rubric_editable:
        raise refuse("R17", _("The rubric can be changed only until scoring opens."))
    if not rows:
        raise refuse("R17", _("The rubric needs at least one criterion."))
    before = [snapshot(c) for c in locked.criteria.all()]
    locked.criteria.all().delete()
    made = []
    for order, row in enumerate(rows, start=1):
        criterion = Criterion(round=locked, order=order, **row)
        criterion.full_clean()
        made.append(criterion)
    Criterion.objects.bulk_create(made)
    record_event(
        actor,
        "review_round.rubric_saved",
        locked,
        before={"criteria": before},
        after={"criteria": [snapshot(c) for c in locked.criteria.all()]},
        rule="R33",
    )


@transaction.atomic
def update_stage(actor, stage: RoundStage, data: dict, photos=()) -> RoundStage:
    """R17, R24: dates, place, attendees and the record of one stage, with photos."""
    stage = RoundStage.objects.select_for_update().select_related("round").get(pk=stage.pk)
    require_perm(actor, "reviews.manage_rounds", stage.round)
    before = snapshot(stage)
    for field, value in data.items():
        setattr(stage, field, value)
    stage.full_clean()
    stage.save()
    for upload in photos:
        validate_upload_under("R17", upload, ("image",))
        photo = StagePhoto(stage=stage, original_name=upload.name[:255])
        photo.file.save(upload.name, upload, save=False)
        photo.save()
    old, new = changed_fields(before, snapshot(stage))
    if new or photos:
        record_event(
            actor,
            "review_round.stage_updated",
            stage,
            before=old,
            after={**new, "photos_added": len(photos)},
            rule="R17",
        )
    return stage


# --- Bonus (R19) ---------------------------------------------------------------------------


def refresh_bonus(entry: RoundEntry, review_round: ReviewRound | None = None) -> RoundEntry:
    review_round = review_round or entry.round
    entry.bonus, entry.bonus_detail = compute_bonus(
        entry.snapshot,
        list(entry.corrections.all()),
        review_round.bonus_values,
        review_round.bonus_cap,
    )
    entry.save(update_fields=["bonus", "bonus_detail"])
    return entry


@transaction.atomic
def correct_honour(actor, entry: RoundEntry, *, action, honour_kind, evidence, reason):
    """R19: staff add or remove an honour for this round's bonus, with evidence; audited."""
    entry = (
        RoundEntry.objects.select_for_update().select_related("round", "studio").get(pk=entry.pk)
    )
    require_perm(actor, "reviews.manage_rounds", entry.round)
    if entry.round.status == RoundStatus.FINISHED:
        raise refuse("R19", _("A finished round cannot change."))
    if not reason.strip():
        raise refuse("R19", _("Give the reason for the correction."), field="reason")
    if evidence is None:
        raise refuse("R19", _("Attach the evidence."), field="evidence")
    validate_upload_under("R19", evidence, ("pdf", "image"))
    before = entry.bonus
    correction = HonourCorrection(
        entry=entry,
        action=action,
        honour_kind=honour_kind,
        reason=reason,
        created_by=actor,
        evidence_name=evidence.name[:255],
    )
    correction.evidence.save(evidence.name, evidence, save=False)
    correction.save()
    refresh_bonus(entry)
    record_event(
        actor,
        "review_round.honour_corrected",
        correction,
        before={"bonus": before},
        after={"bonus": entry.bonus, "action": action, "honour": honour_kind},
        reason=reason,
        rule="R19",
        studio=entry.studio,
    )
    return correction


# --- Experts and assignments ------------------------------------------------------------


@transaction.atomic
def save_expert_profile(actor, user: User, data: dict) -> ExpertProfile:
    require_perm(actor, "reviews.manage_experts")
    if user.role != Role.EXPERT:
        raise refuse("R17", _("Only users with the expert role can join the pool."))
    profile, created = ExpertProfile.objects.select_for_update().get_or_create(user=user)
    before = {} if created else snapshot(profile)
    for field, value in data.items():
        setattr(profile, field, value)
    profile.full_clean()
    profile.save()
    old, new = changed_fields(before, snapshot(profile))
    if new:
        record_event(actor, "expert.profile_saved", profile, before=old or None, after=new)
    return profile


def _profiles_of_pool():
    """Every active expert user, each with a profile (created empty when missing)."""
    users = User.objects.filter(role=Role.EXPERT, is_active=True)
    missing = users.filter(expert_profile__isnull=True)
    ExpertProfile.objects.bulk_create(ExpertProfile(user=u) for u in missing)
    return list(
        ExpertProfile.objects.filter(active=True, user__in=users)
        .select_related("user")
        .order_by("user_id")
    )


@transaction.atomic
def auto_assign(actor, review_round: ReviewRound) -> int:
    """Fill every entry up to the round's number of experts, load-balanced, never on an
    employer's own studio nor a declared conflict. Returns how many assignments it made."""
    locked = _lock_round(review_round)
    require_perm(actor, "reviews.manage_rounds", locked)
    if locked.status not in (RoundStatus.DRAFT, RoundStatus.SCORING):
        raise refuse("R17", _("Experts are assigned before scoring closes."))
    entries = list(locked.entries.select_related("studio"))
    existing = {}
    for entry_id, expert_id in Assignment.objects.filter(entry__round=locked).values_list(
        "entry_id", "expert_id"
    ):
        existing.setdefault(entry_id, set()).add(expert_id)
    declared = set(
        ConflictDeclaration.objects.filter(entry__round=locked).values_list("entry_id", "expert_id")
    )
    plan = plan_assignments(
        entries, _profiles_of_pool(), existing, declared, locked.experts_per_entry
    )
    Assignment.objects.bulk_create(
        Assignment(entry=entry, expert_id=expert_id, assigned_by=actor) for entry, expert_id in plan
    )
    short = sum(
        1
        for e in entries
        if len(existing.get(e.pk, ())) + sum(1 for p in plan if p[0] is e)
        < locked.experts_per_entry
    )
    record_event(
        actor,
        "review_round.auto_assigned",
        locked,
        after={"assignments": len(plan), "entries_short_of_experts": short},
    )
    if plan and locked.status == RoundStatus.SCORING:
        _notify_new_assignments(locked, {expert_id for _entry, expert_id in plan})
    return len(plan)


def _notify_new_assignments(review_round, expert_ids) -> None:
    notify(
        User.objects.filter(pk__in=expert_ids),
        kind="reviews.assigned",
        title=format_lazy(gettext_lazy("New review assignments: {}"), review_round.name),
        url=reverse("reviews:my_reviews"),
    )


@transaction.atomic
def assign_expert(actor, entry: RoundEntry, expert: User) -> Assignment:
    """Staff put one expert on one entry by hand; the conflict rules hold here too."""
    entry = RoundEntry.objects.select_related("round", "studio").get(pk=entry.pk)
    review_round = _lock_round(entry.round)
    require_perm(actor, "reviews.manage_rounds", review_round)
    if review_round.status not in (RoundStatus.DRAFT, RoundStatus.SCORING):
        raise refuse("R17", _("Experts are assigned before scoring closes."))
    if expert.role != Role.EXPERT or not expert.is_active:
        raise refuse("R17", _("Only active experts can be assigned."))
    profile = ExpertProfile.objects.filter(user=expert).first() or ExpertProfile(user=expert)
    declared = set(
        ConflictDeclaration.objects.filter(entry=entry, expert=expert).values_list(
            "entry_id", "expert_id"
        )
    )
    reason = conflict_reason(profile, entry, declared)
    if reason == "employer":
        raise refuse("R17", _("The expert works for this studio's enterprise (conflict)."))
    if reason == "declared":
        raise refuse("R17", _("The expert declared a conflict with this studio."))
    if Assignment.objects.filter(entry=entry, expert=expert).exists():
        raise refuse("R17", _("The expert is already assigned to this studio."))
    assignment = Assignment.objects.create(entry=entry, expert=expert, assigned_by=actor)
    record_event(actor, "review_round.expert_assigned", assignment, after=snapshot(assignment))
    if review_round.status == RoundStatus.SCORING:
        _notify_new_assignments(review_round, {expert.pk})
    return assignment


@transaction.atomic
def unassign_expert(actor, assignment: Assignment) -> None:
    assignment = (
        Assignment.objects.select_for_update().select_related("entry__round").get(pk=assignment.pk)
    )
    require_perm(actor, "reviews.manage_rounds", assignment.entry.round)
    if assignment.is_submitted:
        raise refuse("R17", _("A submitted score cannot be removed; reopen it first."))
    record_event(actor, "review_round.expert_unassigned", assignment, before=snapshot(assignment))
    assignment.delete()


@transaction.atomic
def declare_conflict(expert, assignment: Assignment, reason: str) -> ConflictDeclaration:
    """The expert declares a conflict of interest: the assignment goes (with any draft score),
    the entry is barred to them, and staff are alerted to find a replacement."""
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("entry__round", "entry__studio")
        .get(pk=assignment.pk)
    )
    require_perm(expert, "reviews.declare_conflict", assignment)
    if assignment.is_submitted:
        raise refuse("R17", _("The score is already submitted; ask staff to reopen it first."))
    if not reason.strip():
        raise refuse("R17", _("Say briefly what the conflict is."), field="reason")
    entry = assignment.entry
    declaration = ConflictDeclaration.objects.create(entry=entry, expert=expert, reason=reason)
    record_event(
        expert,
        "review_round.conflict_declared",
        declaration,
        before=snapshot(assignment),
        reason=reason,
        studio=entry.studio,
    )
    assignment.delete()
    notify(
        district_staff_users(),
        kind="reviews.conflict_declared",
        title=format_lazy(
            gettext_lazy("{expert} declared a conflict with {studio}"),
            expert=str(expert),
            studio=entry.studio_name,
        ),
        body=reason,
        url=reverse("reviews:round_detail", args=[entry.round_id]),
    )
    return declaration


# --- Scores ---------------------------------------------------------------------------------


def weighted_total(criteria, points: dict) -> Decimal:
    """Σ points × weight over the criteria that have points."""
    total = Decimal("0")
    for criterion in criteria:
        value = points.get(criterion.pk)
        if value is not None:
            total += value * criterion.weight
    return total.quantize(Decimal("0.01"))


def parse_points(raw) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        return Decimal(str(raw).strip())
    except InvalidOperation:
        return Decimal("NaN")


def score_errors(criteria, points: dict, comments: dict, submitting: bool) -> dict:
    """Errors by field name ``points_<id>`` / ``comment_<id>``; empty when the score is fine."""
    errors = {}
    for c in criteria:
        value = points.get(c.pk)
        if value is None:
            if submitting:
                errors[f"points_{c.pk}"] = _("Score every criterion before submitting.")
            continue
        if value.is_nan() or value < 0 or value > c.max_points:
            errors[f"points_{c.pk}"] = _("Between 0 and %(max)s.") % {"max": c.max_points}
        elif submitting and c.comment_required and not comments.get(c.pk, "").strip():
            errors[f"comment_{c.pk}"] = _("This criterion needs a comment.")
    return errors


@transaction.atomic
def save_score(expert, assignment: Assignment, points: dict, comments: dict, submit=False):
    """Save the expert's draft, or submit it. A submitted score is locked until staff reopen it.
    ``points`` maps criterion ids to Decimals (or None), ``comments`` to text."""
    assignment = (
        Assignment.objects.select_for_update().select_related("entry__round").get(pk=assignment.pk)
    )
    require_perm(expert, "reviews.score", assignment)
    review_round = assignment.entry.round
    if review_round.status != RoundStatus.SCORING:
        raise refuse("R17", _("Scoring is not open for this round."))
    if assignment.is_submitted:
        raise refuse("R17", _("This score is submitted and locked."))
    criteria = list(review_round.criteria.all())
    errors = score_errors(criteria, points, comments, submit)
    if errors:
        raise refuse_all("R17", errors)
    CriterionScore.objects.filter(assignment=assignment).delete()
    CriterionScore.objects.bulk_create(
        CriterionScore(
            assignment=assignment,
            criterion=c,
            points=points[c.pk],
            comment=comments.get(c.pk, ""),
        )
        for c in criteria
        if points.get(c.pk) is not None
    )
    assignment.total = weighted_total(criteria, points)
    assignment.state = AssignmentState.SUBMITTED if submit else AssignmentState.DRAFT
    assignment.submitted_at = timezone.now() if submit else None
    assignment.save(update_fields=["total", "state", "submitted_at"])
    if submit:
        record_event(
            expert,
            "review_round.score_submitted",
            assignment,
            after={
                "total": assignment.total,
                "points": {str(k): v for k, v in points.items() if v is not None},
            },
            rule="R17",
            studio=assignment.entry.studio,
        )
    return assignment


@transaction.atomic
def reopen_score(actor, assignment: Assignment, reason: str) -> Assignment:
    """Staff unlock a submitted score, with a reason, so the expert can correct it (audited)."""
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("entry__round", "entry__studio", "expert")
        .get(pk=assignment.pk)
    )
    require_perm(actor, "reviews.reopen_score", assignment.entry.round)
    if not assignment.is_submitted:
        raise refuse("R17", _("Only a submitted score can be reopened."))
    if not reason.strip():
        raise refuse("R17", _("Give the reason for reopening."), field="reason")
    if assignment.entry.round.status == RoundStatus.FINISHED:
        raise refuse("R17", _("A finished round cannot change."))
    assignment.state = AssignmentState.DRAFT
    assignment.submitted_at = None
    assignment.save(update_fields=["state", "submitted_at"])
    record_event(
        actor,
        "review_round.score_reopened",
        assignment,
        before={"state": AssignmentState.SUBMITTED, "total": assignment.total},
        after={"state": AssignmentState.DRAFT},
        reason=reason,
        studio=assignment.entry.studio,
    )
    notify(
        [assignment.expert],
        kind="reviews.score_reopened",
        title=format_lazy(
            gettext_lazy("Your score for {} was reopened"), assignment.entry.studio_name
        ),
        body=reason,
        url=reverse("reviews:score_entry", args=[assignment.entry_id]),
    )
    return assignment


def send_scoring_reminders(today=None) -> int:
    """E-mail and in-app reminders to experts with unsubmitted scores, N days before the
    scoring deadline (``policy.SCORING_REMINDER_DAYS``). Keyed: a second run sends nothing."""
    today = today or timezone.localdate()
    sent = 0
    for days in policy.SCORING_REMINDER_DAYS:
        deadline = today + timedelta(days=days)
        rounds = ReviewRound.objects.filter(status=RoundStatus.SCORING, scoring_deadline=deadline)
        for review_round in rounds:
            experts = User.objects.filter(
                review_assignments__entry__round=review_round,
                review_assignments__state__in=[AssignmentState.ASSIGNED, AssignmentState.DRAFT],
            ).distinct()
            with transaction.atomic():
                sent += len(
                    notify(
                        experts,
                        kind="reviews.scoring_reminder",
                        title=format_lazy(
                            gettext_lazy("{days} day(s) left to score: {name}"),
                            days=days,
                            name=review_round.name,
                        ),
                        body=format_lazy(
                            gettext_lazy("Scoring closes at the end of {}."), deadline
                        ),
                        url=reverse("reviews:my_reviews"),
                        key=f"reviews.scoring_reminder:{review_round.pk}:{deadline}:{days}",
                    )
                )
    return sent


# --- Decisions (R3, R16, R17, R25) ------------------------------------------------------------


@transaction.atomic
def record_decision(actor, entry: RoundEntry, data: dict) -> Decision:
    """Record (or change, until it takes effect) the outcome for an entry. Changing it clears
    any sign-off given: each body signs the outcome it read."""
    entry = RoundEntry.objects.select_related("round", "studio").get(pk=entry.pk)
    review_round = _lock_round(entry.round)
    require_perm(actor, "reviews.record_decision", review_round)
    if review_round.status != RoundStatus.CLOSED:
        raise refuse("R16", _("Decisions are recorded after scoring closes."))
    outcome = data.get("outcome")
    if outcome not in OUTCOMES_BY_KIND[review_round.kind]:
        raise refuse("R25", _("this outcome does not fit this review."), field="outcome")
    deadline = data.get("rectification_deadline")
    if outcome == DecisionOutcome.RECTIFY:
        if deadline is None:
            raise refuse(
                "R25", _("rectification needs a deadline."), field="rectification_deadline"
            )
        if deadline <= timezone.localdate():
            raise refuse(
                "R25", _("The deadline must be in the future."), field="rectification_deadline"
            )
    else:
        deadline = None
    decision = Decision.objects.select_for_update().filter(entry=entry).first()
    if decision is not None and decision.is_effective:
        raise refuse("R16", _("The decision is in effect and can no longer change."))
    before = snapshot(decision) if decision else None
    decision = decision or Decision(entry=entry)
    decision.outcome = outcome
    decision.rectification_deadline = deadline
    decision.reason = data.get("reason", "")
    decision.recorded_by = actor
    decision.union_signed_by = decision.bureau_signed_by = None
    decision.union_signed_at = decision.bureau_signed_at = None
    decision.full_clean(exclude=["entry"])
    decision.save()
    record_event(
        actor,
        "review_decision.recorded",
        decision,
        before=before,
        after=snapshot(decision),
        reason=decision.reason,
        rule="R16",
        studio=entry.studio,
    )
    signers = User.objects.filter(is_active=True, role__in=[Role.DISTRICT_UNION, Role.BUREAU])
    notify(
        signers,
        kind="reviews.decision_recorded",
        title=format_lazy(gettext_lazy("Decision awaiting sign-off: {}"), entry.studio_name),
        body=str(decision.get_outcome_display()),
        url=reverse("reviews:decision", args=[entry.round_id, entry.pk]),
    )
    return decision


SIGN_OFF_BODIES = {
    "union": ("reviews.sign_off_union", "union_signed_by", "union_signed_at"),
    "bureau": ("reviews.sign_off_bureau", "bureau_signed_by", "bureau_signed_at"),
}


@transaction.atomic
def sign_off(actor, decision: Decision, body: str) -> Decision:
    """One body's sign-off (R3, R16). The second sign-off makes the decision effective and
    hands it to the studio's lifecycle in the same transaction; before that nothing changes.

    R3: the signer must hold the body's role at the moment of signing (read again from the
    database, so a role changed in the admin counts at once; the role is recorded on the
    signature), and the two bodies' signatures come from two different people."""
    from core.refusals import refuse

    perm, by_field, at_field = SIGN_OFF_BODIES[body]
    decision = (
        Decision.objects.select_for_update()
        .select_related("entry__round", "entry__studio")
        .get(pk=decision.pk)
    )
    signer = User.objects.get(pk=actor.pk)
    # The body's own rule, not ``actor.has_perm``: a superuser does not sign for either body.
    if not rules.has_perm(perm, signer, decision):
        raise PermissionDenied(_("Only the body itself signs off (Article 3)."))
    if decision.is_effective:
        raise refuse("R16", _("the decision is already in effect."))
    if getattr(decision, at_field) is not None:
        raise refuse("R3", _("this body has already signed off."))
    other_by = "bureau_signed_by_id" if body == "union" else "union_signed_by_id"
    if getattr(decision, other_by) == signer.pk:
        raise refuse("R3", _("the two bodies' signatures must come from two different people."))
    setattr(decision, by_field, signer)
    setattr(decision, at_field, timezone.now())
    setattr(decision, f"{body}_signer_role", signer.role)
    both = decision.union_signed_at is not None and decision.bureau_signed_at is not None
    today = timezone.localdate()
    if both:
        decision.state = DecisionState.EFFECTIVE
        decision.effective_on = today
    decision.save()
    entry = decision.entry
    record_event(
        signer,
        f"review_decision.signed_{body}",
        decision,
        after={"outcome": decision.outcome, "state": decision.state, "role": signer.role},
        rule="R16",
        studio=entry.studio,
    )
    if both:
        handover.hand_over(decision, signer, today)
        _notify_decision_effective(decision)
    return decision


def _notify_decision_effective(decision: Decision) -> None:
    entry = decision.entry
    title = format_lazy(
        gettext_lazy("Review decision for {studio}: {outcome}"),
        studio=entry.studio_name,
        outcome=decision.get_outcome_display(),
    )
    body = decision.reason
    if decision.rectification_deadline:
        body = format_lazy(
            gettext_lazy("{reason}\nRectify by {deadline}."),
            reason=decision.reason,
            deadline=decision.rectification_deadline,
        )
    recipients = list(union_users_of(entry.studio.enterprise_id)) + list(district_staff_users())
    notify(
        recipients,
        kind="reviews.decision_effective",
        title=title,
        body=body,
        url=reverse("studios:studio_detail", args=[entry.studio_id]),
    )
