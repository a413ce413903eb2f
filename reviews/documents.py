"""The receipt PDF and the dossier ZIP (PDF summary + every material) of an application."""

import os
import tempfile
import zipfile

from django.utils import timezone

from core.pdf import render_pdf

from .models import Application


def receipt_pdf(application: Application) -> bytes:
    return render_pdf(
        "reviews/pdf/receipt.html",
        {"application": application, "snap": application.snapshot, "now": timezone.localtime()},
    )


def summary_pdf(application: Application) -> bytes:
    return render_pdf(
        "reviews/pdf/summary.html",
        {"application": application, "snap": application.snapshot, "now": timezone.localtime()},
    )


def _safe(name: str) -> str:
    return "".join("_" if c in '/\\:*?"<>|' else c for c in name).strip() or "file"


def dossier_zip(application: Application):
    """A temporary file holding the ZIP: materials can be large videos, so nothing is built in
    memory. The caller streams it and the file disappears when closed."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - returned open, closed by the response
    base = _safe(application.number or f"application-{application.pk}")
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{base}/{base}-summary.pdf", summary_pdf(application))
        for material in application.materials.all():
            name = f"{base}/materials/{material.kind}/{material.pk}-{_safe(material.original_name)}"
            with material.file.open("rb") as source, archive.open(name, "w") as target:
                while chunk := source.read(1024 * 1024):
                    target.write(chunk)
    handle.seek(0, os.SEEK_SET)
    return handle
