"""The expert's score form: whatever is typed in a score box — infinities, NaN, an exponent of a
billion, four hundred digits — the expert gets an error beside the box, never a server error,
and nothing is saved."""

import pytest
from django.urls import reverse

from reviews.round_models import AssignmentState, CriterionScore, RoundStatus
from tests.factories.rounds import AssignmentFactory, ReviewRoundFactory, RoundEntryFactory

pytestmark = pytest.mark.django_db

HOSTILE_SCORES = [
    "Infinity",
    "-Infinity",
    "inf",
    "1E+999999999",
    "1e-999999999",
    "NaN",
    "sNaN",
    "9" * 400,
    "0." + "5" * 400,
    "1e2",
]


@pytest.fixture
def mine():
    entry = RoundEntryFactory(round=ReviewRoundFactory(status=RoundStatus.SCORING))
    return AssignmentFactory(entry=entry)


def browser_body(criteria, hostile, button):
    """Every box filled as a browser sends it, the first one with the hostile text."""
    body = {f"points_{c.pk}": "10" for c in criteria} | {f"comment_{c.pk}": "" for c in criteria}
    body[f"points_{criteria[0].pk}"] = hostile
    body[button] = "1"
    return body


@pytest.mark.parametrize("button", ["save", "submit"])
@pytest.mark.parametrize("hostile", HOSTILE_SCORES)
def test_a_hostile_score_is_a_form_error_not_a_server_error(mine, client, hostile, button):
    criteria = list(mine.entry.round.criteria.all())
    client.force_login(mine.expert)
    url = reverse("reviews:score_entry", args=[mine.entry.pk])
    response = client.post(url, browser_body(criteria, hostile, button))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert f"points_{criteria[0].pk}" in errors
    mine.refresh_from_db()
    assert mine.state == AssignmentState.ASSIGNED and mine.total is None
    assert not CriterionScore.objects.filter(assignment=mine).exists()


@pytest.mark.parametrize("hostile", HOSTILE_SCORES)
def test_the_live_total_ignores_a_hostile_score(mine, client, hostile):
    criteria = list(mine.entry.round.criteria.all())
    client.force_login(mine.expert)
    url = reverse("reviews:score_total", args=[mine.entry.pk])
    response = client.post(url, browser_body(criteria, hostile, "save"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.context["out_of_range"] == 1
