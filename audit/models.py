"""The append-only event log. Every event carries the hash of its predecessor, so an edit or a
deletion anywhere in the chain is detectable by ``audit.services.verify_chain``.

Hash versions (``hash_version``):

1. legacy, before the HMAC: SHA-256 over some fields, no key. Events written before the migration
   that added ``hash_version`` keep it and are verified with that scheme, unchanged: re-chaining
   them would itself be a rewrite of the log.
2. HMAC-SHA256, keyed with ``settings.AUDIT_HMAC_KEY`` (from the environment, never the
   database), over every stored column but the hash itself, sequence included. Every new event.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events are append-only")

    def delete(self):
        raise AppendOnlyError("audit events are append-only")

    def for_studio(self, studio_id):
        return self.filter(studio_id=studio_id).select_related("actor").order_by("-at", "-pk")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    # The studio an event concerns, when there is one: the studio page's timeline reads it.
    studio = models.ForeignKey(
        "studios.Studio", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    reason = models.TextField(_("reason"), blank=True)
    rule = models.CharField(_("rule"), max_length=32, blank=True)
    # The event's position in the chain, 1-based. Legacy (version 1) events have none stored:
    # their position is their rank by id.
    sequence = models.PositiveBigIntegerField(null=True, blank=True, unique=True, editable=False)
    hash_version = models.PositiveSmallIntegerField(default=2, editable=False)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["studio", "-at"]),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")


class AuditChainHead(models.Model):
    """A single row holding the newest hash. Writers lock it, so the chain never forks even
    when two transactions record events at the same moment."""

    last_hash = models.CharField(max_length=64)
    # How many events the chain holds: the sequence of the newest one.
    sequence = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self):
        return self.last_hash
