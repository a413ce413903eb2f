"""Certificates (R16 授牌): rendered in Chinese on a machine with no Chinese fonts, QR code to the
public verification page, numbers unique and gapless, batches that resume without duplicates."""

import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zlib
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse

from studios import certificates, lifecycle
from studios.certificates import certificate_context, validity_of
from studios.lifecycle_models import Certificate, CertificateBatch
from tests.conftest import require
from tests.factories.accounts import DistrictStaffFactory
from tests.factories.studios import EligibleStudioFactory

pytestmark = pytest.mark.django_db
RARE_NAME = "喆堃淼焊接创新工作室"

RENDER_SCRIPT = """
import json, sys, django
django.setup()
from core.pdf import render_pdf
context = json.load(open(sys.argv[1]))
open(sys.argv[2], "wb").write(render_pdf("studios/pdf/certificate.html", context))
"""


@pytest.fixture
def staff():
    return DistrictStaffFactory()


def recognised(staff, name=RARE_NAME, on=date(2025, 6, 20)):
    studio = EligibleStudioFactory(name=name)
    lifecycle.recognise(studio, staff, on=on)
    return studio


def render_without_system_fonts(context: dict, tmp_path: Path) -> Path:
    """Run WeasyPrint in a child process whose fontconfig knows one empty directory only."""
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{empty}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "DJANGO_SETTINGS_MODULE": "config.settings"}
    if shutil.which("fc-list"):
        listed = subprocess.run(["fc-list"], env=env, capture_output=True, text=True, check=True)
        assert listed.stdout.strip() == "", "the child process must see no system font at all"
    ctx_file, pdf_file = tmp_path / "ctx.json", tmp_path / "certificate.pdf"
    ctx_file.write_text(json.dumps(context, ensure_ascii=False))
    subprocess.run(
        [sys.executable, "-c", RENDER_SCRIPT, str(ctx_file), str(pdf_file)],
        env=env,
        cwd=settings.BASE_DIR,
        check=True,
        capture_output=True,
    )
    return pdf_file


def embedded_fonts(pdf: bytes):
    """The OpenType fonts embedded in the PDF's streams, loaded with fontTools."""
    from fontTools.ttLib import TTFont

    for match in re.finditer(rb"stream\r?\n", pdf):
        raw = pdf[match.end() : pdf.find(b"endstream", match.end())]
        try:
            blob = zlib.decompressobj().decompress(raw)
        except zlib.error:
            continue
        if blob[:4] in (b"OTTO", b"\x00\x01\x00\x00"):
            yield TTFont(io.BytesIO(blob))


def test_r16_certificate_renders_with_no_system_fonts_every_glyph_embedded_and_qr_decodes(
    staff, tmp_path
):
    require(shutil.which("pdftoppm") is not None, "needs poppler-utils (pdftoppm)")
    require(importlib.util.find_spec("zxingcpp") is not None, "needs zxing-cpp (dev extra)")
    import zxingcpp
    from PIL import Image

    studio = recognised(staff)
    certificate = studio.certificates.get()
    context = certificate_context(certificate)
    pdf_path = render_without_system_fonts(context, tmp_path)
    pdf = pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF")

    fonts = list(embedded_fonts(pdf))
    assert fonts, "the font must be embedded"
    assert all("NotoSansCJKsc" in f["name"].getDebugName(6) for f in fonts)  # only ours
    for char in RARE_NAME + certificate.enterprise_name:
        glyphs = [f.getBestCmap().get(ord(char)) for f in fonts]
        assert any(g and g != ".notdef" for g in glyphs), f"no glyph for {char!r}"

    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf_path), str(tmp_path / "page")])
    page = Image.open(next(tmp_path.glob("page*.png")))
    assert page.width > page.height  # A4 landscape
    decoded = [r.text for r in zxingcpp.read_barcodes(page)]
    expected = settings.SITE_URL + reverse("studios:verify_certificate", args=[certificate.code])
    assert decoded == [expected]


