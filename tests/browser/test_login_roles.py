"""Every demo login reaches its home page in Chromium, in Chinese, and can switch to English."""

import pytest
from django.core.management import call_command

from studios.management.commands.seed_demo import DEMO_PASSWORD, LOGINS
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_demo_login_reaches_its_home_page(page, live_server):
    call_command("seed_demo", studios=12, enterprises=6)
    for username, _role, _display, _note in LOGINS:
        page.context.clear_cookies()
        login(page, live_server, username, DEMO_PASSWORD)
        page.wait_for_url(f"{live_server.url}/")
        assert page.locator("form[action='/logout/']").count() == 1, username
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert "退出" in page.inner_text("nav")


def test_language_switch_turns_the_page_english_and_back(page, live_server):
    call_command("seed_demo", studios=6, enterprises=3)
    login(page, live_server, "district", DEMO_PASSWORD)
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert "Log out" in page.inner_text("nav")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("button[name=language][value=zh-hans]")
    page.wait_for_load_state()
    assert "退出" in page.inner_text("nav")


def test_wrong_password_shows_an_error_and_stays_on_login(page, live_server):
    call_command("seed_demo", studios=6, enterprises=3)
    login(page, live_server, "district", "wrong")
    assert "/login/" in page.url
    assert page.locator(".alert-danger, .invalid-feedback, .errorlist").count() >= 1
