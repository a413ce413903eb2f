"""Studio refusals carry their rule as the code and cite its article: founding date (R9),
documents (R6), honour evidence (R19), rename requests (R23), municipal recommendation (R30)."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.refusals import Refusal
from studios import services
from studios.forms import HonourForm, StudioForm
from tests.factories.accounts import DistrictStaffFactory, UnionUserFactory
from tests.factories.studios import EligibleStudioFactory

pytestmark = pytest.mark.django_db


def studio_data(**overrides):
    return {
        "name": "张三焊接创新工作室",
        "type": "technical",
        "founded_on": "2024-01-10",
        "area_m2": "35.5",
        "working_funds_cny": "80000",
        **overrides,
    }


def codes(form, field):
    return [e.code for e in form.errors.as_data()[field]]


def test_r9_founding_date_in_the_future_is_refused_with_its_rule():
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    form = StudioForm(studio_data(founded_on=tomorrow))
    assert not form.is_valid()
    assert codes(form, "founded_on") == ["R9"]
    assert "第九条" in form.errors["founded_on"][0]


def test_r6_a_document_that_is_not_a_pdf_is_refused_with_its_rule():
    fake = SimpleUploadedFile("rules.pdf", b"MZ\x90\x00 an executable", "application/pdf")
    form = StudioForm(studio_data(), {"management_rules": fake})
    assert not form.is_valid()
    assert codes(form, "management_rules") == ["R6"]
    assert "第六条" in form.errors["management_rules"][0]


def test_r19_honour_evidence_that_is_not_a_document_is_refused_with_its_rule():
    fake = SimpleUploadedFile("award.pdf", b"not a pdf at all", "application/pdf")
    form = HonourForm(
        {"kind": "beijing_model_worker", "title": "劳模", "awarded_on": "2024-05-01"},
        {"evidence": fake},
    )
    assert not form.is_valid()
    assert codes(form, "evidence") == ["R19"]


def test_r23_rename_request_of_a_studio_without_the_title_is_refused_with_its_rule():
    union = UnionUserFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    with pytest.raises(Refusal) as exc:
        services.file_rename_request(
            union, studio, {"new_name": "新名", "new_leader_name": "李四", "reason": "调离"}
        )
    assert exc.value.code == "R23" and "第二十三条" in exc.value.messages[0]


def test_r30_only_a_recognised_studio_is_recommended_to_the_city():
    with pytest.raises(Refusal) as exc:
        services.recommend_to_municipal(DistrictStaffFactory(), EligibleStudioFactory())
    assert exc.value.code == "R30" and "第三十条" in exc.value.messages[0]


def test_r7_new_leader_must_start_after_the_current_one():
    union = UnionUserFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    with pytest.raises(Refusal) as exc:
        services.appoint_leader(union, studio, {"name": "李四", "since": date(2019, 1, 1)})
    assert exc.value.code == "R7"
    assert studio.leaders.count() == 1
