"""Read side of the funds: who sees which grants, and the sums pages show, each in a constant
number of queries whatever the number of studios and payments."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, ExtractYear

from accounts.rules import is_admin, is_auditor, is_district_staff, is_finance

from .models import (
    Disbursement,
    DisbursementStatus,
    Expenditure,
    ExpenditureStatus,
    Grant,
    GrantStatus,
    Repayment,
    Sanction,
    SanctionKind,
    SanctionStatus,
)

ZERO = Decimal("0.00")


def reads_all_funds(user) -> bool:
    return is_finance(user) or is_auditor(user) or is_district_staff(user) or is_admin(user)


def grants_visible_to(user):
    """R27: finance, auditors and district staff see every grant; a union sees its own studios'
    only, so another enterprise's grant is a 404."""
    qs = Grant.objects.select_related("studio", "studio__enterprise")
    if reads_all_funds(user):
        return qs
    if user.is_authenticated and user.enterprise_id:
        return qs.filter(studio__enterprise_id=user.enterprise_id)
    return qs.none()


def sum_of(qs, field="amount") -> Decimal:
    return qs.aggregate(total=Coalesce(Sum(field), ZERO))["total"]


#: A payment recorded and not yet approved (a pending reversal is not money on its way).
PENDING_PAYMENT = Q(status=DisbursementStatus.PENDING, amount__gt=0)


@dataclass
class StudioMoney:
    """R27: only effective money counts — payments approved by a second finance user, spending,
    and reversals of either once approved. ``pending`` is shown apart and never received."""

    granted: Decimal = ZERO
    received: Decimal = ZERO
    spent: Decimal = ZERO
    repaid: Decimal = ZERO
    pending: Decimal = ZERO

    @property
    def balance(self) -> Decimal:
        """R27: what the studio still holds of its grant money: received − spent − paid back."""
        return self.received - self.spent - self.repaid


