"""The district compliance grid's verdicts, kept in the cache per studio.

The grid's summary row and its "result" filter need the verdict of *every* studio matched by
the filters, not only of the page shown, and computing 2,000 studios × 5 years takes about half
a second (``compliance_rows``: eight queries, then arithmetic). The verdicts change only when a
studio's ledgers, its type or its founding date change, or when the year turns, so the grid
keeps one district-wide map in the cache, ``{studio id: (fingerprint, cells)}``, and recomputes
only the studios whose fingerprint moved:

- the fingerprint is the studio's type, founding date and ``LedgerStamp`` token, read in the
  same query that lists the filtered studios, so a stale entry is never served;
- the cache key holds the current year (verdicts for a year in progress read "open", not
  "fail") and a digest of the rule code, so a deployment that changes a rule starts afresh.
"""

import hashlib
from datetime import date
from pathlib import Path
from typing import NamedTuple

from django.core.cache import cache

from .compliance import FAIL, NOT_ASSESSED, OK, OPEN, compliance_rows_of

#: Long enough to outlive a working day; entries are checked against their fingerprints anyway.
CACHE_SECONDS = 7 * 24 * 3600

_RULE_SOURCES = ("ledgers/compliance.py", "ledgers/models.py", "core/policy.py")


def _rule_code_digest() -> str:
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for name in _RULE_SOURCES:
        digest.update((root / name).read_bytes())
    return digest.hexdigest()[:12]


RULE_CODE_DIGEST = _rule_code_digest()


class GridCell(NamedTuple):
    """What the grid shows of one ``StudioYear``: small enough to cache 10,000 of."""

    year: int
    status: str
    failing_rules: tuple[str, ...]


class StudioKey(NamedTuple):
    """One filtered studio as the grid query reads it (see ``StudioKey.FIELDS``)."""

    pk: int
    type: str
    founded_on: date
    stamp: object  # the LedgerStamp token, or None

    FIELDS = ("pk", "type", "founded_on", "ledger_stamp__token")

    @property
    def fingerprint(self) -> str:
        return f"{self.type}/{self.founded_on.isoformat()}/{self.stamp or ''}"


def cache_key(years: list[int], today: date) -> str:
    return f"ledgers:grid:{RULE_CODE_DIGEST}:{today.year}:{years[0]}-{years[-1]}"


def verdicts_for(keys: list[StudioKey], years: list[int], today: date) -> dict:
    """``{studio id: Verdicts}`` for the given studios, from the cache where the fingerprint
    still matches, computed (one batch, eight queries) for the rest."""
    key = cache_key(years, today)
    cached = cache.get(key) or {}
    verdicts, stale = {}, []
    for studio in keys:
        entry = cached.get(studio.pk)
        if entry is not None and entry.startswith(studio.fingerprint + "|"):
            verdicts[studio.pk] = Verdicts(entry, years)
        else:
            stale.append(studio)
    if stale:
        for studio, cells in _compute(stale, years, today):
            entry = _encode(studio.fingerprint, cells)
            cached[studio.pk] = entry
            verdicts[studio.pk] = Verdicts(entry, years)
        cache.set(key, cached, CACHE_SECONDS)
    return verdicts


def _compute(keys: list[StudioKey], years: list[int], today: date):
    from studios.models import Studio

    studios = [Studio(pk=k.pk, type=k.type, founded_on=k.founded_on) for k in keys]
    by_pk = {k.pk: k for k in keys}
    for studio, by_year in compliance_rows_of(studios, years, today):
        yield by_pk[studio.pk], by_year


# One string per studio, not a tuple of tuples: the whole district's map is read on every
# request, and 2,000 strings unpickle (and later free) far faster than 60,000 small objects.
# Layout: "<fingerprint>|<one status code per year>|<failing rules of each year, ';'-separated>".
_CODES = {OK: "o", FAIL: "f", OPEN: "p", NOT_ASSESSED: "-"}
_STATUSES = {code: status for status, code in _CODES.items()}


def _encode(fingerprint: str, cells) -> str:
    codes = "".join(_CODES[sy.status] for sy in cells)
    rules = ";".join(",".join(sy.failing_rules) for sy in cells)
    return f"{fingerprint}|{codes}|{rules}"


class Verdicts:
    """A studio's verdicts for the grid's years, decoded lazily from the cached string."""

    __slots__ = ("_entry", "_years")

    def __init__(self, entry: str, years: list[int]):
        self._entry, self._years = entry, years

    @property
    def statuses(self) -> list[str]:
        codes = self._entry.split("|")[-2]
        return [_STATUSES[code] for code in codes]

    def cells(self) -> list[GridCell]:
        rules = self._entry.split("|")[-1].split(";")
        return [
            GridCell(year, status, tuple(r for r in failing.split(",") if r))
            for year, status, failing in zip(self._years, self.statuses, rules, strict=True)
        ]
