"""The yearly call (评选通知, R16), the applications enterprise unions submit to it, and their
materials (R18). Expert review rounds (issue #4) build on applications in status ``accepted``
and read ``Application.snapshot``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import private_upload_to
from core.limits import cell_text, long_text, short_text
from core.validators import no_control_characters


class MaterialKind(models.TextChoices):
    """R18: the materials an application may carry; which are required is set per call."""

    APPLICATION_FORM = "application_form", _("Studio application form")
    PROJECT_FORM = "project_form", _("Innovation project form")
    RESULTS = "results", _("Results and their application")
    TALENT = "talent", _("Talent cultivation")
    PHOTOS = "photos", _("Photos")
    VIDEOS = "videos", _("Videos")


#: Which file kinds (``core.files.KINDS``) each material may be, checked from the content.
MATERIAL_FILE_KINDS = {
    MaterialKind.APPLICATION_FORM: ("pdf", "office"),
    MaterialKind.PROJECT_FORM: ("pdf", "office"),
    MaterialKind.RESULTS: ("pdf", "office", "image"),
    MaterialKind.TALENT: ("pdf", "office", "image"),
    MaterialKind.PHOTOS: ("image",),
    MaterialKind.VIDEOS: ("video",),
}


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def open_at(self, moment=None):
        moment = moment or timezone.now()
        return self.published().filter(opens_at__lte=moment, closes_at__gte=moment)


class Call(models.Model):
    """R16: one application window a year. Published calls are visible to every union; only one
    call is open at a time (``services.publish_call`` refuses overlapping windows)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200, validators=[no_control_characters])
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    instructions = models.FileField(
        _("instructions document"), upload_to=private_upload_to, blank=True, max_length=300
    )
    notes = models.TextField(_("notes for applicants"), blank=True, **long_text())
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening"
            ),
        ]

    def __str__(self):
        return self.title or str(self.year)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def is_open(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.is_published and self.opens_at <= moment <= self.closes_at


class CallMaterial(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("material"), max_length=32, choices=MaterialKind.choices)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("required material")
        verbose_name_plural = _("required materials")
        constraints = [
            models.UniqueConstraint(fields=["call", "kind"], name="call_material_once"),
        ]

    def __str__(self):
        return self.get_kind_display()


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Accepted into review")
    REJECTED = "rejected", _("Rejected")


STATUS_BADGES = {
    ApplicationStatus.DRAFT: "text-bg-light border",
    ApplicationStatus.SUBMITTED: "text-bg-primary",
    ApplicationStatus.WITHDRAWN: "text-bg-secondary",
    ApplicationStatus.RETURNED: "text-bg-warning",
    ApplicationStatus.ACCEPTED: "text-bg-success",
    ApplicationStatus.REJECTED: "text-bg-danger",
}

#: The union may edit the application in these states.
EDITABLE_STATUSES = frozenset(
    {ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN, ApplicationStatus.RETURNED}
)


class Application(models.Model):
    """One studio's application to one call, recommended by its enterprise union (择优推荐).

    ``snapshot`` is frozen on each submission from the studio's records and the application's
    own sections, so later edits to the studio do not change what experts read. Its shape::

        {
          "version": 1,
          "frozen_at": "2027-05-02T10:00:00+08:00",
          "call": {"id", "year", "title"},
          "number": "2027-SQ-0042",
          "studio": {"id", "name", "type", "type_label", "enterprise", "enterprise_id",
                     "industry", "founded_on", "area_m2", "address", "equipment",
                     "working_funds_cny", "introduction"},
          "leader": {"name", "position", "expertise", "is_model_worker",
                     "is_high_tech_talent", "is_high_skill_talent", "since",
                     "honours": [{"kind", "kind_label", "title", "awarded_on"}]} | null,
          "members": [{"name", "position", "talent_kind", "talent_label", "skill_level",
                       "is_frontline", "joined_on"}],
          "projects": [{"name", "started_on", "status", "applied_in_unit", "description"}],
          "results": [{"title", "kind", "kind_label", "obtained_on", "applied_in_practice",
                       "benefit"}],
          "talent_cultivation": "text",
          "eligibility": [{"rule", "ok", "message_zh", "message_en"}],
          "materials": [{"id", "kind", "kind_label", "original_name", "size",
                         "content_type"}]
        }

    Dates are ISO strings and money/areas decimal strings, so the snapshot survives JSON.
    """

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications"
    )
    studio = models.ForeignKey(
        "studios.Studio",
        verbose_name=_("studio"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    number = models.CharField(_("number"), max_length=20, unique=True, null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    talent_cultivation = models.TextField(_("talent cultivation"), blank=True, **long_text())
    snapshot = models.JSONField(default=dict, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    staff_comment = models.TextField(_("staff comment"), blank=True, **short_text())
    resubmit_by = models.DateField(_("resubmit by"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["call", "studio"], name="one_application_per_call"),
            models.UniqueConstraint(
                fields=["call", "sequence"], name="application_sequence_unique_in_call"
            ),
        ]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self):
        return self.number or _("Draft application of %(studio)s") % {"studio": self.studio_id}

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def status_badge(self) -> str:
        """The Bootstrap badge class a page shows the status with."""
        return STATUS_BADGES.get(self.status, "text-bg-secondary")


class ApplicationProject(models.Model):
    """An innovation project the studio declares (R14a, R18 innovation project form)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(_("project name"), max_length=200, validators=[no_control_characters])
    started_on = models.DateField(_("started on"), null=True, blank=True)
    status = models.CharField(_("progress"), max_length=100, blank=True)
    applied_in_unit = models.BooleanField(_("applied in the unit"), default=False)
    description = models.TextField(_("description"), blank=True, **cell_text())

    class Meta:
        ordering = ["pk"]
        verbose_name = _("innovation project")
        verbose_name_plural = _("innovation projects")

    def __str__(self):
        return self.name


class ResultKind(models.TextChoices):
    INVENTION_PATENT = "invention_patent", _("Invention patent")
    UTILITY_MODEL = "utility_model", _("Utility model patent")
    TECHNIQUE = "technique", _("Improved technique or method")
    AWARD = "award", _("Award")
    OTHER = "other", _("Other result")


class ApplicationResult(models.Model):
    """A result and its application in practice (R18 成果及应用)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="results")
    title = models.CharField(_("result"), max_length=200, validators=[no_control_characters])
    kind = models.CharField(_("kind"), max_length=20, choices=ResultKind.choices)
    obtained_on = models.DateField(_("obtained on"), null=True, blank=True)
    applied_in_practice = models.BooleanField(_("applied in practice"), default=False)
    benefit = models.TextField(_("benefit"), blank=True, **cell_text())

    class Meta:
        ordering = ["pk"]
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self):
        return self.title


class ApplicationMaterial(models.Model):
    """An uploaded file, checked by content, in private storage; served only after a
    permission check. Photos carry a small JPEG thumbnail made at upload."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("material"), max_length=32, choices=MaterialKind.choices)
    file = models.FileField(_("file"), upload_to=private_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    thumbnail = models.FileField(upload_to=private_upload_to, blank=True, max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self):
        return self.original_name


from .round_models import *  # noqa: E402,F401,F403
