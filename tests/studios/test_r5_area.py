"""R5: the activity space, in m² with two decimals, judged against 20 m² exactly. What cannot
be stored is refused on the form with code R5, citing Article 5."""

from decimal import Decimal

import pytest
from django.urls import reverse

from studios.eligibility import check_eligibility
from studios.forms import StudioForm
from studios.models import Studio
from studios.queries import with_eligibility_data
from tests.factories.accounts import UnionUserFactory
from tests.factories.studios import EligibleStudioFactory

pytestmark = pytest.mark.django_db


def edit(client, studio, area):
    """Post the edit page as a browser does: every field as stored, the area as typed."""
    data = {
        "name": studio.name,
        "type": studio.type,
        "founded_on": studio.founded_on.isoformat(),
        "area_m2": area,
        "address": studio.address,
        "equipment": studio.equipment,
        "working_funds_cny": str(studio.working_funds_cny),
        "introduction": studio.introduction,
    }
    return client.post(reverse("studios:studio_edit", args=[studio.pk]), data)


def r5_space(studio):
    studio = with_eligibility_data(Studio.objects.filter(pk=studio.pk)).get()
    return next(f for f in check_eligibility(studio) if f.rule == "R5")


@pytest.fixture
def union_and_studio():
    union = UnionUserFactory()
    return union, EligibleStudioFactory(enterprise=union.enterprise, area_m2=Decimal("50"))


def test_r5_refuses_nineteen_point_nine_nine(union_and_studio, client_for):
    union, studio = union_and_studio
    response = edit(client_for(union), studio, "19.99")
    assert response.status_code == 302  # stored as typed ...
    studio.refresh_from_db()
    assert studio.area_m2 == Decimal("19.99")
    finding = r5_space(studio)  # ... and refused under Article 5 against 20 m² exactly
    assert not finding.ok and "19.99" in finding.message_en and "第五条" in finding.message_zh


def test_r5_accepts_twenty_point_zero_zero(union_and_studio, client_for):
    union, studio = union_and_studio
    response = edit(client_for(union), studio, "20.00")
    assert response.status_code == 302
    studio.refresh_from_db()
    assert studio.area_m2 == Decimal("20.00") and r5_space(studio).ok


def test_r5_accepts_twenty(union_and_studio, client_for):
    union, studio = union_and_studio
    response = edit(client_for(union), studio, "20")
    assert response.status_code == 302
    studio.refresh_from_db()
    assert studio.area_m2 == Decimal("20") and r5_space(studio).ok


@pytest.mark.parametrize("typed", ["19.999", "-1", "abc", "123456789"])
def test_r5_area_that_cannot_be_stored_is_refused_citing_article_5(typed, union_and_studio):
    union, studio = union_and_studio
    form = StudioForm(
        {"name": studio.name, "type": studio.type, "founded_on": "2024-01-10", "area_m2": typed},
        instance=studio,
    )
    assert not form.is_valid()
    [error] = form.errors.as_data()["area_m2"]
    assert error.code == "R5"
    assert "第五条" in error.messages[0]
    studio.refresh_from_db()
    assert studio.area_m2 == Decimal("50")
