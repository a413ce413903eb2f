"""Decisions hand over to the real studio lifecycle (no fakes): R3/R16 sign-offs, R16
recognition, R17 next-year re-review, and the R26a grant that follows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from funding.models import Grant
from reviews import round_services as rs
from reviews.round_models import RoundKind, RoundStatus
from studios import lifecycle
from studios.lifecycle_models import Certificate
from studios.models import StudioStatus
from tests.factories.accounts import BureauStaffFactory, DistrictStaffFactory
from tests.factories.rounds import ReviewRoundFactory, RoundEntryFactory
from tests.factories.studios import EligibleStudioFactory

pytestmark = pytest.mark.django_db(transaction=True)


def decide(entry, outcome, district, bureau):
    decision = rs.record_decision(district, entry, {"outcome": outcome, "reason": "专家评审"})
    rs.sign_off(district, decision, "union")
    entry.studio.refresh_from_db()
    before_second = entry.studio.status
    rs.sign_off(bureau, decision, "bureau")
    entry.studio.refresh_from_db()
    return before_second


def test_r16_recognition_takes_effect_only_with_both_signoffs_and_issues_a_certificate():
    district, bureau = DistrictStaffFactory(), BureauStaffFactory()
    entry = RoundEntryFactory(round=ReviewRoundFactory(status=RoundStatus.CLOSED))
    status_after_one = decide(entry, "recognise", district, bureau)
    assert status_after_one == StudioStatus.APPLICANT  # one body's sign-off changes nothing
    assert entry.studio.status == StudioStatus.RECOGNISED
    assert Certificate.objects.filter(studio=entry.studio).exists()


def test_r17_r26a_next_year_pass_starts_cycle_one_and_creates_the_grant():
    district, bureau = DistrictStaffFactory(), BureauStaffFactory()
    studio = EligibleStudioFactory()
    # Recognised last year (R17: the re-review is due the year after recognition).
    lifecycle.recognise(studio, district, on=timezone.localdate() - timedelta(days=366))
    rereview = ReviewRoundFactory(kind=RoundKind.NEXT_YEAR, status=RoundStatus.CLOSED)
    entry = RoundEntryFactory(round=rereview, studio=studio)
    decide(entry, "pass", district, bureau)
    studio.refresh_from_db()
    assert studio.status == StudioStatus.IN_CYCLE and studio.cycle_number == 1
    assert list(Grant.objects.filter(studio=studio).values_list("cause", flat=True)) == ["r26a"]
