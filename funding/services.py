"""Every write to the funds. Each function checks the actor may act and the Measures allow it,
changes the rows in one transaction, and writes its audit event (rule R26–R29) with the studio,
so the studio's timeline shows its money. Refusals change nothing and name the article: each is
``core.refusals.refuse`` with the rule it applies (R26 the grant, R27 accounting and the second
finance user, R28 spending, R29 sanctions)."""

import uuid
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from accounts.services import notify, union_users_of
from audit.services import record_event, snapshot
from core import policy
from core.dates import add_years
from core.permissions import require_perm
from core.refusals import refuse
from studios.models import Studio

from . import queries
from .models import (
    Disbursement,
    DisbursementStatus,
    Expenditure,
    ExpenditureStatus,
    Grant,
    GrantCause,
    GrantStatus,
    Payer,
    Repayment,
    Sanction,
    SanctionKind,
    SanctionStatus,
    Violation,
)

GRANT_AMOUNTS = {
    GrantCause.NEXT_YEAR_REREVIEW: policy.R26A_GRANT_CNY,
    GrantCause.INNOVATION_STAR: policy.R26B_GRANT_CNY,
}

# (state, action) -> state, one table per aggregate; anything else is refused.
GRANT_TRANSITIONS = {
    (GrantStatus.ACTIVE, "cancel"): GrantStatus.CANCELLED,
}
DISBURSEMENT_TRANSITIONS = {
    (DisbursementStatus.PENDING, "approve"): DisbursementStatus.PAID,
    (DisbursementStatus.PENDING, "reject"): DisbursementStatus.REJECTED,
}
EXPENDITURE_REVERSAL_TRANSITIONS = {
    (ExpenditureStatus.PENDING, "approve"): ExpenditureStatus.EFFECTIVE,
    (ExpenditureStatus.PENDING, "reject"): ExpenditureStatus.REJECTED,
}
SANCTION_TRANSITIONS = {
    (SanctionStatus.IN_FORCE, "lift"): SanctionStatus.LIFTED,
}


def _next_state(table: dict, state: str, action: str, rule: str) -> str:
    try:
        return table[(state, action)]
    except KeyError:
        raise refuse(
            rule,
            _("This action (%(action)s) is not possible in the current state (%(state)s).")
            % {"action": action, "state": state},
        ) from None


def _money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


# --- Grants (R26) ---------------------------------------------------------------------------


def payer_for(studio: Studio) -> str:
    """R26c: the district union pays when the studio's union belongs to the district."""
    if studio.enterprise.union_affiliated_with_district:
        return Payer.DISTRICT_UNION
    return Payer.FISCAL_FUNDS


def grant_entitlement(
    studio: Studio, cause: str, cycle_number: int, on: date, actor=None
) -> Grant | None:
    """Create the grant R26 promises, once. A second call for the same studio, cause and cycle
    creates nothing and returns None: the lifecycle may send its signal more than once."""
    with transaction.atomic():
        if Grant.objects.filter(studio=studio, cause=cause, cycle_number=cycle_number).exists():
            return None
        grant = Grant(
            studio=studio,
            cause=cause,
            cycle_number=cycle_number,
            amount=GRANT_AMOUNTS[cause],
            payer=payer_for(studio),
            granted_on=on,
        )
        try:
            with transaction.atomic():  # savepoint: a concurrent insert loses quietly
                grant.save()
        except IntegrityError:
            return None
        record_event(
            actor,
            "funding.grant_created",
            grant,
            after=snapshot(grant),
            studio=studio,
            rule="R26",
        )
    return grant


def on_studio_transitioned(sender, *, studio, action, **kwargs) -> None:
    """Receiver of ``studios.signals.studio_transitioned``: R26a and R26b grants."""
    on = kwargs.get("on") or timezone.localdate()
    cycle = kwargs.get("cycle_number") or 0
    actor = kwargs.get("actor")
    if action == "pass_next_year_rereview" and kwargs.get("first_recognition"):
        grant_entitlement(studio, GrantCause.NEXT_YEAR_REREVIEW, cycle, on, actor)
    elif action == "pass_cycle_rereview" and kwargs.get("star_awarded"):
        grant_entitlement(studio, GrantCause.INNOVATION_STAR, cycle, on, actor)


