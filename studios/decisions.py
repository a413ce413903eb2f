"""Lifecycle decisions recorded by hand need both bodies (R3, R16, R17, R24, R25, R32).

Every recognition, re-review outcome, rectification outcome, delisting and revocation takes
effect only when the district union AND the bureau have signed, as two different people. A
review round's ``reviews.Decision`` already works that way; this module does the same for the
moves staff record on the studio page:

- ``propose``: one body's staff member records the move; their own body's signature is recorded
  with it. The move is tried once in a savepoint that is rolled back (``preview``), so a move the
  lifecycle would refuse is refused now, and the confirmation page can show exactly what it will
  change. Nothing about the studio changes; the other body's staff are notified.
- ``sign``: the other body's signature. In the same transaction it performs the move through
  ``studios.lifecycle.transition``; if the lifecycle refuses, the signature rolls back with it.
- ``withdraw``: the proposer (or their body) takes the proposal back.

Taking a studio into its cycle re-review (``start_cycle_rereview``) is procedural and stays a
one-step move by either body: it opens the re-review whose outcome both bodies then sign, and it
changes nothing of the studio's standing (it keeps its title; the directory and the certificate
are unchanged). Renames (R23) stay a district-union approval of the rename request.

Each signer must hold the body's role at the moment of signing: the role is read again from the
database (a role changed in the admin counts at once) and recorded on the signature.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from accounts.services import notify, union_users_of
from audit.models import AuditEvent
from audit.registry import AUDITOR, ActionSpec
from audit.services import record_event

from .decision_models import LifecycleDecision, LifecycleDecisionStatus
from .lifecycle import ACTIONS, A, transition
from .models import Studio

STATUS = LifecycleDecisionStatus

#: The moves that need both bodies. Start of a cycle re-review is procedural (see above);
#: renames go through rename requests (R23).
DECISION_ACTIONS = [a for a in ACTIONS if a not in (A.START_CYCLE_REREVIEW, A.RENAME)]

#: The two bodies, by the role their staff hold.
BODIES = {"union": Role.DISTRICT_UNION, "bureau": Role.BUREAU}
BODY_LABELS = {
    "union": gettext_lazy("District union"),
    "bureau": gettext_lazy("S&T bureau"),
}

#: This module's audit events, registered with ``audit.registry`` from ``StudiosConfig.ready()``.
#: Staff and auditors only: the enterprise union learns of a decision when it takes effect (the
#: lifecycle's own ``studio.<action>`` event), not while it awaits the other body.
TIMELINE_EVENTS = {
    "lifecycle_decision.proposed": ActionSpec(
        label=gettext_lazy("Decision proposed; awaiting the other body's signature"),
        audiences={AUDITOR},
    ),
    "lifecycle_decision.signed": ActionSpec(
        label=gettext_lazy("Decision signed by the second body and in effect"),
        audiences={AUDITOR},
    ),
    "lifecycle_decision.withdrawn": ActionSpec(
        label=gettext_lazy("Proposed decision withdrawn"), audiences={AUDITOR}
    ),
    "lifecycle_decision.superseded": ActionSpec(
        label=gettext_lazy("Proposed decision superseded by a change of status"),
        audiences={AUDITOR},
    ),
}


def body_of(user) -> str | None:
    """``"union"`` or ``"bureau"`` for an active member of a body's staff, else None."""
    if user is None or not user.is_active:
        return None
    for body, role in BODIES.items():
        if user.role == role:
            return body
    return None


def other_body(body: str) -> str:
    return "bureau" if body == "union" else "union"


def _signer(actor) -> User:
    """The actor as the database knows them now: a role changed since the request began (or
    since the object was loaded) counts."""
    return User.objects.get(pk=actor.pk)


def _rule(action: str) -> str:
    return ACTIONS[action].rule


# --- Trying a move without making it --------------------------------------------------------


class _RollBack(Exception):
    pass


def _perform(studio, action, actor, on, reason, details):
    return transition(
        studio,
        action,
        actor,
        on=on,
        reason=reason,
        deadline=_as_date(details.get("deadline")),
        what=reason,
        star=bool(details.get("star")),
        reasons=details.get("reasons") or [],
        note=reason,
        decided_by=actor,
    )


