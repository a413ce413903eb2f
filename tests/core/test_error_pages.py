"""Error pages are the portal's, in its layout and in the user's language (400, 500 and the
CSRF failure, which Django renders with no request, say everything in Chinese and English)."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from tests.factories.accounts import UnionUserFactory

pytestmark = pytest.mark.django_db


def test_an_unknown_page_is_the_portals_404_in_chinese(client):
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and "portal-navbar" in page


def test_an_unknown_page_in_english(client):
    client.post(reverse("set_language"), {"language": "en"})
    page = client.get("/no-such-page/").content.decode()
    assert "Page not found" in page


def test_a_union_opening_a_staff_page_sees_the_portals_403_in_chinese(client):
    client.force_login(UnionUserFactory())
    response = client.get(reverse("audit:event_list"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in page and "portal-navbar" in page
    assert "403 Forbidden" not in page


def test_the_500_page_needs_no_context_and_speaks_both_languages():
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "系统出错" in page and "Server error" in page and "portal-navbar" in page


def test_an_expired_form_gets_the_portals_csrf_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "a", "password": "b"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "表单已过期" in page and "The form has expired" in page
