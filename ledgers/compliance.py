"""Chapter 3 duties (R14a–d) and the ledger ground for revocation (R32 (4)), per studio and year.

This module is the single place these rules are decided. ``compliance_rows`` answers for any
number of studios and years in a constant number of queries: one query per kind of ledger
entry, grouped by studio and calendar year, over all the studios at once; the windows and
verdicts are then pure arithmetic in Python.

How the rules read here (and why):
- A year is the calendar year of the entry's date. Entries carry dates, not datetimes, as the
  union wrote them in Beijing time, so an activity on 1 January counts for the new year.
- R14a (technical studios): projects *applied in the unit* in the year (每年产生…并应用于本单位).
- R14b (technical studios): invention or utility-model patents *granted* in the rolling window
  of ``R14B_WINDOW_YEARS`` years ending with the year, with at least one member of the studio
  among the holders.
- R14c (skills-transfer and service-window studios): achievements or projects *applied in
  practice* in the rolling window of ``R14C_WINDOW_YEARS`` years ending with the year.
- R14d (every studio): activities of the kinds in ``models.R14D_ACTIVITY_KINDS``, which include
  the district-organised activities of R15 (see the comment there).
- Rolling windows that begin before the studio was founded are not yet due: with no entry yet
  the finding says so and passes, naming the year by which one is due.
- R32 (4): no project *started* in ``R32_4_NO_PROJECT_YEARS`` consecutive years; no achievement
  of any kind (project applied, patent granted, other achievement) in
  ``R32_4_NO_ACHIEVEMENT_YEARS`` consecutive years. Only judged when the studio existed for the
  whole window. The R32 list (``r32_4_flags``) looks at windows ending with the last completed
  year, so a studio is never flagged for a year that is not over.
- Years before the studio's founding year are not assessed.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import ExtractYear
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core import policy
from studios.eligibility import Finding
from studios.hooks import R32Flag
from studios.models import Studio, StudioStatus, StudioType

from .models import (
    R14B_PATENT_KINDS,
    R14D_ACTIVITY_KINDS,
    Achievement,
    Activity,
    InnovationProject,
    Patent,
)

#: Studios that hold the title, and so can have it revoked (R32).
TITLED_STATUSES = (
    StudioStatus.RECOGNISED,
    StudioStatus.IN_CYCLE,
    StudioStatus.UNDER_REREVIEW,
    StudioStatus.RECTIFICATION,
)

# What each grouped query counts; the names are the keys of ``StudioYear.counts``.
ACTIVITIES = "activities"  # R14d-countable activities held in the year
PROJECTS_STARTED = "projects_started"
PROJECTS_APPLIED = "projects_applied"
PATENTS_R14B = "patents_r14b"  # invention/utility model granted, a member among the holders
PATENTS_GRANTED = "patents_granted"  # any patent granted
ACHIEVEMENTS_APPLIED = "achievements_applied"
ACHIEVEMENTS = "achievements"  # other achievements achieved

LOOKBACK_YEARS = max(
    policy.R14B_WINDOW_YEARS,
    policy.R14C_WINDOW_YEARS,
    policy.R32_4_NO_PROJECT_YEARS,
    policy.R32_4_NO_ACHIEVEMENT_YEARS,
)


def current_year(now=None) -> int:
    """The calendar year in Beijing time (``TIME_ZONE``), whatever the server's clock zone."""
    return timezone.localdate(now).year if now is not None else timezone.localdate().year


# --- Counting ------------------------------------------------------------------------------


def _grouped(qs, date_field: str, studio_filter, first: int, last: int):
    return (
        qs.filter(
            studio_id__in=studio_filter,
            **{f"{date_field}__year__gte": first, f"{date_field}__year__lte": last},
        )
        .annotate(year=ExtractYear(date_field))
        .values("studio_id", "year")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )


