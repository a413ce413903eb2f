"""Under the strict Content-Security-Policy (script-src 'self', nothing inline) the pages still
behave: a data-confirm button asks before it submits, the live score total (htmx) updates, and
the browser reports no CSP violation."""

import pytest
from playwright.sync_api import expect

from reviews.round_models import Assignment, RoundStatus
from tests.browser.conftest import login
from tests.factories.rounds import AssignmentFactory, ReviewRoundFactory, RoundEntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-Test-2026"


def watch_for_csp_violations(page) -> list[str]:
    """Chromium logs every blocked inline script or handler to the console; the page also
    fires a securitypolicyviolation event, which we record on the document."""
    seen = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    return seen


def test_data_confirm_asks_and_the_live_total_works_with_no_csp_violation(live_server, page):
    entry = RoundEntryFactory(round=ReviewRoundFactory(status=RoundStatus.SCORING))
    assignment = AssignmentFactory(entry=entry)
    violations = watch_for_csp_violations(page)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security Policy violation: ' + e.violatedDirective));"
    )

    login(page, live_server, assignment.expert.username, PASSWORD)
    page.goto(f"{live_server.url}/my-reviews/{entry.pk}/")
    header = page.evaluate(
        "() => fetch(location.href).then(r => r.headers.get('content-security-policy'))"
    )
    assert "script-src 'self';" in header

    inputs = page.locator("input.score-input")
    for index, value in enumerate(["20", "25.5", "15", "20"]):
        inputs.nth(index).fill(value)
    expect(page.locator("#live-total-value")).to_have_text("80.50")  # htmx under the CSP

    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.click("#submit-score")
    assert len(dialogs) == 1 and "锁定" in dialogs[0]  # the question, in Chinese
    page.wait_for_timeout(300)
    assert Assignment.objects.get(pk=assignment.pk).submitted_at is None  # cancelled: not sent

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit-score")
    expect(page.locator("#score-state")).not_to_have_text("")
    page.wait_for_load_state("networkidle")
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    assert violations == []
