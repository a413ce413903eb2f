"""The audit log (DESIGN.md "Audit"): append-only, chained by hashes, tamper-evident."""

import pytest
from django.db import connection, transaction

from audit.models import AppendOnlyError, AuditEvent
from audit.services import record_event, verify_chain
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
    assert verify_chain() == events[2].pk


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
