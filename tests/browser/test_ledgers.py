"""A union keeps its studio's ledgers in the browser and the checklist turns green (R14, R22)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from openpyxl import Workbook
from PIL import Image

from studios.models import StudioType
from tests.browser.conftest import login
from tests.factories.accounts import UnionUserFactory
from tests.factories.ledgers import ActivityFactory, ProjectFactory
from tests.factories.studios import EligibleStudioFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_union_adds_an_activity_with_a_photo_imports_a_patent_and_the_checklist_turns_green(
    page, live_server, tmp_path
):
    today = timezone.localdate()
    jan_first = date(today.year, 1, 1)
    union = UnionUserFactory(username="union-browser")
    studio = EligibleStudioFactory(
        enterprise=union.enterprise, type=StudioType.TECHNICAL, founded_on=date(2015, 1, 1)
    )
    member = studio.members.first()
    for _ in range(3):  # R14d: one short of 4
        ActivityFactory(studio=studio, held_on=jan_first)
    ProjectFactory(studio=studio, started_on=jan_first, applied_on=jan_first)  # R14a met

    photo = tmp_path / "training.jpg"
    Image.new("RGB", (40, 30), "navy").save(photo, "JPEG")
    sheet = tmp_path / "patents.xlsx"
    book = Workbook()
    book.active.append(["header"] * 8)
    filed = (today - timedelta(days=200)).isoformat()
    book.active.append(
        [
            "ZL202620000001.X",
            "一种焊接定位夹具",
            "实用新型专利",
            filed,
            today.isoformat(),
            member.name,
            "",
            "否",
        ]
    )
    book.save(sheet)

    login(page, live_server, "union-browser", "pw-Test-2026")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/studios/{studio.pk}/")
    page.click("#studio-ledgers-link")
    checklist = page.locator("#compliance-checklist")
    assert checklist.get_attribute("data-status") != "ok"
    assert checklist.locator(".bi-x-circle-fill").count() == 2  # R14b and R14d

    page.click(f"a[href='/studios/{studio.pk}/ledgers/activities/new/']")
    page.fill("input[name=held_on]", today.isoformat())
    page.select_option("select[name=kind]", "exchange")
    page.fill("input[name=title]", "跨企业技术交流会")
    page.check(f"input[name=participants][value='{member.pk}']")
    page.set_input_files("input[name=evidence]", str(photo))
    page.click("button[name=save]")
    page.wait_for_url(f"**/studios/{studio.pk}/ledgers/**")
    assert page.locator("#activities .bi-paperclip").count() == 1
    assert page.locator("#compliance-checklist .bi-x-circle-fill").count() == 1  # R14b left

    page.click(f"a[href='/studios/{studio.pk}/ledgers/patents/import/']")
    page.set_input_files("input[name=sheet]", str(sheet))
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/studios/{studio.pk}/ledgers/**")
    page.goto(f"{live_server.url}/studios/{studio.pk}/ledgers/")
    checklist = page.locator("#compliance-checklist")
    assert checklist.get_attribute("data-status") == "ok"
    assert checklist.locator(".bi-x-circle-fill").count() == 0
    assert checklist.locator(".bi-check-circle-fill").count() == 5
