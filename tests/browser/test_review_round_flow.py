"""Done when (issue #4): staff build a round from accepted applications and auto-assign 3
experts each; an expert logs in, scores an application, sees the live total, submits; staff
close scoring and see ranked results."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from tests.browser.conftest import login
from tests.factories.accounts import DistrictStaffFactory
from tests.factories.rounds import (
    AcceptedApplicationFactory,
    ExpertProfileFactory,
    RoundCallFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-Test-2026"


def test_round_from_accepted_applications_to_ranked_results(live_server, page):
    staff = DistrictStaffFactory(username="staff1")
    call = RoundCallFactory(title="浏览器测试评选")
    AcceptedApplicationFactory.create_batch(2, call=call)
    experts = [ExpertProfileFactory(user__username=f"exp{i}").user for i in range(4)]
    assert all(e.role == Role.EXPERT for e in experts)

    login(page, live_server, staff.username, PASSWORD)
    page.goto(f"{live_server.url}/rounds/new/")
    page.select_option("#id_call-call", str(call.pk))
    deadline = timezone.localdate() + timedelta(days=10)
    page.fill("#id_call-scoring_deadline", deadline.isoformat())
    page.fill("#id_call-experts_per_entry", "3")
    page.click("#from-call button[name=from_call]")
    page.wait_for_selector("#auto-assign")
    page.click("#auto-assign")
    page.wait_for_selector(".alert-success")
    assert page.locator(".entry-row").count() == 2
    assert page.locator(".expert-badge").count() == 6
    page.click("#action-open_scoring")
    page.wait_for_selector("#action-close_scoring")
    page.click("form[action$='/logout/'] button")

    expert = next(e for e in experts if e.review_assignments.exists())
    entry = expert.review_assignments.first().entry
    login(page, live_server, expert.username, PASSWORD)
    page.goto(f"{live_server.url}/my-reviews/")
    page.click(f"a[href='/my-reviews/{entry.pk}/']")
    inputs = page.locator("input.score-input")
    assert inputs.count() == 4
    for index, value in enumerate(["20", "25.5", "15", "20"]):
        inputs.nth(index).fill(value)
    # Playwright's own assertion: it runs outside the page, so the page's CSP does not block it.
    expect(page.locator("#live-total-value")).to_have_text("80.50")
    page.locator("textarea[name^=comment_]").nth(1).fill("成果应用效果明显")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#submit-score")
    page.wait_for_selector("#score-state.text-bg-success")
    assert page.locator("input.score-input").first.is_disabled()
    page.click("form[action$='/logout/'] button")

    login(page, live_server, staff.username, PASSWORD)
    review_round = entry.round
    page.goto(f"{live_server.url}/rounds/{review_round.pk}/")
    page.click("#action-close_scoring")
    page.wait_for_selector("#action-finish")
    page.click("#results-link")
    page.wait_for_selector("#results")
    rows = page.locator("tr.result-row")
    assert rows.count() == 2
    first = rows.first.inner_text()
    assert "80.50" in first and first.strip().startswith("1")
