"""The R32 (4) flag provider the lifecycle's R32 list reads (studios.hooks)."""

from datetime import date

import pytest

from ledgers.compliance import r32_4_flags
from studios.hooks import R32_FLAG_PROVIDERS, R32Flag
from studios.models import StudioStatus, StudioType
from tests.factories.ledgers import AchievementFactory, ProjectFactory
from tests.factories.studios import StudioFactory

pytestmark = pytest.mark.django_db

ON = date(2026, 1, 1)  # judges the windows ending with 2025


def titled(**kw):
    return StudioFactory(
        status=StudioStatus.IN_CYCLE, type=StudioType.SKILLS, founded_on=date(2015, 1, 1), **kw
    )


def test_the_provider_is_registered_from_the_app_config():
    assert r32_4_flags in R32_FLAG_PROVIDERS


def test_r32_4_flags_no_new_project_two_years_running_with_its_numbers():
    studio = titled()
    ProjectFactory(studio=studio, started_on=date(2023, 12, 31), applied_on=date(2024, 2, 1))
    flags = r32_4_flags(ON)
    assert len(flags) == 1
    flag = flags[0]
    assert isinstance(flag, R32Flag)
    assert (flag.studio_id, flag.reason, flag.rule) == (studio.pk, 4, "R32-4")
    assert flag.numbers == {"n": 0, "years": 2, "first": 2024, "year": 2025}
    assert "第三十二条" in flag.message_zh and "Article 32 (4)" in flag.message_en


def test_r32_4_flags_no_achievement_three_years_running_and_not_before():
    studio = titled()
    ProjectFactory(studio=studio, started_on=date(2025, 3, 1), applied_on=None, status="planned")
    AchievementFactory(studio=studio, achieved_on=date(2023, 1, 1), applied_on=None)
    assert r32_4_flags(ON) == []
    flags = r32_4_flags(date(2027, 1, 1))  # 2024–2026: no achievement; 2025–2026 has a project
    assert [f.numbers["first"] for f in flags] == [2024]


def test_r32_4_does_not_flag_the_year_still_running():
    """On 31 December 2026 the windows still end with 2025: 2026 is not over."""
    studio = titled()
    ProjectFactory(studio=studio, started_on=date(2025, 1, 1), applied_on=date(2025, 2, 1))
    assert r32_4_flags(date(2026, 12, 31)) == []


def test_r32_4_ignores_studios_without_the_title_and_young_studios():
    StudioFactory(status=StudioStatus.APPLICANT, founded_on=date(2015, 1, 1))
    StudioFactory(status=StudioStatus.REVOKED, founded_on=date(2015, 1, 1))
    titled_young = titled()
    titled_young.founded_on = date(2024, 6, 1)
    titled_young.save()
    assert r32_4_flags(ON) == []


@pytest.mark.parametrize("count", [2, 15])
def test_r32_4_provider_runs_a_constant_number_of_queries(count, django_assert_num_queries):
    for _ in range(count):
        titled()
    with django_assert_num_queries(8):
        flags = r32_4_flags(ON)
    assert len(flags) == 2 * count
