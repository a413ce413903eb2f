"""Messaging: one call, ``notify()``, fans out to the in-app inbox and e-mail.

The Notification rows are the outbox: they are written in the caller's transaction, and the
e-mail is sent after commit by ``deliver_pending_notifications``. If the broker is down the
rows stay pending and the periodic drain sends them later, once.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from core.validators import one_line

from .models import Notification, Role, User

log = logging.getLogger(__name__)
MAX_EMAIL_ATTEMPTS = 5


def district_staff_users():
    return User.objects.filter(is_active=True, role__in=[Role.DISTRICT_UNION, Role.BUREAU])


def union_users_of(enterprise_id):
    return User.objects.filter(
        is_active=True, role=Role.ENTERPRISE_UNION, enterprise_id=enterprise_id
    )


def notify(
    recipients: Iterable[User],
    *,
    kind: str,
    title,
    body="",
    url: str = "",
    key: str = "",
) -> list[Notification]:
    """Queue a message to each recipient, in their own language.

    ``title`` and ``body`` may be lazy translations (``format_lazy``), rendered per recipient.
    With a ``key``, a recipient who already has that key gets nothing new: reminders stay
    idempotent however often the job that sends them runs.
    """
    created = []
    for user in {u.pk: u for u in recipients}.values():
        with translation.override(user.language or settings.LANGUAGE_CODE):
            fields = {
                "kind": kind,
                "key": key,
                "title": one_line(title)[:300],
                "body": str(body),
                "url": url,
            }
        if key and Notification.objects.filter(recipient=user, key=key).exists():
            continue
        try:
            with transaction.atomic():
                created.append(Notification.objects.create(recipient=user, **fields))
        except IntegrityError:
            continue  # a concurrent run stored the same key first
    if created:
        transaction.on_commit(schedule_delivery)
    return created


def notify_many(messages: Iterable[dict]) -> int:
    """``notify`` for a daily job that sends many keyed reminders at once: each message is a
    dict of ``notify``'s arguments (``recipients``, ``kind``, ``title``, ``body``, ``url``,
    ``key``, key required). Runs a constant number of queries whatever the number of messages:
    one to find the keys already sent, one bulk insert (a concurrent run's duplicates are
    ignored by the unique key). Returns how many notifications were stored."""
    messages = list(messages)
    wanted = {(u.pk, m["key"]) for m in messages for u in m["recipients"]}
    if not wanted:
        return 0
    keys = {m["key"] for m in messages}
    users = {u.pk for u in (u for m in messages for u in m["recipients"])}
    seen = set(
        Notification.objects.filter(key__in=keys, recipient_id__in=users).values_list(
            "recipient_id", "key"
        )
    )
    rows = []
    for message in messages:
        for user in {u.pk: u for u in message["recipients"]}.values():
            if (user.pk, message["key"]) in seen:
                continue
            seen.add((user.pk, message["key"]))
            with translation.override(user.language or settings.LANGUAGE_CODE):
                rows.append(
                    Notification(
                        recipient=user,
                        kind=message["kind"],
                        key=message["key"],
                        title=one_line(message["title"])[:300],
                        body=str(message.get("body", "")),
                        url=message.get("url", ""),
                    )
                )
    if rows:
        Notification.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
        transaction.on_commit(schedule_delivery)
    return len(rows)


def schedule_delivery() -> None:
    """Ask a worker to send pending e-mail; if the broker is unreachable the drain catches up."""
    from .tasks import deliver_pending_notifications

    try:
        deliver_pending_notifications.delay()
    except Exception:  # the broker is down: the rows are safe in the outbox
        log.warning("broker unavailable; notifications stay pending for the periodic drain")


def deliver_pending_emails(limit: int = 500) -> int:
    """Send each pending notification's e-mail once. Rows are claimed under a lock that other
    drains skip, so two drains running together never send the same message twice."""
    sent = 0
    with transaction.atomic():
        batch = list(
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(email_status=Notification.EmailStatus.PENDING)
            .order_by("pk")[:limit]
        )
        for note in batch:
            note.email_attempts += 1
            address = note.recipient.email
            if not address:
                note.email_status = Notification.EmailStatus.SKIPPED
            else:
                try:
                    send_mail(
                        one_line(note.title),  # a line break in a subject fails the send
                        _email_body(note),
                        settings.DEFAULT_FROM_EMAIL,
                        [address],
                    )
                    note.email_status = Notification.EmailStatus.SENT
                    note.emailed_at = timezone.now()
                    sent += 1
                except Exception:
                    log.exception("e-mail to %s failed", address)
                    if note.email_attempts >= MAX_EMAIL_ATTEMPTS:
                        note.email_status = Notification.EmailStatus.FAILED
            note.save(update_fields=["email_status", "email_attempts", "emailed_at"])
    return sent


def _email_body(note: Notification) -> str:
    link = f"\n\n{settings.SITE_URL}{note.url}" if note.url else ""
    return f"{note.body}{link}"


def mark_read(user: User, notification_ids=None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())


def password_changed(user: User) -> None:
    """The user chose a new password themselves (change page or e-mailed reset link): an
    administrator's "must change at first login" no longer applies."""
    if user.must_change_password:
        user.must_change_password = False
        User.objects.filter(pk=user.pk).update(must_change_password=False)
