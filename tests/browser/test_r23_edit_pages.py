"""R23 in the browser: a recognised studio's edit pages show the name and leader read-only with
the line citing Article 23, and saving the other fields works."""

import os
from datetime import date

import pytest

from studios import lifecycle
from tests.browser.conftest import login
from tests.factories.accounts import DistrictStaffFactory, UnionUserFactory
from tests.factories.studios import EligibleStudioFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOT_DIR")


def test_r23_edit_pages_show_name_and_leader_read_only(page, live_server):
    union = UnionUserFactory(username="union-r23")
    studio = EligibleStudioFactory(enterprise=union.enterprise, name="旧名创新工作室")
    lifecycle.recognise(studio, DistrictStaffFactory(), on=date(2025, 6, 20))
    login(page, live_server, "union-r23", "pw-Test-2026")

    page.goto(f"{live_server.url}/studios/{studio.pk}/edit/")
    assert page.locator("input[name=name]").is_disabled()
    assert "第二十三条" in page.locator("#r23-read-only").inner_text()
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/r23-studio-edit.png", full_page=True)
    page.fill("input[name=address]", "科创十三街")
    page.fill("input[name=area_m2]", "19.99")
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/studios/{studio.pk}/")
    studio.refresh_from_db()
    assert (studio.name, studio.address, str(studio.area_m2)) == (
        "旧名创新工作室",
        "科创十三街",
        "19.99",
    )

    page.goto(f"{live_server.url}/studios/{studio.pk}/leader/")
    assert page.locator("input[name=name]").is_disabled()
    assert not page.locator("input[name=phone]").is_disabled()
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/r23-leader-edit.png", full_page=True)


def test_r24_schedule_window_is_typed_in_months(page, live_server):
    from django.utils import timezone

    from core.dates import add_months, add_years
    from tests.factories.accounts import DistrictStaffFactory as Staff

    staff = Staff(username="staff-r24")
    studio = EligibleStudioFactory(name="到期工作室")
    start = add_years(add_months(timezone.localdate(), 4), -5)  # cycle ends in ~4 months
    lifecycle.recognise(studio, staff, on=start)
    lifecycle.record_next_year_rereview(studio, staff, True, on=add_years(start, 1))
    login(page, live_server, "staff-r24", "pw-Test-2026")
    page.goto(f"{live_server.url}/lifecycle/?list=expiring")
    assert "到期工作室" in page.content()
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/r24-schedule.png", full_page=True)
    page.goto(f"{live_server.url}/lifecycle/?list=expiring&window=3")
    assert "到期工作室" not in page.locator("main").inner_text()
