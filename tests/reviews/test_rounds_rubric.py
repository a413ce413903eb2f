"""R24 (R17, R33): the round's rubric page keeps the criteria it shows.

Posted the way a browser posts it (``tests.browser_post``): the saved criteria pre-filled and
unchanged, beside the empty extra row. The same pattern lost saved rows in the application wizard
(issue 13); these pin the rubric's formset to the same rule."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reviews.round_models import RoundStatus
from tests.browser_post import browser_post, form_fields
from tests.factories.accounts import DistrictStaffFactory
from tests.factories.rounds import ReviewRoundFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def staff_client(client):
    client.force_login(DistrictStaffFactory())
    return client


def criteria(review_round):
    return list(
        review_round.criteria.values_list(
            "order", "name_zh", "name_en", "description", "max_points", "weight", "comment_required"
        )
    )


def rubric_url(review_round):
    return reverse("reviews:round_rubric", args=[review_round.pk])


def post_rubric(client, review_round, changes=None, drop=()):
    return browser_post(client, rubric_url(review_round), "form-TOTAL_FORMS", changes, drop=drop)


def test_r24_resaving_the_rubric_without_changes_keeps_every_criterion(staff_client):
    review_round = ReviewRoundFactory()
    review_round.criteria.filter(order=2).update(
        description="专利、技术改进", weight=D("1.5"), comment_required=True
    )
    before = criteria(review_round)
    response = post_rubric(staff_client, review_round)
    assert response.status_code == 302
    assert criteria(review_round) == before
    post_rubric(staff_client, review_round)
    assert criteria(review_round) == before


def test_r24_adding_a_criterion_keeps_the_others(staff_client):
    review_round = ReviewRoundFactory()
    before = criteria(review_round)
    post_rubric(
        staff_client,
        review_round,
        {"form-4-name_zh": "现场答辩", "form-4-max_points": "10", "form-4-weight": "1"},
    )
    after = criteria(review_round)
    assert after[:4] == before
    assert after[4][:2] == (5, "现场答辩")


def test_r24_an_edited_criterion_is_updated_and_a_deleted_one_goes(staff_client):
    review_round = ReviewRoundFactory()
    post_rubric(staff_client, review_round, {"form-1-max_points": "35", "form-3-DELETE": "on"})
    assert [(c[1], c[4]) for c in criteria(review_round)] == [
        ("基本情况及运行", D("25")),
        ("创新成果", D("35")),
        ("人才培养", D("20")),
    ]


def test_r17_the_rubric_page_refuses_once_scoring_opened_and_changes_nothing(staff_client):
    review_round = ReviewRoundFactory()
    before = criteria(review_round)
    page = staff_client.get(rubric_url(review_round))
    review_round.status = RoundStatus.SCORING
    review_round.save()
    data = form_fields(page.content.decode(), "form-TOTAL_FORMS")
    data["form-0-max_points"] = "50"
    response = staff_client.post(rubric_url(review_round), data)
    assert response.status_code == 200
    assert "第十七条" in str(response.context["formset"].non_form_errors())
    assert criteria(review_round) == before
