"""Hostile input to the studio and enterprise forms: whatever is typed, the user gets a clear
error or a valid save, never a crash, and bad input writes nothing."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studios.models import Enterprise, Member, Studio
from tests.factories.accounts import DistrictStaffFactory, UnionUserFactory
from tests.factories.studios import StudioFactory

pytestmark = pytest.mark.django_db

HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
numbers = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=20),
)
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.text(max_size=12),
    st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-30", "-1", ""]),
)


@HYPOTHESIS
@given(name=st.text(max_size=300), area=numbers, funds=numbers, founded=dates)
def test_studio_form_never_crashes_and_saves_only_valid_rows(client, name, area, funds, founded):
    union = UnionUserFactory()
    client.force_login(union)
    before = Studio.objects.count()
    response = client.post(
        reverse("studios:studio_create"),
        {
            "name": name,
            "type": "technical",
            "founded_on": founded,
            "area_m2": area,
            "working_funds_cny": funds,
            "equipment": "x",
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Studio.objects.count() == before
    else:
        studio = Studio.objects.latest("pk")
        assert studio.area_m2 >= 0 and studio.working_funds_cny >= 0
        assert date(1949, 10, 1) <= studio.founded_on <= timezone.localdate()


def test_ten_megabytes_of_chinese_in_a_name_is_refused_cleanly(client):
    client.force_login(UnionUserFactory())
    response = client.post(
        reverse("studios:studio_create"),
        {
            "name": "创" * (10 * 1024 * 1024 // 3),
            "type": "technical",
            "founded_on": "2020-01-01",
            "area_m2": "30",
            "working_funds_cny": "1",
        },
    )
    assert response.status_code in (200, 400, 413)
    assert Studio.objects.count() == 0


@HYPOTHESIS
@given(code=st.text(max_size=40), name=st.text(max_size=250))
def test_enterprise_form_refuses_bad_credit_codes_without_saving(client, code, name):
    client.force_login(DistrictStaffFactory())
    before = Enterprise.objects.count()
    response = client.post(
        reverse("studios:enterprise_create"),
        {"name": name, "credit_code": code, "industry": "1"},
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Enterprise.objects.count() == before


@HYPOTHESIS
@given(joined=dates, left=dates)
def test_member_form_refuses_impossible_dates_without_saving(client, joined, left):
    union = UnionUserFactory()
    studio = StudioFactory(enterprise=union.enterprise)
    client.force_login(union)
    response = client.post(
        reverse("studios:member_add", args=[studio.pk]),
        {"name": "张三", "talent_kind": "skill", "joined_on": joined, "left_on": left},
    )
    assert response.status_code in (200, 302)
    for member in Member.objects.filter(studio=studio):
        assert member.left_on is None or member.left_on >= member.joined_on
