"""Renew a studio's ``LedgerStamp`` whenever something the compliance verdicts count changes.

Receivers rather than calls in ``ledgers.services``: the verdicts also move when a member is
removed (their patent holdings go with them) or when the admin edits an entry, and a write path
that forgot to renew the stamp would leave the district grid showing yesterday's verdict. Writes
that bypass the ORM's signals (``bulk_create``, ``QuerySet.update``) must call ``touch``.
"""

import uuid

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from studios.models import Member

from .models import Achievement, Activity, InnovationProject, LedgerStamp, Patent

COUNTED_MODELS = (Activity, InnovationProject, Patent, Achievement)


def touch(studio_ids) -> None:
    """Give each studio a new token (one upsert whatever their number)."""
    now = timezone.now()
    stamps = [
        LedgerStamp(studio_id=pk, token=uuid.uuid4(), changed_at=now) for pk in set(studio_ids)
    ]
    if stamps:
        LedgerStamp.objects.bulk_create(
            stamps,
            update_conflicts=True,
            unique_fields=["studio"],
            update_fields=["token", "changed_at"],
        )


def _entry_changed(sender, instance, raw=False, origin=None, **kwargs):
    if raw:  # fixtures loading
        return
    if _deleting_studios(origin):  # the stamp goes with the studio; renewing it would orphan it
        return
    touch([instance.studio_id])


def _deleting_studios(origin) -> bool:
    from studios.models import Enterprise, Studio

    model = getattr(origin, "model", type(origin))
    return model in (Studio, Enterprise)


def _holders_changed(sender, instance, action, **kwargs):
    """R14b counts a patent for its own studio only when a member *of that studio* holds it, so
    the one studio whose verdict can move is ``instance.studio_id`` from either side: the
    patent's studio (``patent.holders.add``) or the member's (``member.patents.add``, also
    ``clear``, which names no patents)."""
    if action.startswith("post_"):
        touch([instance.studio_id])


def connect() -> None:
    for model in COUNTED_MODELS:
        post_save.connect(_entry_changed, sender=model, dispatch_uid=f"stamp-save-{model.__name__}")
        post_delete.connect(
            _entry_changed, sender=model, dispatch_uid=f"stamp-delete-{model.__name__}"
        )
    post_delete.connect(_entry_changed, sender=Member, dispatch_uid="stamp-delete-member")
    m2m_changed.connect(
        _holders_changed, sender=Patent.holders.through, dispatch_uid="stamp-patent-holders"
    )
