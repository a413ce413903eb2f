"""R29 with R16 and R4–R9: a revoked or delisted studio is a new applicant again for a later
call once any R29 re-application bar has ended; before that the refusal cites Article 29 with
the day the bar ends; it meets R4–R9 again; recognised again, its old records stay."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from funding import services as funding_services
from reviews.models import Application, ApplicationStatus
from reviews.services import Action, SubmissionRefused, start_application, transition
from studios import lifecycle
from studios.lifecycle_models import RecognitionCycle, Revocation
from studios.models import StudioStatus
from tests.factories.accounts import DistrictStaffFactory, UnionUserFactory
from tests.factories.reviews import CallFactory, MaterialFactory
from tests.factories.studios import EligibleStudioFactory, pdf_file

pytestmark = pytest.mark.django_db


def codes(exc) -> list[str]:
    return [error.code for error in exc.error_list]


def revoked_studio(union, staff, on):
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    lifecycle.recognise(studio, staff, on=on - timedelta(days=800))
    lifecycle.record_next_year_rereview(studio, staff, True, on=on - timedelta(days=400))
    lifecycle.revoke(studio, staff, [3], on=on)
    studio.refresh_from_db()
    assert studio.status == StudioStatus.REVOKED
    return studio


def bar(staff, studio, until):
    funding_services.record_violation(
        staff,
        studio,
        {
            "behaviour": "false_accounting",
            "found_on": timezone.localdate() - timedelta(days=3),
            "description": "虚列支出",
            "evidence": pdf_file("finding.pdf"),
        },
        {"bar_until": until},
    )


def shift_today(monkeypatch, days):
    """Move the clock ``days`` ahead for the code under test (timezone.now is what the
    services read)."""
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(days=days))


def test_r29_revoked_studio_may_apply_again_after_the_bar(monkeypatch):
    union, staff = UnionUserFactory(), DistrictStaffFactory()
    today = timezone.localdate()
    studio = revoked_studio(union, staff, on=today - timedelta(days=30))
    until = today + timedelta(days=10)
    bar(staff, studio, until)
    call = CallFactory(closes_at=timezone.now() + timedelta(days=40))  # opened after revocation

    # Before the bar ends (its last day included): refused under Article 29, naming the day.
    with pytest.raises(ValidationError) as refused:
        start_application(union, studio, call)
    assert codes(refused.value) == ["R29"]
    assert "第二十九条" in refused.value.messages[0]
    assert until.isoformat() in refused.value.messages[0]
    assert not Application.objects.filter(studio=studio).exists()

    # The day after the bar ends: a new applicant again.
    shift_today(monkeypatch, 11)
    application = start_application(union, studio, call)
    MaterialFactory(application=application)

    # ... and R4–R9 are checked again: a team below R8's minimum is refused.
    member = studio.members.first()
    member.left_on = timezone.localdate() - timedelta(days=1)
    member.save()
    with pytest.raises(SubmissionRefused) as refused:
        transition(union, application, Action.SUBMIT)
    assert "R8" in [f.rule for f in refused.value.findings]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT

    member.left_on = None
    member.save()
    transition(union, application, Action.SUBMIT)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_r29_revoked_studio_is_refused_on_submission_while_barred():
    union, staff = UnionUserFactory(), DistrictStaffFactory()
    today = timezone.localdate()
    studio = revoked_studio(union, staff, on=today - timedelta(days=30))
    call = CallFactory()
    application = start_application(union, studio, call)  # no bar yet
    MaterialFactory(application=application)
    bar(staff, studio, today + timedelta(days=3))
    with pytest.raises(SubmissionRefused) as refused:
        transition(union, application, Action.SUBMIT)
    assert [f.rule for f in refused.value.findings] == ["R29"]
    assert (today + timedelta(days=3)).isoformat() in refused.value.findings[0].message_zh


def test_r16_revoked_studio_applies_to_a_later_call_not_the_one_open_when_revoked():
    union, staff = UnionUserFactory(), DistrictStaffFactory()
    today = timezone.localdate()
    studio = revoked_studio(union, staff, on=today - timedelta(days=2))
    call = CallFactory()  # opened 7 days ago, before the revocation
    with pytest.raises(ValidationError) as refused:
        start_application(union, studio, call)
    assert codes(refused.value) == ["R16"]
    assert (today - timedelta(days=2)).isoformat() in refused.value.messages[0]


def test_r16_delisted_studio_may_apply_to_a_later_call():
    union, staff = UnionUserFactory(), DistrictStaffFactory()
    today = timezone.localdate()
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    lifecycle.recognise(studio, staff, on=today - timedelta(days=400))
    lifecycle.record_next_year_rereview(studio, staff, False, on=today - timedelta(days=20))
    studio.refresh_from_db()
    assert studio.status == StudioStatus.DELISTED
    application = start_application(union, studio, CallFactory())
    assert application.studio == studio


def test_r16_a_studio_holding_the_title_still_cannot_apply():
    union, staff = UnionUserFactory(), DistrictStaffFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    lifecycle.recognise(studio, staff, on=timezone.localdate() - timedelta(days=30))
    with pytest.raises(ValidationError) as refused:
        start_application(union, studio, CallFactory())
    assert codes(refused.value) == ["R16"]


def test_r16_revoked_studio_recognised_again_keeps_its_old_records():
    union, staff = UnionUserFactory(), DistrictStaffFactory()
    today = timezone.localdate()
    studio = revoked_studio(union, staff, on=today - timedelta(days=400))
    first_recognised = studio.first_recognised_on
    lifecycle.recognise(studio, staff, on=today - timedelta(days=370))
    studio.refresh_from_db()
    assert studio.status == StudioStatus.RECOGNISED
    assert studio.first_recognised_on == first_recognised
    lifecycle.record_next_year_rereview(studio, staff, True, on=today)
    studio.refresh_from_db()
    cycles = list(RecognitionCycle.objects.filter(studio=studio).order_by("number"))
    assert [c.number for c in cycles] == [1, 2]
    assert cycles[0].outcome == "revoked" and cycles[1].closed_on is None
    assert Revocation.objects.filter(studio=studio).count() == 1