@transaction.atomic
def cancel_grant(actor, grant: Grant, reason: str, on: date | None = None) -> Grant:
    """R29: cancelling the grant stops every further payment of it."""
    require_perm(actor, "funding.record_sanction", grant)
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    grant.status = _next_state(GRANT_TRANSITIONS, grant.status, "cancel", "R29")
    grant.cancelled_on = on or timezone.localdate()
    grant.cancelled_by = actor
    grant.cancel_reason = reason
    grant.save(update_fields=["status", "cancelled_on", "cancelled_by", "cancel_reason"])
    record_event(
        actor,
        "funding.grant_cancelled",
        grant,
        before={"status": GrantStatus.ACTIVE},
        after={"status": grant.status},
        reason=reason,
        studio=grant.studio,
        rule="R29",
    )
    return grant


# --- Disbursements (R26, R27) ---------------------------------------------------------------


def refuse_if_suspended(studio) -> None:
    suspension = queries.active_suspension(studio)
    if suspension is not None:
        raise refuse(
            "R29",
            _(
                "the studio's support funds are suspended since %(since)s; no payment or "
                "spending until the suspension is lifted."
            )
            % {"since": suspension.imposed_on},
        )


def refuse_if_cancelled(grant: Grant) -> None:
    if grant.is_cancelled:
        raise refuse(
            "R29",
            _("this grant was cancelled on %(on)s; it can no longer be paid.")
            % {"on": grant.cancelled_on},
        )


def refuse_if_over_grant(grant: Grant, amount: Decimal) -> None:
    """At approval, under the grant's row lock: what is paid and this payment fit the grant."""
    paid = queries.paid_total(grant)
    if paid + amount > grant.amount:
        raise refuse(
            "R26",
            _(
                "the grant is %(grant)s CNY and %(paid)s CNY is already paid; at most %(left)s "
                "CNY may still be paid."
            )
            % {"grant": grant.amount, "paid": paid, "left": grant.amount - paid},
            field="amount",
        )


def refuse_if_nothing_left_for(grant: Grant, amount: Decimal) -> None:
    """At recording: what is paid, what awaits approval and this payment fit the grant (R27:
    paid + pending never exceeds the grant), so no payment is recorded that could never be
    approved."""
    paid, pending = queries.paid_total(grant), queries.pending_total(grant)
    left = grant.amount - paid - pending
    if amount > left:
        raise refuse(
            "R26",
            _(
                "the grant is %(grant)s CNY, %(paid)s CNY is paid and %(pending)s CNY awaits "
                "approval; at most %(left)s CNY may still be recorded."
            )
            % {
                "grant": grant.amount,
                "paid": paid,
                "pending": pending,
                "left": max(left, Decimal("0.00")),
            },
            field="amount",
        )


def _positive(value, rule: str) -> Decimal:
    amount = _money(value)
    if amount <= 0:
        raise refuse(rule, _("The amount must be more than zero."), field="amount")
    return amount


def _existing_by_token(model, token):
    if token is None:
        return None
    return model.objects.filter(form_token=token).first()


def _save_once(instance):
    """Save a new record whose ``form_token`` is unique. If the same form was submitted twice
    at once, the second insert fails on the token and the first record is returned instead."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        existing = _existing_by_token(type(instance), instance.form_token)
        if existing is None:
            raise
        return existing, False
    return instance, True


@transaction.atomic
def record_disbursement(actor, grant: Grant, data: dict, form_token=None) -> Disbursement:
    """Finance records a payment; it counts as paid only once another finance user approves.
    Submitting the same form twice (same token) records it once."""
    require_perm(actor, "funding.record_disbursement", grant)
    existing = _existing_by_token(Disbursement, form_token)
    if existing is not None:
        return existing
    grant = Grant.objects.select_for_update(of=("self",)).select_related("studio").get(pk=grant.pk)
    existing = _existing_by_token(Disbursement, form_token)
    if existing is not None:  # the twin submission committed while we waited for the lock
        return existing
    refuse_if_cancelled(grant)
    refuse_if_suspended(grant.studio)
    amount = _positive(data["amount"], "R26")
    refuse_if_nothing_left_for(grant, amount)
    disbursement = Disbursement(
        grant=grant,
        paid_on=data["paid_on"],
        amount=amount,
        voucher_number=data.get("voucher_number", ""),
        bank_reference=data.get("bank_reference", ""),
        attachment=data.get("attachment") or "",
        recorded_by=actor,
        form_token=form_token or uuid.uuid4(),
    )
    disbursement, created = _save_once(disbursement)
    if created:
        record_event(
            actor,
            "funding.disbursement_recorded",
            disbursement,
            after=snapshot(disbursement, fields=["amount", "paid_on", "voucher_number"]),
            studio=grant.studio,
            rule="R26",
        )
        _ask_another_finance_user_to_approve(actor, disbursement, grant.studio)
    return disbursement


def _lazy_format(message, **params):
    """A message rendered in the recipient's language when ``notify`` renders it."""
    return lazy(lambda: str(message) % params, str)()


