"""R26 end to end: the lifecycle's decisions create the grants, through the real signal."""

from datetime import date

import pytest

from core import policy
from funding.models import Grant
from studios import lifecycle
from tests.factories.accounts import DistrictStaffFactory
from tests.factories.studios import EligibleStudioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return DistrictStaffFactory()


@pytest.mark.parametrize(
    ("affiliated", "payer"), [(True, "district_union"), (False, "fiscal_funds")]
)
def test_r26a_r26c_passing_the_next_year_rereview_creates_one_grant_from_the_right_payer(
    staff, affiliated, payer
):
    studio = EligibleStudioFactory(enterprise__union_affiliated_with_district=affiliated)
    lifecycle.recognise(studio, staff, on=date(2025, 6, 20))
    assert not Grant.objects.exists()  # recognition alone pays nothing
    lifecycle.record_next_year_rereview(studio, staff, True, on=date(2026, 6, 10))
    grant = Grant.objects.get(studio=studio)
    assert grant.cause == "r26a" and grant.payer == payer
    assert grant.amount == policy.R26A_GRANT_CNY and grant.cycle_number == 1


def test_r26a_failing_the_next_year_rereview_creates_no_grant(staff):
    studio = EligibleStudioFactory()
    lifecycle.recognise(studio, staff, on=date(2025, 6, 20))
    lifecycle.record_next_year_rereview(studio, staff, False, on=date(2026, 6, 10))
    assert not Grant.objects.exists()


def test_r26b_only_a_cycle_rereview_with_the_star_creates_the_second_grant(staff):
    studio = EligibleStudioFactory()
    lifecycle.recognise(studio, staff, on=date(2020, 3, 1))
    lifecycle.record_next_year_rereview(studio, staff, True, on=date(2021, 3, 1))
    lifecycle.record_cycle_rereview(studio, staff, "pass", on=date(2025, 1, 10), star=False)
    assert list(Grant.objects.values_list("cause", flat=True)) == ["r26a"]
    lifecycle.record_cycle_rereview(studio, staff, "pass", on=date(2030, 1, 10), star=True)
    assert sorted(Grant.objects.values_list("cause", "cycle_number")) == [("r26a", 1), ("r26b", 3)]
    assert Grant.objects.get(cause="r26b").amount == policy.R26B_GRANT_CNY
