"""Changes made in the Django admin go into the portal's audit log, like every other write.

``AuditedAdmin`` is a ModelAdmin mixin: ``save_model``, ``delete_model``, ``delete_queryset``
and the inlines' ``save_formset`` record ``admin.added`` / ``admin.changed`` / ``admin.deleted``
with before → after of the fields that changed (a user's role decides who may sign for which
body, R3; enterprises, studios and leader honours feed R4–R9 and R19). Each event is recorded in
the admin view's own transaction, so the change and its event commit together.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .registry import AUDITOR, ActionSpec
from .services import changed_fields, record_event, snapshot

#: These events in the audit registry: staff and auditors read them (an applicant reads the
#: resulting state, not who changed it in the administration site).
ADMIN_EVENTS = {
    "admin.added": ActionSpec(label=_("Added in the administration site"), audiences={AUDITOR}),
    "admin.changed": ActionSpec(label=_("Changed in the administration site"), audiences={AUDITOR}),
    "admin.deleted": ActionSpec(label=_("Deleted in the administration site"), audiences={AUDITOR}),
}


def _studio_of(obj):
    """The studio an object concerns, for the studio page's timeline (None for the rest)."""
    from studios.models import Leader, LeaderHonour, Member, Studio

    if isinstance(obj, Studio):
        return obj
    if isinstance(obj, (Leader, Member)):
        return obj.studio
    if isinstance(obj, LeaderHonour):
        return obj.leader.studio
    return None


def _picture(obj, fields):
    return snapshot(obj, fields=fields)


def _current(obj, fields):
    """The row as stored now (before the admin's save), or None for a new object."""
    if obj.pk is None:
        return None
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    return _picture(stored, fields) if stored is not None else None


def record_admin_change(actor, obj, before, after, *, studio=None):
    """Record one admin write: added (before None), changed (only changed fields; nothing if
    nothing changed) or deleted (after None)."""
    if before is None:
        action = "admin.added"
    elif after is None:
        action = "admin.deleted"
    else:
        action = "admin.changed"
        before, after = changed_fields(before, after)
        if not after:
            return None
    with transaction.atomic():
        return record_event(actor, action, obj, before=before, after=after, studio=studio)


class AuditedAdmin:
    """Mix into a ModelAdmin (before ``admin.ModelAdmin``). ``audit_fields`` limits what is
    compared and recorded (None: every field); ``audit_exclude`` leaves fields out (secrets)."""

    audit_fields = None
    audit_exclude = ()

    def _audit_fields(self, model):
        names = self.audit_fields or [
            f.name for f in model._meta.concrete_fields if not f.primary_key
        ]
        return [n for n in names if n not in self.audit_exclude]

    def save_model(self, request, obj, form, change):
        fields = self._audit_fields(type(obj))
        before = _current(obj, fields) if change else None
        super().save_model(request, obj, form, change)
        after = _picture(obj, fields)
        record_admin_change(request.user, obj, before, after, studio=_studio_of(obj))

    def delete_model(self, request, obj):
        fields = self._audit_fields(type(obj))
        self._record_deletion(request, obj, fields)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        fields = self._audit_fields(queryset.model)
        for obj in queryset:
            self._record_deletion(request, obj, fields)
        super().delete_queryset(request, queryset)

    def _record_deletion(self, request, obj, fields):
        from studios.models import Studio

        studio = _studio_of(obj)
        # A studio's own deletion cannot point its event at itself (the event would hold it).
        if isinstance(obj, Studio):
            studio = None
        record_admin_change(request.user, obj, _picture(obj, fields), None, studio=studio)

    def save_formset(self, request, form, formset, change):
        """Inline rows (a studio's leaders and members) are audited row by row."""
        model = formset.model
        fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
        befores = {}
        for inline in formset.forms:
            if inline.instance.pk is not None and inline.has_changed():
                befores[inline.instance.pk] = _current(inline.instance, fields)
        deleted = [
            (inline.instance, _picture(inline.instance, fields))
            for inline in formset.deleted_forms
            if inline.instance.pk is not None
        ]
        for obj, before in deleted:
            record_admin_change(request.user, obj, before, None, studio=_studio_of(obj))
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            record_admin_change(
                request.user, obj, None, _picture(obj, fields), studio=_studio_of(obj)
            )
        for obj, _changed in formset.changed_objects:
            record_admin_change(
                request.user,
                obj,
                befores.get(obj.pk, {}),
                _picture(obj, fields),
                studio=_studio_of(obj),
            )