def _ask_another_finance_user_to_approve(actor, disbursement, studio) -> None:
    """R27's second pair of eyes has to know there is something to approve."""
    others = User.objects.filter(is_active=True, role=Role.FINANCE).exclude(pk=actor.pk)
    notify(
        others,
        kind="funding.payment_to_approve",
        title=_lazy_format(
            gettext_lazy("Payment of %(amount)s CNY to %(studio)s awaits your approval"),
            amount=disbursement.amount,
            studio=studio.name,
        ),
        url=reverse("funding:grant_detail", args=[disbursement.grant_id]),
        key=f"funding.payment_to_approve:{disbursement.pk}",
    )


def _ask_finance_to_approve_a_reversal(actor, reversal, studio, url) -> None:
    """R27: a reversal, like a payment, waits for a second finance user; tell them."""
    others = User.objects.filter(is_active=True, role=Role.FINANCE).exclude(pk=actor.pk)
    notify(
        others,
        kind="funding.reversal_to_approve",
        title=_lazy_format(
            gettext_lazy(
                "Reversal of %(amount)s CNY of spending by %(studio)s awaits your approval"
            )
            if isinstance(reversal, Expenditure)
            else gettext_lazy("Reversal of %(amount)s CNY paid to %(studio)s awaits your approval"),
            amount=-reversal.amount,
            studio=studio.name,
        ),
        url=url,
        key=(
            f"funding.expenditure_reversal_to_approve:{reversal.pk}"
            if isinstance(reversal, Expenditure)
            else f"funding.reversal_to_approve:{reversal.pk}"
        ),
    )


def _tell_the_union_it_was_paid(disbursement, studio) -> None:
    notify(
        union_users_of(studio.enterprise_id),
        kind="funding.payment_paid",
        title=_lazy_format(
            gettext_lazy("%(amount)s CNY was paid to %(studio)s"),
            amount=disbursement.amount,
            studio=studio.name,
        ),
        url=reverse("funding:studio_funds", args=[studio.pk]),
        key=f"funding.payment_paid:{disbursement.pk}",
    )


def _refuse_if_recorded_by(actor, record) -> None:
    if record.recorded_by_id == actor.pk:
        raise refuse(
            "R27",
            _(
                "a money movement (payment or reversal) must be approved by a finance user "
                "other than the one who recorded it."
            ),
        )


@transaction.atomic
def approve_disbursement(actor, disbursement: Disbursement) -> Disbursement:
    """The second pair of eyes, for a payment or its reversal. The grant row is locked first, so
    two approvals at once are serialised and the paid total can never pass the grant."""
    require_perm(actor, "funding.approve_disbursement", disbursement)
    grant = (
        Grant.objects.select_for_update(of=("self",))
        .select_related("studio")
        .get(pk=disbursement.grant_id)
    )
    disbursement = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
    _refuse_if_recorded_by(actor, disbursement)
    new_status = _next_state(DISBURSEMENT_TRANSITIONS, disbursement.status, "approve", "R27")
    if disbursement.is_reversal:
        return _approve_reversal(actor, disbursement, grant, new_status)
    refuse_if_cancelled(grant)
    refuse_if_suspended(grant.studio)
    refuse_if_over_grant(grant, disbursement.amount)
    disbursement.status = new_status
    disbursement.decided_by = actor
    disbursement.decided_at = timezone.now()
    disbursement.save(update_fields=["status", "decided_by", "decided_at"])
    record_event(
        actor,
        "funding.disbursement_approved",
        disbursement,
        before={"status": DisbursementStatus.PENDING},
        after={"status": new_status, "amount": disbursement.amount},
        studio=grant.studio,
        rule="R27",
    )
    _tell_the_union_it_was_paid(disbursement, grant.studio)
    return disbursement


