"""R17/R24/R25: a lifecycle schedule list becomes a review round in one step, once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.round_models import ReviewRound, RoundKind
from studios import lifecycle
from tests.factories.accounts import DistrictStaffFactory, UnionUserFactory
from tests.factories.studios import EligibleStudioFactory

pytestmark = pytest.mark.django_db


def recognised_last_year(staff):
    studio = EligibleStudioFactory()
    lifecycle.recognise(studio, staff, on=timezone.localdate() - timedelta(days=366))
    return studio


def test_r17_next_year_list_becomes_a_round_once(client_for):
    staff = DistrictStaffFactory()
    due = recognised_last_year(staff)
    EligibleStudioFactory()  # not recognised: on no list
    client = client_for(staff)
    response = client.post(reverse("reviews:round_from_schedule"), {"list": "next_year"})
    review_round = ReviewRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:round_detail", args=[review_round.pk])
    assert review_round.kind == RoundKind.NEXT_YEAR
    assert list(review_round.entries.values_list("studio_id", flat=True)) == [due.pk]
    again = client.post(reverse("reviews:round_from_schedule"), {"list": "next_year"}, follow=True)
    assert ReviewRound.objects.count() == 1  # pressed twice: no second round
    assert "already in a review round" in again.content.decode() or "已在评审轮次中" in (
        again.content.decode()
    )


def test_r32_list_is_decided_by_staff_not_by_a_round(client_for):
    staff = DistrictStaffFactory()
    client_for(staff).post(reverse("reviews:round_from_schedule"), {"list": "r32"})
    assert ReviewRound.objects.count() == 0


def test_unions_cannot_build_rounds(client_for):
    response = client_for(UnionUserFactory()).post(
        reverse("reviews:round_from_schedule"), {"list": "next_year"}
    )
    assert response.status_code == 403 and ReviewRound.objects.count() == 0


def test_schedule_page_offers_the_button_for_a_list_with_studios(client_for):
    staff = DistrictStaffFactory()
    recognised_last_year(staff)
    html = client_for(staff).get(reverse("studios:schedules"), {"list": "next_year"}).content
    assert b'id="round-from-list"' in html
