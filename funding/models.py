"""Support grants (R26), their disbursement, the studio's spending (R27, R28) and sanctions (R29).

Money records are append-only (DESIGN.md, "Money"): once written, an amount never changes and no
row is deleted. A mistake is corrected by a reversing entry that names its reason. The only
fields a stored money row may still change are the few a state transition writes (a payment's
approval, a grant's cancellation), listed in ``MUTABLE_FIELDS`` and written only by
``funding.services``.
"""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.files import private_upload_to
from core.limits import cell_text, long_text, short_text
from core.validators import no_control_characters


class AppendOnlyError(Exception):
    """Raised when code tries to edit or delete a money record."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("money records are append-only: write a reversing entry")

    def delete(self):
        raise AppendOnlyError("money records are append-only: write a reversing entry")


class AppendOnlyModel(models.Model):
    """A row that is written once. ``save()`` of a stored row is refused unless it writes only
    the transition fields the model lists in ``MUTABLE_FIELDS``."""

    MUTABLE_FIELDS: frozenset = frozenset()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            fields = set(kwargs.get("update_fields") or ())
            if not fields or not fields <= self.MUTABLE_FIELDS:
                raise AppendOnlyError(
                    f"{self._meta.label}: only {sorted(self.MUTABLE_FIELDS)} may change after "
                    "the record is written; correct money with a reversing entry"
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("money records are append-only: write a reversing entry")


def money_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


# --- Grants (R26) ---------------------------------------------------------------------------


class GrantCause(models.TextChoices):
    NEXT_YEAR_REREVIEW = "r26a", _("R26a: passed the next-year re-review after first recognition")
    INNOVATION_STAR = "r26b", _("R26b: Innovation Vitality Star at the cycle re-review")


class Payer(models.TextChoices):
    """R26c: who pays depends on where the studio's union relationship belongs."""

    DISTRICT_UNION = "district_union", _("District Federation of Trade Unions")
    FISCAL_FUNDS = "fiscal_funds", _("District fiscal funds")


class GrantStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled (R29)")


class Grant(AppendOnlyModel):
    """One support grant (助推资金) a studio is entitled to. Created by the lifecycle signal, never
    by hand; the database holds at most one per studio, cause and cycle."""

    MUTABLE_FIELDS = frozenset({"status", "cancelled_on", "cancelled_by", "cancel_reason"})

    studio = models.ForeignKey(
        "studios.Studio", verbose_name=_("studio"), on_delete=models.PROTECT, related_name="grants"
    )
    cause = models.CharField(_("cause"), max_length=8, choices=GrantCause.choices)
    cycle_number = models.PositiveSmallIntegerField(_("cycle"))
    amount = money_field(_("amount (CNY)"), validators=[MinValueValidator(0)])
    payer = models.CharField(_("payer (R26c)"), max_length=20, choices=Payer.choices)
    granted_on = models.DateField(_("granted on"))
    status = models.CharField(
        _("status"), max_length=12, choices=GrantStatus.choices, default=GrantStatus.ACTIVE
    )
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancel_reason = models.TextField(_("reason for cancellation"), blank=True, **short_text())
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-granted_on", "-pk"]
        verbose_name = _("support grant")
        verbose_name_plural = _("support grants")
        constraints = [
            models.UniqueConstraint(
                fields=["studio", "cause", "cycle_number"], name="one_grant_per_studio_cause_cycle"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_amount_positive"),
        ]

    def __str__(self):
        return f"{self.studio} · {self.get_cause_display()} · ¥{self.amount}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == GrantStatus.CANCELLED


# --- Disbursements ----------------------------------------------------------------------------


class DisbursementStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    PAID = "paid", _("Approved and paid")
    REJECTED = "rejected", pgettext_lazy("payment", "Rejected")


class Disbursement(AppendOnlyModel):
    """A payment of a grant to the studio. One finance user records it, a different one approves
    it (four-eyes); only an approved payment counts as paid. A reversing entry has a negative
    amount and points at the payment it reverses; like a payment it waits for a second finance
    user and counts only once approved (R27). A payment has at most one reversal that is not
    rejected."""

    MUTABLE_FIELDS = frozenset({"status", "decided_by", "decided_at", "decision_note"})

    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), on_delete=models.PROTECT, related_name="disbursements"
    )
    paid_on = models.DateField(_("payment date"))
    amount = money_field(_("amount (CNY)"))
    voucher_number = models.CharField(_("voucher number"), max_length=64, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=64, blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to=private_upload_to, blank=True, max_length=300
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DisbursementStatus.choices,
        default=DisbursementStatus.PENDING,
        db_index=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True, **short_text())
    reverses = models.ForeignKey(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversals",
    )
    reason = models.TextField(_("reason"), blank=True, **cell_text())
    form_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["-paid_on", "-pk"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount__gt=0))
                | (Q(reverses__isnull=False) & Q(amount__lt=0)),
                name="disbursement_sign_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("recorded_by")),
                name="disbursement_four_eyes",
            ),
            # R27: nothing is paid, reversal included, without the second finance user.
            models.CheckConstraint(
                condition=Q(status=DisbursementStatus.PENDING, decided_by__isnull=True)
                | (~Q(status=DisbursementStatus.PENDING) & Q(decided_by__isnull=False)),
                name="disbursement_decided_by_a_second_user",
            ),
            models.UniqueConstraint(
                fields=["reverses"],
                condition=~Q(status=DisbursementStatus.REJECTED),
                name="disbursement_one_live_reversal",
            ),
        ]

    def __str__(self):
        return f"{self.grant.studio} · ¥{self.amount} · {self.paid_on}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