def _approve_reversal(actor, reversal, grant, new_status) -> Disbursement:
    """A reversal takes effect: the paid total falls by the reversed amount."""
    reversal.status = new_status
    reversal.decided_by = actor
    reversal.decided_at = timezone.now()
    reversal.save(update_fields=["status", "decided_by", "decided_at"])
    record_event(
        actor,
        "funding.disbursement_reversal_approved",
        reversal,
        before={"status": DisbursementStatus.PENDING, "disbursement": reversal.reverses_id},
        after={"status": new_status, "amount": reversal.amount},
        reason=reversal.reason,
        studio=grant.studio,
        rule="R27",
    )
    return reversal


@transaction.atomic
def reject_disbursement(actor, disbursement: Disbursement, note: str) -> Disbursement:
    """Reject a pending payment or reversal; a rejected reversal leaves its payment as it was."""
    require_perm(actor, "funding.approve_disbursement", disbursement)
    disbursement = (
        Disbursement.objects.select_for_update(of=("self",))
        .select_related("grant__studio")
        .get(pk=disbursement.pk)
    )
    if not note.strip():
        raise refuse("R27", _("Say why the payment is rejected."), field="note")
    disbursement.status = _next_state(
        DISBURSEMENT_TRANSITIONS, disbursement.status, "reject", "R27"
    )
    disbursement.decided_by = actor
    disbursement.decided_at = timezone.now()
    disbursement.decision_note = note
    disbursement.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record_event(
        actor,
        "funding.disbursement_reversal_rejected"
        if disbursement.is_reversal
        else "funding.disbursement_rejected",
        disbursement,
        before={"status": DisbursementStatus.PENDING},
        after={"status": disbursement.status},
        reason=note,
        studio=disbursement.grant.studio,
        rule="R27",
    )
    return disbursement


def _refuse_if_reversed(reversals, what) -> None:
    """A record has at most one reversal that is not rejected: one awaiting approval blocks a
    second, one approved has done its work."""
    live = reversals.exclude(status=DisbursementStatus.REJECTED).values_list("status", flat=True)
    for status in live:
        if status == DisbursementStatus.PENDING:
            raise refuse(
                "R27", _("A reversal of this %(what)s already awaits approval.") % {"what": what}
            )
        raise refuse("R27", _("This %(what)s has already been reversed.") % {"what": what})


@transaction.atomic
def reverse_disbursement(actor, disbursement: Disbursement, reason: str) -> Disbursement:
    """Record the correction of a paid payment: a reversing entry of the opposite amount that,
    like a payment, counts only once a second finance user approves it (R27). The original
    stays as written."""
    require_perm(actor, "funding.reverse_disbursement", disbursement)
    grant = (
        Grant.objects.select_for_update(of=("self",))
        .select_related("studio")
        .get(pk=disbursement.grant_id)
    )
    original = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
    if not reason.strip():
        raise refuse("R27", _("A reversing entry needs a reason."), field="reason")
    if original.status != DisbursementStatus.PAID or original.is_reversal:
        raise refuse("R27", _("Only a paid payment can be reversed."))
    _refuse_if_reversed(Disbursement.objects.filter(reverses=original), _("payment"))
    reversal = Disbursement.objects.create(
        grant=grant,
        paid_on=timezone.localdate(),
        amount=-original.amount,
        voucher_number=original.voucher_number,
        bank_reference=original.bank_reference,
        status=DisbursementStatus.PENDING,
        recorded_by=actor,
        reverses=original,
        reason=reason,
    )
    record_event(
        actor,
        "funding.disbursement_reversal_recorded",
        reversal,
        before={"disbursement": original.pk, "amount": original.amount},
        after={"amount": reversal.amount, "status": reversal.status},
        reason=reason,
        studio=grant.studio,
        rule="R27",
    )
    _ask_finance_to_approve_a_reversal(
        actor, reversal, grant.studio, reverse("funding:grant_detail", args=[grant.pk])
    )
    return reversal