def test_r16_certificate_is_rendered_by_the_task_after_recognition(
    staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        studio = recognised(staff, name="张三焊接创新工作室")
    certificate = studio.certificates.get()
    assert certificate.rendered_at and certificate.pdf.read(4) == b"%PDF"
    assert certificate.studio_name == "张三焊接创新工作室" and certificate.kind == "recognition"


def test_r25_star_certificate_and_numbers_are_unique_and_gapless(staff):
    studio = recognised(staff)
    lifecycle.record_next_year_rereview(studio, staff, True, on=date(2026, 6, 10))
    lifecycle.record_cycle_rereview(studio, staff, "pass", on=date(2030, 3, 1), star=True)
    other = recognised(staff, name="李四创新工作室", on=date(2025, 7, 1))
    serials_2025 = sorted(
        Certificate.objects.filter(serial_year=2025).values_list("serial", flat=True)
    )
    assert serials_2025 == list(range(1, len(serials_2025) + 1))
    latest = certificates.current_certificate(studio)
    assert latest.star and latest.kind == "star" and latest.cycle_number == 2
    assert latest.valid_until == date(2035, 6, 19)
    assert Certificate.objects.filter(superseded_by__isnull=True, studio=studio).count() == 1
    assert certificates.current_certificate(other).number.startswith("京开工创〔2025〕")


def test_r32_verification_page_says_valid_then_revoked(staff, client):
    studio = recognised(staff)
    certificate = studio.certificates.get()
    url = reverse("studios:verify_certificate", args=[certificate.code])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and 'id="validity"' in page.content.decode()
    assert validity_of(certificate, date(2026, 1, 1)) == "valid"
    assert validity_of(certificate, date(2031, 1, 1)) == "expired"
    lifecycle.revoke(studio, staff, [5], on=date(2026, 3, 1))
    certificate.refresh_from_db()
    assert validity_of(certificate) == "revoked"
    body = client.get(url).content.decode()
    assert "Article 32" in body or "第三十二条" in body
    assert client.get(reverse("studios:verify_certificate", args=["NOSUCHCODE"])).status_code == 404


def test_an_unknown_verification_code_says_in_chinese_that_no_such_certificate_exists(client):
    response = client.get(reverse("studios:verify_certificate", args=["NOSUCHCODE"]))
    page = response.content.decode()
    assert response.status_code == 404
    assert "查无此证书" in page and "NOSUCHCODE" in page
    assert "portal-navbar" in page and 'id="validity"' in page


def test_batch_resumed_after_a_crash_renders_everything_once_with_no_duplicate_or_gap(staff):
    studios = [recognised(staff, name=f"批量创新工作室{i}") for i in range(4)]
    issued = Certificate.objects.count()
    batch = certificates.start_certificate_batch(staff, [s.pk for s in studios])
    real_render = certificates.render_certificate
    calls = []

    def crash_on_third(certificate):
        calls.append(certificate.pk)
        if len(calls) == 3:
            raise RuntimeError("worker killed")
        return real_render(certificate)

    with (
        mock.patch.object(certificates, "render_certificate", crash_on_third),
        pytest.raises(RuntimeError),
    ):
        certificates.run_certificate_batch(batch.pk)
    batch.refresh_from_db()
    assert (batch.done, batch.status) == (2, "failed")

    certificates.run_certificate_batch(batch.pk)  # the worker comes back
    batch.refresh_from_db()
    assert (batch.done, batch.total, batch.status) == (4, 4, "finished")
    assert Certificate.objects.count() == issued  # nothing issued twice
    rendered = Certificate.objects.filter(pk__in=batch.certificate_ids)
    assert all(c.rendered_at and c.pdf for c in rendered)
    serials = sorted(Certificate.objects.values_list("serial", flat=True))
    assert serials == list(range(1, len(serials) + 1))


def test_batch_page_polls_a_progress_endpoint(staff, client_for):
    studio = recognised(staff)
    batch = CertificateBatch.objects.create(
        created_by=staff, certificate_ids=[studio.certificates.get().pk]
    )
    client = client_for(staff)
    page = client.get(reverse("studios:certificate_batch", args=[batch.pk])).content.decode()
    progress_url = reverse("studios:certificate_batch_progress", args=[batch.pk])
    assert f'hx-get="{progress_url}"' in page
    certificates.run_certificate_batch(batch.pk)
    fragment = client.get(progress_url).content.decode()
    assert "100%" in fragment and "hx-get" not in fragment  # finished: polling stops
