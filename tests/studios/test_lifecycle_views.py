"""Lifecycle pages: the public directory and verification, the schedules staff work from,
decisions and rename requests through the pages, and the timeline's human labels."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.dates import add_years
from studios import lifecycle
from studios.models import StudioStatus
from tests.factories.accounts import DistrictStaffFactory, UnionUserFactory
from tests.factories.studios import EligibleStudioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return DistrictStaffFactory()


def recognised_studios(staff, count, on=None, **kwargs):
    on = on or timezone.localdate() - timedelta(days=400)
    studios = []
    for _ in range(count):
        studio = EligibleStudioFactory(**kwargs)
        lifecycle.recognise(studio, staff, on=on)
        studios.append(studio)
    return studios


def test_r16_directory_is_public_lists_title_holders_only_and_no_private_data(staff, client):
    shown = recognised_studios(staff, 2)
    EligibleStudioFactory(name="未认定创新工作室")
    revoked = recognised_studios(staff, 1)[0]
    lifecycle.revoke(revoked, staff, [6])
    leader = shown[0].current_leader
    leader.phone = "13800138000"
    leader.save()
    body = client.get(reverse("studios:directory")).content.decode()
    assert shown[0].name in body and shown[1].name in body
    assert "未认定创新工作室" not in body and revoked.name not in body
    assert "13800138000" not in body and leader.name not in body
    found = client.get(reverse("studios:directory"), {"q": shown[1].name}).content.decode()
    assert shown[1].name in found and shown[0].name not in found


def test_r30_directory_shows_star_and_municipal_recommendation(staff, client):
    from studios import services

    studio = recognised_studios(staff, 1, on=date(2020, 3, 1))[0]
    lifecycle.record_next_year_rereview(studio, staff, True, on=date(2021, 3, 1))
    lifecycle.record_cycle_rereview(studio, staff, "pass", on=date(2025, 1, 10), star=True)
    services.recommend_to_municipal(staff, studio, on=date(2025, 5, 1))
    body = client.get(reverse("studios:directory"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "bi-star-fill" in body and "2025" in body and "bi-award" in body


@pytest.mark.parametrize("url_name", ["studios:directory", "studios:schedules"])
def test_lifecycle_lists_run_a_constant_number_of_queries(
    url_name, staff, client_for, django_assert_max_num_queries
):
    client = client_for(staff)
    recognised_studios(staff, 2)
    # The schedules page counts every list, R32 providers included (ledgers' R32-4: 8 queries).
    with django_assert_max_num_queries(30) as small:
        client.get(reverse(url_name))
    recognised_studios(staff, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


def test_r24_schedule_window_is_set_per_request_and_exports(staff, client_for):
    studio = EligibleStudioFactory()
    today = timezone.localdate()
    start = add_years(today + timedelta(days=100), -5) + timedelta(days=1)
    lifecycle.recognise(studio, staff, on=start)
    lifecycle.record_next_year_rereview(studio, staff, True, on=add_years(start, 1))
    client = client_for(staff)
    url = reverse("studios:schedules")
    assert studio.name in client.get(url, {"list": "expiring"}).content.decode()
    narrow = client.get(url, {"list": "expiring", "window": 2}).content.decode()  # months
    assert studio.name not in narrow
    export = client.get(url, {"list": "expiring", "export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_r25_staff_record_a_decision_and_a_refusal_keeps_the_form(staff, client_for):
    studio = recognised_studios(staff, 1, on=date(2020, 3, 1))[0]
    lifecycle.record_next_year_rereview(studio, staff, True, on=date(2021, 3, 1))
    client = client_for(staff)
    url = reverse("studios:lifecycle_action", args=[studio.pk])
    refused = client.post(
        url, {"action": "start_cycle_rereview", "on": "2024-10-01", "reason": "到期复审"}
    )
    assert refused.status_code == 302
    no_deadline = client.post(
        url, {"action": "order_rectification", "on": "2025-01-10", "reason": "成果应用不足"}
    )
    body = no_deadline.content.decode()
    assert no_deadline.status_code == 200 and "成果应用不足" in body
    assert "Article 25" in body or "第二十五条" in body
    studio.refresh_from_db()
    assert studio.status == StudioStatus.UNDER_REREVIEW
    rectify = {
        "action": "order_rectification",
        "on": "2025-01-10",
        "deadline": "2025-04-30",
        "reason": "成果应用不足",
    }
    assert 'name="confirm"' in client.post(url, rectify).content.decode()
    client.post(url, {**rectify, "confirm": "1"})
    studio.refresh_from_db()
    assert studio.status == StudioStatus.UNDER_REREVIEW  # R3: the bureau has not signed yet
    from studios import decisions
    from tests.factories.accounts import BureauStaffFactory

    decisions.sign(BureauStaffFactory(), studio.lifecycle_decisions.get())
    studio.refresh_from_db()
    assert studio.status == StudioStatus.RECTIFICATION


def test_r23_rename_through_the_pages_and_timeline_reads_well(staff, client_for):
    union = UnionUserFactory()
    studio = recognised_studios(staff, 1, enterprise=union.enterprise)[0]
    old_name = studio.name
    client_for(union).post(
        reverse("studios:rename_request", args=[studio.pk]),
        {"new_name": "新名字创新工作室", "new_leader_name": "赵六", "reason": "领军人调任"},
    )
    rename = studio.rename_requests.get()
    client_for(staff).post(
        reverse("studios:rename_decide", args=[rename.pk]), {"on": "2026-01-05", "approve": "1"}
    )
    studio.refresh_from_db()
    assert studio.name == "新名字创新工作室"
    page = client_for(union).get(
        reverse("studios:studio_detail", args=[studio.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    body = page.content.decode()
    assert old_name in body  # the old name stays visible in the history
    assert "Renamed" in body or "更名" in body
    assert "studio.rename" not in body and "studio.recognise" not in body  # no raw codes


@pytest.mark.parametrize("renames", [1, 6])
def test_recognised_studio_page_query_count_does_not_grow_with_its_history(
    renames, staff, client_for, django_assert_max_num_queries
):
    from studios import services

    union = UnionUserFactory()
    studio = recognised_studios(staff, 1, on=date(2020, 3, 1), enterprise=union.enterprise)[0]
    lifecycle.record_next_year_rereview(studio, staff, True, on=date(2021, 3, 1))
    for n in range(renames):  # each rename issues a certificate and writes events
        request = services.file_rename_request(
            union,
            studio,
            {"new_name": f"更名{n}创新工作室", "new_leader_name": f"领军{n}", "reason": "调任"},
        )
        services.decide_rename_request(
            staff, request, True, on=date(2022, 1, 1) + timedelta(days=n)
        )
    client = client_for(union)
    with django_assert_max_num_queries(20):  # 12 for the page before the lifecycle, 6 for it
        page = client.get(reverse("studios:studio_detail", args=[studio.pk]))
    assert page.status_code == 200