# --- Spending (R27, R28) --------------------------------------------------------------------


def _lock_studio(studio) -> Studio:
    """Spending on one studio is serialised on the studio row, so two expenditures recorded at
    once cannot together overdraw the balance."""
    return (
        Studio.objects.select_for_update(of=("self",))
        .select_related("enterprise")
        .get(pk=studio.pk)
    )


@transaction.atomic
def record_expenditure(actor, studio, data: dict, form_token=None) -> Expenditure:
    """The union records what the studio spent of its grant, by an R28 category. The balance
    (received − spent − repaid) may not go below zero."""
    require_perm(actor, "funding.record_expenditure", studio)
    existing = _existing_by_token(Expenditure, form_token)
    if existing is not None:
        return existing
    studio = _lock_studio(studio)
    refuse_if_suspended(studio)
    amount = _positive(data["amount"], "R28")
    balance = queries.money_of(studio).balance
    if amount > balance:
        raise refuse(
            "R27",
            _("the studio holds %(balance)s CNY of support funds; it cannot spend %(amount)s CNY.")
            % {"balance": balance, "amount": amount},
            field="amount",
        )
    expenditure = Expenditure(
        studio=studio,
        category=data["category"],
        spent_on=data["spent_on"],
        amount=amount,
        payee=data["payee"],
        purpose=data["purpose"],
        project=_project_of(studio, data.get("project")),
        project_name=data["project_name"] or getattr(data.get("project"), "title", ""),
        receipt=data.get("receipt") or "",
        recorded_by=actor,
        form_token=form_token or uuid.uuid4(),
    )
    expenditure.full_clean(exclude=["receipt", "studio", "recorded_by", "form_token"])
    expenditure, created = _save_once(expenditure)
    if created:
        record_event(
            actor,
            "funding.expenditure_recorded",
            expenditure,
            after=snapshot(
                expenditure,
                fields=["category", "amount", "spent_on", "payee", "project", "project_name"],
            ),
            studio=studio,
            rule="R28",
        )
    return expenditure


def _project_of(studio, project):
    """A project from another studio's ledger is refused: each studio accounts separately."""
    if project is not None and project.studio_id != studio.pk:
        raise refuse("R27", _("this project is not this studio's."), field="project")
    return project


@transaction.atomic
def reverse_expenditure(actor, expenditure: Expenditure, reason: str) -> Expenditure:
    """The union records the correction of its spending: a reversing entry that counts only
    once a finance user other than its recorder approves it (R27)."""
    require_perm(actor, "funding.reverse_expenditure", expenditure)
    studio = _lock_studio(expenditure.studio)
    original = Expenditure.objects.get(pk=expenditure.pk)
    if not reason.strip():
        raise refuse("R27", _("A reversing entry needs a reason."), field="reason")
    if original.is_reversal:
        raise refuse("R27", _("A reversing entry cannot itself be reversed."))
    _refuse_if_reversed(Expenditure.objects.filter(reverses=original), _("expenditure"))
    reversal = Expenditure.objects.create(
        studio=studio,
        category=original.category,
        spent_on=timezone.localdate(),
        amount=-original.amount,
        payee=original.payee,
        purpose=original.purpose,
        project=original.project,
        project_name=original.project_name,
        recorded_by=actor,
        reverses=original,
        reason=reason,
        status=ExpenditureStatus.PENDING,
    )
    record_event(
        actor,
        "funding.expenditure_reversal_recorded",
        reversal,
        before={"expenditure": original.pk, "amount": original.amount},
        after={"amount": reversal.amount, "status": reversal.status},
        reason=reason,
        studio=studio,
        rule="R27",
    )
    _ask_finance_to_approve_a_reversal(
        actor, reversal, studio, reverse("funding:studio_funds", args=[studio.pk])
    )
    return reversal


