"""Expert review rounds (R17, R19, R24, R25): the round and its schedule, its rubric, the
entries it reviews (each with a frozen snapshot), experts and their assignments, scores, bonus
corrections and the decisions both bodies sign off (R3, R16).

Imported at the end of ``reviews/models.py`` so Django finds these models in the ``reviews``
app; everything that changes them is in ``reviews/round_services.py``.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from core.files import private_upload_to
from core.limits import long_text, short_text
from core.validators import no_control_characters

__all__ = [
    "AggregationMethod",
    "Assignment",
    "AssignmentState",
    "ConflictDeclaration",
    "Criterion",
    "CriterionScore",
    "Decision",
    "DecisionOutcome",
    "DecisionState",
    "ExpertProfile",
    "HonourCorrection",
    "ReviewRound",
    "RoundEntry",
    "RoundKind",
    "RoundStage",
    "RoundStatus",
    "StageKind",
    "StagePhoto",
]


class RoundKind(models.TextChoices):
    INITIAL = "initial", _("Initial recognition")
    NEXT_YEAR = "next_year", _("Next-year re-review (R17)")
    CYCLE = "cycle", _("Cycle re-review (R24)")
    RECTIFICATION = "rectification", _("Rectification re-check (R25)")


class RoundStatus(models.TextChoices):
    """``draft`` → ``scoring`` → ``closed`` → ``finished``; see ``round_services.ROUND_TABLE``."""

    DRAFT = "draft", _("In preparation")
    SCORING = "scoring", _("Scoring open")
    CLOSED = "closed", _("Scoring closed")
    FINISHED = "finished", _("Finished")


class AggregationMethod(models.TextChoices):
    MEAN = "mean", _("Mean of the experts' totals")
    TRIMMED_MEAN = "trimmed_mean", _("Mean without the highest and the lowest (5 scores or more)")


class ReviewRound(models.Model):
    """One review the Measures call for. Bonus values and cap are copied from the defaults
    when the round is created (R19, R33): changing the defaults never changes a past round."""

    name = models.CharField(_("name"), max_length=200, validators=[no_control_characters])
    kind = models.CharField(_("kind"), max_length=16, choices=RoundKind.choices)
    call = models.ForeignKey(
        "reviews.Call",
        verbose_name=_("call"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    scoring_deadline = models.DateField(_("scoring deadline"), null=True, blank=True)
    experts_per_entry = models.PositiveSmallIntegerField(
        _("experts per entry"), default=3, validators=[MinValueValidator(1)]
    )
    method = models.CharField(
        _("aggregation"),
        max_length=16,
        choices=AggregationMethod.choices,
        default=AggregationMethod.TRIMMED_MEAN,
    )
    spread_threshold = models.DecimalField(
        _("flag disagreement above this standard deviation"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("10"),
    )
    bonus_values = models.JSONField(_("bonus points per honour (R19)"), default=dict)
    bonus_cap = models.DecimalField(
        _("bonus cap (R19)"), max_digits=6, decimal_places=2, default=Decimal("10")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")

    def __str__(self):
        return self.name

    @property
    def rubric_editable(self) -> bool:
        return self.status == RoundStatus.DRAFT

    @property
    def scores_visible_to_experts(self) -> bool:
        """Until scoring closes, an expert sees no other expert's score."""
        return self.status in (RoundStatus.CLOSED, RoundStatus.FINISHED)


class StageKind(models.TextChoices):
    """R17 / R24: written review, on-site defence or presentation, field inspection."""

    SCORING = "scoring", _("Expert scoring (written review)")
    DEFENCE = "defence", _("On-site defence / presentation")
    INSPECTION = "inspection", _("Field inspection")


