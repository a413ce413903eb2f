"""The three ledgers of R22 (台账): innovation activities, innovation achievements (projects,
patents, other achievements) and member development. The enterprise union keeps them; the
compliance module (``ledgers.compliance``) reads them to check R14 and R32 (4).

Every entry is dated with a ``DateField``: the year an entry counts for is the calendar year of
that date as the union wrote it, i.e. in Beijing time, so no UTC shift can move an entry across
New Year.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.files import private_upload_to
from core.limits import long_text
from core.validators import no_control_characters


class ActivityKind(models.TextChoices):
    """R14d lists training, exhibitions, master–apprentice and exchanges; R15 activities
    organised by the district union and the bureau are kept as a kind of their own."""

    TRAINING = "training", _("Skills training")
    EXHIBITION = "exhibition", _("Exhibition of achievements")
    MENTORING = "mentoring", _("Master–apprentice (名师带徒)")
    EXCHANGE = "exchange", _("Innovation exchange")
    DISTRICT = "district", _("District-organised activity (R15)")
    OTHER = "other", _("Other")


#: The kinds that count toward R14d's "at least 4 innovation exchange activities a year".
#: District-organised activities (R15) count: they are learning and exchange activities
#: (学习、交流活动) the studio takes part in, which is what R14d counts (积极参与…各类创新交流活动).
#: "Other" does not count: the union has not said it is an exchange activity.
R14D_ACTIVITY_KINDS = (
    ActivityKind.TRAINING,
    ActivityKind.EXHIBITION,
    ActivityKind.MENTORING,
    ActivityKind.EXCHANGE,
    ActivityKind.DISTRICT,
)


class Activity(models.Model):
    """An entry of the innovation activity ledger (创新活动台账)."""

    studio = models.ForeignKey(
        "studios.Studio",
        verbose_name=_("studio"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    held_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200, validators=[no_control_characters])
    description = models.TextField(_("description"), blank=True, **long_text())
    participants = models.ManyToManyField(
        "studios.Member",
        verbose_name=_("studio members taking part"),
        related_name="activities",
        blank=True,
    )
    other_participants = models.PositiveIntegerField(_("other participants (count)"), default=0)
    hours = models.DecimalField(
        _("hours"),
        max_digits=6,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("innovation activity")
        verbose_name_plural = _("innovation activities")
        indexes = [models.Index(fields=["studio", "held_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=0), name="activity_hours_not_negative")
        ]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class ActivityEvidence(models.Model):
    """A photo or document proving an activity took place (R18: photos and videos)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=private_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("activity evidence")
        verbose_name_plural = _("activity evidence")

    def __str__(self):
        return self.original_name or self.file.name


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    APPLIED = "applied", _("Applied in the unit")
    CLOSED = "closed", _("Closed")


