"""``record_event``: the one helper every service calls, inside its own transaction.

``verify_chain`` walks the whole log and says where it first breaks (``ChainBreak``): an event
whose content no longer matches its keyed hash, a link to a predecessor that is not the one
before it, or a chain shorter than (or different from) what a signed anchor recorded
(``audit.anchors``)."""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime as datetime_type

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AuditChainHead, AuditEvent

GENESIS = "0" * 64
LEGACY = 1  # SHA-256 over some fields, no key (events written before the HMAC)
HMAC_V2 = 2  # HMAC-SHA256 with AUDIT_HMAC_KEY over every stored column but the hash


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


def hmac_key() -> bytes:
    """The chain's key, from the environment (settings.AUDIT_HMAC_KEY): neither SECRET_KEY nor
    anything in the database, so someone who can write to the database cannot forge hashes."""
    key = settings.AUDIT_HMAC_KEY
    return key.encode() if isinstance(key, str) else bytes(key)


#: The columns each keyed version covers: every stored column but the primary key (the
#: sequence numbers events) and the hash itself. Fixed per version, because a column added
#: later must not change what already-written events were hashed over: adding one means a new
#: version here (``test_every_stored_column_but_the_hash_is_covered`` fails until then).
HASHED_COLUMNS = {
    HMAC_V2: (
        "sequence",
        "hash_version",
        "at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "studio",
        "before",
        "after",
        "reason",
        "rule",
        "prev_hash",
    ),
}
CURRENT_VERSION = max(HASHED_COLUMNS)


def hashed_fields(version: int = CURRENT_VERSION) -> list:
    return [AuditEvent._meta.get_field(name) for name in HASHED_COLUMNS[version]]


def _canonical_value(value):
    if isinstance(value, datetime_type):
        return value.astimezone(UTC).isoformat()
    return value