def yearly_counts(studio_filter, first: int, last: int) -> dict:
    """``{(studio_id, measure, year): n}`` for every studio matched by ``studio_filter`` (a
    queryset of studio ids, used as a subquery, or a list of ids). Seven queries in all."""
    member_holds = Patent.holders.through.objects.filter(
        patent_id=OuterRef("pk"), member__studio_id=OuterRef("studio_id")
    )
    sources = {
        ACTIVITIES: (Activity.objects.filter(kind__in=R14D_ACTIVITY_KINDS), "held_on"),
        PROJECTS_STARTED: (InnovationProject.objects.all(), "started_on"),
        PROJECTS_APPLIED: (InnovationProject.objects.all(), "applied_on"),
        PATENTS_R14B: (
            Patent.objects.filter(kind__in=R14B_PATENT_KINDS).filter(Exists(member_holds)),
            "granted_on",
        ),
        PATENTS_GRANTED: (Patent.objects.all(), "granted_on"),
        ACHIEVEMENTS_APPLIED: (Achievement.objects.all(), "applied_on"),
        ACHIEVEMENTS: (Achievement.objects.all(), "achieved_on"),
    }
    counts = {}
    for measure, (qs, date_field) in sources.items():
        for row in _grouped(qs, date_field, studio_filter, first, last):
            counts[(row["studio_id"], measure, row["year"])] = row["n"]
    return counts


# --- Verdicts ------------------------------------------------------------------------------

OK, FAIL, OPEN, NOT_ASSESSED = "ok", "fail", "open", "na"


@dataclass(frozen=True)
class RuleResult:
    """A verdict without its messages: cheap enough to compute for 10,000 grid cells."""

    rule: str
    ok: bool
    variant: str  # which message explains it: "ok", "fail", "not_due"
    numbers: dict


@dataclass
class StudioYear:
    """Everything R14 and R32 (4) say about one studio in one year."""

    studio_id: int
    studio_type: str
    founded_on: date
    year: int
    in_progress: bool  # the year is not over yet (Beijing time)
    counts: dict = field(repr=False, default_factory=dict)  # {(measure, year): n}

    def count(self, measure: str, first: int, last: int | None = None) -> int:
        last = first if last is None else last
        return sum(self.counts.get((measure, y), 0) for y in range(first, last + 1))

    @property
    def assessed(self) -> bool:
        return self.year >= self.founded_on.year

    def _window_started_before_founding(self, first: int) -> bool:
        return self.founded_on > date(first, 1, 1)

    # R14a --------------------------------------------------------------------------------
    def r14a(self) -> RuleResult:
        n = self.count(PROJECTS_APPLIED, self.year)
        numbers = {
            "n": n,
            "min": policy.R14A_MIN_NEW_PROJECTS_PER_YEAR,
            "target": policy.R14A_TARGET_NEW_PROJECTS_PER_YEAR,
            "year": self.year,
        }
        ok = n >= policy.R14A_MIN_NEW_PROJECTS_PER_YEAR
        return RuleResult("R14a", ok, "ok" if ok else "fail", numbers)

    # R14b / R14c: rolling windows ---------------------------------------------------------
    def _rolling(self, rule, measures, minimum, window) -> RuleResult:
        first = self.year - window + 1
        n = sum(self.count(m, first, self.year) for m in measures)
        numbers = {"n": n, "min": minimum, "window": window, "first": first, "year": self.year}
        if n >= minimum:
            return RuleResult(rule, True, "ok", numbers)
        if self._window_started_before_founding(first):
            due = self.founded_on.year + window - 1
            return RuleResult(
                rule, True, "not_due", {**numbers, "founded": self.founded_on.year, "due": due}
            )
        return RuleResult(rule, False, "fail", numbers)

    def r14b(self) -> RuleResult:
        return self._rolling(
            "R14b", (PATENTS_R14B,), policy.R14B_MIN_PATENTS, policy.R14B_WINDOW_YEARS
        )

    def r14c(self) -> RuleResult:
        return self._rolling(
            "R14c",
            (ACHIEVEMENTS_APPLIED, PROJECTS_APPLIED),
            policy.R14C_MIN_ACHIEVEMENTS,
            policy.R14C_WINDOW_YEARS,
        )

    # R14d --------------------------------------------------------------------------------
    def r14d(self) -> RuleResult:
        n = self.count(ACTIVITIES, self.year)
        ok = n >= policy.R14D_MIN_ACTIVITIES_PER_YEAR
        numbers = {"n": n, "min": policy.R14D_MIN_ACTIVITIES_PER_YEAR, "year": self.year}
        return RuleResult("R14d", ok, "ok" if ok else "fail", numbers)

    # R32 (4) -----------------------------------------------------------------------------
    def _r32_window(self, ground: str, measures, years: int) -> RuleResult:
        first = self.year - years + 1
        n = sum(self.count(m, first, self.year) for m in measures)
        numbers = {"n": n, "years": years, "first": first, "year": self.year}
        if n > 0:
            return RuleResult("R32-4", True, f"{ground}_ok", numbers)
        if self._window_started_before_founding(first):
            numbers["founded"] = self.founded_on.year
            return RuleResult("R32-4", True, f"{ground}_not_due", numbers)
        return RuleResult("R32-4", False, f"{ground}_fail", numbers)

    def r32_4_no_project(self) -> RuleResult:
        return self._r32_window("project", (PROJECTS_STARTED,), policy.R32_4_NO_PROJECT_YEARS)

    def r32_4_no_achievement(self) -> RuleResult:
        return self._r32_window(
            "achievement",
            (PROJECTS_APPLIED, PATENTS_GRANTED, ACHIEVEMENTS),
            policy.R32_4_NO_ACHIEVEMENT_YEARS,
        )

    # Together ----------------------------------------------------------------------------
    @cached_property
    def r14_results(self) -> list[RuleResult]:
        if not self.assessed:
            return []
        if self.studio_type == StudioType.TECHNICAL:
            return [self.r14a(), self.r14b(), self.r14d()]
        return [self.r14c(), self.r14d()]

    @cached_property
    def r32_results(self) -> list[RuleResult]:
        if not self.assessed:
            return []
        return [self.r32_4_no_project(), self.r32_4_no_achievement()]

    @property
    def results(self) -> list[RuleResult]:
        return [*self.r14_results, *self.r32_results]

    @property
    def status(self) -> str:
        """The grid's colour: ok, fail, open (failing so far in a year not yet over), na."""
        if not self.assessed:
            return NOT_ASSESSED
        if all(r.ok for r in self.results):
            return OK
        return OPEN if self.in_progress else FAIL

    @property
    def failing_rules(self) -> list[str]:
        return sorted({r.rule for r in self.results if not r.ok})

    def findings(self) -> list[Finding]:
        """Each verdict with its rule id, its message in both languages and its numbers."""
        return [finding_for(r) for r in self.results]


