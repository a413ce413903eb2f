"""The navigation bar shows each role only what it may open, gathered into menus."""

import pytest
from django.test import Client
from django.utils import translation

from core.navigation import nav_for
from tests.factories.accounts import AuditorFactory, DistrictStaffFactory, UnionUserFactory

pytestmark = pytest.mark.django_db


def links(entries):
    for entry in entries:
        yield from entry.get("children", [entry])


def test_staff_bar_is_short_with_menus_of_related_pages():
    entries = nav_for(DistrictStaffFactory())
    assert len(entries) <= 6
    with translation.override("en"):
        menus = {str(e["label"]): [c["url_name"] for c in e.get("children", [])] for e in entries}
    assert "studios:studio_list" in menus["Studios"] and "studios:schedules" in menus["Studios"]
    assert "reviews:round_list" in menus["Reviews"]


@pytest.mark.parametrize("factory", [DistrictStaffFactory, UnionUserFactory, AuditorFactory])
def test_every_link_opens_for_the_user_who_sees_it(factory):
    user = factory()
    client = Client()
    client.force_login(user)
    for link in links(nav_for(user)):
        assert client.get(link["url"]).status_code in (200, 302), link["url_name"]


def test_union_sees_no_staff_pages():
    names = {link["url_name"] for link in links(nav_for(UnionUserFactory()))}
    assert not names & {"audit:event_list", "reviews:round_list", "studios:schedules"}