def _as_date(value):
    from datetime import date

    if value in (None, "") or isinstance(value, date):
        return value or None
    return date.fromisoformat(value)


def preview(actor, studio, action, *, on, reason="", details=None) -> dict:
    """What ``action`` would do to ``studio`` now: ``{"from_status", "to_status", "effect"}``,
    where ``effect`` is what the lifecycle would record (cycle dates, deadline, reasons…).
    Raises the lifecycle's refusal (with its rule code) if it would refuse; changes nothing."""
    details = clean_details(details or {})
    result = {}
    try:
        with transaction.atomic():
            before = Studio.objects.get(pk=studio.pk).status
            after = _perform(studio, action, actor, on, reason, details)
            event = (
                AuditEvent.objects.filter(
                    action=f"studio.{action}",
                    object_type="studios.studio",
                    object_id=str(studio.pk),
                )
                .order_by("-pk")
                .first()
            )
            effect = dict(event.after or {}) if event else {}
            effect.pop("status", None)
            effect.pop("on", None)
            result = {"from_status": before, "to_status": after.status, "effect": effect}
            raise _RollBack
    except _RollBack:
        pass
    studio.refresh_from_db()
    return result


def clean_details(details: dict) -> dict:
    """The JSON the decision keeps: R32 reasons, a rectification deadline, the Star."""
    clean = {}
    if details.get("reasons"):
        clean["reasons"] = sorted({int(r) for r in details["reasons"]})
    if details.get("deadline"):
        deadline = details["deadline"]
        clean["deadline"] = deadline if isinstance(deadline, str) else deadline.isoformat()
    if details.get("star"):
        clean["star"] = True
    return clean


# --- Propose, sign, withdraw ----------------------------------------------------------------


def propose(actor, studio, action, *, on, reason="", details=None) -> LifecycleDecision:
    """One body proposes a move and signs it for itself; nothing changes until the other body
    signs (R3). Refused: a user of neither body (R3), a second pending decision on the studio
    (R3), a move the lifecycle would refuse (its own rule)."""
    if action not in DECISION_ACTIONS:
        raise ValueError(f"{action!r} is not a decision both bodies sign")
    details = clean_details(details or {})
    with transaction.atomic():
        locked = Studio.objects.select_for_update().get(pk=studio.pk)
        if not actor.has_perm("studios.decide_lifecycle", locked):
            raise PermissionDenied(_("You may not do this."))
        signer = check_proposer(actor, locked)
        body = body_of(signer)
        trial = preview(signer, locked, action, on=on, reason=reason, details=details)
        now = timezone.now()
        try:
            with transaction.atomic():
                decision = LifecycleDecision.objects.create(
                    studio=locked,
                    action=action,
                    from_status=trial["from_status"],
                    to_status=trial["to_status"],
                    details={**details, "effect": trial["effect"]},
                    effective_on=on,
                    reason=reason,
                    proposed_by=signer,
                    **{
                        f"{body}_signed_by": signer,
                        f"{body}_signed_at": now,
                        f"{body}_signer_role": signer.role,
                    },
                )
        except IntegrityError:
            raise _already_pending() from None
        record_event(
            signer,
            "lifecycle_decision.proposed",
            decision,
            after={
                "action": action,
                "from_status": decision.from_status,
                "to_status": decision.to_status,
                "on": on,
                "details": decision.details,
                "signed_for": body,
                "role": signer.role,
            },
            reason=reason,
            rule=_rule(action),
            studio=locked,
        )
        _notify_body(
            other_body(body),
            decision,
            kind="studios.decision_proposed",
            title=format_lazy(
                gettext_lazy("Decision awaiting your body's signature: {studio} · {action}"),
                studio=locked.name,
                action=ACTIONS[action].label,
            ),
        )
    return decision


def check_proposer(actor, studio) -> User:
    """Refuse (R3) a proposer who is on neither body's staff, or a studio that already has a
    decision awaiting a signature. Returns the proposer as the database knows them now."""
    signer = _signer(actor)
    if body_of(signer) is None:
        raise _not_a_body_member()
    if studio.lifecycle_decisions.filter(status=STATUS.PENDING).exists():
        raise _already_pending()
    return signer