# --- Spending (R27, R28) ----------------------------------------------------------------------


class ExpenditureCategory(models.TextChoices):
    """R28 (第二十八条): the spending the Measures allow, in their own words."""

    EQUIPMENT = "equipment", _("Equipment (设备费)")
    MATERIALS = "materials", _("Materials (材料费)")
    TESTING = "testing", _("Testing and processing (测试化验加工费)")
    FUEL_POWER = "fuel_power", _("Fuel and power (燃料动力费)")
    LECTURES = "lectures", _("Expert lectures (专家讲课)")
    CONSULTING = "consulting", _("Consulting (咨询)")
    LABOUR = "labour", _("Labour (劳务费)")
    TRAINING = "training", _("Training (培训费)")
    MEETINGS = "meetings", _("Meetings (会议费)")
    OTHER = "other", _("Other project costs (其他支出)")


class ExpenditureStatus(models.TextChoices):
    """Spending counts when recorded; its reversal only once a finance user approves it (R27)."""

    EFFECTIVE = "effective", _("Effective")
    PENDING = "pending", _("Awaiting approval")
    REJECTED = "rejected", pgettext_lazy("payment", "Rejected")


class Expenditure(AppendOnlyModel):
    """Money the studio spent from its grant funds, accounted separately per studio (R27).

    The union records its spending, effective at once. A correction is a reversing entry of the
    opposite amount; it is pending until a finance user — never the one who recorded it —
    approves it (R27: every money movement needs a second finance user)."""

    MUTABLE_FIELDS = frozenset({"status", "decided_by", "decided_at", "decision_note"})

    studio = models.ForeignKey(
        "studios.Studio",
        verbose_name=_("studio"),
        on_delete=models.PROTECT,
        related_name="expenditures",
    )
    category = models.CharField(
        _("category (R28)"), max_length=16, choices=ExpenditureCategory.choices
    )
    spent_on = models.DateField(_("date"))
    amount = money_field(_("amount (CNY)"))
    payee = models.CharField(_("payee"), max_length=200, validators=[no_control_characters])
    purpose = models.TextField(_("purpose"), **cell_text())
    # R27: grants pay for the studio's innovation projects, which its ledger records.
    project = models.ForeignKey(
        "ledgers.InnovationProject",
        verbose_name=_("innovation project (ledger)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expenditures",
    )
    project_name = models.CharField(
        _("linked innovation project"), max_length=200, validators=[no_control_characters]
    )
    receipt = models.FileField(
        _("receipt"), upload_to=private_upload_to, blank=True, max_length=300
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    reverses = models.ForeignKey(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversals",
    )
    reason = models.TextField(_("reason"), blank=True, **cell_text())
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExpenditureStatus.choices,
        default=ExpenditureStatus.EFFECTIVE,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True, **short_text())
    form_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["-spent_on", "-pk"]
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        constraints = [
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount__gt=0))
                | (Q(reverses__isnull=False) & Q(amount__lt=0)),
                name="expenditure_sign_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("recorded_by")),
                name="expenditure_four_eyes",
            ),
            # Spending itself is effective when recorded; only a reversal waits for approval,
            # and an effective reversal names the finance user who approved it (R27).
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, status=ExpenditureStatus.EFFECTIVE)
                | Q(reverses__isnull=False, status=ExpenditureStatus.PENDING, decided_by=None)
                | (
                    Q(reverses__isnull=False)
                    & ~Q(status=ExpenditureStatus.PENDING)
                    & Q(decided_by__isnull=False)
                ),
                name="expenditure_reversal_decided_by_a_second_user",
            ),
            models.UniqueConstraint(
                fields=["reverses"],
                condition=~Q(status=ExpenditureStatus.REJECTED),
                name="expenditure_one_live_reversal",
            ),
        ]

    def __str__(self):
        return f"{self.studio} · {self.get_category_display()} · ¥{self.amount}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    @property
    def counts(self) -> bool:
        return self.status == ExpenditureStatus.EFFECTIVE


