"""R14a–d and R32 (4) at their boundaries, and the grid's constant number of queries."""

from datetime import UTC, date, datetime

import pytest

from core import policy
from ledgers.compliance import (
    FAIL,
    NOT_ASSESSED,
    OK,
    OPEN,
    compliance_rows,
    current_year,
    studio_year,
)
from ledgers.models import ActivityKind, PatentKind
from studios.models import Studio, StudioType
from tests.factories.ledgers import (
    AchievementFactory,
    ActivityFactory,
    PatentFactory,
    ProjectFactory,
)
from tests.factories.studios import MemberFactory, StudioFactory

pytestmark = pytest.mark.django_db

LATER = date(2027, 6, 1)  # "today" for judging 2025 and 2026 as completed years
OLD = date(2015, 1, 1)


def technical(**kw):
    return StudioFactory(type=StudioType.TECHNICAL, founded_on=OLD, **kw)


def skills(**kw):
    return StudioFactory(type=StudioType.SKILLS, founded_on=OLD, **kw)


def rule(sy, rule_id, ground=None):
    results = [r for r in sy.results if r.rule == rule_id]
    if ground:
        results = [r for r in results if r.variant.startswith(ground)]
    assert len(results) == 1, (rule_id, ground, sy.results)
    return results[0]


# --- R14d ---------------------------------------------------------------------------------


def test_r14d_three_activities_fall_short_and_four_meet_it():
    studio = skills()
    for day in (1, 2, 3):
        ActivityFactory(studio=studio, held_on=date(2025, 3, day))
    short = rule(studio_year(studio, 2025, LATER), "R14d")
    assert not short.ok and short.numbers["n"] == 3
    assert short.numbers["min"] == policy.R14D_MIN_ACTIVITIES_PER_YEAR == 4
    ActivityFactory(studio=studio, held_on=date(2025, 12, 31))
    assert rule(studio_year(studio, 2025, LATER), "R14d").ok


def test_r14d_counts_r15_district_activities_but_not_other():
    studio = skills()
    for kind in (ActivityKind.TRAINING, ActivityKind.EXHIBITION, ActivityKind.MENTORING):
        ActivityFactory(studio=studio, kind=kind)
    ActivityFactory(studio=studio, kind=ActivityKind.OTHER)
    assert not rule(studio_year(studio, 2025, LATER), "R14d").ok
    ActivityFactory(studio=studio, kind=ActivityKind.DISTRICT)
    assert rule(studio_year(studio, 2025, LATER), "R14d").ok


def test_r14d_year_boundary_is_new_year_in_beijing():
    """An activity on 1 January counts for the new year, one on 31 December for the old."""
    studio = skills()
    for _ in range(3):
        ActivityFactory(studio=studio, held_on=date(2025, 6, 1))
    ActivityFactory(studio=studio, held_on=date(2026, 1, 1))
    assert rule(studio_year(studio, 2025, LATER), "R14d").numbers["n"] == 3
    assert rule(studio_year(studio, 2026, LATER), "R14d").numbers["n"] == 1
    ActivityFactory(studio=studio, held_on=date(2025, 12, 31))
    assert rule(studio_year(studio, 2025, LATER), "R14d").ok


def test_current_year_is_beijing_year_at_new_year():
    """00:30 on 1 January 2026 in Beijing is still 31 December 2025 in UTC: it is 2026."""
    assert current_year(datetime(2025, 12, 31, 16, 30, tzinfo=UTC)) == 2026
    assert current_year(datetime(2025, 12, 31, 15, 59, tzinfo=UTC)) == 2025


# --- R14a ---------------------------------------------------------------------------------


def test_r14a_counts_projects_applied_in_the_unit_that_year():
    studio = technical()
    ProjectFactory(studio=studio, started_on=date(2025, 1, 5), applied_on=None, status="planned")
    sy = studio_year(studio, 2025, LATER)
    assert not rule(sy, "R14a").ok and rule(sy, "R14a").numbers["n"] == 0
    ProjectFactory(studio=studio, started_on=date(2024, 10, 1), applied_on=date(2025, 1, 1))
    sy = studio_year(studio, 2025, LATER)
    assert rule(sy, "R14a").ok and rule(sy, "R14a").numbers["n"] == 1


def test_r14a_and_r14b_apply_to_technical_studios_and_r14c_to_the_others():
    assert {r.rule for r in studio_year(technical(), 2025, LATER).r14_results} == {
        "R14a",
        "R14b",
        "R14d",
    }
    assert {r.rule for r in studio_year(skills(), 2025, LATER).r14_results} == {"R14c", "R14d"}


# --- R14b ---------------------------------------------------------------------------------


def test_r14b_patent_whose_holders_include_no_member_does_not_count():
    studio = technical()
    PatentFactory(studio=studio, holders=[], other_holders="某研究院")
    assert not rule(studio_year(studio, 2025, LATER), "R14b").ok


def test_r14b_patent_held_by_another_studios_member_does_not_count():
    studio = technical()
    PatentFactory(studio=studio, holders=[MemberFactory()])
    assert not rule(studio_year(studio, 2025, LATER), "R14b").ok


def test_r14b_granted_invention_with_a_member_holder_counts_over_three_years():
    studio = technical()
    PatentFactory(studio=studio, kind=PatentKind.INVENTION, granted_on=date(2023, 1, 1))
    assert rule(studio_year(studio, 2025, LATER), "R14b").ok  # 2023–2025
    result = rule(studio_year(studio, 2026, LATER), "R14b")  # 2024–2026
    assert not result.ok and result.numbers["first"] == 2024