# --- Messages ------------------------------------------------------------------------------

MESSAGES = {
    ("R14a", "ok"): _(
        "Article 14: %(n)s innovation project(s) applied in the unit in %(year)s "
        "(at least %(min)s, target %(target)s)."
    ),
    ("R14a", "fail"): _(
        "Article 14 not met: a technical-breakthrough studio must apply at least %(min)s new "
        "innovation project(s) in the unit each year; %(year)s has %(n)s."
    ),
    ("R14b", "ok"): _(
        "Article 14: %(n)s invention or utility-model patent(s) with a studio member among the "
        "holders granted in %(first)s–%(year)s (at least %(min)s every %(window)s years)."
    ),
    ("R14b", "fail"): _(
        "Article 14 not met: at least %(min)s invention or utility-model patent with a studio "
        "member among the holders must be granted every %(window)s years; %(first)s–%(year)s "
        "has %(n)s."
    ),
    ("R14b", "not_due"): _(
        "Article 14: no qualifying patent granted yet in %(first)s–%(year)s; founded in "
        "%(founded)s, the studio has until the end of %(due)s."
    ),
    ("R14c", "ok"): _(
        "Article 14: %(n)s innovation achievement(s) applied in practice in %(first)s–%(year)s "
        "(at least %(min)s every %(window)s years)."
    ),
    ("R14c", "fail"): _(
        "Article 14 not met: at least %(min)s innovation achievement must be applied in practice "
        "every %(window)s years; %(first)s–%(year)s has %(n)s."
    ),
    ("R14c", "not_due"): _(
        "Article 14: no achievement applied in practice yet in %(first)s–%(year)s; founded in "
        "%(founded)s, the studio has until the end of %(due)s."
    ),
    ("R14d", "ok"): _(
        "Article 14: %(n)s innovation exchange activities in %(year)s (at least %(min)s a year)."
    ),
    ("R14d", "fail"): _(
        "Article 14 not met: at least %(min)s innovation exchange activities a year are "
        "required; %(year)s has %(n)s."
    ),
    ("R32-4", "project_ok"): _(
        "Article 32 (4): %(n)s new innovation project(s) started in %(first)s–%(year)s."
    ),
    ("R32-4", "project_fail"): _(
        "Article 32 (4): no new innovation project started in %(first)s–%(year)s, "
        "%(years)s years running: grounds for revocation, for staff to decide."
    ),
    ("R32-4", "project_not_due"): _(
        "Article 32 (4): no new project yet in %(first)s–%(year)s, but the studio was founded "
        "in %(founded)s, so %(years)s full years have not passed."
    ),
    ("R32-4", "achievement_ok"): _(
        "Article 32 (4): %(n)s innovation achievement(s) in %(first)s–%(year)s."
    ),
    ("R32-4", "achievement_fail"): _(
        "Article 32 (4): no innovation achievement in %(first)s–%(year)s, %(years)s years "
        "running: grounds for revocation, for staff to decide."
    ),
    ("R32-4", "achievement_not_due"): _(
        "Article 32 (4): no achievement yet in %(first)s–%(year)s, but the studio was founded "
        "in %(founded)s, so %(years)s full years have not passed."
    ),
}


