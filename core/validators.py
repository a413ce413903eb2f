"""Validators shared by every app."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Unicode's own "format" characters that reorder text on screen (bidi overrides and isolates):
# they make a name read differently from what is stored.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_control_character(ch: str) -> bool:
    """C0/C1 controls (line breaks, tabs, NUL, ESC…), line/paragraph separators, bidi overrides."""
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in BIDI_CONTROLS


@deconstructible
class NoControlCharacters:
    """A name is one line of visible text: it goes into e-mail subjects, PDFs, spreadsheets and
    file names, where a line break or an escape character breaks the output or injects into it."""

    message = _("This may not contain line breaks, tabs or other control characters.")
    code = "control_characters"

    def __call__(self, value):
        if value and any(is_control_character(ch) for ch in str(value)):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, NoControlCharacters)

    def __hash__(self):
        return hash(self.code)


no_control_characters = NoControlCharacters()


def one_line(text) -> str:
    """Text safe for a one-line header (an e-mail subject): every run of whitespace or control
    characters becomes one space."""
    cleaned = "".join(" " if is_control_character(ch) else ch for ch in str(text))
    return " ".join(cleaned.split())