def canonical_payload(event: AuditEvent) -> str:
    """One text per event, whatever the database: sorted keys, UTC times, JSON as JSON."""
    payload = {
        f.attname: _canonical_value(getattr(event, f.attname))
        for f in hashed_fields(event.hash_version)
    }
    return json.dumps(
        payload, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


def compute_hash(prev_hash: str, event: AuditEvent, key: bytes | None = None) -> str:
    """The event's hash under its own version's scheme. ``key`` defaults to the configured
    AUDIT_HMAC_KEY; anyone recomputing with another key gets hashes that do not verify."""
    if event.hash_version == LEGACY:
        return compute_legacy_hash(prev_hash, event)
    if event.hash_version not in HASHED_COLUMNS:
        return ""  # a version the portal never wrote: matches no hash
    key = hmac_key() if key is None else key
    message = f"{prev_hash}|{canonical_payload(event)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def compute_legacy_hash(prev_hash: str, event: AuditEvent) -> str:
    """Version 1, kept only to verify the events written before the HMAC."""
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
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"last_hash": GENESIS}
    )
    event = AuditEvent(
        sequence=head.sequence + 1,
        hash_version=CURRENT_VERSION,
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
    head.sequence = event.sequence
    head.save(update_fields=["last_hash", "sequence"])
    return event


def _jsonable(value):
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain first breaks, and why."""

    CONTENT = "content"  # the event's stored fields no longer give its hash
    LINK = "link"  # its prev_hash is not the hash of the event before it
    DOWNGRADE = "downgrade"  # an unkeyed (legacy) hash after keyed ones
    SEQUENCE = "sequence"  # its sequence number is not its place in the chain
    HEAD = "head"  # the head row does not point at the last event
    TRUNCATED = "truncated"  # an anchored event is missing: the end of the log was cut off
    ANCHOR_MISMATCH = "anchor_mismatch"  # an anchored event now has another hash
    ANCHOR_FORGED = "anchor_forged"  # an anchor's signature does not verify

    reason: str
    event_id: int | None = None
    sequence: int | None = None
    anchor: int | None = None  # the anchored sequence that shows the break

    def describe(self) -> str:
        messages = {
            self.CONTENT: _(
                "event %(id)s (no. %(seq)s): its content was changed after it was recorded"
            ),
            self.LINK: _(
                "event %(id)s (no. %(seq)s): the link to the event before it is broken "
                "(an event was removed, inserted or re-chained)"
            ),
            self.DOWNGRADE: _(
                "event %(id)s (no. %(seq)s): carries an unkeyed hash after keyed ones "
                "(rewritten with the legacy scheme)"
            ),
            self.SEQUENCE: _("event %(id)s (no. %(seq)s): out of sequence"),
            self.HEAD: _(
                "the chain head does not point at the last event (no. %(seq)s): "
                "events were removed or added outside the log"
            ),
            self.TRUNCATED: _(
                "truncated after anchor no. %(anchor)s: the log ends at no. %(seq)s, "
                "events anchored earlier are missing"
            ),
            self.ANCHOR_MISMATCH: _(
                "event %(id)s (no. %(seq)s) differs from anchor no. %(anchor)s: "
                "the chain was rewritten after it was anchored"
            ),
            self.ANCHOR_FORGED: _(
                "anchor no. %(anchor)s has an invalid signature: it was not written by the portal"
            ),
        }
        return str(messages[self.reason]) % {
            "id": self.event_id if self.event_id is not None else "—",
            "seq": self.sequence if self.sequence is not None else "—",
            "anchor": self.anchor if self.anchor is not None else "—",
        }

    def __str__(self):
        return self.describe()


def walk_chain(key: bytes | None = None):
    """Yield ``(sequence, event, break_or_None)`` along the chain in order."""
    prev = GENESIS
    seen_keyed = False
    for position, event in enumerate(
        AuditEvent.objects.order_by("pk").iterator(chunk_size=2000), start=1
    ):
        problem = None
        if event.hash_version == LEGACY:
            if seen_keyed or event.sequence is not None:
                problem = ChainBreak.DOWNGRADE
        else:
            seen_keyed = True
            if event.sequence != position:
                problem = ChainBreak.SEQUENCE
        if problem is None and event.prev_hash != prev:
            problem = ChainBreak.LINK
        if problem is None and not hmac.compare_digest(
            compute_hash(prev, event, key=key), event.hash
        ):
            problem = ChainBreak.CONTENT
        yield (
            position,
            event,
            (ChainBreak(problem, event_id=event.pk, sequence=position) if problem else None),
        )
        prev = event.hash


def verify_chain(anchors=None) -> ChainBreak | None:
    """None if the whole chain is intact; otherwise where it first breaks and why.

    Checked: each event's keyed hash over all its fields, each link, the head row, and every
    signed anchor (``audit.anchors``; all of them unless ``anchors`` is given) — an anchored
    sequence that is missing, or now has another hash, means the log was cut or rewritten."""
    from .anchors import load_anchors

    if anchors is None:
        anchors = load_anchors()
    by_sequence = {}
    for anchor in anchors:
        if not anchor.valid:
            return ChainBreak(ChainBreak.ANCHOR_FORGED, anchor=anchor.sequence)
        by_sequence.setdefault(anchor.sequence, []).append(anchor)
    position, prev = 0, GENESIS
    for position, event, problem in walk_chain():
        if problem is not None:
            return problem
        for anchor in by_sequence.get(position, ()):
            if anchor.hash != event.hash:
                return ChainBreak(
                    ChainBreak.ANCHOR_MISMATCH,
                    event_id=event.pk,
                    sequence=position,
                    anchor=anchor.sequence,
                )
        prev = event.hash
    beyond = [a.sequence for a in anchors if a.sequence > position]
    if beyond:
        return ChainBreak(ChainBreak.TRUNCATED, sequence=position, anchor=max(beyond))
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != prev or head.sequence != position):
        return ChainBreak(ChainBreak.HEAD, sequence=position)
    return None
