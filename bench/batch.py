"""The batch figures of ``make bench``: certificates rendered per second, the daily reminder job
and the yearly compliance verdicts — each timed, with its SQL statements counted."""

import time
from contextlib import contextmanager

from django.db import connection
from django.utils import timezone

from accounts.models import Role, User
from ledgers.compliance import compliance_rows
from reviews.round_services import send_scoring_reminders
from reviews.services import send_call_close_reminders
from studios.certificates import start_certificate_batch
from studios.lifecycle import HOLDS_TITLE
from studios.lifecycle_models import BatchStatus, CertificateBatch
from studios.models import Studio
from studios.reminders import send_lifecycle_reminders


@contextmanager
def measured():
    """``{"seconds": …, "queries": …}`` of the block, filled in when it ends."""
    figures = {"queries": 0}

    def counting(execute, sql, params, many, context):
        figures["queries"] += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(counting):
        yield figures
    figures["seconds"] = round(time.perf_counter() - started, 2)


def certificates(count: int) -> dict:
    """A staff certificate batch over ``count`` title holders, rendered eagerly (WeasyPrint)."""
    staff = User.objects.filter(role=Role.DISTRICT_UNION, is_active=True).order_by("pk").first()
    ids = list(
        Studio.objects.filter(status__in=HOLDS_TITLE).order_by("pk").values_list("pk", flat=True)
    )[:count]
    with measured() as figures:
        batch = start_certificate_batch(staff, ids)
    batch = CertificateBatch.objects.get(pk=batch.pk)
    assert batch.status == BatchStatus.FINISHED, batch.error
    return {
        "certificates": batch.total,
        **figures,
        "per_second": round(batch.total / figures["seconds"], 2),
    }


def reminders() -> dict:
    """The daily reminder jobs (lifecycle, call close, scoring) as beat runs them, over every
    studio in the database; a second run shows the idempotent day (nothing sent again)."""
    today = timezone.localdate()
    runs = []
    for _attempt in range(2):
        with measured() as figures:
            sent = (
                send_lifecycle_reminders(today)
                + send_call_close_reminders(today)
                + send_scoring_reminders(today)
            )
        runs.append({**figures, "sent": sent})
    return {"studios": Studio.objects.count(), "first_run": runs[0], "second_run": runs[1]}


def compliance(studio_count: int, years: int = 5) -> dict:
    """R14 / R32 (4) verdicts for ``studio_count`` studios × ``years`` years."""
    this_year = timezone.localdate().year
    span = list(range(this_year - years + 1, this_year + 1))
    ids = list(Studio.objects.order_by("pk").values_list("pk", flat=True)[:studio_count])
    with measured() as figures:
        rows = compliance_rows(Studio.objects.filter(pk__in=ids).order_by("pk"), span)
        verdicts = sum(1 for _studio, by_year in rows for sy in by_year if sy.status)
    return {"studios": len(rows), "years": years, "verdicts": verdicts, **figures}
