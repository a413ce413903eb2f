"""The translation catalogues of the project, in Django's order of precedence.

Django merges every app's catalogue into one: LOCALE_PATHS first, then INSTALLED_APPS in order,
and the first to translate a message wins. The same English text translated two ways in two
apps therefore shows one of them everywhere; ``conflicting_translations`` finds such pairs so a
test can refuse them (give one a ``pgettext`` context, or translate both alike).
"""

from collections import defaultdict
from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings


def catalogues_in_precedence(language: str = "zh_Hans") -> list[Path]:
    """The project's own catalogues (Django's and third parties' are not ours to change)."""
    root = Path(settings.BASE_DIR).resolve()
    found = [Path(p) / language / "LC_MESSAGES" / "django.po" for p in settings.LOCALE_PATHS]
    for config in apps.get_app_configs():
        if Path(config.path).resolve().parent == root:
            found.append(Path(config.path) / "locale" / language / "LC_MESSAGES" / "django.po")
    return [path for path in found if path.exists()]


def conflicting_translations(language: str = "zh_Hans") -> dict:
    """``{(context, msgid): {catalogue: msgstr}}`` for messages translated differently."""
    seen = defaultdict(dict)
    for path in catalogues_in_precedence(language):
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.translated() or entry.msgid_plural:
                continue
            seen[(entry.msgctxt, entry.msgid)][str(path)] = entry.msgstr
    return {key: found for key, found in seen.items() if len(set(found.values())) > 1}


def unify_to_displayed(language: str = "zh_Hans") -> int:
    """Give every catalogue the translation Django displays (the first in precedence)."""
    conflicts = conflicting_translations(language)
    winners = {key: next(iter(found.values())) for key, found in conflicts.items()}
    changed = 0
    for path in catalogues_in_precedence(language):
        po = polib.pofile(str(path))
        for entry in po:
            key = (entry.msgctxt, entry.msgid)
            if key in winners and entry.msgstr != winners[key]:
                entry.msgstr = winners[key]
                changed += 1
        po.save()
    return changed