def test_r14b_design_patents_and_ungranted_filings_do_not_count():
    studio = technical()
    PatentFactory(studio=studio, kind=PatentKind.DESIGN)
    PatentFactory(studio=studio, granted_on=None)
    assert not rule(studio_year(studio, 2025, LATER), "R14b").ok


def test_r14b_is_not_due_while_the_first_window_is_open():
    studio = StudioFactory(type=StudioType.TECHNICAL, founded_on=date(2024, 5, 1))
    result = rule(studio_year(studio, 2025, LATER), "R14b")
    assert result.ok and result.variant == "not_due" and result.numbers["due"] == 2026
    assert not rule(studio_year(studio, 2027, date(2028, 1, 2)), "R14b").ok


# --- R14c ---------------------------------------------------------------------------------


def test_r14c_counts_achievements_applied_in_practice_in_the_window():
    studio = skills()
    AchievementFactory(studio=studio, achieved_on=date(2022, 1, 1), applied_on=None)
    assert not rule(studio_year(studio, 2025, LATER), "R14c").ok
    AchievementFactory(studio=studio, achieved_on=date(2022, 1, 1), applied_on=date(2023, 1, 1))
    assert rule(studio_year(studio, 2025, LATER), "R14c").ok
    assert not rule(studio_year(studio, 2026, LATER), "R14c").ok


# --- R32 (4) ------------------------------------------------------------------------------


def test_r32_4_no_new_project_two_years_running_is_flagged():
    studio = technical()
    ProjectFactory(studio=studio, started_on=date(2023, 12, 31), applied_on=None, status="planned")
    flagged = rule(studio_year(studio, 2025, LATER), "R32-4", "project")
    assert not flagged.ok and flagged.numbers == {"n": 0, "years": 2, "first": 2024, "year": 2025}
    assert rule(studio_year(studio, 2024, LATER), "R32-4", "project").ok


def test_r32_4_no_achievement_three_years_running_is_flagged():
    studio = skills()
    AchievementFactory(studio=studio, achieved_on=date(2022, 12, 31), applied_on=None)
    assert rule(studio_year(studio, 2024, LATER), "R32-4", "achievement").ok
    flagged = rule(studio_year(studio, 2025, LATER), "R32-4", "achievement")
    assert not flagged.ok and flagged.numbers["first"] == 2023


def test_r32_4_a_granted_patent_is_an_achievement():
    studio = technical()
    PatentFactory(studio=studio, holders=[], other_holders="外单位", granted_on=date(2024, 5, 5))
    assert rule(studio_year(studio, 2025, LATER), "R32-4", "achievement").ok


def test_r32_4_young_studio_is_not_flagged_before_the_window_has_passed():
    studio = StudioFactory(type=StudioType.SKILLS, founded_on=date(2024, 3, 1))
    result = rule(studio_year(studio, 2025, LATER), "R32-4", "project")
    assert result.ok and result.variant == "project_not_due"


# --- Statuses, findings and queries ---------------------------------------------------------


def test_status_is_open_while_the_year_runs_and_na_before_founding():
    studio = StudioFactory(type=StudioType.SKILLS, founded_on=date(2024, 3, 1))
    today = date(2026, 3, 1)
    ((_s, (before, last_year, this_year)),) = compliance_rows(
        Studio.objects.filter(pk=studio.pk), [2023, 2025, 2026], today
    )
    assert before.status == NOT_ASSESSED
    assert last_year.status == FAIL and "R14d" in last_year.failing_rules
    assert this_year.status == OPEN


def test_a_compliant_year_is_green_with_every_finding_cited_in_both_languages():
    studio = technical()
    for month in (1, 2, 3, 4):
        ActivityFactory(studio=studio, held_on=date(2025, month, 1))
    ProjectFactory(studio=studio, started_on=date(2025, 1, 2), applied_on=date(2025, 3, 1))
    PatentFactory(studio=studio)
    sy = studio_year(studio, 2025, LATER)
    assert sy.status == OK
    findings = sy.findings()
    assert [f.rule for f in findings] == ["R14a", "R14b", "R14d", "R32-4", "R32-4"]
    r14d = findings[2]
    assert "4" in r14d.message_en and "Article 14" in r14d.message_en
    assert "第十四条" in r14d.message_zh
    assert r14d.numbers == {"n": 4, "min": 4, "year": 2025}


def _studios_with_entries(count):
    studios = [technical() for _ in range(count)]
    for studio in studios:
        ActivityFactory(studio=studio)
        ProjectFactory(studio=studio)
        PatentFactory(studio=studio)
        AchievementFactory(studio=studio)
    return Studio.objects.filter(pk__in=[s.pk for s in studios])


@pytest.mark.parametrize("count", [2, 12])
def test_compliance_for_many_studios_runs_a_constant_number_of_queries(
    count, django_assert_num_queries
):
    studios = _studios_with_entries(count)
    with django_assert_num_queries(8):  # the studios + one per kind of ledger count
        rows = compliance_rows(studios, [2021, 2022, 2023, 2024, 2025], LATER)
        statuses = [sy.status for _s, years in rows for sy in years]
    assert len(statuses) == count * 5
