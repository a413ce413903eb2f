from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ENTERPRISE_UNION = "enterprise_union", _("Enterprise union")
    DISTRICT_UNION = "district_union", _("District union staff")
    BUREAU = "bureau", _("S&T bureau staff")
    EXPERT = "expert", _("Expert")
    FINANCE = "finance", _("Finance")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    """A person who logs in. An enterprise union account belongs to exactly one enterprise."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.EXPERT)
    enterprise = models.ForeignKey(
        "studios.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="union_users",
    )
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_(
            "Set for an account an administrator created or whose password an administrator "
            "set: the user must choose a new password before using the portal."
        ),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="enterprise_union") | Q(enterprise__isnull=False),
                name="union_user_has_enterprise",
            ),
        ]

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_district_staff(self) -> bool:
        return self.role in (Role.DISTRICT_UNION, Role.BUREAU)


class Notification(models.Model):
    """One message to one person: shown in the in-app inbox at once, and e-mailed by the outbox
    drain after the transaction that created it commits. ``key`` makes reminders idempotent:
    the same (kind, object, due date) sent twice to one recipient is stored once."""

    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        SKIPPED = "skipped", _("no address")
        FAILED = "failed", _("failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=64)
    key = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~Q(key=""), name="notification_once_per_key"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["email_status"]),
        ]

    def __str__(self):
        return self.title