class InnovationProject(models.Model):
    """An innovation project (创新项目). R14a counts projects applied in the unit in the year
    (``applied_on``); R32 (4) looks for projects started (``started_on``). The funding app links
    expenditures to this model (R27: grants are for innovation projects)."""

    studio = models.ForeignKey(
        "studios.Studio",
        verbose_name=_("studio"),
        on_delete=models.CASCADE,
        related_name="innovation_projects",
    )
    title = models.CharField(_("title"), max_length=200, validators=[no_control_characters])
    description = models.TextField(_("description"), blank=True, **long_text())
    started_on = models.DateField(_("started on"))
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    applied_on = models.DateField(
        _("applied in the unit on"),
        null=True,
        blank=True,
        help_text=_("The day the result was put to use in the unit's production or management."),
    )
    benefit_cny = models.DecimalField(
        _("benefit, CNY"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    benefit_text = models.CharField(_("benefit in words"), max_length=300, blank=True)
    municipal_award = models.BooleanField(_("recommend for municipal awards (R31)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("innovation project")
        verbose_name_plural = _("innovation projects")
        indexes = [
            models.Index(fields=["studio", "started_on"]),
            models.Index(fields=["studio", "applied_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(applied_on__isnull=True) | Q(applied_on__gte=models.F("started_on")),
                name="project_applied_after_start",
            ),
        ]

    def __str__(self):
        return self.title


class PatentKind(models.TextChoices):
    INVENTION = "invention", _("Invention patent")
    UTILITY_MODEL = "utility_model", _("Utility model patent")
    DESIGN = "design", _("Design patent")


#: R14b: 发明或者实用新型 — design patents do not count.
R14B_PATENT_KINDS = (PatentKind.INVENTION, PatentKind.UTILITY_MODEL)


class Patent(models.Model):
    studio = models.ForeignKey(
        "studios.Studio", verbose_name=_("studio"), on_delete=models.CASCADE, related_name="patents"
    )
    number = models.CharField(_("patent number"), max_length=40)
    title = models.CharField(_("title"), max_length=200, validators=[no_control_characters])
    kind = models.CharField(_("kind"), max_length=16, choices=PatentKind.choices)
    filed_on = models.DateField(_("filed on"))
    granted_on = models.DateField(pgettext_lazy("patent", "granted on"), null=True, blank=True)
    holders = models.ManyToManyField(
        "studios.Member",
        verbose_name=_("holders who are studio members"),
        related_name="patents",
        blank=True,
    )
    other_holders = models.CharField(_("other holders"), max_length=300, blank=True)
    municipal_award = models.BooleanField(_("recommend for municipal awards (R31)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-filed_on", "-pk"]
        verbose_name = _("patent")
        verbose_name_plural = _("patents")
        indexes = [models.Index(fields=["studio", "granted_on"])]
        constraints = [
            models.UniqueConstraint(fields=["studio", "number"], name="patent_number_unique"),
            models.CheckConstraint(
                condition=Q(granted_on__isnull=True) | Q(granted_on__gte=models.F("filed_on")),
                name="patent_granted_after_filing",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"


class AchievementKind(models.TextChoices):
    AWARD = "award", _("Award")
    METHOD = "method", _("Method or technique")
    PAPER = "paper", _("Paper or publication")
    OTHER = "other", _("Other")


class Achievement(models.Model):
    """Other innovation achievements (awards, methods, papers). R14c counts those applied in
    practice (``applied_on``) within the rolling window."""

    studio = models.ForeignKey(
        "studios.Studio",
        verbose_name=_("studio"),
        on_delete=models.CASCADE,
        related_name="achievements",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AchievementKind.choices)
    title = models.CharField(_("title"), max_length=200, validators=[no_control_characters])
    achieved_on = models.DateField(_("achieved on"))
    applied_on = models.DateField(_("applied in practice on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True, **long_text())
    municipal_award = models.BooleanField(_("recommend for municipal awards (R31)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-achieved_on", "-pk"]
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        indexes = [
            models.Index(fields=["studio", "achieved_on"]),
            models.Index(fields=["studio", "applied_on"]),
        ]

    def __str__(self):
        return self.title


class DevelopmentKind(models.TextChoices):
    PROMOTION = "promotion", _("Skill-level promotion")
    TITLE = "title", _("Title or honour")
    APPRENTICESHIP = "apprenticeship", _("Apprentice taken (名师带徒)")
    TRAINING = "training", _("Training")


class MemberDevelopment(models.Model):
    """An entry of the member development ledger (成员发展台账). Joins and departures are not
    entries: they are the members' own dates (``studios.Member``), shown in the same ledger, so
    the team size of R8 and the ledger can never disagree."""

    studio = models.ForeignKey(
        "studios.Studio",
        verbose_name=_("studio"),
        on_delete=models.CASCADE,
        related_name="member_developments",
    )
    member = models.ForeignKey(
        "studios.Member",
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="developments",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DevelopmentKind.choices)
    happened_on = models.DateField(_("date"))
    description = models.CharField(
        _("details"), max_length=300, blank=True, help_text=_("New level, title, course …")
    )
    mentor = models.ForeignKey(
        "studios.Member",
        verbose_name=_("master (for an apprenticeship)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="apprenticeships_as_master",
    )
    hours = models.DecimalField(
        _("training hours"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name = _("member development entry")
        verbose_name_plural = _("member development entries")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="apprenticeship") | Q(mentor__isnull=False),
                name="apprenticeship_names_master",
            ),
        ]

    def __str__(self):
        return f"{self.happened_on:%Y-%m-%d} {self.get_kind_display()}"


class LedgerStamp(models.Model):
    """A token that changes whenever anything R14 or R32 (4) counts for the studio changes.

    The compliance grid keeps each studio's verdicts in the cache beside this token (and the
    studio's type and founding date, which the verdicts also depend on) and recomputes a studio
    only when its token moved: ``ledgers.stamps`` renews it on every ledger write through the
    ORM. A studio that has never had one simply has none (``NULL`` through the join)."""

    studio = models.OneToOneField(
        "studios.Studio", on_delete=models.CASCADE, primary_key=True, related_name="ledger_stamp"
    )
    token = models.UUIDField()
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ledger change stamp")
        verbose_name_plural = _("ledger change stamps")

    def __str__(self):
        return f"{self.studio_id}: {self.changed_at:%Y-%m-%d %H:%M:%S}"
