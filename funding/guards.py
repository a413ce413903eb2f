"""R29's re-application bar, registered in ``studios.hooks.APPLICATION_GUARDS``: the
application's submission refuses a studio barred until a date (inclusive of that day)."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from studios.eligibility import Finding

from .queries import active_bar

BARRED = _(
    "Article 29: the studio is barred from applying again until %(until)s because of a "
    "finding on its use of support funds."
)


def _in(lang: str, message, **numbers) -> str:
    with translation.override(lang):
        return str(message) % numbers


def r29_reapplication_bar(studio, on) -> list[Finding]:
    """A failing finding while a bar is in force on ``on``, else nothing."""
    bar = active_bar(studio, on)
    if bar is None:
        return []
    until = bar.bar_until.isoformat()
    return [
        Finding(
            "R29",
            False,
            _in("zh-hans", BARRED, until=until),
            _in("en", BARRED, until=until),
            {"until": bar.bar_until},
        )
    ]