@transaction.atomic
def sign(actor, decision: LifecycleDecision) -> LifecycleDecision:
    """The other body's signature (R3): the decision takes effect and the move is made, in this
    transaction. Refused (R3): a user of neither body, a body that has signed already, the same
    person signing twice (whatever role they hold now), a decision no longer pending."""
    decision = (
        LifecycleDecision.objects.select_for_update().select_related("studio").get(pk=decision.pk)
    )
    if not actor.has_perm("studios.decide_lifecycle", decision.studio):
        raise PermissionDenied(_("You may not do this."))
    signer = _signer(actor)
    body = body_of(signer)
    if body is None:
        raise _not_a_body_member()
    if not decision.is_pending:
        raise _not_pending()
    if getattr(decision, f"{body}_signed_at") is not None:
        from core.refusals import refuse

        raise refuse("R3", _("your body has signed this decision already; the other body signs."))
    other = other_body(body)
    if signer.pk in (getattr(decision, f"{other}_signed_by_id"), decision.proposed_by_id):
        raise two_people_refusal()
    now = timezone.now()
    setattr(decision, f"{body}_signed_by", signer)
    setattr(decision, f"{body}_signed_at", now)
    setattr(decision, f"{body}_signer_role", signer.role)
    decision.status = STATUS.EFFECTIVE
    decision.closed_at = now
    decision.save()
    record_event(
        signer,
        "lifecycle_decision.signed",
        decision,
        before={"status": STATUS.PENDING},
        after={"status": STATUS.EFFECTIVE, "signed_for": body, "role": signer.role},
        reason=decision.reason,
        rule=_rule(decision.action),
        studio=decision.studio,
    )
    _perform(
        decision.studio,
        decision.action,
        signer,
        decision.effective_on,
        decision.reason,
        decision.details,
    )
    _notify_effective(decision)
    return decision


@transaction.atomic
def withdraw(actor, decision: LifecycleDecision, note: str = "") -> LifecycleDecision:
    """The proposer, or another member of the proposer's body, takes a pending decision back."""
    decision = (
        LifecycleDecision.objects.select_for_update().select_related("studio").get(pk=decision.pk)
    )
    signer = _signer(actor)
    if not can_withdraw(signer, decision):
        raise PermissionDenied(_("Only the proposing body withdraws its proposal."))
    if not decision.is_pending:
        raise _not_pending()
    decision.status = STATUS.WITHDRAWN
    decision.closed_by = signer
    decision.closed_at = timezone.now()
    decision.closing_note = note
    decision.save()
    record_event(
        signer,
        "lifecycle_decision.withdrawn",
        decision,
        before={"status": STATUS.PENDING},
        after={"status": STATUS.WITHDRAWN},
        reason=note,
        rule=_rule(decision.action),
        studio=decision.studio,
    )
    _notify_body(
        other_body(proposing_body(decision)),
        decision,
        kind="studios.decision_withdrawn",
        title=format_lazy(
            gettext_lazy("Proposed decision withdrawn: {studio} · {action}"),
            studio=decision.studio.name,
            action=ACTIONS[decision.action].label,
        ),
    )
    return decision


def supersede_pending(sender, studio, to_status, actor=None, **kwargs):
    """``studio_transitioned`` receiver: a studio moved by other means (a review round's
    decision, say) no longer is where a pending decision found it; that decision lapses."""
    for decision in studio.lifecycle_decisions.filter(status=STATUS.PENDING).exclude(
        from_status=to_status
    ):
        decision.status = STATUS.SUPERSEDED
        decision.closed_by = actor if getattr(actor, "pk", None) else None
        decision.closed_at = timezone.now()
        decision.save(update_fields=["status", "closed_by", "closed_at"])
        record_event(
            actor,
            "lifecycle_decision.superseded",
            decision,
            before={"status": STATUS.PENDING, "from_status": decision.from_status},
            after={"status": STATUS.SUPERSEDED, "studio_status": to_status},
            rule=_rule(decision.action),
            studio=studio,
        )


# --- What pages ask -------------------------------------------------------------------------


def proposing_body(decision) -> str:
    if decision.union_signed_at and not decision.bureau_signed_at:
        return "union"
    if decision.bureau_signed_at and not decision.union_signed_at:
        return "bureau"
    return body_of(decision.proposed_by) or "union"


