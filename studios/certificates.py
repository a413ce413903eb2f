"""The plaque certificate (授牌, R16): issued on recognition, on passing a cycle re-review (with
the 创新活力之星 title when awarded), after a passed rectification and after a rename; rendered to
PDF by a task; verified by anyone at ``/verify/<code>/``.

Numbers come from a per-year serial row locked while issuing, so they are unique and have no
gaps. What a certificate says is frozen when it is issued; whether it is valid is decided live.
"""

import base64
import logging
import secrets
from datetime import date

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import record_event
from core.dates import cycle_end
from core.pdf import render_pdf
from core.permissions import require_perm

from .lifecycle_models import (
    BatchStatus,
    Certificate,
    CertificateBatch,
    CertificateKind,
    CertificateSerial,
)
from .models import Studio, StudioStatus, StudioType

log = logging.getLogger(__name__)
PDF_TEMPLATE = "studios/pdf/certificate.html"

#: Which lifecycle moves issue a certificate, and of what kind.
ISSUED_BY_ACTION = {
    "recognise": CertificateKind.RECOGNITION,
    "pass_next_year_rereview": CertificateKind.RECOGNITION,
    "pass_cycle_rereview": CertificateKind.CYCLE,
    "pass_rectification": CertificateKind.CYCLE,
    "rename": CertificateKind.RENAME,
}
HOLDS_TITLE = (
    StudioStatus.RECOGNISED,
    StudioStatus.IN_CYCLE,
    StudioStatus.UNDER_REREVIEW,
    StudioStatus.RECTIFICATION,
)


class Validity:
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


def next_certificate_number(year: int) -> tuple[int, str]:
    serial_row, _created = CertificateSerial.objects.get_or_create(year=year)
    serial_row = CertificateSerial.objects.select_for_update().get(pk=serial_row.pk)
    serial_row.last += 1
    serial_row.save(update_fields=["last"])
    return serial_row.last, f"京开工创〔{year}〕第{serial_row.last:04d}号"


def new_verification_code() -> str:
    while True:
        code = base64.b32encode(secrets.token_bytes(10)).decode().rstrip("=")
        if not Certificate.objects.filter(code=code).exists():
            return code


def current_certificate(studio):
    return studio.certificates.filter(superseded_by__isnull=True).order_by("-pk").first()


def issue_certificate(studio: Studio, kind: str, on: date, *, star=False) -> Certificate:
    """Issue a certificate saying what the studio is today, supersede the one it replaces, and
    render its PDF after commit. Must run inside the caller's transaction."""
    cycle = studio.cycles.filter(closed_on__isnull=True).order_by("-number").first()
    valid_until = cycle.ends_on if cycle else cycle_end(studio.recognised_on or on)
    serial, number = next_certificate_number(on.year)
    leader = studio.leaders.filter(until__isnull=True).first()
    previous = current_certificate(studio)
    certificate = Certificate.objects.create(
        studio=studio,
        kind=CertificateKind.STAR if star else kind,
        number=number,
        serial_year=on.year,
        serial=serial,
        code=new_verification_code(),
        cycle=cycle,
        issued_on=on,
        valid_until=valid_until,
        studio_name=studio.name,
        enterprise_name=studio.enterprise.name,
        leader_name=leader.name if leader else "",
        studio_type=studio.type,
        recognised_on=studio.first_recognised_on or studio.recognised_on or on,
        cycle_number=studio.cycle_number,
        star=star,
    )
    if previous is not None:
        previous.superseded_by = certificate
        previous.save(update_fields=["superseded_by"])
    record_event(
        None,
        "certificate.issued",
        certificate,
        after={"number": number, "kind": certificate.kind, "valid_until": valid_until},
        rule="R16",
        studio=studio,
    )
    transaction.on_commit(lambda: schedule_render(certificate.pk))
    return certificate


def issue_certificate_for(studio, action: str, on: date, *, star=False):
    kind = ISSUED_BY_ACTION.get(action)
    if kind is None:
        return None
    return issue_certificate(studio, kind, on, star=star)


