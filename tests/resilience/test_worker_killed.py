"""Item 4 of issue #8: a real worker (``celery -A config worker`` on a private Redis) killed
with SIGKILL in the middle of a certificate batch; restarted, the beat job's outbox drain
resumes the batch from its stored cursor and it finishes with no duplicate and no gap."""

from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from studios import certificates, lifecycle
from studios.lifecycle_models import BatchStatus, Certificate, CertificateBatch
from studios.tasks import drain_certificate_outbox
from tests.factories.accounts import DistrictStaffFactory
from tests.factories.studios import EligibleStudioFactory
from tests.resilience.services import (
    PrivateRedis,
    Worker,
    celery_broker,
    database_url_of,
    wait_for,
)

pytestmark = pytest.mark.django_db(transaction=True)
BATCH_SIZE = 30


def batch_state(batch_id):
    return CertificateBatch.objects.values_list("done", "status").get(pk=batch_id)


def test_worker_killed_mid_batch_then_restarted_finishes_with_no_duplicate_or_gap(
    on_postgres, settings, tmp_path
):
    staff = DistrictStaffFactory()
    studios = []
    for i in range(BATCH_SIZE):
        studio = EligibleStudioFactory(name=f"批量授牌创新工作室{i}")
        lifecycle.recognise(studio, staff, on=date(2026, 3, 2))  # rendered once, eagerly
        studios.append(studio)
    media_root = settings.STORAGES["default"]["OPTIONS"]["location"]
    redis = PrivateRedis().start()
    worker_args = (redis.url, database_url_of(connection), media_root, tmp_path / "worker.log")
    worker = Worker(*worker_args).start()
    try:
        with celery_broker(redis.url):
            batch = certificates.start_certificate_batch(staff, [s.pk for s in studios])
        wait_for(lambda: batch_state(batch.pk)[0] >= 3, timeout=120, what="three certificates")
        worker.kill()  # SIGKILL, mid-batch
        done, status = batch_state(batch.pk)
        assert 3 <= done < BATCH_SIZE and status == BatchStatus.RUNNING

        worker = Worker(*worker_args).start()
        with celery_broker(redis.url):
            drain_certificate_outbox.delay()  # what beat sends every 5 minutes
        wait_for(
            lambda: batch_state(batch.pk)[1] == BatchStatus.FINISHED,
            timeout=180,
            what="the resumed batch to finish",
        )
    finally:
        worker.kill()
        redis.kill()

    batch.refresh_from_db()
    assert (batch.done, batch.total) == (BATCH_SIZE, BATCH_SIZE)
    rendered = Certificate.objects.filter(pk__in=batch.certificate_ids)
    # Each certificate: once when issued, exactly once by the batch (a step killed before its
    # commit does not count, and its retry overwrote the file it had written).
    assert sorted(c.renders for c in rendered) == [2] * BATCH_SIZE
    assert Certificate.objects.count() == BATCH_SIZE  # nothing issued twice
    files = sorted(p.name for p in (Path(media_root) / "studios" / "certificate").glob("*.pdf"))
    assert files == sorted(f"{c.pk}-2.pdf" for c in rendered)  # no stray or missing PDF
    assert all(c.pdf.read(4) == b"%PDF" for c in rendered)
