"""One way to refuse: a ``ValidationError`` whose ``code`` is the rule id of RULES.md and
whose message cites the article of the Measures ("不符合第二十六条：…" /
"Not in line with Article 26: …").

Tests assert the rule (``exc.code == "R26"``), not just "some error"; forms show the message
beside what the user typed (``core.forms.put_errors_on_form`` understands ``field=``).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals as the Measures write article numbers (第二十六条)."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def article_number(rule: str) -> int:
    """The article a rule id restates: R26a → 26, R32-4 → 32, R14b → 14."""
    match = re.match(r"R(\d+)", rule)
    if not match:
        raise ValueError(f"not a rule id: {rule!r}")
    return int(match.group(1))


def article_label(rule: str) -> str:
    """The article in the reader's language: 第二十六条 / Article 26."""
    number = article_number(rule)
    if (get_language() or "zh-hans").lower().startswith("zh"):
        return f"第{chinese_number(number)}条"
    return f"Article {number}"


def cite(rule: str, message) -> str:
    """The user-facing sentence of a refusal under ``rule``."""
    return _("Not in line with %(article)s: %(message)s") % {
        "article": article_label(rule),
        "message": message,
    }


class Refusal(ValidationError):
    """A refusal under a rule of the Measures (or a portal rule with its own id).

    ``code`` and ``rule`` are the rule id even when the message belongs to a form field, so a
    caller can always tell which rule refused."""

    def __init__(self, rule: str, message, *, field: str | None = None):
        text = cite(rule, message)
        if field:
            super().__init__({field: [ValidationError(text, code=rule)]})
        else:
            super().__init__(text, code=rule)
        self.code = rule
        self.rule = rule


def refuse(rule: str, message, *, field: str | None = None) -> Refusal:
    """Build the refusal for ``raise refuse("R27", _("…"))``."""
    return Refusal(rule, message, field=field)
