"""R29 end to end: a studio barred by a funds sanction cannot submit an application until the
bar ends, and the refusal names Article 29."""

from datetime import timedelta

import pytest
from django.utils import timezone

from funding import services as funding_services
from reviews.models import ApplicationStatus
from reviews.services import Action, SubmissionRefused, transition
from tests.factories.accounts import DistrictStaffFactory, UnionUserFactory
from tests.factories.reviews import ApplicationFactory, CallFactory, MaterialFactory
from tests.factories.studios import EligibleStudioFactory, pdf_file

pytestmark = pytest.mark.django_db


def bar(studio, until):
    funding_services.record_violation(
        DistrictStaffFactory(),
        studio,
        {
            "behaviour": "false_accounting",
            "found_on": timezone.localdate() - timedelta(days=3),
            "description": "虚列支出",
            "evidence": pdf_file("finding.pdf"),
        },
        {"bar_until": until},
    )


def test_r29_barred_studio_cannot_submit_and_is_told_why():
    union = UnionUserFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    application = ApplicationFactory(studio=studio, call=CallFactory())
    MaterialFactory(application=application)
    bar(studio, timezone.localdate() + timedelta(days=365))
    with pytest.raises(SubmissionRefused) as refused:
        transition(union, application, Action.SUBMIT)
    assert [f.rule for f in refused.value.findings] == ["R29"]
    assert "第二十九条" in refused.value.findings[0].message_zh
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT and application.number is None


def test_r29_bar_ending_today_still_blocks_today():
    """Deadlines are inclusive to the end of the named day (DESIGN.md, Dates)."""
    union = UnionUserFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    application = ApplicationFactory(studio=studio, call=CallFactory())
    MaterialFactory(application=application)
    bar(studio, timezone.localdate())
    with pytest.raises(SubmissionRefused):
        transition(union, application, Action.SUBMIT)