def money_by_studio(studio_ids) -> dict[int, StudioMoney]:
    """Granted, received (and awaiting approval), spent and repaid for each studio: four
    queries for any number."""
    ids = list(studio_ids)
    result = {pk: StudioMoney() for pk in ids}
    rows = (
        Grant.objects.filter(studio_id__in=ids, status=GrantStatus.ACTIVE)
        .values("studio_id")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        result[row["studio_id"]].granted = row["total"]
    rows = (
        Disbursement.objects.filter(grant__studio_id__in=ids)
        .values("grant__studio_id")
        .annotate(
            received=Coalesce(Sum("amount", filter=Q(status=DisbursementStatus.PAID)), ZERO),
            pending=Coalesce(Sum("amount", filter=PENDING_PAYMENT), ZERO),
        )
    )
    for row in rows:
        result[row["grant__studio_id"]].received = row["received"]
        result[row["grant__studio_id"]].pending = row["pending"]
    rows = Expenditure.objects.filter(studio_id__in=ids, status=ExpenditureStatus.EFFECTIVE).values(
        "studio_id"
    )
    for row in rows.annotate(total=Sum("amount")):
        result[row["studio_id"]].spent = row["total"]
    rows = (
        Repayment.objects.filter(sanction__studio_id__in=ids)
        .values("sanction__studio_id")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        result[row["sanction__studio_id"]].repaid = row["total"]
    return result


def money_of(studio) -> StudioMoney:
    return money_by_studio([studio.pk])[studio.pk]


def paid_total(grant) -> Decimal:
    """Approved payments less approved reversals: what the studio received of this grant."""
    return sum_of(Disbursement.objects.filter(grant=grant, status=DisbursementStatus.PAID))


def pending_total(grant) -> Decimal:
    """Payments recorded and awaiting their second finance user (pending reversals excluded:
    they free nothing until approved)."""
    return sum_of(Disbursement.objects.filter(PENDING_PAYMENT, grant=grant))


def remaining(grant) -> Decimal:
    """What may still be recorded: the grant less what is paid and what awaits approval."""
    return max(grant.amount - paid_total(grant) - pending_total(grant), ZERO)


def active_suspension(studio):
    """The suspension in force on this studio's funds, if any (R29)."""
    return (
        Sanction.objects.filter(
            studio=studio, kind=SanctionKind.SUSPEND, status=SanctionStatus.IN_FORCE
        )
        .order_by("-imposed_on")
        .first()
    )


def active_bar(studio, on):
    """The re-application bar reaching furthest beyond ``on`` (inclusive of its end day)."""
    return (
        Sanction.objects.filter(
            studio_id=studio.pk,
            kind=SanctionKind.BAR,
            status=SanctionStatus.IN_FORCE,
            bar_until__gte=on,
        )
        .order_by("-bar_until")
        .first()
    )


def recovery_outstanding(sanction) -> Decimal:
    return (sanction.amount_due or ZERO) - sum_of(sanction.repayments.all())


def pending_disbursements():
    """Payments and payment reversals awaiting a second finance user."""
    return Disbursement.objects.filter(status=DisbursementStatus.PENDING).select_related(
        "grant", "grant__studio", "grant__studio__enterprise", "recorded_by"
    )


def pending_expenditure_reversals():
    """Corrections of spending awaiting a finance user's approval (R27)."""
    return Expenditure.objects.filter(status=ExpenditureStatus.PENDING).select_related(
        "studio", "studio__enterprise", "recorded_by"
    )


def dashboard_figures() -> dict:
    """Granted, awaiting approval, paid, outstanding and recovered, in total and by grant year
    and payer. Five queries, whatever the number of studios and payments."""
    active = Q(status=GrantStatus.ACTIVE)
    granted = (
        Grant.objects.annotate(year=ExtractYear("granted_on"))
        .values("year", "payer")
        .annotate(
            granted=Coalesce(Sum("amount", filter=active), ZERO),
            cancelled=Coalesce(Sum("amount", filter=~active), ZERO),
            grants=Count("pk", filter=active),
        )
    )
    paid = (
        Disbursement.objects.annotate(year=ExtractYear("grant__granted_on"))
        .values("year", "grant__payer")
        .annotate(
            paid=Coalesce(Sum("amount", filter=Q(status=DisbursementStatus.PAID)), ZERO),
            pending=Coalesce(Sum("amount", filter=PENDING_PAYMENT), ZERO),
            paid_on_active=Coalesce(
                Sum(
                    "amount",
                    filter=Q(status=DisbursementStatus.PAID, grant__status=GrantStatus.ACTIVE),
                ),
                ZERO,
            ),
        )
    )
    recovered = (
        Repayment.objects.annotate(year=ExtractYear("sanction__grant__granted_on"))
        .values("year", "sanction__grant__payer")
        .annotate(recovered=Sum("amount"))
    )
    spent = sum_of(Expenditure.objects.filter(status=ExpenditureStatus.EFFECTIVE))
    rows: dict = {}

    def row(year, payer):
        return rows.setdefault(
            (year, payer),
            {
                "year": year,
                "payer": payer,
                "granted": ZERO,
                "cancelled": ZERO,
                "grants": 0,
                "paid": ZERO,
                "pending": ZERO,
                "paid_on_active": ZERO,
                "recovered": ZERO,
            },
        )

    for r in granted:
        row(r["year"], r["payer"]).update(
            granted=r["granted"], cancelled=r["cancelled"], grants=r["grants"]
        )
    for r in paid:
        row(r["year"], r["grant__payer"]).update(
            paid=r["paid"], pending=r["pending"], paid_on_active=r["paid_on_active"]
        )
    for r in recovered:
        row(r["year"], r["sanction__grant__payer"])["recovered"] = r["recovered"]
    ordered = sorted(rows.values(), key=lambda r: (-(r["year"] or 0), r["payer"] or ""))
    for r in ordered:
        r["outstanding"] = max(r["granted"] - r["paid_on_active"], ZERO)
    keys = ("granted", "pending", "paid", "outstanding", "recovered", "grants")
    totals = {key: sum((r[key] for r in ordered), ZERO if key != "grants" else 0) for key in keys}
    totals["spent"] = spent
    return {"rows": ordered, "totals": totals}


def by_year(rows) -> list[dict]:
    """The dashboard rows folded over payers, one per grant year, oldest first (for the chart)."""
    years: dict = {}
    for r in rows:
        y = years.setdefault(
            r["year"], {"year": r["year"], "granted": ZERO, "paid": ZERO, "recovered": ZERO}
        )
        for key in ("granted", "paid", "recovered"):
            y[key] += r[key]
    return [years[k] for k in sorted(years, key=lambda y: y or 0)]
