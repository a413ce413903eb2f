"""R8: a team member opened and saved again without a change keeps every field (the team count,
the talent and frontline flags R8 counts). Posted the way a browser posts the edit page
(``tests.browser_post``); the same pattern lost saved rows in the application wizard (issue 13)."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from tests.browser_post import browser_post
from tests.factories.accounts import UnionUserFactory
from tests.factories.studios import EligibleStudioFactory

pytestmark = pytest.mark.django_db


def test_r8_resaving_a_member_unchanged_keeps_every_field(client_for):
    union = UnionUserFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    member = studio.members.filter(is_frontline=True).first()
    before = model_to_dict(member)
    url = reverse("studios:member_edit", args=[studio.pk, member.pk])
    response = browser_post(client_for(union), url, "name")
    assert response.status_code == 302
    member.refresh_from_db()
    assert model_to_dict(member) == before
    assert studio.members.count() == 10


def test_r8_unticking_frontline_changes_only_that(client_for):
    union = UnionUserFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    member = studio.members.filter(is_frontline=True).first()
    before = model_to_dict(member)
    url = reverse("studios:member_edit", args=[studio.pk, member.pk])
    browser_post(client_for(union), url, "name", drop=["is_frontline"])
    member.refresh_from_db()
    assert model_to_dict(member) == {**before, "is_frontline": False}
