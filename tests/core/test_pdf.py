"""PDFs embed the shipped Chinese font, whatever fonts the machine has."""

import shutil
import subprocess

import pytest

from core.pdf import FONT_REGULAR, render_pdf
from tests.conftest import require


def test_shipped_font_is_there_with_its_licence():
    assert FONT_REGULAR.exists()
    assert (FONT_REGULAR.parent / "OFL.txt").exists()


def test_pdf_embeds_the_shipped_chinese_font(tmp_path, settings):
    require(shutil.which("pdffonts") is not None, "needs poppler-utils (pdffonts)")
    (tmp_path / "t.html").write_text(
        '{% extends "pdf/base.html" %}{% block body %}<h1>职工创新工作室</h1>{% endblock %}'
    )
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], tmp_path]}]
    pdf = render_pdf("t.html")
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all("Portal-Sans-SC" in row for row in rows), fonts  # only our font
    assert all(row.split()[-5] == "yes" for row in rows), fonts  # embedded


@pytest.mark.parametrize("text", ["职工创新工作室", "喆堃淼"])
def test_shipped_font_has_glyphs_for_chinese_text(text):
    from fontTools.ttLib import TTFont

    cmap = TTFont(str(FONT_REGULAR)).getBestCmap()
    assert all(ord(ch) in cmap for ch in text)