def _locked_expenditure_reversal(actor, reversal: Expenditure):
    require_perm(actor, "funding.approve_expenditure_reversal", reversal)
    studio = _lock_studio(reversal.studio)
    reversal = Expenditure.objects.select_for_update().get(pk=reversal.pk)
    if not reversal.is_reversal:
        raise refuse("R27", _("Only a reversing entry waits for approval."))
    return studio, reversal


@transaction.atomic
def approve_expenditure_reversal(actor, reversal: Expenditure) -> Expenditure:
    """A finance user other than the recorder approves the correction: the spending is undone."""
    studio, reversal = _locked_expenditure_reversal(actor, reversal)
    _refuse_if_recorded_by(actor, reversal)
    new_status = _next_state(EXPENDITURE_REVERSAL_TRANSITIONS, reversal.status, "approve", "R27")
    reversal.status = new_status
    reversal.decided_by = actor
    reversal.decided_at = timezone.now()
    reversal.save(update_fields=["status", "decided_by", "decided_at"])
    record_event(
        actor,
        "funding.expenditure_reversal_approved",
        reversal,
        before={"status": ExpenditureStatus.PENDING, "expenditure": reversal.reverses_id},
        after={"status": new_status, "amount": reversal.amount},
        reason=reversal.reason,
        studio=studio,
        rule="R27",
    )
    return reversal


@transaction.atomic
def reject_expenditure_reversal(actor, reversal: Expenditure, note: str) -> Expenditure:
    """The correction is refused; the spending it named stays as recorded."""
    studio, reversal = _locked_expenditure_reversal(actor, reversal)
    if not note.strip():
        raise refuse("R27", _("Say why the reversal is rejected."), field="note")
    _refuse_if_recorded_by(actor, reversal)
    reversal.status = _next_state(
        EXPENDITURE_REVERSAL_TRANSITIONS, reversal.status, "reject", "R27"
    )
    reversal.decided_by = actor
    reversal.decided_at = timezone.now()
    reversal.decision_note = note
    reversal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record_event(
        actor,
        "funding.expenditure_reversal_rejected",
        reversal,
        before={"status": ExpenditureStatus.PENDING},
        after={"status": reversal.status},
        reason=note,
        studio=studio,
        rule="R27",
    )
    return reversal


# --- Sanctions (R29) ------------------------------------------------------------------------


@transaction.atomic
def record_violation(actor, studio, data: dict, sanctions: dict) -> Violation:
    """Record an R29 finding and the sanctions it brings, all at once.

    ``sanctions`` may hold ``suspend`` (True), ``recover`` ((grant, amount)), ``cancel``
    (grant) and ``bar_until`` (date). At least one sanction is required.
    """
    require_perm(actor, "funding.record_sanction", studio)
    studio = _lock_studio(studio)
    today = timezone.localdate()
    if not any(sanctions.get(k) for k in ("suspend", "recover", "cancel", "bar_until")):
        raise refuse("R29", _("choose at least one sanction."))
    violation = Violation(
        studio=studio,
        behaviour=data["behaviour"],
        found_on=data["found_on"],
        description=data["description"],
        evidence=data.get("evidence") or "",
        recorded_by=actor,
    )
    violation.save()
    record_event(
        actor,
        "funding.violation_recorded",
        violation,
        after={"behaviour": violation.behaviour, "found_on": violation.found_on},
        reason=violation.description,
        studio=studio,
        rule="R29",
    )
    common = {"violation": violation, "studio": studio, "imposed_on": today, "imposed_by": actor}
    if sanctions.get("suspend"):
        if queries.active_suspension(studio) is not None:
            raise refuse("R29", _("the studio's funds are already suspended."))
        _impose(actor, Sanction(kind=SanctionKind.SUSPEND, **common))
    if sanctions.get("recover"):
        grant, amount = sanctions["recover"]
        _check_grant_of(studio, grant)
        amount = _money(amount)
        paid = queries.paid_total(grant)
        if amount <= 0 or amount > paid:
            raise refuse(
                "R29",
                _("at most the %(paid)s CNY paid of this grant can be recovered.") % {"paid": paid},
                field="recover_amount",
            )
        _impose(
            actor, Sanction(kind=SanctionKind.RECOVER, grant=grant, amount_due=amount, **common)
        )
    if sanctions.get("cancel"):
        grant = sanctions["cancel"]
        _check_grant_of(studio, grant)
        _impose(actor, Sanction(kind=SanctionKind.CANCEL, grant=grant, **common))
        cancel_grant(actor, grant, violation.description, today)
    if sanctions.get("bar_until"):
        _check_bar_end(sanctions["bar_until"], today)
        _impose(actor, Sanction(kind=SanctionKind.BAR, bar_until=sanctions["bar_until"], **common))
    return violation