# --- Sanctions (R29) --------------------------------------------------------------------------


class ProhibitedBehaviour(models.TextChoices):
    """R29 (第二十九条) items (1)–(5)."""

    UNION_FUNDS_RULES = "union_funds_rules", _("(1) Broke the union funds rules")
    FALSE_ACCOUNTING = "false_accounting", _("(2) False accounting or padded spending")
    DIVERTED_FUNDS = "diverted_funds", _("(3) False budget, withholding or diverting funds")
    NO_MATCHING_FUNDS = "no_matching_funds", _("(4) Matching funds not in place")
    NO_SEPARATE_ACCOUNTING = "no_separate_accounting", _("(5) No separate accounting")


class Violation(AppendOnlyModel):
    """A finding that a studio or its enterprise did one of R29's prohibited things. Findings
    are kept as recorded; the sanctions hang off them."""

    studio = models.ForeignKey(
        "studios.Studio",
        verbose_name=_("studio"),
        on_delete=models.PROTECT,
        related_name="violations",
    )
    behaviour = models.CharField(
        _("prohibited behaviour (R29)"), max_length=32, choices=ProhibitedBehaviour.choices
    )
    found_on = models.DateField(_("found on"))
    description = models.TextField(_("finding"), **long_text())
    evidence = models.FileField(
        _("evidence"), upload_to=private_upload_to, blank=True, max_length=300
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-found_on", "-pk"]
        verbose_name = _("R29 finding")
        verbose_name_plural = _("R29 findings")

    def __str__(self):
        return f"{self.studio} · {self.get_behaviour_display()}"


class SanctionKind(models.TextChoices):
    SUSPEND = "suspend", _("Suspend disbursement and use of funds")
    RECOVER = "recover", _("Recover paid funds")
    CANCEL = "cancel", _("Cancel the grant")
    BAR = "bar", _("Bar re-application until a date")


class SanctionStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    LIFTED = "lifted", _("Lifted")


class Sanction(AppendOnlyModel):
    """One R29 sanction. A suspension stays in force until lifted (itself an audited action);
    a recovery names the amount due and is settled by repayments; a bar ends on its date."""

    MUTABLE_FIELDS = frozenset({"status", "lifted_on", "lifted_by", "lift_reason"})

    violation = models.ForeignKey(
        Violation,
        verbose_name=_("finding"),
        on_delete=models.PROTECT,
        related_name="sanctions",
    )
    studio = models.ForeignKey(
        "studios.Studio",
        verbose_name=_("studio"),
        on_delete=models.PROTECT,
        related_name="sanctions",
    )
    kind = models.CharField(_("sanction"), max_length=10, choices=SanctionKind.choices)
    grant = models.ForeignKey(
        Grant,
        verbose_name=_("grant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sanctions",
    )
    amount_due = money_field(_("amount to recover (CNY)"), null=True, blank=True)
    bar_until = models.DateField(_("barred until (inclusive)"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SanctionStatus.choices,
        default=SanctionStatus.IN_FORCE,
    )
    imposed_on = models.DateField(_("imposed on"))
    imposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_reason = models.TextField(_("reason for lifting"), blank=True, **short_text())

    class Meta:
        ordering = ["-imposed_on", "-pk"]
        verbose_name = _("R29 sanction")
        verbose_name_plural = _("R29 sanctions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="recover") | (Q(amount_due__gt=0) & Q(grant__isnull=False)),
                name="recovery_names_grant_and_amount",
            ),
            models.CheckConstraint(
                condition=~Q(kind="bar") | Q(bar_until__isnull=False), name="bar_has_end_date"
            ),
            models.CheckConstraint(
                condition=~Q(kind="cancel") | Q(grant__isnull=False), name="cancel_names_grant"
            ),
        ]
        indexes = [models.Index(fields=["studio", "kind", "status"])]

    def __str__(self):
        return f"{self.studio} · {self.get_kind_display()}"


class Repayment(AppendOnlyModel):
    """Money paid back under a recovery sanction, with its receipt."""

    sanction = models.ForeignKey(
        Sanction,
        verbose_name=_("recovery"),
        on_delete=models.PROTECT,
        related_name="repayments",
    )
    received_on = models.DateField(_("received on"))
    amount = money_field(_("amount (CNY)"), validators=[MinValueValidator(0)])
    receipt = models.FileField(
        _("receipt"), upload_to=private_upload_to, blank=True, max_length=300
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    form_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="repayment_amount_positive"),
        ]

    def __str__(self):
        return f"{self.sanction.studio} · ¥{self.amount}"
