from datetime import date

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.files import private_upload_to
from core.limits import cell_text, long_text
from core.validators import no_control_characters

from .validators import validate_uscc


class Industry(models.Model):
    """R4: the enterprise must be in an industry the district supports. Which ones is data that
    district staff maintain, not code."""

    name = models.CharField(
        _("name"), max_length=100, unique=True, validators=[no_control_characters]
    )
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    supported = models.BooleanField(_("supported by the district (R4)"), default=True)

    class Meta:
        ordering = ["-supported", "name"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self):
        return self.name


class Enterprise(models.Model):
    name = models.CharField(
        _("enterprise name"), max_length=200, validators=[no_control_characters]
    )
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), on_delete=models.PROTECT, related_name="enterprises"
    )
    registered_in_district = models.BooleanField(_("registered in the district (R4)"), default=True)
    pays_tax_in_district = models.BooleanField(_("pays tax in the district (R4)"), default=True)
    has_union = models.BooleanField(_("has a trade union (R4)"), default=True)
    union_affiliated_with_district = models.BooleanField(
        _("union affiliated with the district union (R26c)"),
        default=True,
        help_text=_("Decides who pays support grants: the district union, or the fiscal funds."),
    )
    contact_name = models.CharField(
        _("union contact"), max_length=100, blank=True, validators=[no_control_characters]
    )
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.credit_code = (self.credit_code or "").strip().upper()
        super().save(*args, **kwargs)


class StudioType(models.TextChoices):
    """R13 / R14: the three kinds of studio; the duties of R14 differ by kind."""

    TECHNICAL = "technical", _("Technical breakthrough")
    SKILLS = "skills", _("Skills transfer")
    SERVICE = "service", _("Service window")


class StudioStatus(models.TextChoices):
    """Where a studio stands in its life under the Measures. Moves between these go through the
    lifecycle transition service only."""

    APPLICANT = "applicant", _("Not yet recognised")
    RECOGNISED = "recognised", _("Recognised (awaiting next-year re-review)")
    IN_CYCLE = "in_cycle", _("In cycle")
    UNDER_REREVIEW = "under_rereview", _("Under re-review")
    RECTIFICATION = "rectification", _("Rectification")
    DELISTED = "delisted", _("Delisted")
    REVOKED = "revoked", _("Revoked")


class StudioLevel(models.TextChoices):
    DISTRICT = "district", _("District level")
    ENTERPRISE = "enterprise", _("Enterprise level (R34)")


