"""PDF rendering with WeasyPrint. Templates extend ``pdf/base.html``, which embeds the Noto Sans
SC font shipped in ``static/fonts`` by file URL, so Chinese renders on a machine with no Chinese
fonts installed. Call from tasks or after commit: rendering takes hundreds of milliseconds."""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts" / "noto-sans-sc"
FONT_REGULAR = FONT_DIR / "NotoSansSC-Regular.otf"
FONT_BOLD = FONT_DIR / "NotoSansSC-Bold.otf"


def pdf_context(extra: dict | None = None) -> dict:
    return {
        "font_regular_url": FONT_REGULAR.as_uri(),
        "font_bold_url": FONT_BOLD.as_uri(),
        **(extra or {}),
    }


def render_pdf(template: str, context: dict | None = None) -> bytes:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string(template, pdf_context(context))
    font_config = FontConfiguration()
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=font_config)
