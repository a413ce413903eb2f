"""The life of a recognised studio under the Measures (R16, R17, R23–R25, R32), as one table of
allowed moves and ONE function that performs every move.

    applicant, delisted,
    revoked              --recognise-->               recognised (provisional, R16)
    recognised           --pass_next_year_rereview--> in_cycle (cycle 1 from recognition, R17)
    recognised           --fail_next_year_rereview--> delisted
    in_cycle             --start_cycle_rereview-->    under_rereview (R24)
    under_rereview       --pass_cycle_rereview-->     in_cycle (next cycle; Star if awarded, R25)
    under_rereview       --order_rectification-->     rectification (with a deadline, R25)
    under_rereview       --delist-->                  delisted
    rectification        --pass_rectification-->      in_cycle (next cycle)
    rectification        --delist-->                  delisted
    any title holder     --revoke-->                  revoked (one or more R32 reasons)
    any title holder     --rename-->                  the same state (R23)

``transition`` locks the studio row, refuses any move not in the table with a message citing the
rule (and changes nothing), applies the move's effect on the cycle, rectification, revocation or
rename records, writes the audit event and sends ``studio_transitioned`` inside the transaction.
The thin functions at the end (``recognise``, ``record_next_year_rereview`` …) are what review
decisions and staff pages call.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import record_event
from core import policy
from core.dates import add_years, cycle_end

from .lifecycle_models import (
    CycleOutcome,
    R32Reason,
    RecognitionCycle,
    Rectification,
    RectificationOutcome,
    Revocation,
)
from .models import Leader, Studio, StudioStatus
from .signals import studio_transitioned

S = StudioStatus


class LifecycleAction:
    RECOGNISE = "recognise"
    PASS_NEXT_YEAR_REREVIEW = "pass_next_year_rereview"
    FAIL_NEXT_YEAR_REREVIEW = "fail_next_year_rereview"
    START_CYCLE_REREVIEW = "start_cycle_rereview"
    PASS_CYCLE_REREVIEW = "pass_cycle_rereview"
    ORDER_RECTIFICATION = "order_rectification"
    PASS_RECTIFICATION = "pass_rectification"
    DELIST = "delist"
    REVOKE = "revoke"
    RENAME = "rename"


A = LifecycleAction
HOLDS_TITLE = (S.RECOGNISED, S.IN_CYCLE, S.UNDER_REREVIEW, S.RECTIFICATION)

#: (status, action) -> new status. Anything not here is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.APPLICANT, A.RECOGNISE): S.RECOGNISED,
    (S.DELISTED, A.RECOGNISE): S.RECOGNISED,
    (S.REVOKED, A.RECOGNISE): S.RECOGNISED,  # applied again after R29's bar (new cycles follow)
    (S.RECOGNISED, A.PASS_NEXT_YEAR_REREVIEW): S.IN_CYCLE,
    (S.RECOGNISED, A.FAIL_NEXT_YEAR_REREVIEW): S.DELISTED,
    (S.IN_CYCLE, A.START_CYCLE_REREVIEW): S.UNDER_REREVIEW,
    (S.UNDER_REREVIEW, A.PASS_CYCLE_REREVIEW): S.IN_CYCLE,
    (S.UNDER_REREVIEW, A.ORDER_RECTIFICATION): S.RECTIFICATION,
    (S.UNDER_REREVIEW, A.DELIST): S.DELISTED,
    (S.RECTIFICATION, A.PASS_RECTIFICATION): S.IN_CYCLE,
    (S.RECTIFICATION, A.DELIST): S.DELISTED,
    **{(state, A.REVOKE): S.REVOKED for state in HOLDS_TITLE},
    **{(state, A.RENAME): state for state in HOLDS_TITLE},
}


@dataclass(frozen=True)
class ActionInfo:
    rule: str
    article: object  # lazy "Article 25" / "第二十五条"
    label: object  # lazy human label of the action


ACTIONS = {
    A.RECOGNISE: ActionInfo("R16", gettext_lazy("Article 16"), gettext_lazy("Recognise")),
    A.PASS_NEXT_YEAR_REREVIEW: ActionInfo(
        "R17", gettext_lazy("Article 17"), gettext_lazy("Pass the next-year re-review")
    ),
    A.FAIL_NEXT_YEAR_REREVIEW: ActionInfo(
        "R17", gettext_lazy("Article 17"), gettext_lazy("Fail the next-year re-review")
    ),
    A.START_CYCLE_REREVIEW: ActionInfo(
        "R24", gettext_lazy("Article 24"), gettext_lazy("Start the cycle re-review")
    ),
    A.PASS_CYCLE_REREVIEW: ActionInfo(
        "R25", gettext_lazy("Article 25"), gettext_lazy("Pass the cycle re-review")
    ),
    A.ORDER_RECTIFICATION: ActionInfo(
        "R25", gettext_lazy("Article 25"), gettext_lazy("Order rectification")
    ),
    A.PASS_RECTIFICATION: ActionInfo(
        "R25", gettext_lazy("Article 25"), gettext_lazy("Pass the rectification re-check")
    ),
    A.DELIST: ActionInfo("R25", gettext_lazy("Article 25"), gettext_lazy("Delist")),
    A.REVOKE: ActionInfo("R32", gettext_lazy("Article 32"), gettext_lazy("Revoke")),
    A.RENAME: ActionInfo("R23", gettext_lazy("Article 23"), gettext_lazy("Rename")),
}


def allowed_actions(status: str) -> list[str]:
    return [action for (state, action) in TRANSITIONS if state == status]


def next_year_rereview_due_on(recognised_on: date) -> date:
    """R17: recognised in year Y, re-reviewed in Y+1; the anniversary is the day it falls due."""
    return add_years(recognised_on, policy.R17_REREVIEW_AFTER_YEARS)


def _refuse(action: str, message) -> ValidationError:
    info = ACTIONS[action]
    return ValidationError(
        _("Not in line with %(article)s: %(message)s")
        % {"article": info.article, "message": message},
        code=info.rule,
    )


# --- The one transition function ----------------------------------------------------------


def transition(studio: Studio, action: str, actor, *, on: date | None = None, reason="", **details):
    """Perform ``action`` on ``studio`` as ``actor`` (None for the system), effective ``on``
    (Beijing date, default today). Refused moves raise ValidationError and change nothing."""
    if action not in ACTIONS:
        raise ValueError(f"unknown lifecycle action {action!r}")
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = Studio.objects.select_for_update().get(pk=studio.pk)
        if actor is not None and not actor.has_perm("studios.decide_lifecycle", locked):
            raise PermissionDenied(_("You may not do this."))
        target = TRANSITIONS.get((locked.status, action))
        if target is None:
            raise _refuse(
                action,
                _("a studio that is “%(status)s” cannot “%(action)s”.")
                % {"status": locked.get_status_display(), "action": ACTIONS[action].label},
            )
        from_status = locked.status
        outcome = EFFECTS[action](locked, on, details) or {}
        locked.status = target
        locked.save()
        record_event(
            actor,
            f"studio.{action}",
            locked,
            before={"status": from_status, **outcome.pop("before", {})},
            after={"status": target, "on": on, **outcome.pop("after", {})},
            reason=reason,
            rule=ACTIONS[action].rule,
            studio=locked,
        )
        studio_transitioned.send(
            sender=Studio,
            studio=locked,
            action=action,
            from_status=from_status,
            to_status=target,
            actor=actor,
            star_awarded=outcome.get("star_awarded", False),
            first_recognition=outcome.get("first_recognition", False),
            cycle_number=locked.cycle_number,
            on=on,
        )
        from .certificates import issue_certificate_for

        issue_certificate_for(locked, action, on, star=outcome.get("star_awarded", False))
    for field in ("status", "name", "recognised_on", "first_recognised_on", "cycle_number"):
        setattr(studio, field, getattr(locked, field))
    return locked


# --- What each move does besides changing the status ---------------------------------------


def _open_cycle(studio):
    return studio.cycles.filter(closed_on__isnull=True).order_by("-number").first()


def _start_cycle(studio, starts_on: date) -> RecognitionCycle:
    studio.cycle_number += 1
    return RecognitionCycle.objects.create(
        studio=studio,
        number=studio.cycle_number,
        starts_on=starts_on,
        ends_on=cycle_end(starts_on),
    )


def _close_cycle(studio, on, outcome, star=False):
    cycle = _open_cycle(studio)
    if cycle is not None:
        cycle.closed_on = on
        cycle.outcome = outcome
        cycle.star_awarded = star
        cycle.save(update_fields=["closed_on", "outcome", "star_awarded"])
    return cycle


def _recognise(studio, on, details):
    first = studio.first_recognised_on is None
    studio.recognised_on = on
    if first:
        studio.first_recognised_on = on
    return {"after": {"recognised_on": on}}


def _pass_next_year(studio, on, details):
    due = next_year_rereview_due_on(studio.recognised_on)
    if on.year < due.year:
        raise _refuse(
            A.PASS_NEXT_YEAR_REREVIEW,
            _("a studio recognised in %(year)s is re-reviewed in %(next)s, not before.")
            % {"year": studio.recognised_on.year, "next": due.year},
        )
    cycle = _start_cycle(studio, studio.recognised_on)
    return {
        "first_recognition": studio.first_recognised_on == studio.recognised_on,
        "after": {"cycle": cycle.number, "starts_on": cycle.starts_on, "ends_on": cycle.ends_on},
    }


def _fail_next_year(studio, on, details):
    return {}


def _start_cycle_rereview(studio, on, details):
    cycle = _open_cycle(studio)
    cycle.rereview_started_on = on
    cycle.save(update_fields=["rereview_started_on"])
    return {"after": {"cycle": cycle.number}}


def _pass_cycle_rereview(studio, on, details):
    star = bool(details.get("star"))
    old = _close_cycle(studio, on, CycleOutcome.PASSED_STAR if star else CycleOutcome.PASSED, star)
    new = _start_cycle(studio, old.ends_on + timedelta(days=1))
    return {
        "star_awarded": star,
        "before": {"cycle": old.number},
        "after": {"cycle": new.number, "ends_on": new.ends_on, "star": star},
    }


def _order_rectification(studio, on, details):
    deadline = details.get("deadline")
    if deadline is None or deadline <= on:
        raise _refuse(
            A.ORDER_RECTIFICATION, _("rectification needs a deadline after the decision date.")
        )
    Rectification.objects.create(
        studio=studio,
        cycle=_open_cycle(studio),
        ordered_on=on,
        deadline=deadline,
        reason=details.get("what", ""),
    )
    return {"after": {"deadline": deadline}}


def _end_rectification(studio, on, outcome):
    pending = studio.rectifications.filter(outcome=RectificationOutcome.PENDING).first()
    if pending is not None:
        pending.outcome = outcome
        pending.checked_on = on
        pending.save(update_fields=["outcome", "checked_on"])
    return pending


def _pass_rectification(studio, on, details):
    _end_rectification(studio, on, RectificationOutcome.PASSED)
    old = _close_cycle(studio, on, CycleOutcome.RECTIFIED)
    new = _start_cycle(studio, max(old.ends_on + timedelta(days=1), old.starts_on))
    return {"before": {"cycle": old.number}, "after": {"cycle": new.number, "ends_on": new.ends_on}}


def _delist(studio, on, details):
    _end_rectification(studio, on, RectificationOutcome.FAILED)
    _close_cycle(studio, on, CycleOutcome.DELISTED)
    return {}


def _revoke(studio, on, details):
    reasons = sorted({int(r) for r in details.get("reasons") or []})
    if not reasons or any(r not in R32Reason.values for r in reasons):
        raise _refuse(A.REVOKE, _("name one or more of its reasons, numbered 1 to 10."))
    _end_rectification(studio, on, RectificationOutcome.REVOKED)
    _close_cycle(studio, on, CycleOutcome.REVOKED)
    Revocation.objects.create(
        studio=studio,
        decided_on=on,
        reasons=reasons,
        note=details.get("note", ""),
        decided_by=details.get("decided_by"),
    )
    return {"after": {"reasons": reasons}}


def _rename(studio, on, details):
    new_name = (details.get("new_name") or "").strip()
    leader_data = details.get("new_leader") or {}
    if not new_name or not leader_data.get("name"):
        raise _refuse(A.RENAME, _("a rename names the new studio name and the new leader."))
    if Studio.objects.filter(enterprise_id=studio.enterprise_id, name=new_name).exclude(
        pk=studio.pk
    ):
        raise _refuse(A.RENAME, _("the enterprise already has a studio of that name."))
    old_name = studio.name
    current = studio.leaders.filter(until__isnull=True).first()
    if current is not None:
        if current.since >= on:
            raise _refuse(A.RENAME, _("the new leader must start after the current leader."))
        current.until = on
        current.save(update_fields=["until"])
    leader = Leader(studio=studio, since=on, **leader_data)
    leader.full_clean()
    leader.save()
    studio.name = new_name
    return {
        "before": {"name": old_name, "leader": current.name if current else ""},
        "after": {"name": new_name, "leader": leader.name},
    }


EFFECTS = {
    A.RECOGNISE: _recognise,
    A.PASS_NEXT_YEAR_REREVIEW: _pass_next_year,
    A.FAIL_NEXT_YEAR_REREVIEW: _fail_next_year,
    A.START_CYCLE_REREVIEW: _start_cycle_rereview,
    A.PASS_CYCLE_REREVIEW: _pass_cycle_rereview,
    A.ORDER_RECTIFICATION: _order_rectification,
    A.PASS_RECTIFICATION: _pass_rectification,
    A.DELIST: _delist,
    A.REVOKE: _revoke,
    A.RENAME: _rename,
}


# --- Services the review decisions and staff pages call -----------------------------------


def recognise(studio, actor, on=None, reason=""):
    """R16: a review round's decision recognises the studio (provisional until R17)."""
    return transition(studio, A.RECOGNISE, actor, on=on, reason=reason)