def schedule_render(certificate_id: int) -> None:
    """Ask a worker to render; if the broker is down the certificate stays unrendered (its own
    pending state, ``rendered_at`` empty) and the periodic outbox drain renders it later."""
    from .tasks import render_certificate_task

    try:
        render_certificate_task.delay(certificate_id)
    except Exception:  # broker down (or, eager, rendering failed): the drain catches up
        log.warning(
            "certificate %s not rendered yet; the outbox drain will", certificate_id, exc_info=True
        )


# --- Rendering ----------------------------------------------------------------------------


def verification_url(certificate) -> str:
    return settings.SITE_URL + reverse("studios:verify_certificate", args=[certificate.code])


def qr_svg_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2, dark="#1f2a44")


def certificate_context(certificate) -> dict:
    """Plain strings only, so the same context can be handed to a separate process (the test
    that renders with no system fonts does)."""
    url = verification_url(certificate)
    type_labels = {
        StudioType.TECHNICAL: "技术攻关型",
        StudioType.SKILLS: "技能传授型",
        StudioType.SERVICE: "窗口服务型",
    }
    return {
        "number": certificate.number,
        "studio_name": certificate.studio_name,
        "enterprise_name": certificate.enterprise_name,
        "leader_name": certificate.leader_name,
        "studio_type": type_labels.get(certificate.studio_type, certificate.studio_type),
        "recognised_on": _cn_date(certificate.recognised_on),
        "issued_on": _cn_date(certificate.issued_on),
        "valid_until": _cn_date(certificate.valid_until),
        "cycle_number": str(certificate.cycle_number),
        "cycle": (
            f"{certificate.cycle.starts_on:%Y.%m.%d} — {certificate.cycle.ends_on:%Y.%m.%d}"
            if certificate.cycle
            else ""
        ),
        "star": bool(certificate.star),
        "verify_url": url,
        "code": certificate.code,
        "qr_uri": qr_svg_data_uri(url),
    }


def _cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def render_certificate(certificate) -> Certificate:
    """Render the PDF and store it on the certificate (replacing an earlier rendering).

    The file's name is fixed by the certificate and its rendering count, so a rendering that
    died before its commit is overwritten by the retry instead of leaving a stray copy; the
    previous file is removed only once the new one is committed."""
    pdf = render_pdf(PDF_TEMPLATE, certificate_context(certificate))
    storage = certificate.pdf.storage
    old_name = certificate.pdf.name
    certificate.renders += 1
    name = f"studios/certificate/{certificate.pk}-{certificate.renders}.pdf"
    storage.delete(name)  # left behind by a rendering that never committed
    certificate.pdf.name = storage.save(name, ContentFile(pdf))
    certificate.rendered_at = timezone.now()
    certificate.save(update_fields=["pdf", "rendered_at", "renders"])
    if old_name and old_name != certificate.pdf.name:
        transaction.on_commit(lambda: storage.delete(old_name))
    return certificate


def render_certificate_by_id(certificate_id: int) -> None:
    certificate = Certificate.objects.select_related("cycle").get(pk=certificate_id)
    render_certificate(certificate)


def render_certificate_if_pending(certificate_id: int) -> bool:
    """Render a certificate issued but not yet rendered, exactly once: the row is locked while
    rendering and a concurrent drain or task skips it; one already rendered is left alone."""
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("cycle")
            .filter(pk=certificate_id, rendered_at__isnull=True)
            .first()
        )
        if certificate is None:
            return False
        render_certificate(certificate)
        return True


# --- The outbox: what a broker outage or a dead worker left undone ---------------------------


