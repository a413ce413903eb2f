"""The compliance grid keeps verdicts in the cache (``ledgers.grid``): it must never show a
verdict that a ledger write, a member's removal or a change of the studio has made stale, and a
request with a warm cache must not count the ledgers again."""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from core import policy
from ledgers import grid, services
from ledgers.kinds import ledger_or_404
from ledgers.models import Activity, LedgerStamp
from ledgers.stamps import touch
from studios.models import Studio, StudioType
from tests.factories.accounts import DistrictStaffFactory, UnionUserFactory
from tests.factories.ledgers import (
    AchievementFactory,
    ActivityFactory,
    PatentFactory,
    ProjectFactory,
)
from tests.factories.studios import EligibleStudioFactory, MemberFactory, StudioFactory

pytestmark = pytest.mark.django_db

YEAR = 2025
YEARS = [2021, 2022, 2023, 2024, 2025]
TODAY = date(2026, 3, 1)  # 2025 is over: a missing duty there is "fail", not "open"


def keys_of(*studios):
    return [
        grid.StudioKey(*values)
        for values in Studio.objects.filter(pk__in=[s.pk for s in studios])
        .order_by("pk")
        .values_list(*grid.StudioKey.FIELDS)
    ]


def failing_in(studio, year=YEAR, today=TODAY):
    verdicts = grid.verdicts_for(keys_of(studio), YEARS, today)
    cell = next(c for c in verdicts[studio.pk].cells() if c.year == year)
    return cell.failing_rules


def activities(studio, n, year=YEAR):
    for month in range(1, n + 1):
        ActivityFactory(studio=studio, held_on=date(year, month, 1))


def test_r14d_a_new_activity_shows_at_once_although_the_verdicts_are_cached():
    studio = StudioFactory(founded_on=date(2015, 1, 1))
    activities(studio, policy.R14D_MIN_ACTIVITIES_PER_YEAR - 1)
    assert "R14d" in failing_in(studio)
    assert cache.get(grid.cache_key(YEARS, TODAY))  # the verdicts are kept
    ActivityFactory(studio=studio, held_on=date(YEAR, 12, 31))
    assert "R14d" not in failing_in(studio)


def test_r14d_removing_an_activity_through_the_service_renews_the_verdict():
    studio = EligibleStudioFactory(founded_on=date(2015, 1, 1))
    activities(studio, policy.R14D_MIN_ACTIVITIES_PER_YEAR)
    assert "R14d" not in failing_in(studio)
    union = UnionUserFactory(enterprise=studio.enterprise)
    services.delete_entry(
        union, Activity.objects.filter(studio=studio).first(), ledger_or_404("activities")
    )
    assert "R14d" in failing_in(studio)


def test_r14b_removing_the_member_who_holds_the_patent_renews_the_verdict():
    studio = StudioFactory(founded_on=date(2015, 1, 1))
    holder = MemberFactory(studio=studio)
    PatentFactory(studio=studio, granted_on=date(YEAR, 3, 1), holders=[holder])
    assert "R14b" not in failing_in(studio)
    holder.delete()  # the holding goes with the member: no member among the holders now
    assert "R14b" in failing_in(studio)


def test_r14b_naming_a_member_as_holder_from_the_member_side_renews_the_verdict():
    studio = StudioFactory(founded_on=date(2015, 1, 1))
    patent = PatentFactory(studio=studio, granted_on=date(YEAR, 3, 1), holders=[])
    assert "R14b" in failing_in(studio)
    MemberFactory(studio=studio).patents.add(patent)
    assert "R14b" not in failing_in(studio)


def test_r14b_clearing_a_members_patents_renews_the_verdict():
    """``member.patents.clear()`` names no patents; the member's studio is the one that moves."""
    studio = StudioFactory(founded_on=date(2015, 1, 1))
    holder = MemberFactory(studio=studio)
    PatentFactory(studio=studio, granted_on=date(YEAR, 3, 1), holders=[holder])
    assert "R14b" not in failing_in(studio)
    holder.patents.clear()
    assert "R14b" in failing_in(studio)


def test_r14_a_change_of_studio_type_renews_the_verdict():
    studio = StudioFactory(founded_on=date(2015, 1, 1), type=StudioType.TECHNICAL)
    assert "R14a" in failing_in(studio)
    Studio.objects.filter(pk=studio.pk).update(type=StudioType.SKILLS)  # no signal: fingerprint
    rules = failing_in(studio)
    assert "R14a" not in rules and "R14c" in rules


