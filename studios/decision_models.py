"""A lifecycle decision recorded by hand (R3, R16, R17, R24, R25, R32): proposed by one body's
staff, it changes nothing until the other body signs; the second signature performs the move
through ``studios.lifecycle.transition`` in the same transaction. Rows change only through
``studios.decisions``."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.limits import short_text


class LifecycleDecisionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the other body's signature")
    EFFECTIVE = "effective", _("In effect")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SUPERSEDED = "superseded", _("Superseded")


class SignerRole(models.TextChoices):
    """The role a signer held at the moment of signing (accounts.Role values)."""

    DISTRICT_UNION = "district_union", _("District union staff")
    BUREAU = "bureau", _("S&T bureau staff")


class LifecycleDecision(models.Model):
    studio = models.ForeignKey(
        "studios.Studio",
        verbose_name=_("studio"),
        on_delete=models.CASCADE,
        related_name="lifecycle_decisions",
    )
    action = models.CharField(_("decision taken"), max_length=32)
    from_status = models.CharField(_("status before"), max_length=16)
    to_status = models.CharField(_("status after"), max_length=16)
    # Whatever the move needs besides its date: R32 reasons, a rectification deadline, the Star,
    # and (for the confirmation page) the cycle dates the move will produce.
    details = models.JSONField(_("details"), default=dict, blank=True)
    effective_on = models.DateField(_("effective on"))
    reason = models.TextField(_("grounds and notes"), blank=True, **short_text())
    status = models.CharField(
        _("state"),
        max_length=12,
        choices=LifecycleDecisionStatus.choices,
        default=LifecycleDecisionStatus.PENDING,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    union_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    union_signed_at = models.DateTimeField(null=True, blank=True)
    union_signer_role = models.CharField(
        max_length=32, choices=SignerRole.choices, blank=True, default=""
    )
    bureau_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bureau_signed_at = models.DateTimeField(null=True, blank=True)
    bureau_signer_role = models.CharField(
        max_length=32, choices=SignerRole.choices, blank=True, default=""
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.TextField(blank=True, **short_text())

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("lifecycle decision")
        verbose_name_plural = _("lifecycle decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["studio"],
                condition=Q(status="pending"),
                name="lifecycle_decision_one_pending_per_studio",
            ),
            models.CheckConstraint(
                condition=Q(union_signed_by__isnull=True)
                | Q(bureau_signed_by__isnull=True)
                | ~Q(union_signed_by=F("bureau_signed_by")),
                name="lifecycle_decision_signed_by_two_people",
            ),
            models.CheckConstraint(
                condition=~Q(status="effective")
                | (Q(union_signed_at__isnull=False) & Q(bureau_signed_at__isnull=False)),
                name="lifecycle_decision_effective_needs_both_signatures",
            ),
        ]

    def __str__(self):
        from .lifecycle import ACTIONS

        info = ACTIONS.get(self.action)
        return str(info.label) if info else self.action

    @property
    def is_pending(self) -> bool:
        return self.status == LifecycleDecisionStatus.PENDING
