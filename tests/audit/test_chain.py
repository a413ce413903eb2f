"""The audit log (DESIGN.md "Audit"): append-only, chained by hashes, tamper-evident."""

import pytest
from django.db import connection, transaction
from django.utils import timezone, translation

from audit.models import AppendOnlyError, AuditChainHead, AuditEvent
from audit.services import ChainBreak, record_event, verify_chain
from tests.factories.accounts import DistrictStaffFactory
from tests.factories.studios import StudioFactory

pytestmark = pytest.mark.django_db


def record(actor, studio, n=3):
    with transaction.atomic():
        return [
            record_event(
                actor, "studio.updated", studio, before={"n": i}, after={"n": i + 1}, studio=studio
            )
            for i in range(n)
        ]


def test_events_chain_each_to_its_predecessor():
    events = record(DistrictStaffFactory(), StudioFactory())
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert verify_chain() is None


@pytest.mark.django_db(transaction=True)
def test_record_event_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        record_event(None, "x", StudioFactory())


def test_orm_refuses_to_edit_or_delete_an_event():
    [event] = record(DistrictStaffFactory(), StudioFactory(), n=1)
    event.reason = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_tampering_below_the_orm_is_detected():
    events = record(DistrictStaffFactory(), StudioFactory(), n=4)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # a superuser switching the guard trigger off
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE audit_auditevent SET reason = 'forged' WHERE id = %s", [events[2].pk]
        )
    broken = verify_chain()
    assert (broken.event_id, broken.reason) == (events[2].pk, ChainBreak.CONTENT)


