"""Anchors: the chain's head, signed and kept outside the database.

Once a day (Celery beat "audit-daily-anchor", or ``manage.py audit_anchor``) the head — its
sequence, hash, the number of events and the time — is signed with HMAC-SHA256 under
AUDIT_HMAC_KEY, written to private storage (``audit-anchors/`` under PRIVATE_MEDIA_ROOT, through
Django's storage API) and mailed to the auditors. Someone who deletes the newest events and
moves the head back leaves a chain that is consistent on its own, but shorter than (or, if
re-grown, different from) what an anchor recorded: ``verify_chain`` compares the two.
"""

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditChainHead, AuditEvent
from .services import GENESIS, hmac_key, verify_chain

logger = logging.getLogger(__name__)
ANCHOR_DIR = "audit-anchors"


class ChainBrokenError(Exception):
    """The chain is already broken: an anchor would vouch for a tampered log."""


@dataclass(frozen=True)
class Anchor:
    sequence: int
    hash: str
    count: int
    time: str
    signature: str
    name: str = ""

    def fields(self) -> dict:
        return {
            "sequence": self.sequence,
            "hash": self.hash,
            "count": self.count,
            "time": self.time,
        }

    @property
    def valid(self) -> bool:
        return hmac.compare_digest(sign(self.fields()), self.signature)

    def to_json(self) -> str:
        return json.dumps({**self.fields(), "signature": self.signature}, indent=2)


def sign(fields: dict, key: bytes | None = None) -> str:
    message = "audit-anchor|" + json.dumps(fields, sort_keys=True, separators=(",", ":"))
    key = hmac_key() if key is None else key
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def current_head() -> dict:
    """The chain's newest event as it is now: its sequence (= the number of events) and hash."""
    head = AuditChainHead.objects.filter(pk=1).first()
    count = AuditEvent.objects.count()
    last = AuditEvent.objects.order_by("-pk").first()
    last_hash = last.hash if last else GENESIS
    if head is not None and (head.sequence != count or head.last_hash != last_hash):
        raise ChainBrokenError("the chain head does not point at the last event")
    return {"sequence": count, "hash": last_hash, "count": count}


def make_anchor(now: datetime | None = None) -> Anchor:
    now = now or timezone.now()
    with transaction.atomic():
        # Hold the head so no event is appended between reading the count and the hash.
        AuditChainHead.objects.select_for_update().filter(pk=1).first()
        fields = {**current_head(), "time": now.astimezone(UTC).isoformat()}
    return Anchor(**fields, signature=sign(fields))


def write_anchor(now: datetime | None = None, *, check: bool = True) -> Anchor:
    """Sign the head, store it, mail it. Refuses (ChainBrokenError) if the chain is already
    broken, so an anchor never vouches for a tampered log."""
    if check:
        problem = verify_chain()
        if problem is not None:
            raise ChainBrokenError(problem.describe())
    anchor = make_anchor(now)
    stamp = anchor.time.replace(":", "").replace("-", "").replace("+0000", "Z")
    name = default_storage.save(
        f"{ANCHOR_DIR}/{stamp}-{anchor.sequence}.json", ContentFile(anchor.to_json().encode())
    )
    recipients = anchor_recipients()
    if recipients:
        send_mail(
            _("Audit log anchor: event no. %(seq)s") % {"seq": anchor.sequence},
            _(
                "The audit log's signed head at %(time)s. Keep this e-mail: it lets the audit "
                "log's verification detect events removed after today.\n\n%(anchor)s\n"
            )
            % {"time": anchor.time, "anchor": anchor.to_json()},
            None,
            recipients,
        )
    else:
        logger.warning("audit anchor %s written but mailed to nobody (no auditors)", name)
    return Anchor(**anchor.fields(), signature=anchor.signature, name=name)


def anchor_recipients() -> list[str]:
    if settings.AUDIT_ANCHOR_EMAIL:
        return list(settings.AUDIT_ANCHOR_EMAIL)
    from accounts.models import Role, User

    return list(
        User.objects.filter(role=Role.AUDITOR, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )


def parse_anchor(text: str, name: str = "") -> Anchor:
    """An anchor from its JSON (a stored file, or pasted from the e-mail). Unreadable text gives
    an anchor whose signature does not verify."""
    try:
        data = json.loads(text)
        return Anchor(
            sequence=int(data["sequence"]),
            hash=str(data["hash"]),
            count=int(data["count"]),
            time=str(data["time"]),
            signature=str(data["signature"]),
            name=name,
        )
    except (ValueError, KeyError, TypeError):
        return Anchor(sequence=0, hash="", count=0, time="", signature="", name=name)


def load_anchors() -> list[Anchor]:
    """Every anchor in private storage, oldest sequence first."""
    try:
        _dirs, files = default_storage.listdir(ANCHOR_DIR)
    except FileNotFoundError:
        return []
    anchors = []
    for filename in files:
        if not filename.endswith(".json"):
            continue
        path = f"{ANCHOR_DIR}/{filename}"
        with default_storage.open(path, "rb") as handle:
            anchors.append(parse_anchor(handle.read().decode("utf-8", "replace"), path))
    return sorted(anchors, key=lambda a: (a.sequence, a.time))