class RoundStage(models.Model):
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("stage"), max_length=12, choices=StageKind.choices)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("to"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    attendees = models.TextField(_("attendees"), blank=True, **short_text())
    minutes = models.TextField(_("record (minutes)"), blank=True, **long_text())

    class Meta:
        ordering = ["pk"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(fields=["round", "kind"], name="round_stage_once"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="round_stage_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.get_kind_display()


class StagePhoto(models.Model):
    stage = models.ForeignKey(RoundStage, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("photo"), upload_to=private_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class Criterion(models.Model):
    """One row of the round's rubric. An expert's total is Σ points × weight."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_zh = models.CharField(
        _("name (Chinese)"), max_length=100, validators=[no_control_characters]
    )
    name_en = models.CharField(
        _("name (English)"), max_length=100, blank=True, validators=[no_control_characters]
    )
    description = models.TextField(_("description"), blank=True, **short_text())
    max_points = models.DecimalField(
        _("maximum points"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    comment_required = models.BooleanField(_("comment required"), default=False)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gt=0), name="criterion_max_positive"),
            models.CheckConstraint(
                condition=Q(weight__gte=0), name="criterion_weight_not_negative"
            ),
        ]

    def __str__(self):
        return self.name_zh

    def display_name(self, language: str) -> str:
        return self.name_en if language.startswith("en") and self.name_en else self.name_zh


class RoundEntry(models.Model):
    """A studio under review in a round, with the application it came from (initial rounds)
    or none (re-reviews). ``snapshot`` is frozen when the entry is created: for an application
    it is the application's own snapshot; for a re-review the studio's records of that day, in
    the same shape. ``bonus`` is the R19 bonus the round's values give, kept current by
    ``round_services.refresh_bonus`` so results rank in the database."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="entries")
    studio = models.ForeignKey(
        "studios.Studio", verbose_name=_("studio"), on_delete=models.PROTECT, related_name="+"
    )
    application = models.ForeignKey(
        "reviews.Application",
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="round_entries",
    )
    snapshot = models.JSONField(default=dict, editable=False)
    bonus = models.DecimalField(_("bonus"), max_digits=6, decimal_places=2, default=Decimal("0"))
    bonus_detail = models.JSONField(default=list, editable=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("round entry")
        verbose_name_plural = _("round entries")
        constraints = [
            models.UniqueConstraint(fields=["round", "studio"], name="round_entry_once_per_studio")
        ]

    def __str__(self):
        return (self.snapshot.get("studio") or {}).get("name") or str(self.studio_id)

    @property
    def studio_name(self) -> str:
        return str(self)

    @property
    def enterprise_name(self) -> str:
        return (self.snapshot.get("studio") or {}).get("enterprise", "")


class HonourCorrection(models.Model):
    """Staff correct the leader's honours for this round's bonus, with evidence (R19)."""

    class Action(models.TextChoices):
        ADD = "add", _("Add an honour")
        REMOVE = "remove", _("Remove an honour")

    entry = models.ForeignKey(RoundEntry, on_delete=models.CASCADE, related_name="corrections")
    action = models.CharField(_("correction"), max_length=8, choices=Action.choices)
    honour_kind = models.CharField(_("honour"), max_length=40)
    evidence = models.FileField(_("evidence"), upload_to=private_upload_to, max_length=300)
    evidence_name = models.CharField(max_length=255, blank=True)
    reason = models.TextField(_("reason"), **short_text())
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("honour correction")
        verbose_name_plural = _("honour corrections")

    def __str__(self):
        return f"{self.action} {self.honour_kind}"


class ExpertProfile(models.Model):
    """An expert of the pool. The employer decides conflicts: an expert never reviews a studio
    of their own employer (matched by enterprise, or by name when the employer is not one of
    ours)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile"
    )
    field = models.CharField(_("field"), max_length=200, blank=True)
    employer = models.ForeignKey(
        "studios.Enterprise",
        verbose_name=_("employer (enterprise)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    employer_name = models.CharField(
        _("employer"), max_length=200, blank=True, validators=[no_control_characters]
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    active = models.BooleanField(_("in the pool"), default=True)

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self):
        return str(self.user)


class AssignmentState(models.TextChoices):
    ASSIGNED = "assigned", _("Not started")
    DRAFT = "draft", _("Draft saved")
    SUBMITTED = "submitted", _("Submitted")


class Assignment(models.Model):
    """An expert on an entry, and that expert's score. ``total`` (Σ points × weight) is stored
    when the score is saved, so results aggregate in the database."""

    entry = models.ForeignKey(RoundEntry, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments"
    )
    state = models.CharField(
        _("score"), max_length=12, choices=AssignmentState.choices, default=AssignmentState.ASSIGNED
    )
    total = models.DecimalField(_("total"), max_digits=7, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entry", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["entry", "expert"], name="assignment_once"),
        ]
        indexes = [models.Index(fields=["expert", "state"])]

    def __str__(self):
        return f"{self.expert_id} → {self.entry_id}"

    @property
    def is_submitted(self) -> bool:
        return self.state == AssignmentState.SUBMITTED


class CriterionScore(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True, **short_text())

    class Meta:
        ordering = ["criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_once"),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_not_negative"),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.points}"


class ConflictDeclaration(models.Model):
    """An expert declared a conflict of interest with an entry: never assigned to it again."""

    entry = models.ForeignKey(RoundEntry, on_delete=models.CASCADE, related_name="conflicts")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"), **short_text())
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "expert"], name="conflict_once"),
        ]

    def __str__(self):
        return f"{self.expert_id} ≠ {self.entry_id}"


class DecisionOutcome(models.TextChoices):
    RECOGNISE = "recognise", _("Recognise")
    NOT_RECOGNISE = "not_recognise", _("Do not recognise")
    PASS = "pass", _("Pass")
    PASS_STAR = "pass_star", _("Pass with the title Innovation Vitality Star (创新活力之星)")
    RECTIFY = "rectify", _("Rectify by a deadline")
    FAIL = "fail", _("Fail (delist)")
    DELIST = "delist", _("Delist")


#: R16, R17, R25: the outcomes each kind of round allows.
OUTCOMES_BY_KIND = {
    RoundKind.INITIAL: (DecisionOutcome.RECOGNISE, DecisionOutcome.NOT_RECOGNISE),
    RoundKind.NEXT_YEAR: (DecisionOutcome.PASS, DecisionOutcome.FAIL),
    RoundKind.CYCLE: (
        DecisionOutcome.PASS,
        DecisionOutcome.PASS_STAR,
        DecisionOutcome.RECTIFY,
        DecisionOutcome.DELIST,
    ),
    RoundKind.RECTIFICATION: (DecisionOutcome.PASS, DecisionOutcome.DELIST),
}


class DecisionState(models.TextChoices):
    PENDING = "pending", _("Awaiting sign-off")
    EFFECTIVE = "effective", _("In effect")


class Decision(models.Model):
    """The outcome for one entry. It takes effect only when both the district union and the
    bureau have signed off (R3, R16); then, and only then, it hands over to the studio's
    lifecycle (``reviews.handover``)."""

    entry = models.OneToOneField(RoundEntry, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(_("outcome"), max_length=16, choices=DecisionOutcome.choices)
    rectification_deadline = models.DateField(_("rectification deadline"), null=True, blank=True)
    reason = models.TextField(_("reasons"), blank=True, **short_text())
    state = models.CharField(
        _("state"), max_length=12, choices=DecisionState.choices, default=DecisionState.PENDING
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)
    union_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    union_signed_at = models.DateTimeField(null=True, blank=True)
    bureau_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bureau_signed_at = models.DateTimeField(null=True, blank=True)
    # R3: the role each signer held at the moment of signing (accounts.Role values).
    union_signer_role = models.CharField(max_length=32, blank=True, default="")
    bureau_signer_role = models.CharField(max_length=32, blank=True, default="")
    effective_on = models.DateField(_("in effect from"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="rectify") | Q(rectification_deadline__isnull=False),
                name="decision_rectify_has_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(state="effective")
                | (Q(union_signed_at__isnull=False) & Q(bureau_signed_at__isnull=False)),
                name="decision_effective_needs_both_signatures",
            ),
            # R3: two bodies, two different people.
            models.CheckConstraint(
                condition=Q(union_signed_by__isnull=True)
                | Q(bureau_signed_by__isnull=True)
                | ~Q(union_signed_by=F("bureau_signed_by")),
                name="decision_signed_by_two_people",
            ),
        ]

    def __str__(self):
        return self.get_outcome_display()

    @property
    def union_signer_role_label(self):
        """The role the district union's signer held when signing (R3), in the reader's language."""
        return _role_label(self.union_signer_role)

    @property
    def bureau_signer_role_label(self):
        """The role the bureau's signer held when signing (R3), in the reader's language."""
        return _role_label(self.bureau_signer_role)

    @property
    def is_effective(self) -> bool:
        return self.state == DecisionState.EFFECTIVE


def _role_label(value: str):
    return Role(value).label if value in Role.values else value
