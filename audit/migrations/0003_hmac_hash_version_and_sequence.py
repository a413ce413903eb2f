"""Keyed hashes (HMAC-SHA256, version 2) for new events; the events already written keep their
legacy hash (version 1) and are verified with it. Nothing already in the log is rewritten."""

from django.db import migrations, models


def count_existing_events(apps, schema_editor):
    """The head learns how long the chain already is, so the first keyed event gets the next
    sequence number. Only the head row is written; the events themselves are not touched."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    AuditChainHead.objects.filter(pk=1).update(sequence=AuditEvent.objects.count())


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain_head_and_guard")]

    operations = [
        # Existing rows get version 1 (the legacy scheme); new rows default to 2 (HMAC).
        migrations.AddField(
            model_name="auditevent",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=1, editable=False),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=2, editable=False),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(
                blank=True, editable=False, null=True, unique=True
            ),
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="sequence",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.RunPython(count_existing_events, migrations.RunPython.noop),
    ]