def can_sign(user, decision) -> bool:
    body = body_of(user)
    if body is None or not decision.is_pending or getattr(decision, f"{body}_signed_at"):
        return False
    return user.pk not in (decision.union_signed_by_id, decision.bureau_signed_by_id)


def can_withdraw(user, decision) -> bool:
    if not decision.is_pending:
        return False
    return user.pk == decision.proposed_by_id or body_of(user) == proposing_body(decision)


def summary_rows(action, from_status, to_status, on, details, reason) -> list[tuple]:
    """What a decision changes, as (label, text) rows for the confirmation pages."""
    from .lifecycle_models import R32Reason
    from .models import StudioStatus

    info = ACTIONS[action]
    rows = [
        (
            _("Decision"),
            _("%(label)s (%(article)s)") % {"label": info.label, "article": info.article},
        ),
        (
            _("Status"),
            f"{StudioStatus(from_status).label} → {StudioStatus(to_status).label}",
        ),
        (_("Effective on"), _date(on)),
    ]
    if details.get("reasons"):
        labels = [str(R32Reason(int(r)).label) for r in details["reasons"]]
        rows.append((_("Revocation reasons (Article 32)"), "\n".join(labels)))
    if details.get("deadline"):
        rows.append((_("Rectification deadline (Article 25)"), _date(details["deadline"])))
    if details.get("star"):
        rows.append((_("Innovation Vitality Star (Article 25)"), _("awarded with this decision")))
    effect = details.get("effect") or {}
    if effect.get("ends_on") and effect.get("cycle"):
        rows.append(
            (
                _("New cycle"),
                _("Cycle %(n)s, ending %(end)s")
                % {"n": effect["cycle"], "end": _date(effect["ends_on"])},
            )
        )
    if reason:
        rows.append((_("Grounds and notes"), reason))
    return rows


def signature_rows(decision) -> list[tuple]:
    """(body, signer, role, when) for each body; signer None while the body has not signed."""
    from accounts.models import Role

    rows = []
    for body in BODIES:
        signer = getattr(decision, f"{body}_signed_by")
        role = getattr(decision, f"{body}_signer_role")
        rows.append(
            (
                BODY_LABELS[body],
                signer,
                Role(role).label if role else "",
                getattr(decision, f"{body}_signed_at"),
            )
        )
    return rows


def _date(value) -> str:
    return str(_as_date(value) or "")


def pending_for(studio):
    return (
        studio.lifecycle_decisions.filter(status=STATUS.PENDING)
        .select_related("proposed_by", "union_signed_by", "bureau_signed_by")
        .first()
    )


# --- Refusals and notifications ---------------------------------------------------------------


def _not_a_body_member() -> ValidationError:
    from core.refusals import refuse

    return refuse(
        "R3",
        _(
            "only district union or bureau staff sign a decision on a studio's standing, "
            "each for their own body."
        ),
    )


def _already_pending() -> ValidationError:
    from core.refusals import refuse

    return refuse(
        "R3",
        _("a decision on this studio already awaits a signature; sign or withdraw it first."),
    )


def _not_pending() -> ValidationError:
    from core.refusals import refuse

    return refuse("R3", _("this decision no longer awaits a signature."))


def two_people_refusal() -> ValidationError:
    """The same person cannot sign for both bodies, whatever role they hold now (R3)."""
    from core.refusals import refuse

    return refuse("R3", _("the two bodies' signatures must come from two different people."))


def _notify_body(body, decision, *, kind, title) -> None:
    recipients = User.objects.filter(is_active=True, role=BODIES[body])
    notify(
        recipients,
        kind=kind,
        title=title,
        body=decision.reason,
        url=reverse("studios:lifecycle_decision_sign", args=[decision.pk]),
    )


def _notify_effective(decision) -> None:
    studio = decision.studio
    recipients = list(union_users_of(studio.enterprise_id)) + list(
        User.objects.filter(is_active=True, role__in=list(BODIES.values()))
    )
    notify(
        recipients,
        kind="studios.decision_effective",
        title=format_lazy(
            gettext_lazy("Decision in effect: {studio} · {action}"),
            studio=studio.name,
            action=ACTIONS[decision.action].label,
        ),
        body=decision.reason,
        url=reverse("studios:studio_detail", args=[studio.pk]),
    )