class Studio(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="studios"
    )
    name = models.CharField(_("studio name"), max_length=200, validators=[no_control_characters])
    type = models.CharField(_("type"), max_length=16, choices=StudioType.choices)
    level = models.CharField(
        _("level"), max_length=16, choices=StudioLevel.choices, default=StudioLevel.DISTRICT
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=StudioStatus.choices,
        default=StudioStatus.APPLICANT,
        db_index=True,
    )
    founded_on = models.DateField(_("founded on (R9)"))
    # R5: two decimals, so 19.99 m² is stored as typed and judged against 20 m² exactly.
    area_m2 = models.DecimalField(
        _("activity space, m² (R5)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    address = models.CharField(_("activity space address"), max_length=300, blank=True)
    equipment = models.TextField(_("equipment and facilities (R5)"), blank=True, **cell_text())
    working_funds_cny = models.DecimalField(
        _("annual working funds, CNY (R5)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    introduction = models.TextField(_("introduction"), blank=True, **long_text())
    # R6: management rules, work rules, plan and goals, as uploaded documents.
    management_rules = models.FileField(
        _("management rules (R6)"), upload_to=private_upload_to, blank=True, max_length=300
    )
    work_rules = models.FileField(
        _("work rules (R6)"), upload_to=private_upload_to, blank=True, max_length=300
    )
    plan_and_goals = models.FileField(
        _("plan and goals (R6)"), upload_to=private_upload_to, blank=True, max_length=300
    )
    # The lifecycle (studios.lifecycle) keeps these in step with the studio's status.
    first_recognised_on = models.DateField(_("first recognised on (R16)"), null=True, blank=True)
    recognised_on = models.DateField(_("recognised on (R16)"), null=True, blank=True)
    cycle_number = models.PositiveSmallIntegerField(_("cycle number (R24)"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("studio")
        verbose_name_plural = _("studios")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "name"], name="studio_name_unique_in_enterprise"
            ),
            models.CheckConstraint(condition=Q(area_m2__gte=0), name="studio_area_not_negative"),
            models.CheckConstraint(
                condition=Q(working_funds_cny__gte=0), name="studio_funds_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["type", "status"]),
            # The staff list's default order (name, then pk): its first page is read off the
            # index instead of sorting every studio of the district (``make bench``).
            models.Index(fields=["name", "id"], name="studio_list_order"),
        ]

    def __str__(self):
        return self.name

    DOCUMENT_FIELDS = ("management_rules", "work_rules", "plan_and_goals")

    @property
    def holds_title(self) -> bool:
        """Recognised, in cycle, under re-review or in rectification (``lifecycle.HOLDS_TITLE``,
        the one definition)."""
        from .lifecycle import HOLDS_TITLE

        return self.status in HOLDS_TITLE

    @property
    def current_leader(self):
        """The leader in office; uses the prefetched ``leaders`` when a page prefetched them."""
        for leader in self.leaders.all():
            if leader.until is None:
                return leader
        return None


class Leader(models.Model):
    """R7: the studio's leader (领军人). A studio has one leader in office at a time; a rename
    (R23) ends one leader's term and starts another's, so past leaders stay on record."""

    studio = models.ForeignKey(
        Studio, verbose_name=_("studio"), on_delete=models.CASCADE, related_name="leaders"
    )
    name = models.CharField(_("name"), max_length=100, validators=[no_control_characters])
    position = models.CharField(_("position"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    expertise = models.TextField(_("expertise and achievements"), blank=True, **long_text())
    is_model_worker = models.BooleanField(_("model worker (劳动模范)"), default=False)
    is_high_tech_talent = models.BooleanField(_("high-tech talent"), default=False)
    is_high_skill_talent = models.BooleanField(_("high-skill talent"), default=False)
    since = models.DateField(_("leader since"), default=date.today)
    until = models.DateField(_("leader until"), null=True, blank=True)

    class Meta:
        ordering = ["-since", "-pk"]
        verbose_name = _("leader")
        verbose_name_plural = _("leaders")
        constraints = [
            models.UniqueConstraint(
                fields=["studio"], condition=Q(until__isnull=True), name="one_leader_in_office"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def qualifies_under_r7(self) -> bool:
        return (
            self.is_model_worker
            or self.is_high_tech_talent
            or self.is_high_skill_talent
            or any(h.kind in HonourKind.MODEL_WORKER_KINDS for h in self.honours.all())
        )


class HonourKind(models.TextChoices):
    """The honours R19 gives bonus points for, and others R7 recognises."""

    BEIJING_MODEL_WORKER = "beijing_model_worker", _("Beijing model worker (北京市劳动模范)")
    BEIJING_GRAND_CRAFTSMAN = "beijing_grand_craftsman", _("Beijing Grand Craftsman (北京大工匠)")
    GRAND_CRAFTSMAN_NOMINATION = (
        "grand_craftsman_nomination",
        _("Grand Craftsman nomination award (大工匠提名奖)"),
    )
    YICHENG_TALENT = "yicheng_talent", _("Yicheng Talent (亦城人才)")
    YICHENG_CRAFTSMAN = "yicheng_craftsman", _("Yicheng Craftsman (亦城工匠)")
    NATIONAL_MODEL_WORKER = "national_model_worker", _("National model worker (全国劳动模范)")
    OTHER_MODEL_WORKER = "other_model_worker", _("Other model worker title")
    OTHER = "other", _("Other honour")


HonourKind.MODEL_WORKER_KINDS = frozenset(
    {
        HonourKind.BEIJING_MODEL_WORKER,
        HonourKind.NATIONAL_MODEL_WORKER,
        HonourKind.OTHER_MODEL_WORKER,
    }
)


class LeaderHonour(models.Model):
    leader = models.ForeignKey(
        Leader, verbose_name=_("leader"), on_delete=models.CASCADE, related_name="honours"
    )
    kind = models.CharField(_("honour"), max_length=40, choices=HonourKind.choices)
    title = models.CharField(
        _("title as awarded"), max_length=200, blank=True, validators=[no_control_characters]
    )
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)
    evidence = models.FileField(
        _("evidence"), upload_to=private_upload_to, blank=True, max_length=300
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-awarded_on", "pk"]
        verbose_name = _("leader honour")
        verbose_name_plural = _("leader honours")

    def __str__(self):
        return self.title or self.get_kind_display()


class TalentKind(models.TextChoices):
    TECHNICAL = "technical", _("Technical talent")
    SKILL = "skill", _("Skill talent")
    MANAGEMENT = "management", _("Management")
    OTHER = "other", _("Other")


TALENT_KINDS_FOR_R8 = (TalentKind.TECHNICAL, TalentKind.SKILL)


class Member(models.Model):
    """R8: a member of the studio's team, with the dates that make the team size true on any day."""

    studio = models.ForeignKey(
        Studio, verbose_name=_("studio"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("name"), max_length=100, validators=[no_control_characters])
    position = models.CharField(_("position"), max_length=100, blank=True)
    talent_kind = models.CharField(
        _("talent kind (R8)"), max_length=16, choices=TalentKind.choices, default=TalentKind.SKILL
    )
    skill_level = models.CharField(_("skill level or title"), max_length=100, blank=True)
    is_frontline = models.BooleanField(_("frontline employee (R8)"), default=False)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["left_on", "joined_on", "pk"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="member_leaves_after_joining",
            ),
        ]

    def __str__(self):
        return self.name

    def is_active_on(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on > day)


# The lifecycle's records (R16, R17, R23–R25, R30, R32) live in their own module; importing
# them here makes them part of this app's models.
from .decision_models import LifecycleDecision  # noqa: E402,F401
from .lifecycle_models import (  # noqa: E402,F401
    Certificate,
    CertificateBatch,
    CertificateSerial,
    MunicipalRecommendation,
    RecognitionCycle,
    Rectification,
    RenameRequest,
    Revocation,
)
