"""Application pages: the union fills and submits; staff check, list, export; R20 scoping."""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reviews import services
from reviews.models import Application, ApplicationStatus, MaterialKind
from reviews.services import Action, transition
from tests.factories.accounts import DistrictStaffFactory, UnionUserFactory
from tests.factories.reviews import (
    ApplicationFactory,
    CallFactory,
    MaterialFactory,
    png_upload,
)
from tests.factories.studios import EligibleStudioFactory, StudioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def union():
    return UnionUserFactory()


@pytest.fixture
def submitted(union):
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    application = ApplicationFactory(studio=studio, call=CallFactory())
    MaterialFactory(application=application)
    services.add_material(union, application, MaterialKind.PHOTOS, png_upload())
    transition(union, application, Action.SUBMIT)
    application.refresh_from_db()
    return application


def test_union_starts_fills_steps_and_submits_in_the_browser_flow(union, client_for):
    CallFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    client = client_for(union)
    response = client.post(reverse("reviews:application_start"), {"studio": studio.pk})
    application = Application.objects.get()
    assert response.status_code == 302
    projects_url = reverse("reviews:application_step", args=[application.pk, "projects"])
    response = client.post(
        projects_url,
        {
            "projects-TOTAL_FORMS": "1",
            "projects-INITIAL_FORMS": "0",
            "projects-0-name": "焊缝自动检测",
            "projects-0-status": "已应用",
            "projects-0-applied_in_unit": "on",
            "save_next": "1",
        },
    )
    assert response["Location"].endswith("/steps/results/")
    assert list(application.projects.values_list("name", flat=True)) == ["焊缝自动检测"]
    for step in ("facts", "leader", "team", "projects", "results", "talent", "materials"):
        page = client.get(reverse("reviews:application_step", args=[application.pk, step]))
        assert page.status_code == 200, step
        assert "R8" in page.content.decode()  # the live checklist is on every step
    client.post(
        reverse("reviews:application_step", args=[application.pk, "materials"]),
        {"kind": "application_form", "file": io.BytesIO(b"")},
    )
    from tests.factories.reviews import pdf_upload

    client.post(
        reverse("reviews:application_step", args=[application.pk, "materials"]),
        {"kind": "application_form", "file": pdf_upload()},
    )
    response = client.post(reverse("reviews:application_submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert response["Location"] == reverse("reviews:application_receipt", args=[application.pk])
    receipt = client.get(response["Location"]).content.decode()
    assert application.number in receipt


def test_r8_ineligible_studio_sees_the_rule_when_submitting(union, client_for):
    studio = EligibleStudioFactory(enterprise=union.enterprise, team=4)
    application = ApplicationFactory(studio=studio, call=CallFactory())
    MaterialFactory(application=application)
    client = client_for(union)
    response = client.post(
        reverse("reviews:application_submit", args=[application.pk]), follow=True
    )
    page = response.content.decode()
    from django.utils.html import escape

    from studios.eligibility import check_r8_team

    r8_size = check_r8_team(studio, timezone.localdate())[0]
    assert f"R8 · {escape(r8_size.message_zh)}" in page, page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_mismatched_file_is_refused_on_the_page_with_a_message(union, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories.studios import PDF_BYTES

    application = ApplicationFactory(
        studio=EligibleStudioFactory(enterprise=union.enterprise), call=CallFactory()
    )
    response = client_for(union).post(
        reverse("reviews:application_step", args=[application.pk, "materials"]),
        {"kind": "photos", "file": SimpleUploadedFile("photo.jpg", PDF_BYTES)},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="error_1_id_file"' in page and "invalid-feedback" in page, page
    assert not application.materials.exists()


def test_r20_another_enterprise_union_gets_404_on_the_application_and_each_file(
    submitted, client_for
):
    other = client_for(UnionUserFactory())
    urls = [
        reverse("reviews:application_detail", args=[submitted.pk]),
        reverse("reviews:application_receipt", args=[submitted.pk]),
        reverse("reviews:application_receipt_pdf", args=[submitted.pk]),
    ]
    for material in submitted.materials.all():
        urls.append(reverse("reviews:material_download", args=[submitted.pk, material.pk]))
        urls.append(reverse("reviews:material_thumbnail", args=[submitted.pk, material.pk]))
    assert len(urls) == 7
    for url in urls:
        assert other.get(url).status_code == 404, url


def test_owner_and_staff_download_materials(submitted, union, client_for):
    material = submitted.materials.get(kind="photos")
    url = reverse("reviews:material_download", args=[submitted.pk, material.pk])
    for user in (union, DistrictStaffFactory()):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_receipt_pdf_and_dossier_zip(submitted, client_for):
    staff = client_for(DistrictStaffFactory())
    pdf = staff.get(reverse("reviews:application_receipt_pdf", args=[submitted.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    response = staff.get(reverse("reviews:application_dossier", args=[submitted.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert any(n.endswith("-summary.pdf") for n in names)
    assert sum("/materials/" in n for n in names) == 2


def test_staff_returns_with_comment_through_the_check_page(submitted, client_for):
    staff = DistrictStaffFactory()
    response = client_for(staff).post(
        reverse("reviews:application_check", args=[submitted.pk]),
        {"action": "return", "comment": "", "resubmit_by": ""},
    )
    assert response.status_code == 200  # the form shows what is missing
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.SUBMITTED


def test_staff_list_counts_by_status_and_exports_the_filtered_rows(submitted, client_for):
    ApplicationFactory(call=submitted.call)  # a draft of another studio
    staff = client_for(DistrictStaffFactory())
    url = reverse("reviews:application_list") + f"?call={submitted.call.pk}"
    page = staff.get(url)
    counts = {row["status"]: row["n"] for row in page.context["counts"]}
    assert counts["submitted"] == 1 and counts["draft"] == 1
    export = staff.get(url + "&status=submitted&export=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == submitted.number


def test_union_cannot_export(client_for, union):
    response = client_for(union).get(reverse("reviews:application_list") + "?export=xlsx")
    assert response.status_code == 403


@pytest.mark.parametrize("rows", [10, 500])
def test_application_list_query_count_does_not_grow_with_rows(
    rows, client_for, django_assert_max_num_queries
):
    call = CallFactory()
    studios = StudioFactory.create_batch(rows)
    Application.objects.bulk_create(
        Application(call=call, studio=s, status=ApplicationStatus.SUBMITTED) for s in studios
    )
    client = client_for(DistrictStaffFactory())
    url = reverse("reviews:application_list") + f"?call={call.pk}&sort=studio"
    with django_assert_max_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200 and len(response.context["object_list"]) == min(rows, 25)


def test_union_home_shows_the_open_call_with_a_countdown(union, client_for):
    call = CallFactory()
    page = client_for(union).get(reverse("accounts:home")).content.decode()
    assert call.title in page and "countdown" in page


def test_staff_home_shows_counts_by_status(submitted, client_for):
    page = client_for(DistrictStaffFactory()).get(reverse("accounts:home"))
    assert "reviews/_home_staff_applications.html" in [t.name for t in page.templates]


def test_r16_a_call_closing_before_it_opens_is_refused_on_the_form_with_its_rule(client_for):
    from reviews.models import Call
    from tests.browser_post import browser_post

    client = client_for(DistrictStaffFactory())
    response = browser_post(
        client,
        reverse("reviews:call_create"),
        "opens_at",
        {
            "year": "2031",
            "title": "2031年度职工创新工作室评选",
            "opens_at": "2031-03-01T09:00",
            "closes_at": "2031-02-01T17:00",
        },
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors.as_data()["closes_at"]
    assert error.code == "R16"
    assert "不符合第十六条" in error.messages[0]
    assert not Call.objects.exists()