def _render(result: RuleResult, lang: str) -> str:
    with translation.override(lang):
        return str(MESSAGES[(result.rule, result.variant)]) % result.numbers


def finding_for(result: RuleResult) -> Finding:
    return Finding(
        result.rule,
        result.ok,
        _render(result, "zh-hans"),
        _render(result, "en"),
        dict(result.numbers),
    )


# --- Entry points --------------------------------------------------------------------------


def compliance_rows(studios_qs, years: list[int], today: date | None = None):
    """``[(studio, [StudioYear for each year])]`` for every studio of the queryset: one query
    for the studios and seven for the ledgers, whatever their number."""
    studios = list(studios_qs)
    id_filter = studios_qs.order_by().values("pk")
    if studios_qs.query.low_mark or studios_qs.query.high_mark is not None:
        id_filter = [s.pk for s in studios]  # a sliced queryset cannot be a subquery everywhere
    return _rows(studios, id_filter, years, today)


def compliance_rows_of(studios: list[Studio], years: list[int], today: date | None = None):
    """``compliance_rows`` for studios already read (only ``pk``, ``type`` and ``founded_on``
    are used): seven queries, the ledgers filtered by the studios' ids."""
    return _rows(studios, [s.pk for s in studios], years, today)


def _rows(studios, id_filter, years, today):
    today = today or timezone.localdate()
    if not studios or not years:
        return [(s, []) for s in studios]
    first = min(years) - LOOKBACK_YEARS + 1
    counts = yearly_counts(id_filter, first, max(years))
    by_studio = defaultdict(dict)
    for (studio_id, measure, year), n in counts.items():
        by_studio[studio_id][(measure, year)] = n
    return [
        (
            s,
            [
                StudioYear(s.pk, s.type, s.founded_on, y, y >= today.year, by_studio[s.pk])
                for y in years
            ],
        )
        for s in studios
    ]


def studio_year(studio: Studio, year: int, today: date | None = None) -> StudioYear:
    """One studio's verdicts for one year (the studio page's checklist)."""
    rows = compliance_rows(Studio.objects.filter(pk=studio.pk), [year], today)
    return rows[0][1][0]


def r32_4_flags(on: date):
    """R32 (4) provider for ``studios.hooks.R32_FLAG_PROVIDERS``: titled studios whose ledgers
    show no new project or no achievement over the windows ending with the last completed year
    before ``on``. Eight queries for any number of studios."""
    year = on.year - 1
    studios = Studio.objects.filter(status__in=TITLED_STATUSES).only("pk", "type", "founded_on")
    flags = []
    for studio, (sy,) in compliance_rows(studios, [year], today=on):
        for result in sy.r32_results:
            if not result.ok:
                finding = finding_for(result)
                flags.append(
                    R32Flag(
                        studio_id=studio.pk,
                        reason=4,
                        rule="R32-4",
                        message_zh=finding.message_zh,
                        message_en=finding.message_en,
                        numbers=finding.numbers,
                    )
                )
    return flags
