"""Ledger refusals carry the rule they enforce (R22, R14a, R14b, R14d) as their code and cite its
article, on the form and in the service."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.refusals import Refusal
from ledgers import services
from ledgers.forms import DevelopmentForm, PatentForm, ProjectForm
from ledgers.kinds import LEDGERS
from ledgers.models import Patent
from tests.factories.accounts import UnionUserFactory
from tests.factories.ledgers import PatentFactory
from tests.factories.studios import EligibleStudioFactory, MemberFactory, StudioFactory

pytestmark = pytest.mark.django_db


def codes(form, field):
    return [e.code for e in form.errors.as_data()[field]]


def patent_data(**overrides):
    return {
        "number": "ZL20251234567.1",
        "title": "一种夹具",
        "kind": "utility_model",
        "filed_on": "2024-01-10",
        "granted_on": "2025-01-10",
        "other_holders": "外单位",
        **overrides,
    }


def test_r14b_a_patent_already_in_the_ledger_is_refused_with_its_rule():
    studio = EligibleStudioFactory()
    PatentFactory(studio=studio, number="ZL20251234567.1")
    form = PatentForm(patent_data(), studio=studio)
    assert not form.is_valid()
    assert codes(form, "number") == ["R14b"]
    assert "第十四条" in form.errors["number"][0]


def test_r14b_granted_before_filed_and_no_holder_are_refused_with_their_rule():
    studio = EligibleStudioFactory()
    form = PatentForm(
        patent_data(filed_on="2025-02-01", granted_on="2025-01-10", other_holders=""),
        studio=studio,
    )
    assert not form.is_valid()
    assert codes(form, "granted_on") == ["R14b"] and codes(form, "holders") == ["R14b"]


def test_r22_a_ledger_date_in_the_future_is_refused_with_its_rule():
    studio = EligibleStudioFactory()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    form = PatentForm(patent_data(granted_on=tomorrow), studio=studio)
    assert not form.is_valid()
    assert codes(form, "granted_on") == ["R22"]


def test_r14a_applied_before_started_is_refused_with_its_rule():
    studio = EligibleStudioFactory()
    form = ProjectForm(
        {
            "title": "工艺改进",
            "started_on": "2025-05-01",
            "applied_on": "2025-04-01",
            "status": "applied",
        },
        studio=studio,
    )
    assert not form.is_valid()
    assert codes(form, "applied_on") == ["R14a"]


def test_r14d_apprenticeship_without_a_master_is_refused_with_its_rule():
    studio = EligibleStudioFactory()
    member = studio.members.first()
    form = DevelopmentForm(
        {"member": member.pk, "kind": "apprenticeship", "happened_on": "2025-03-01"},
        studio=studio,
    )
    assert not form.is_valid()
    assert codes(form, "mentor") == ["R14d"]


def test_r22_service_refuses_members_of_another_studio_and_saves_nothing():
    studio = EligibleStudioFactory()
    union = UnionUserFactory(enterprise=studio.enterprise)
    outsider = MemberFactory(studio=StudioFactory())
    data = {
        "number": "ZL20259999999.1",
        "title": "一种装置",
        "kind": "utility_model",
        "filed_on": date(2024, 1, 1),
        "granted_on": date(2025, 1, 1),
        "holders": [outsider],
        "other_holders": "",
    }
    with pytest.raises(Refusal) as exc:
        services.add_entry(union, studio, LEDGERS["patents"], data)
    assert exc.value.code == "R22"
    assert not Patent.objects.filter(studio=studio).exists()
