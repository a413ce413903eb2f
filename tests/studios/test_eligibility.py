"""R4–R9: each rule fails its condition, and passes at its exact boundary."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from core import policy
from studios.eligibility import check_eligibility, failures, is_eligible
from studios.models import TalentKind
from studios.queries import with_eligibility_data
from tests.factories.studios import (
    EligibleStudioFactory,
    HonourFactory,
    IndustryFactory,
    LeaderFactory,
    MemberFactory,
    StudioFactory,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 24)


def findings_for(studio, rule, on=TODAY):
    studio = with_eligibility_data(type(studio).objects).get(pk=studio.pk)
    return [f for f in check_eligibility(studio, on) if f.rule == rule]


def rule_ok(studio, rule, on=TODAY):
    return all(f.ok for f in findings_for(studio, rule, on))


def test_complete_studio_is_eligible_with_every_rule_cited():
    studio = with_eligibility_data(type(EligibleStudioFactory()).objects).get()
    findings = check_eligibility(studio, TODAY)
    assert is_eligible(findings)
    assert {f.rule for f in findings} == {"R4", "R5", "R6", "R7", "R8", "R9"}
    assert all(f.message_zh and f.message_en for f in findings)


# --- R4 -------------------------------------------------------------------------------------


def test_r4_fails_when_not_registered_in_district():
    studio = EligibleStudioFactory(enterprise__registered_in_district=False)
    assert not rule_ok(studio, "R4")


def test_r4_fails_when_tax_paid_elsewhere():
    studio = EligibleStudioFactory(enterprise__pays_tax_in_district=False)
    assert not rule_ok(studio, "R4")


def test_r4_fails_without_trade_union_and_says_article_4_in_chinese():
    studio = EligibleStudioFactory(enterprise__has_union=False)
    failing = [f for f in findings_for(studio, "R4") if not f.ok]
    assert len(failing) == 1
    assert "第四条" in failing[0].message_zh
    assert "Article 4" in failing[0].message_en


def test_r4_fails_for_unsupported_industry():
    other = IndustryFactory(name="其他", supported=False)
    studio = EligibleStudioFactory(enterprise__industry=other)
    assert not rule_ok(studio, "R4")


# --- R5 -------------------------------------------------------------------------------------


def test_r5_twenty_square_metres_passes():
    assert rule_ok(EligibleStudioFactory(area_m2=Decimal("20.0")), "R5")


def test_r5_rejects_nineteen_point_nine_square_metres():
    studio = EligibleStudioFactory(area_m2=Decimal("19.9"))
    failing = [f for f in findings_for(studio, "R5") if not f.ok]
    assert len(failing) == 1
    assert failing[0].numbers["area"] == Decimal("19.9")
    assert "第五条" in failing[0].message_zh and "20" in failing[0].message_zh


def test_r5_requires_equipment_and_working_funds():
    assert not rule_ok(EligibleStudioFactory(equipment="  "), "R5")
    assert not rule_ok(EligibleStudioFactory(working_funds_cny=Decimal("0")), "R5")


# --- R6 -------------------------------------------------------------------------------------


def test_r6_lists_each_missing_document():
    studio = EligibleStudioFactory(work_rules="", plan_and_goals="")
    failing = [f for f in findings_for(studio, "R6") if not f.ok]
    assert len(failing) == 2


# --- R7 -------------------------------------------------------------------------------------


def test_r7_fails_without_leader():
    studio = StudioFactory()
    for _ in range(policy.R8_MIN_TEAM_SIZE):
        MemberFactory(studio=studio, is_frontline=True)
    assert not rule_ok(studio, "R7")


def test_r7_fails_for_leader_without_qualification():
    studio = StudioFactory()
    LeaderFactory(studio=studio, is_high_skill_talent=False)
    assert not rule_ok(studio, "R7")


def test_r7_model_worker_honour_qualifies_the_leader():
    studio = StudioFactory()
    leader = LeaderFactory(studio=studio, is_high_skill_talent=False)
    HonourFactory(leader=leader, kind="beijing_model_worker")
    assert rule_ok(studio, "R7")


def test_r7_reads_only_the_leader_in_office():
    studio = StudioFactory()
    LeaderFactory(studio=studio, since=date(2019, 1, 1), until=date(2021, 1, 1))
    LeaderFactory(studio=studio, since=date(2021, 1, 1), is_high_skill_talent=False)
    assert not rule_ok(studio, "R7")


# --- R8 -------------------------------------------------------------------------------------


def test_r8_ten_members_pass():
    assert rule_ok(EligibleStudioFactory(team=10), "R8")


def test_r8_rejects_team_of_nine():
    studio = EligibleStudioFactory(team=9)
    failing = [f for f in findings_for(studio, "R8") if not f.ok]
    assert [f.numbers["n"] for f in failing] == [9]
    assert "第八条" in failing[0].message_zh


def test_r8_rejects_team_with_no_frontline_employee():
    studio = StudioFactory()
    LeaderFactory(studio=studio)
    for _ in range(12):
        MemberFactory(studio=studio, is_frontline=False)
    failing = [f for f in findings_for(studio, "R8") if not f.ok]
    assert len(failing) == 1 and "frontline" in failing[0].message_en


def test_r8_members_who_left_do_not_count():
    studio = EligibleStudioFactory(team=10)
    member = studio.members.filter(is_frontline=False).first()
    member.left_on = TODAY - timedelta(days=1)
    member.save()
    assert not rule_ok(studio, "R8")
    assert rule_ok(studio, "R8", on=TODAY - timedelta(days=2))


def test_r8_requires_most_members_to_be_technical_or_skill_talent():
    studio = StudioFactory()
    LeaderFactory(studio=studio)
    for index in range(10):
        kind = TalentKind.SKILL if index < 5 else TalentKind.MANAGEMENT
        MemberFactory(studio=studio, is_frontline=True, talent_kind=kind)
    assert not rule_ok(studio, "R8")  # 5 of 10 is not "most"
    MemberFactory(studio=studio, talent_kind=TalentKind.TECHNICAL)
    assert rule_ok(studio, "R8")  # 6 of 11


# --- R9 -------------------------------------------------------------------------------------


def test_r9_founded_exactly_one_year_ago_passes():
    assert rule_ok(EligibleStudioFactory(founded_on=date(2025, 11, 24)), "R9")


def test_r9_founded_one_year_less_a_day_ago_fails_and_says_when_it_may_apply():
    studio = EligibleStudioFactory(founded_on=date(2025, 11, 25))
    [finding] = findings_for(studio, "R9")
    assert not finding.ok
    assert finding.numbers["since"] == "2026-11-25"
    assert "第九条" in finding.message_zh


def test_r9_leap_day_founding():
    """Founded on 29 February 2024: one year has run on 28 February 2025 (core.dates), not on
    1 March, and not a day before."""
    studio = EligibleStudioFactory(founded_on=date(2024, 2, 29))
    [before] = findings_for(studio, "R9", on=date(2025, 2, 27))
    assert not before.ok and before.numbers["since"] == "2025-02-28"
    [anniversary] = findings_for(studio, "R9", on=date(2025, 2, 28))
    assert anniversary.ok


def test_failures_lists_only_failing_findings():
    studio = EligibleStudioFactory(team=9, area_m2=Decimal("10"))
    studio = with_eligibility_data(type(studio).objects).get(pk=studio.pk)
    assert {f.rule for f in failures(check_eligibility(studio, TODAY))} == {"R5", "R8"}