def render_pending_certificates(limit: int = 500) -> int:
    """Render every certificate still waiting for its PDF (its task never reached a worker)."""
    pending = (
        Certificate.objects.filter(rendered_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(render_certificate_if_pending(pk) for pk in list(pending))


def resume_abandoned_batches() -> int:
    """Run each queued or running batch on from its cursor. A batch a live worker is rendering
    at this moment is skipped (its row is locked); if the two ever interleave, each step still
    renders the certificate at the cursor under the row lock, so nothing is done twice."""
    resumed = 0
    open_batches = CertificateBatch.objects.filter(
        status__in=[BatchStatus.QUEUED, BatchStatus.RUNNING]
    ).order_by("pk")
    for batch_id in list(open_batches.values_list("pk", flat=True)):
        with transaction.atomic():
            free = CertificateBatch.objects.select_for_update(skip_locked=True).filter(pk=batch_id)
            if not free.exists():
                continue
        run_certificate_batch(batch_id)
        resumed += 1
    return resumed


def drain_certificate_outbox() -> dict:
    return {
        "rendered": render_pending_certificates(),
        "batches_resumed": resume_abandoned_batches(),
    }


# --- Verification -------------------------------------------------------------------------


def validity_of(certificate, today: date | None = None) -> str:
    today = today or timezone.localdate()
    if certificate.studio.status == StudioStatus.REVOKED:
        return Validity.REVOKED
    if certificate.superseded_by_id:
        return Validity.SUPERSEDED
    if certificate.studio.status not in HOLDS_TITLE or certificate.valid_until < today:
        return Validity.EXPIRED
    return Validity.VALID


# --- Staff: regenerate one or many, with progress -------------------------------------------


def certificate_to_render(studio, on: date) -> Certificate:
    """The studio's current certificate, issued now if it never had one."""
    existing = current_certificate(studio)
    if existing is not None:
        return existing
    star = studio.cycles.filter(star_awarded=True).exists()
    return issue_certificate(studio, CertificateKind.RECOGNITION, on, star=star)


@transaction.atomic
def start_certificate_batch(actor, studio_ids, on: date | None = None) -> CertificateBatch:
    """Staff (re)generate the certificates of many studios; the page follows the progress."""
    require_perm(actor, "studios.manage_certificates")
    on = on or timezone.localdate()
    studios = (
        Studio.objects.filter(pk__in=list(studio_ids), status__in=HOLDS_TITLE)
        .select_related("enterprise")
        .order_by("pk")
    )
    ids = [certificate_to_render(studio, on).pk for studio in studios]
    batch = CertificateBatch.objects.create(created_by=actor, certificate_ids=ids)
    record_event(actor, "certificate.batch_started", batch, after={"certificates": len(ids)})
    transaction.on_commit(lambda: schedule_batch(batch.pk))
    return batch


@transaction.atomic
def regenerate_certificate(actor, studio) -> CertificateBatch:
    require_perm(actor, "studios.manage_certificates")
    return start_certificate_batch(actor, [studio.pk])


def schedule_batch(batch_id: int) -> None:
    from .tasks import run_certificate_batch_task

    try:
        run_certificate_batch_task.delay(batch_id)
    except Exception:  # the batch keeps its cursor; the outbox drain (or staff) resumes it
        log.warning(
            "certificate batch %s not started; the outbox drain will resume it",
            batch_id,
            exc_info=True,
        )


def run_certificate_batch(batch_id: int) -> CertificateBatch:
    """Render the batch from where it stopped. Each step renders one certificate and advances
    the cursor in one transaction under the batch's row lock: a worker that dies mid-step
    leaves the cursor before that certificate, so the resumed run renders it (again, into the
    same row) and goes on; two workers never run the same batch at once."""
    while True:
        try:
            with transaction.atomic():
                batch = CertificateBatch.objects.select_for_update().get(pk=batch_id)
                if batch.done >= batch.total:
                    return _finish(batch)
                render_certificate_by_id(batch.certificate_ids[batch.done])
                batch.done += 1
                batch.status = BatchStatus.RUNNING
                batch.save(update_fields=["done", "status"])
        except Exception as exc:
            CertificateBatch.objects.filter(pk=batch_id).update(
                status=BatchStatus.FAILED, error=str(exc)[:1000]
            )
            raise


def _finish(batch) -> CertificateBatch:
    if batch.status != BatchStatus.FINISHED:
        batch.status = BatchStatus.FINISHED
        batch.error = ""
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "error", "finished_at"])
    return batch


@transaction.atomic
def resume_certificate_batch(actor, batch) -> CertificateBatch:
    """A batch whose worker died (or that stopped on an error) is resumed from its cursor."""
    require_perm(actor, "studios.manage_certificates")
    record_event(actor, "certificate.batch_resumed", batch, after={"done": batch.done})
    transaction.on_commit(lambda: schedule_batch(batch.pk))
    return batch
