"""What the lifecycle records beside the studio's status: its five-year cycles (R24), orders to
rectify (R25), revocations with their R32 reasons, rename requests (R23), municipal
recommendations (R30) and the certificates it issues (R16 授牌). Rows here change only through
``studios.lifecycle`` and ``studios.certificates``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.files import private_upload_to
from core.limits import short_text
from core.validators import no_control_characters


class R32Reason(models.IntegerChoices):
    """The grounds for revocation, numbered as in Article 32."""

    RECTIFICATION_NOT_DONE = 1, _("(1) Review failed and rectification was not completed")
    ABSENT_FROM_REREVIEW = 2, _("(2) Absent from a due cycle re-review without cause")
    MISUSE_OF_FUNDS = 3, _("(3) Misuse of funds")
    NO_PROJECTS_OR_ACHIEVEMENTS = (
        4,
        _("(4) No new innovation project for 2 years or no achievement for 3 years running"),
    )
    FRAUD = 5, _("(5) Fraud or plagiarism in published results, or a serious breach")
    ENTERPRISE_GONE = 6, _("(6) The enterprise closed, went bankrupt or left the district")
    LEADER_LEFT = 7, _("(7) The leader left and the studio cannot go on")
    LAW_BROKEN = 8, _("(8) Law broken, or the leader stripped of the model-worker honour")
    LEADER_PENALISED = 9, _("(9) The leader received an administrative penalty")
    OTHER = 10, _("(10) Other")


class CycleOutcome(models.TextChoices):
    OPEN = "", _("Running")
    PASSED = "passed", _("Passed the cycle re-review")
    PASSED_STAR = "passed_star", _("Passed with the Innovation Vitality Star")
    RECTIFIED = "rectified", _("Passed after rectification")
    DELISTED = "delisted", _("Delisted")
    REVOKED = "revoked", _("Revoked")


class RecognitionCycle(models.Model):
    """R24: one five-year management cycle. Cycle 1 starts on the recognition date once the
    next-year re-review (R17) confirms it; each passed cycle re-review starts the next one the
    day after the previous one ends, so the cycles tile without gaps."""

    studio = models.ForeignKey(
        "studios.Studio", verbose_name=_("studio"), on_delete=models.CASCADE, related_name="cycles"
    )
    number = models.PositiveSmallIntegerField(_("cycle"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    rereview_started_on = models.DateField(_("re-review started on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=CycleOutcome.choices, blank=True, default=""
    )
    star_awarded = models.BooleanField(_("Innovation Vitality Star (R25)"), default=False)

    class Meta:
        ordering = ["studio", "number"]
        verbose_name = _("recognition cycle")
        verbose_name_plural = _("recognition cycles")
        constraints = [
            models.UniqueConstraint(fields=["studio", "number"], name="cycle_number_unique"),
            models.UniqueConstraint(
                fields=["studio"], condition=Q(closed_on__isnull=True), name="one_open_cycle"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="cycle_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.studio} · {self.number} ({self.starts_on:%Y}–{self.ends_on:%Y})"


class RectificationOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    PASSED = "passed", _("Passed the re-check")
    FAILED = "failed", _("Failed the re-check (delisted)")
    REVOKED = "revoked", _("Ended by revocation")


class Rectification(models.Model):
    """R25: a re-review ordered the studio to rectify by a deadline (inclusive, Beijing date)."""

    studio = models.ForeignKey(
        "studios.Studio",
        verbose_name=_("studio"),
        on_delete=models.CASCADE,
        related_name="rectifications",
    )
    cycle = models.ForeignKey(
        RecognitionCycle, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ordered_on = models.DateField(_("ordered on"))
    deadline = models.DateField(_("deadline"))
    reason = models.TextField(_("what must be rectified"), blank=True, **short_text())
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=RectificationOutcome.choices,
        default=RectificationOutcome.PENDING,
    )
    checked_on = models.DateField(_("re-checked on"), null=True, blank=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        constraints = [
            models.UniqueConstraint(
                fields=["studio"],
                condition=Q(outcome="pending"),
                name="one_pending_rectification",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("ordered_on")),
                name="rectification_deadline_after_order",
            ),
        ]

    def __str__(self):
        return f"{self.studio} · {self.deadline:%Y-%m-%d}"


class Revocation(models.Model):
    """R32: the decision to revoke the title and take down the plaque, with its reasons by
    number."""

    studio = models.ForeignKey(
        "studios.Studio",
        verbose_name=_("studio"),
        on_delete=models.CASCADE,
        related_name="revocations",
    )
    decided_on = models.DateField(_("decided on"))
    reasons = models.JSONField(_("R32 reasons"), default=list)
    note = models.TextField(_("note"), blank=True, **short_text())
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("revocation")
        verbose_name_plural = _("revocations")

    def __str__(self):
        return f"{self.studio} · {self.decided_on:%Y-%m-%d}"

    def reason_labels(self):
        return [R32Reason(n).label for n in self.reasons]


class RenameStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class RenameRequest(models.Model):
    """R23: the union asks to rename the studio because its leader left; the district union
    decides. The old name and leader stay here and in the audit log."""

    studio = models.ForeignKey(
        "studios.Studio",
        verbose_name=_("studio"),
        on_delete=models.CASCADE,
        related_name="rename_requests",
    )
    old_name = models.CharField(_("old name"), max_length=200)
    new_name = models.CharField(_("new name"), max_length=200, validators=[no_control_characters])
    old_leader_name = models.CharField(_("old leader"), max_length=100, blank=True)
    new_leader_name = models.CharField(
        _("new leader"), max_length=100, validators=[no_control_characters]
    )
    new_leader_position = models.CharField(_("new leader's position"), max_length=100, blank=True)
    new_leader_is_model_worker = models.BooleanField(_("model worker (劳动模范)"), default=False)
    new_leader_is_high_tech_talent = models.BooleanField(_("high-tech talent"), default=False)
    new_leader_is_high_skill_talent = models.BooleanField(_("high-skill talent"), default=False)
    reason = models.TextField(_("reason"), **short_text())
    status = models.CharField(
        _("status"), max_length=16, choices=RenameStatus.choices, default=RenameStatus.PENDING
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True, **short_text())

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("rename request")
        verbose_name_plural = _("rename requests")
        constraints = [
            models.UniqueConstraint(
                fields=["studio"], condition=Q(status="pending"), name="one_pending_rename"
            ),
        ]

    def __str__(self):
        return f"{self.old_name} → {self.new_name}"


class MunicipalRecommendation(models.Model):
    """R30: the studio was recommended to the municipal level as a model (示范性) studio."""

    studio = models.ForeignKey(
        "studios.Studio",
        verbose_name=_("studio"),
        on_delete=models.CASCADE,
        related_name="municipal_recommendations",
    )
    recommended_on = models.DateField(_("recommended on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-recommended_on", "-pk"]
        verbose_name = _("municipal recommendation (R30)")
        verbose_name_plural = _("municipal recommendations (R30)")

    def __str__(self):
        return f"{self.studio} · {self.recommended_on:%Y}"


class CertificateKind(models.TextChoices):
    RECOGNITION = "recognition", _("Recognition")
    CYCLE = "cycle", _("Cycle re-review passed")
    STAR = "star", _("Innovation Vitality Star")
    RENAME = "rename", _("Reissued after renaming")


class CertificateSerial(models.Model):
    """The last certificate serial of a year. Issuing locks the row, so numbers are unique and
    have no gaps even when two decisions issue at the same moment."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("certificate serial")

    def __str__(self):
        return f"{self.year}: {self.last}"


