"""The issue's "Done when": a union fills an application in Chromium, uploads a photo and a
PDF, submits and sees the receipt; staff return it with a comment; the union resubmits; staff
accept it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reviews.models import Application, ApplicationStatus, MaterialKind
from tests.browser.conftest import login
from tests.factories.accounts import DistrictStaffFactory, UnionUserFactory
from tests.factories.reviews import CallFactory, png_bytes
from tests.factories.studios import PDF_BYTES, EligibleStudioFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-Test-2026"


def test_union_applies_staff_returns_union_resubmits_staff_accepts(page, live_server, tmp_path):
    call = CallFactory(required=[MaterialKind.APPLICATION_FORM, MaterialKind.PHOTOS])
    union = UnionUserFactory(username="union1")
    studio = EligibleStudioFactory(enterprise=union.enterprise, name="李明焊接创新工作室")
    DistrictStaffFactory(username="staff1")
    photo, form = tmp_path / "车间照片.png", tmp_path / "申报表.pdf"
    photo.write_bytes(png_bytes((800, 600)))
    form.write_bytes(PDF_BYTES)

    # The union sees the open call with its countdown and starts an application.
    login(page, live_server, "union1", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    assert call.title in page.inner_text("#open-call")
    page.click("#open-call a[href='/applications/new/']")
    page.select_option("select[name=studio]", str(studio.pk))
    page.click("main button[type=submit]")
    page.wait_for_url("**/steps/facts/")
    application = Application.objects.get()
    step = f"{live_server.url}/applications/{application.pk}/steps"

    page.goto(f"{step}/projects/")
    page.fill("input[name=projects-0-name]", "焊缝自动检测系统")
    page.fill("input[name=projects-0-status]", "已在车间应用")
    page.check("input[name=projects-0-applied_in_unit]")
    page.click("button[name=save_next]")
    page.wait_for_url("**/steps/results/")
    # R18 (issue 13): back to the saved step, "save and continue" with no change, then add a
    # second project in the empty block: the first survives both saves.
    page.goto(f"{step}/projects/")
    assert page.input_value("input[name=projects-0-name]") == "焊缝自动检测系统"
    page.click("button[name=save_next]")
    page.wait_for_url("**/steps/results/")
    assert list(application.projects.values_list("name", flat=True)) == ["焊缝自动检测系统"]
    page.goto(f"{step}/projects/")
    page.fill("input[name=projects-1-name]", "数控刀具寿命预测")
    page.click("button[name=save_next]")
    page.wait_for_url("**/steps/results/")
    saved = application.projects.order_by("pk")
    assert list(saved.values_list("name", "status", "applied_in_unit")) == [
        ("焊缝自动检测系统", "已在车间应用", True),
        ("数控刀具寿命预测", "", False),
    ]
    page.fill("input[name=results-0-title]", "一种焊接夹具")
    page.select_option("select[name=results-0-kind]", "utility_model")
    page.click("button[name=save_next]")
    page.wait_for_url("**/steps/talent/")
    page.goto(f"{step}/results/")
    page.click("button[name=save_next]")
    page.wait_for_url("**/steps/talent/")
    assert list(application.results.values_list("title", "kind")) == [
        ("一种焊接夹具", "utility_model")
    ]
    page.fill("textarea[name=talent_cultivation]", "名师带徒三对，培养高级技师两名。")
    page.click("button[name=save_next]")
    page.wait_for_url("**/steps/materials/")
    for kind, path in (("photos", photo), ("application_form", form)):
        page.select_option("select[name=kind]", kind)
        page.set_input_files("input[name=file]", str(path))
        page.click("button[name=upload]")
        page.wait_for_load_state()
    assert page.locator("#materials-table img").count() == 1  # the photo's thumbnail
    assert "申报表.pdf" in page.inner_text("#materials-table")

    page.goto(f"{live_server.url}/applications/{application.pk}/")
    page.click("#submit-application")
    page.wait_for_url("**/receipt/")
    application.refresh_from_db()
    assert application.number == f"{call.year}-SQ-0001"
    assert page.inner_text("#receipt-number") == application.number

    # Staff return it with a comment and a deadline.
    page.context.clear_cookies()
    login(page, live_server, "staff1", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/applications/?call={call.pk}")
    page.click(f"a[href='/applications/{application.pk}/']")
    page.check("#formal-check input[value=return]")
    page.fill("#formal-check textarea[name=comment]", "请补充申报表盖章页。")
    deadline = timezone.localdate() + timedelta(days=7)
    page.fill("#formal-check input[name=resubmit_by]", deadline.isoformat())
    page.click("#formal-check button[type=submit]")
    page.wait_for_url(f"**/applications/{application.pk}/")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RETURNED

    # The union sees the comment, corrects and resubmits.
    page.context.clear_cookies()
    login(page, live_server, "union1", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    assert "请补充申报表盖章页。" in page.inner_text("#staff-comment")
    page.goto(f"{step}/talent/")
    page.fill("textarea[name=talent_cultivation]", "名师带徒三对，培养高级技师两名，已补盖章页。")
    page.click("button[name=save]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    page.click("#submit-application")
    page.wait_for_url("**/receipt/")
    assert page.inner_text("#receipt-number") == application.number

    # Staff accept it into review.
    page.context.clear_cookies()
    login(page, live_server, "staff1", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    page.check("#formal-check input[value=accept]")
    page.click("#formal-check button[type=submit]")
    page.wait_for_url(f"**/applications/{application.pk}/")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert "已补盖章页" in application.snapshot["talent_cultivation"]