def test_a_year_in_progress_reads_open_and_the_new_year_starts_a_fresh_map():
    studio = StudioFactory(founded_on=date(2015, 1, 1))
    during = grid.verdicts_for(keys_of(studio), YEARS, date(2025, 6, 1))
    assert during[studio.pk].statuses[-1] == "open"
    after = grid.verdicts_for(keys_of(studio), YEARS, date(2026, 1, 1))
    assert after[studio.pk].statuses[-1] == "fail"
    assert grid.cache_key(YEARS, date(2025, 6, 1)) != grid.cache_key(YEARS, date(2026, 1, 1))


def test_a_bulk_write_is_seen_once_the_writer_touches_the_stamp():
    """``bulk_create`` sends no signal: writers that use it must call ``touch`` (the demo and
    bench seeds write before any grid was computed)."""
    studio = StudioFactory(founded_on=date(2015, 1, 1))
    assert "R14d" in failing_in(studio)
    Activity.objects.bulk_create(
        [
            Activity(studio=studio, held_on=date(YEAR, m, 1), kind="training", title="t")
            for m in range(1, 5)
        ]
    )
    assert "R14d" in failing_in(studio)  # the cache does not know yet
    touch([studio.pk])
    assert "R14d" not in failing_in(studio)


def test_a_warm_cache_counts_no_ledgers(django_assert_num_queries):
    studios = [StudioFactory(founded_on=date(2015, 1, 1)) for _ in range(3)]
    keys = keys_of(*studios)
    with django_assert_num_queries(7):  # one grouped count per kind of ledger entry
        cold = grid.verdicts_for(keys, YEARS, TODAY)
    with django_assert_num_queries(0):
        warm = grid.verdicts_for(keys, YEARS, TODAY)
    assert {pk: v.statuses for pk, v in warm.items()} == {pk: v.statuses for pk, v in cold.items()}


def test_only_the_changed_studio_is_recomputed(monkeypatch):
    quiet, busy = (StudioFactory(founded_on=date(2015, 1, 1)) for _ in range(2))
    grid.verdicts_for(keys_of(quiet, busy), YEARS, TODAY)
    ActivityFactory(studio=busy, held_on=date(YEAR, 5, 1))
    recomputed = []
    real = grid._compute

    def spy(keys, years, today):
        recomputed.extend(k.pk for k in keys)
        return real(keys, years, today)

    monkeypatch.setattr(grid, "_compute", spy)
    grid.verdicts_for(keys_of(quiet, busy), YEARS, TODAY)
    assert recomputed == [busy.pk]


def test_deleting_a_studio_with_ledgers_leaves_no_stamp_behind():
    studio = StudioFactory()
    ActivityFactory(studio=studio)
    assert LedgerStamp.objects.filter(studio=studio).exists()
    studio.delete()
    assert not LedgerStamp.objects.exists()


def test_grid_page_shows_the_renewed_verdict_after_an_entry_is_added(client_for):
    studio = StudioFactory(founded_on=date(2015, 1, 1), type=StudioType.SKILLS)
    client = client_for(DistrictStaffFactory())
    url = reverse("ledgers:compliance_grid") + "?result=ok"
    assert studio.name not in client.get(url).content.decode()
    for year in range(2015, date.today().year + 1):
        activities(studio, policy.R14D_MIN_ACTIVITIES_PER_YEAR, year=year)
        PatentFactory(studio=studio, granted_on=date(year, 6, 1))
        # R14c and R32 (4): an achievement applied and a project started every year
        AchievementFactory(studio=studio, achieved_on=date(year, 4, 1), applied_on=date(year, 5, 1))
        ProjectFactory(studio=studio, started_on=date(year, 2, 1), applied_on=date(year, 6, 1))
    page = client.get(url).content.decode()
    assert studio.name in page


def test_demo_ledgers_written_in_bulk_renew_the_stamps_of_their_studios():
    """The demo seed bulk-inserts (no signals): a verdict cached before it must not survive."""
    import io
    import random

    from ledgers.demo import add_demo_ledgers

    studio = EligibleStudioFactory(founded_on=date(2019, 1, 1))
    before = failing_in(studio)
    assert "R14d" in before  # no activities yet
    stamp_before = LedgerStamp.objects.filter(studio=studio).values_list("token", flat=True).first()
    add_demo_ledgers(io.StringIO(), random.Random(1))
    assert Activity.objects.filter(studio=studio).exists()
    assert LedgerStamp.objects.get(studio=studio).token != stamp_before