def _check_bar_end(until: date, today: date) -> None:
    """A bar in the past bars nothing; one decades out is almost surely a mistyped year."""
    if until < today:
        raise refuse("R29", _("The bar must end today or later."), field="bar_until")
    latest = add_years(today, policy.R29_MAX_BAR_YEARS)
    if until > latest:
        raise refuse(
            "R29",
            _(
                "a bar may end at the latest on %(latest)s (%(years)s years from today); check "
                "the year."
            )
            % {"latest": latest.isoformat(), "years": policy.R29_MAX_BAR_YEARS},
            field="bar_until",
        )


def _check_grant_of(studio, grant) -> None:
    if grant is None or grant.studio_id != studio.pk:
        raise refuse("R29", _("Choose one of this studio's grants."))


def _impose(actor, sanction: Sanction) -> Sanction:
    sanction.save()
    record_event(
        actor,
        f"funding.sanction_{sanction.kind}",
        sanction,
        after={
            "kind": sanction.kind,
            "grant": sanction.grant_id,
            "amount_due": sanction.amount_due,
            "bar_until": sanction.bar_until,
        },
        reason=sanction.violation.description,
        studio=sanction.studio,
        rule="R29",
    )
    return sanction


@transaction.atomic
def lift_suspension(actor, sanction: Sanction, reason: str) -> Sanction:
    """Lifting a suspension lets payments and spending resume; it is recorded like any other."""
    require_perm(actor, "funding.lift_suspension", sanction)
    sanction = (
        Sanction.objects.select_for_update(of=("self",))
        .select_related("studio")
        .get(pk=sanction.pk)
    )
    if sanction.kind != SanctionKind.SUSPEND:
        raise refuse("R29", _("Only a suspension can be lifted."))
    if not reason.strip():
        raise refuse("R29", _("Say why the suspension is lifted."), field="reason")
    sanction.status = _next_state(SANCTION_TRANSITIONS, sanction.status, "lift", "R29")
    sanction.lifted_on = timezone.localdate()
    sanction.lifted_by = actor
    sanction.lift_reason = reason
    sanction.save(update_fields=["status", "lifted_on", "lifted_by", "lift_reason"])
    record_event(
        actor,
        "funding.suspension_lifted",
        sanction,
        before={"status": SanctionStatus.IN_FORCE},
        after={"status": sanction.status},
        reason=reason,
        studio=sanction.studio,
        rule="R29",
    )
    return sanction


@transaction.atomic
def record_repayment(actor, sanction: Sanction, data: dict, form_token=None) -> Repayment:
    """Money paid back under a recovery, up to the amount still due."""
    require_perm(actor, "funding.record_repayment", sanction)
    existing = _existing_by_token(Repayment, form_token)
    if existing is not None:
        return existing
    sanction = (
        Sanction.objects.select_for_update(of=("self",))
        .select_related("studio")
        .get(pk=sanction.pk)
    )
    if sanction.kind != SanctionKind.RECOVER:
        raise refuse("R29", _("Repayments are recorded against a recovery."))
    amount = _money(data["amount"])
    due = queries.recovery_outstanding(sanction)
    if amount <= 0 or amount > due:
        raise refuse(
            "R29", _("%(due)s CNY is still to be recovered.") % {"due": due}, field="amount"
        )
    repayment = Repayment(
        sanction=sanction,
        received_on=data["received_on"],
        amount=amount,
        receipt=data.get("receipt") or "",
        recorded_by=actor,
        form_token=form_token or uuid.uuid4(),
    )
    repayment, created = _save_once(repayment)
    if created:
        record_event(
            actor,
            "funding.repayment_recorded",
            repayment,
            after={"amount": amount, "received_on": repayment.received_on},
            studio=sanction.studio,
            rule="R29",
        )
    return repayment
