"""``record_event``: the one helper every service calls, inside its own transaction."""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from .models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def snapshot(instance: models.Model, fields=None) -> dict:
    """A JSON-able picture of a model's own fields, files by name, for before → after."""
    data = model_to_dict(instance, fields=fields)
    for key, value in list(data.items()):
        if hasattr(value, "name") and hasattr(value, "storage"):
            data[key] = value.name or ""
        elif isinstance(value, list):
            data[key] = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, models.Model):
            data[key] = value.pk
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def changed_fields(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def compute_hash(prev_hash: str, event: AuditEvent) -> str:
    payload = {
        "prev": prev_hash,
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "studio": event.studio_id,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "rule": event.rule,
    }
    canonical = json.dumps(payload, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}|{canonical}".encode()).hexdigest()


def record_event(
    actor,
    action: str,
    obj: models.Model,
    *,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    rule: str = "",
    studio=None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the caller's transaction so the event
    and the change it describes commit or roll back together."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must be called inside transaction.atomic()")
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"last_hash": GENESIS}
    )
    event = AuditEvent(
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        studio=studio,
        before=_jsonable(before),
        after=_jsonable(after),
        reason=reason,
        rule=rule,
        prev_hash=head.last_hash,
    )
    event.hash = compute_hash(head.last_hash, event)
    event.save()
    head.last_hash = event.hash
    head.save(update_fields=["last_hash"])
    return event


def _jsonable(value):
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def verify_chain() -> int | None:
    """Return the id of the first event whose hash does not follow from its predecessor, or
    None if the whole chain is intact (including the head pointing at the last event)."""
    prev = GENESIS
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        if event.prev_hash != prev or compute_hash(prev, event) != event.hash:
            return event.pk
        prev = event.hash
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != prev:
        return -1
    return None