def test_postgres_itself_refuses_update_and_delete(on_postgres):
    from django.db import DatabaseError

    [event] = record(DistrictStaffFactory(), StudioFactory(), n=1)
    for sql in (
        "UPDATE audit_auditevent SET reason = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])


def test_studio_timeline_reads_its_own_events_only():
    actor = DistrictStaffFactory()
    studio, other = StudioFactory(), StudioFactory()
    record(actor, studio, n=2)
    record(actor, other, n=1)
    assert AuditEvent.objects.for_studio(studio.pk).count() == 2


# --- The three attacks of issue 14: each passed `audit_verify` before the keyed chain. ---------


def raw_sql(sql, params=()):
    """Write below the ORM, as someone with database access would. On PostgreSQL the guard
    trigger refuses UPDATE/DELETE on the log, so the attacker (a superuser) switches it off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, list(params))


def test_editing_an_events_object_text_is_detected():
    events = record(DistrictStaffFactory(), StudioFactory(), n=4)
    raw_sql(
        "UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", ["另一个工作室", events[1].pk]
    )
    broken = verify_chain()
    assert broken is not None, "object text is outside the hash"
    assert (broken.event_id, broken.sequence, broken.reason) == (
        events[1].pk,
        events[1].sequence,
        ChainBreak.CONTENT,
    )
    assert str(events[1].pk) in broken.describe()


def test_every_stored_column_but_the_hash_is_covered():
    from audit.services import hashed_fields

    covered = {f.name for f in hashed_fields()}
    stored = {f.name for f in AuditEvent._meta.concrete_fields}
    assert stored - covered == {"id", "hash"}
    assert {"object_repr", "actor", "sequence", "hash_version", "prev_hash"} <= covered


def rechain_from(events_from, key):
    """What an attacker with database access but without the key does: recompute every hash
    from an event onwards with the project's own function, then move the head along."""
    from audit.services import compute_hash

    prev = AuditEvent.objects.filter(pk__lt=events_from).order_by("-pk").first()
    prev_hash = prev.hash if prev else "0" * 64
    for event in AuditEvent.objects.filter(pk__gte=events_from).order_by("pk"):
        event.prev_hash = prev_hash
        new_hash = compute_hash(prev_hash, event, key=key)
        raw_sql(
            "UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s",
            [prev_hash, new_hash, event.pk],
        )
        prev_hash = new_hash
    AuditChainHead.objects.filter(pk=1).update(last_hash=prev_hash)


def test_rewriting_the_actor_and_recomputing_the_chain_without_the_key_is_detected():
    staff, impostor = DistrictStaffFactory(), DistrictStaffFactory()
    events = record(staff, StudioFactory(), n=4)
    raw_sql("UPDATE audit_auditevent SET actor_id = %s WHERE id = %s", [impostor.pk, events[1].pk])
    rechain_from(events[1].pk, key=b"the attacker's guess, not the key")
    broken = verify_chain()
    assert broken is not None, "the chain was recomputed with the project's own function"
    assert (broken.event_id, broken.reason) == (events[1].pk, ChainBreak.CONTENT)


def test_an_unknown_hash_version_is_a_content_change_not_a_crash():
    events = record(DistrictStaffFactory(), StudioFactory(), n=2)
    raw_sql("UPDATE audit_auditevent SET hash_version = 99 WHERE id = %s", [events[1].pk])
    broken = verify_chain()
    assert (broken.event_id, broken.reason) == (events[1].pk, ChainBreak.CONTENT)


def test_rewriting_with_the_legacy_unkeyed_scheme_is_detected():
    events = record(DistrictStaffFactory(), StudioFactory(), n=3)
    raw_sql("UPDATE audit_auditevent SET hash_version = 1 WHERE id = %s", [events[2].pk])
    rechain_from(events[2].pk, key=None)
    broken = verify_chain()
    assert (broken.event_id, broken.reason) == (events[2].pk, ChainBreak.DOWNGRADE)


def test_legacy_events_still_verify_with_their_own_scheme_before_keyed_ones():
    """Events written before the migration keep their unkeyed hash and verify unchanged."""
    from audit.services import GENESIS, compute_legacy_hash

    studio, actor = StudioFactory(), DistrictStaffFactory()
    with transaction.atomic():
        prev = GENESIS
        for i in range(2):
            legacy = AuditEvent(
                at=timezone.now(),
                actor=actor,
                action="studio.updated",
                object_type="studios.studio",
                object_id=str(studio.pk),
                object_repr=str(studio),
                after={"n": i},
                hash_version=1,
                prev_hash=prev,
            )
            legacy.hash = compute_legacy_hash(prev, legacy)
            legacy.save()
            prev = legacy.hash
        AuditChainHead.objects.update_or_create(pk=1, defaults={"last_hash": prev, "sequence": 2})
    [keyed] = record(actor, studio, n=1)
    assert keyed.sequence == 3 and keyed.prev_hash == prev
    assert verify_chain() is None


def test_truncating_the_log_and_moving_the_head_back_is_detected_by_the_anchor():
    from audit.anchors import write_anchor

    events = record(DistrictStaffFactory(), StudioFactory(), n=5)
    anchor = write_anchor()
    assert anchor.sequence == 5 and anchor.hash == events[-1].hash
    assert verify_chain() is None
    raw_sql("DELETE FROM audit_auditevent WHERE id IN (%s, %s)", [events[3].pk, events[4].pk])
    AuditChainHead.objects.filter(pk=1).update(last_hash=events[2].hash, sequence=3)
    broken = verify_chain()
    assert broken is not None, "the shortened chain is consistent on its own"
    assert (broken.reason, broken.anchor, broken.sequence) == (ChainBreak.TRUNCATED, 5, 3)
    assert "5" in broken.describe()


def test_truncating_and_regrowing_the_log_differs_from_the_anchor():
    from audit.anchors import write_anchor

    actor, studio = DistrictStaffFactory(), StudioFactory()
    events = record(actor, studio, n=3)
    write_anchor()
    raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    AuditChainHead.objects.filter(pk=1).update(last_hash=events[1].hash, sequence=2)
    [forged] = record(actor, studio, n=1)  # a new third event, written through the portal
    broken = verify_chain()
    assert (broken.reason, broken.event_id, broken.anchor) == (
        ChainBreak.ANCHOR_MISMATCH,
        forged.pk,
        3,
    )


def test_an_anchor_is_signed_stored_privately_and_mailed_to_the_auditors(settings):
    import json

    from django.core import mail
    from django.core.files.storage import default_storage

    from audit.anchors import load_anchors, write_anchor
    from tests.factories.accounts import UserFactory

    settings.AUDIT_ANCHOR_EMAIL = []
    auditor = UserFactory(role="auditor", email="auditor@etown.example.cn")
    UserFactory(role="auditor", email="gone@etown.example.cn", is_active=False)
    events = record(DistrictStaffFactory(), StudioFactory(), n=2)
    anchor = write_anchor()
    assert anchor.name.startswith("audit-anchors/")
    stored = json.loads(default_storage.open(anchor.name).read())
    assert stored["sequence"] == stored["count"] == 2 and stored["hash"] == events[-1].hash
    assert stored["signature"] == anchor.signature and anchor.valid
    [message] = mail.outbox
    assert message.to == [auditor.email] and anchor.signature in message.body
    assert [a.sequence for a in load_anchors()] == [2]

    settings.AUDIT_ANCHOR_EMAIL = ["audit-office@etown.example.cn"]
    write_anchor()
    assert mail.outbox[-1].to == ["audit-office@etown.example.cn"]


def test_a_forged_anchor_is_reported_not_trusted():
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from audit.anchors import make_anchor

    record(DistrictStaffFactory(), StudioFactory(), n=2)
    anchor = make_anchor()
    forged = anchor.to_json().replace(anchor.signature, "0" * 64)
    default_storage.save("audit-anchors/forged.json", ContentFile(forged.encode()))
    assert verify_chain().reason == ChainBreak.ANCHOR_FORGED


def test_no_anchor_is_written_for_a_broken_chain():
    from audit.anchors import ChainBrokenError, write_anchor

    events = record(DistrictStaffFactory(), StudioFactory(), n=2)
    raw_sql("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [events[0].pk])
    with pytest.raises(ChainBrokenError):
        write_anchor()


def test_the_daily_anchor_is_scheduled_by_name(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["audit-daily-anchor"]
    assert entry["task"] == "audit.tasks.anchor_chain_head"
    from audit.tasks import anchor_chain_head

    record(DistrictStaffFactory(), StudioFactory(), n=1)
    assert anchor_chain_head.delay().get().startswith("audit-anchors/")


def test_audit_verify_says_where_and_why(capsys):
    from django.core.management import CommandError, call_command

    events = record(DistrictStaffFactory(), StudioFactory(), n=3)
    call_command("audit_verify")
    assert "intact" in capsys.readouterr().out
    call_command("audit_anchor")
    raw_sql("UPDATE audit_auditevent SET object_repr = 'x' WHERE id = %s", [events[1].pk])
    english = rf"event {events[1].pk} \(no\. 2\): its content"
    with translation.override("en"), pytest.raises(CommandError, match=english):
        call_command("audit_verify")
    with pytest.raises(CommandError, match=rf"事件{events[1].pk}（第2号）：记录后内容被修改"):
        call_command("audit_verify")


def test_the_audit_page_names_the_first_bad_event(client):
    from django.urls import reverse

    from tests.factories.accounts import UserFactory

    events = record(DistrictStaffFactory(), StudioFactory(), n=3)
    client.force_login(UserFactory(role="auditor"))
    url = reverse("audit:event_list") + "?verify=1"
    assert "alert-success" in client.get(url).content.decode()
    raw_sql("UPDATE audit_auditevent SET object_repr = 'x' WHERE id = %s", [events[1].pk])
    page = client.get(url).content.decode()
    assert "alert-danger" in page and f"{events[1].pk}" in page and "alert-success" not in page
