"""Chapter 2 of the Measures (R4–R9): may this studio apply?

``check_eligibility`` is the single place these rules are decided. It returns every check with
its rule id and a message in both languages, so the studio page can show a checklist and the
application can refuse with the article named. It reads only prefetched relations when the
caller prefetched them (see ``queries.studios_for_eligibility``), so a list page stays constant
in queries.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core import policy
from core.dates import add_years

from .models import TALENT_KINDS_FOR_R8, Studio


@dataclass(frozen=True)
class Finding:
    rule: str
    ok: bool
    message_zh: str  # or a lazy string, rendered when read (see ``_finding``)
    message_en: str
    numbers: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The message in the language of the current request."""
        return str(self.message_en if translation.get_language() == "en" else self.message_zh)


def _finding(rule: str, ok: bool, message, **numbers) -> Finding:
    """The messages are rendered when first read: a list page asks a dozen findings of each of
    its studios only whether they are ok, and rendering both languages of every one was half the
    studio list's time (measured by ``make bench``)."""
    return Finding(
        rule,
        ok,
        _render_later(message, numbers, "zh-hans"),
        _render_later(message, numbers, "en"),
        numbers,
    )


def _render(message, numbers: dict, lang: str) -> str:
    with translation.override(lang):
        return str(message) % numbers if numbers else str(message)


_render_later = lazy(_render, str)


def check_eligibility(studio: Studio, on: date | None = None) -> list[Finding]:
    on = on or timezone.localdate()
    return [
        *check_r4_enterprise(studio),
        *check_r5_space_equipment_funds(studio),
        *check_r6_documents(studio),
        check_r7_leader(studio),
        *check_r8_team(studio, on),
        check_r9_running_one_year(studio, on),
    ]


def is_eligible(findings: list[Finding]) -> bool:
    return all(f.ok for f in findings)


def failures(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if not f.ok]


def check_r4_enterprise(studio: Studio) -> list[Finding]:
    ent = studio.enterprise
    return [
        _finding(
            "R4",
            ent.registered_in_district and ent.pays_tax_in_district,
            _("Article 4: the enterprise is registered and pays tax in the district.")
            if ent.registered_in_district and ent.pays_tax_in_district
            else _(
                "Article 4 not met: the enterprise must be registered and pay tax in the district."
            ),
        ),
        _finding(
            "R4",
            ent.has_union,
            _("Article 4: the enterprise has a trade union.")
            if ent.has_union
            else _("Article 4 not met: the enterprise must have set up a trade union."),
        ),
        _finding(
            "R4",
            ent.industry.supported,
            _("Article 4: the industry (%(industry)s) is one the district supports.")
            if ent.industry.supported
            else _(
                "Article 4 not met: the industry (%(industry)s) is not one the district supports."
            ),
            industry=ent.industry.name,
        ),
    ]


def check_r5_space_equipment_funds(studio: Studio) -> list[Finding]:
    area = Decimal(studio.area_m2 or 0)
    area_ok = area >= policy.R5_MIN_AREA_M2
    return [
        _finding(
            "R5",
            area_ok,
            _("Article 5: activity space of %(area)s m² (at least %(min)s m²).")
            if area_ok
            else _(
                "Article 5 not met: the activity space must be at least %(min)s m² "
                "(now %(area)s m²)."
            ),
            area=area,
            min=policy.R5_MIN_AREA_M2,
        ),
        _finding(
            "R5",
            bool(studio.equipment.strip()),
            _("Article 5: equipment and facilities are recorded.")
            if studio.equipment.strip()
            else _("Article 5 not met: record the studio's equipment and facilities."),
        ),
        _finding(
            "R5",
            studio.working_funds_cny > 0,
            _("Article 5: working funds of %(funds)s CNY a year are provided.")
            if studio.working_funds_cny > 0
            else _("Article 5 not met: the unit must provide working funds for the studio."),
            funds=studio.working_funds_cny,
        ),
    ]


def check_r6_documents(studio: Studio) -> list[Finding]:
    labels = {
        "management_rules": _("management rules"),
        "work_rules": _("work rules"),
        "plan_and_goals": _("plan and goals"),
    }
    missing = [name for name in Studio.DOCUMENT_FIELDS if not getattr(studio, name)]
    if not missing:
        return [
            _finding(
                "R6", True, _("Article 6: management rules, work rules and plan are uploaded.")
            )
        ]
    return [
        _finding(
            "R6",
            False,
            _("Article 6 not met: upload the studio's %(document)s."),
            document=labels[name],
        )
        for name in missing
    ]


def check_r7_leader(studio: Studio) -> Finding:
    leader = studio.current_leader
    if leader is None:
        return _finding("R7", False, _("Article 7 not met: the studio has no leader recorded."))
    if leader.qualifies_under_r7:
        return _finding(
            "R7",
            True,
            _("Article 7: the leader %(name)s is a model worker or high-tech / high-skill talent."),
            name=leader.name,
        )
    return _finding(
        "R7",
        False,
        _(
            "Article 7 not met: the leader %(name)s must be a model worker or "
            "high-tech / high-skill talent."
        ),
        name=leader.name,
    )


def active_members(studio: Studio, on: date) -> list:
    return [m for m in studio.members.all() if m.is_active_on(on)]


def check_r8_team(studio: Studio, on: date) -> list[Finding]:
    members = active_members(studio, on)
    size = len(members)
    talents = sum(1 for m in members if m.talent_kind in TALENT_KINDS_FOR_R8)
    frontline = sum(1 for m in members if m.is_frontline)
    size_ok = size >= policy.R8_MIN_TEAM_SIZE
    talent_ok = size > 0 and Decimal(talents) / Decimal(size) > policy.R8_MAIN_MEMBERS_TALENT_SHARE
    return [
        _finding(
            "R8",
            size_ok,
            _("Article 8: the team has %(n)s members (at least %(min)s).")
            if size_ok
            else _("Article 8 not met: the team must have at least %(min)s members (now %(n)s)."),
            n=size,
            min=policy.R8_MIN_TEAM_SIZE,
        ),
        _finding(
            "R8",
            talent_ok,
            _("Article 8: %(talents)s of %(n)s members are technical or skill talent.")
            if talent_ok
            else _(
                "Article 8 not met: most members must be technical or skill talent "
                "(now %(talents)s of %(n)s)."
            ),
            talents=talents,
            n=size,
        ),
        _finding(
            "R8",
            frontline > 0,
            _("Article 8: the team includes %(frontline)s frontline employee(s).")
            if frontline
            else _("Article 8 not met: the team must include at least one frontline employee."),
            frontline=frontline,
        ),
    ]


def check_r9_running_one_year(studio: Studio, on: date) -> Finding:
    since = add_years(studio.founded_on, policy.R9_MIN_YEARS_RUNNING)
    ok = since <= on
    return _finding(
        "R9",
        ok,
        _("Article 9: founded on %(founded)s, running for at least %(years)s year(s).")
        if ok
        else _(
            "Article 9 not met: the studio must have run for at least %(years)s year(s); "
            "founded on %(founded)s, it may apply from %(since)s."
        ),
        founded=studio.founded_on.isoformat(),
        years=policy.R9_MIN_YEARS_RUNNING,
        since=since.isoformat(),
    )
