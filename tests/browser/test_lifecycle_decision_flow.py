"""Done when (issue 13, defect 3): a revocation recorded by hand needs both bodies (R3, R32).
The district union records it and confirms; the studio and its certificate's public verify page
are unchanged; the bureau reads what will change and signs; only then the verify page says the
title was revoked."""

import os
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from studios import lifecycle
from studios.models import Studio, StudioStatus
from tests.browser.conftest import login
from tests.factories.accounts import BureauStaffFactory, DistrictStaffFactory
from tests.factories.studios import EligibleStudioFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-Test-2026"


def _shot(page, name):
    """Screenshots for a person to look at, when ``BROWSER_SHOTS`` names a directory."""
    folder = os.environ.get("BROWSER_SHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def test_r32_revocation_takes_effect_only_when_the_bureau_signs(live_server, page):
    district = DistrictStaffFactory(username="district1", display_name="王总工会")
    bureau = BureauStaffFactory(username="bureau1", display_name="李科创局")
    studio = EligibleStudioFactory(name="浏览器撤销测试创新工作室")
    year = timezone.localdate().year
    lifecycle.recognise(studio, district, on=date(year - 1, 1, 10))
    lifecycle.record_next_year_rereview(studio, district, True, on=date(year, 1, 12))
    certificate = studio.certificates.filter(superseded_by__isnull=True).order_by("-pk").first()
    verify_url = f"{live_server.url}/verify/{certificate.code}/"

    login(page, live_server, district.username, PASSWORD)
    page.goto(f"{live_server.url}/studios/{studio.pk}/lifecycle/")
    page.select_option("#id_action", "revoke")
    page.check("input[name=reasons][value='3']")
    page.fill("#id_reason", "经审计发现挪用资助资金。")
    _shot(page, "1-record")
    page.click("main button[name=save]")
    # The confirmation: what will change, before anything is signed.
    expect(page.locator("main")).to_contain_text("已撤销")
    expect(page.locator("main")).to_contain_text("（三）违规使用资金")
    _shot(page, "2-confirm")
    assert Studio.objects.get(pk=studio.pk).status == StudioStatus.IN_CYCLE
    page.click("main button[name=confirm]")
    page.wait_for_selector("#pending-decision")
    _shot(page, "3-pending-district")
    assert Studio.objects.get(pk=studio.pk).status == StudioStatus.IN_CYCLE
    page.goto(verify_url)
    expect(page.locator("#validity")).to_contain_text("有效")
    expect(page.locator("#validity")).not_to_contain_text("已撤销")
    page.goto(f"{live_server.url}/")
    page.click("form[action$='/logout/'] button")

    login(page, live_server, bureau.username, PASSWORD)
    page.goto(f"{live_server.url}/studios/{studio.pk}/")
    _shot(page, "4-pending-bureau")
    page.click("#pending-decision a.btn-primary")
    expect(page.locator("main")).to_contain_text("王总工会")
    expect(page.locator("main")).to_contain_text("已撤销")
    _shot(page, "5-sign")
    page.click("#sign-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    _shot(page, "6-after")
    assert Studio.objects.get(pk=studio.pk).status == StudioStatus.REVOKED
    page.goto(verify_url)
    expect(page.locator("#validity")).to_contain_text("已撤销")
    _shot(page, "7-verify")
