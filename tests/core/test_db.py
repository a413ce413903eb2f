"""Duplicates a concurrent request inserted first: the form's own check passed for both, the
database's unique constraint refuses the second insert, and the service turns that into a
refusal with a code on the field — never an uncaught IntegrityError (a 500).

The race is reproduced deterministically, on SQLite and PostgreSQL alike, by letting the model's
own uniqueness checks miss the other row, as they do when it is not yet committed."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models

from audit.models import AuditEvent
from core.db import DUPLICATE, refuse_duplicate
from reviews import services as review_services
from reviews.models import Call
from studios import services as studio_services
from studios.models import Enterprise, Studio
from tests.factories.accounts import DistrictStaffFactory, UnionUserFactory
from tests.factories.reviews import CallFactory
from tests.factories.studios import EnterpriseFactory, IndustryFactory, StudioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def checks_miss_the_other_row(monkeypatch):
    monkeypatch.setattr(models.Model, "validate_unique", lambda self, exclude=None: None)
    monkeypatch.setattr(models.Model, "validate_constraints", lambda self, exclude=None: None)


def field_codes(exc: ValidationError, field: str) -> list:
    return [e.code for e in exc.error_dict[field]]


def test_the_losing_studio_creation_gets_a_duplicate_error_and_writes_nothing(
    checks_miss_the_other_row,
):
    union = UnionUserFactory()
    StudioFactory(enterprise=union.enterprise, name="张三焊接创新工作室")
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        studio_services.create_studio(
            union,
            {
                "name": "张三焊接创新工作室",
                "type": "technical",
                "founded_on": "2024-01-10",
                "area_m2": "35.5",
            },
        )
    assert field_codes(caught.value, "name") == [DUPLICATE]
    assert caught.value.messages == ["本企业已有同名工作室。"]
    assert Studio.objects.count() == 1 and AuditEvent.objects.count() == events


def test_the_losing_enterprise_registration_gets_a_duplicate_uscc_error(checks_miss_the_other_row):
    first = EnterpriseFactory()
    with pytest.raises(ValidationError) as caught:
        studio_services.create_enterprise(
            DistrictStaffFactory(),
            {"name": "另一家公司", "credit_code": first.credit_code, "industry": IndustryFactory()},
        )
    assert field_codes(caught.value, "credit_code") == [DUPLICATE]
    assert Enterprise.objects.count() == 1


def test_the_losing_call_for_the_same_year_gets_a_duplicate_error(checks_miss_the_other_row):
    first = CallFactory()
    data = {
        "year": first.year,
        "title": "重复的评选",
        "opens_at": first.opens_at,
        "closes_at": first.closes_at,
    }
    with pytest.raises(ValidationError) as caught:
        review_services.create_call(DistrictStaffFactory(), data, {})
    assert field_codes(caught.value, "year") == [DUPLICATE]
    assert Call.objects.count() == 1


def test_other_integrity_errors_stay_errors():
    """Only unique violations become refusals: a broken check constraint is a bug to see."""
    with pytest.raises(IntegrityError), refuse_duplicate("x"):
        StudioFactory(area_m2=-1)
