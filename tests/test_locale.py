"""Chinese is complete: every message of every catalogue has a translation, and the compiled
catalogues are in step with their sources."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")) + sorted(
    ROOT.glob("locale/zh_Hans/LC_MESSAGES/django.po")
)


def test_there_are_chinese_catalogues():
    assert CATALOGUES, "no zh_Hans catalogue found"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_is_translated_to_chinese(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert untranslated == []


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_matches_its_source(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"run `make messages` to compile {mo_path}"
    po = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in polib.pofile(str(po_path))
        if e.translated() and not e.obsolete and not e.fuzzy
    }
    mo = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in polib.mofile(str(mo_path))
        if e.msgid
    }
    assert po == mo


def test_no_message_is_translated_two_ways_in_two_catalogues():
    """Django shows one translation per message for the whole site: two apps translating the
    same English two ways would show one app's wording in the other's pages. Give one a
    ``pgettext`` context, or translate them alike (``core.catalogues.unify_to_displayed``)."""
    from core.catalogues import conflicting_translations

    assert conflicting_translations() == {}