class Certificate(models.Model):
    """The plaque certificate (授牌). What it says is frozen when it is issued, so a reprint
    says the same; whether it is still valid is decided live by the verification page."""

    studio = models.ForeignKey(
        "studios.Studio",
        verbose_name=_("studio"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CertificateKind.choices)
    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    serial_year = models.PositiveSmallIntegerField()
    serial = models.PositiveIntegerField()
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    cycle = models.ForeignKey(
        RecognitionCycle, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    studio_name = models.CharField(_("studio name"), max_length=200)
    enterprise_name = models.CharField(_("enterprise"), max_length=200)
    leader_name = models.CharField(_("leader"), max_length=100, blank=True)
    studio_type = models.CharField(_("type"), max_length=16)
    recognised_on = models.DateField(_("recognised on"))
    cycle_number = models.PositiveSmallIntegerField(_("cycle"), default=0)
    star = models.BooleanField(_("Innovation Vitality Star"), default=False)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pdf = models.FileField(_("PDF"), upload_to=private_upload_to, blank=True, max_length=300)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    #: How many renderings were committed: a certificate rendered twice by mistake shows here.
    renders = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["serial_year", "serial"], name="certificate_serial_unique"
            ),
        ]

    def __str__(self):
        return self.number


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Stopped with an error")


class CertificateBatch(models.Model):
    """A batch of certificates to (re)render. ``done`` is the cursor into ``certificate_ids``,
    advanced in the same transaction that stores each PDF, so a worker that dies mid-batch
    resumes where it stopped: nothing rendered twice into a new row, nothing skipped."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    certificate_ids = models.JSONField(default=list)
    done = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=16, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("certificate batch")
        verbose_name_plural = _("certificate batches")

    def __str__(self):
        return f"#{self.pk} {self.done}/{self.total}"

    @property
    def total(self) -> int:
        return len(self.certificate_ids)

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)