def record_next_year_rereview(studio, actor, passed: bool, on=None, reason=""):
    """R17: the next-year re-review confirms the recognition (cycle 1 starts on the recognition
    date; R26a follows through the signal) or does not (the studio is delisted)."""
    action = A.PASS_NEXT_YEAR_REREVIEW if passed else A.FAIL_NEXT_YEAR_REREVIEW
    return transition(studio, action, actor, on=on, reason=reason)


def begin_cycle_rereview(studio, actor, on=None, reason=""):
    """R24: the studio is taken into a cycle re-review."""
    return transition(studio, A.START_CYCLE_REREVIEW, actor, on=on, reason=reason)


class CycleOutcomeChoice:
    PASS = "pass"
    RECTIFY = "rectify"
    DELIST = "delist"


def record_cycle_rereview(
    studio,
    actor,
    outcome: str,
    on=None,
    star=False,
    rectification_deadline=None,
    reason="",
    what="",
):
    """R25: the outcome of a cycle re-review: ``"pass"`` (with ``star`` for 创新活力之星),
    ``"rectify"`` (needs ``rectification_deadline``) or ``"delist"``. A studio still in its cycle
    is taken into the re-review first, in the same transaction."""
    with transaction.atomic():
        current = Studio.objects.select_for_update().get(pk=studio.pk)
        if current.status == S.IN_CYCLE:
            begin_cycle_rereview(current, actor, on=on)
        if outcome == CycleOutcomeChoice.PASS:
            return transition(
                current, A.PASS_CYCLE_REREVIEW, actor, on=on, reason=reason, star=star
            )
        if outcome == CycleOutcomeChoice.RECTIFY:
            return transition(
                current,
                A.ORDER_RECTIFICATION,
                actor,
                on=on,
                reason=reason,
                deadline=rectification_deadline,
                what=what or reason,
            )
        if outcome == CycleOutcomeChoice.DELIST:
            return transition(current, A.DELIST, actor, on=on, reason=reason)
        raise ValueError(f"unknown cycle re-review outcome {outcome!r}")


def record_rectification_recheck(studio, actor, passed: bool, on=None, reason=""):
    """R25: after the deadline the rectification is re-checked: passed (a new cycle starts) or
    failed (delisted)."""
    action = A.PASS_RECTIFICATION if passed else A.DELIST
    return transition(studio, action, actor, on=on, reason=reason)


def revoke(studio, actor, reasons, on=None, note=""):
    """R32: revoke the title and take down the plaque, naming each reason by its number."""
    return transition(
        studio, A.REVOKE, actor, on=on, reason=note, reasons=reasons, note=note, decided_by=actor
    )
