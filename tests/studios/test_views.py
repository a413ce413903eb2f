"""Studio pages: unions register and edit their own, staff see and filter all, others get 404."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from studios.models import Studio
from tests.factories.accounts import DistrictStaffFactory, UnionUserFactory
from tests.factories.studios import PDF_BYTES, EligibleStudioFactory, StudioFactory

pytestmark = pytest.mark.django_db


def studio_form(**overrides):
    data = {
        "name": "张三焊接创新工作室",
        "type": "technical",
        "founded_on": "2024-01-10",
        "area_m2": "35.5",
        "address": "科创十三街",
        "equipment": "焊接机器人",
        "working_funds_cny": "80000",
        "introduction": "",
    }
    data.update(overrides)
    return data


def test_union_registers_a_studio_with_documents_and_it_is_audited(client_for):
    union = UnionUserFactory()
    response = client_for(union).post(
        reverse("studios:studio_create"),
        studio_form(management_rules=SimpleUploadedFile("rules.pdf", PDF_BYTES, "application/pdf")),
    )
    studio = Studio.objects.get()
    assert response.status_code == 302
    assert studio.enterprise == union.enterprise and studio.status == "applicant"
    assert studio.area_m2 == Decimal("35.5") and studio.management_rules
    event = AuditEvent.objects.get(action="studio.created")
    assert event.actor == union and event.studio == studio


def test_r6_document_whose_content_is_not_a_pdf_is_refused_and_form_keeps_input(client_for):
    union = UnionUserFactory()
    fake = SimpleUploadedFile("rules.pdf", b"MZ\x90\x00 this is an executable", "application/pdf")
    response = client_for(union).post(
        reverse("studios:studio_create"), studio_form(management_rules=fake)
    )
    assert response.status_code == 200
    assert Studio.objects.count() == 0
    assert "张三焊接创新工作室" in response.content.decode()  # what was typed is still there


def test_negative_area_is_refused_with_nothing_saved(client_for):
    response = client_for(UnionUserFactory()).post(
        reverse("studios:studio_create"), studio_form(area_m2="-3")
    )
    assert response.status_code == 200 and Studio.objects.count() == 0


def test_edit_writes_before_and_after_to_the_timeline(client_for):
    union = UnionUserFactory()
    studio = StudioFactory(enterprise=union.enterprise, area_m2=Decimal("18"))
    data = studio_form(name=studio.name, area_m2="22", founded_on=studio.founded_on.isoformat())
    client_for(union).post(reverse("studios:studio_edit", args=[studio.pk]), data)
    event = AuditEvent.objects.get(action="studio.updated")
    assert event.before["area_m2"] == "18.00" and event.after["area_m2"] == "22.00"
    page = client_for(union).get(
        reverse("studios:studio_detail", args=[studio.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    body = page.content.decode()
    # The timeline reads as a sentence (issue 5), not the raw action code.
    assert "Studio details changed" in body and "studio.updated" not in body


def test_r20_union_gets_404_for_another_enterprises_studio_and_its_documents(client_for):
    studio = EligibleStudioFactory()
    stranger = client_for(UnionUserFactory())
    for url in (
        reverse("studios:studio_detail", args=[studio.pk]),
        reverse("studios:studio_edit", args=[studio.pk]),
        reverse("studios:studio_document", args=[studio.pk, "management_rules"]),
    ):
        assert stranger.get(url).status_code == 404


def test_union_list_shows_only_its_own_studios(client_for):
    union = UnionUserFactory()
    mine = StudioFactory(enterprise=union.enterprise, name="我的工作室")
    StudioFactory(name="别人的工作室")
    html = client_for(union).get(reverse("studios:studio_list")).content.decode()
    assert mine.name in html and "别人的工作室" not in html


def test_staff_filters_studios_by_type_and_exports_to_excel(client_for):
    StudioFactory(name="攻关甲", type="technical")
    StudioFactory(name="传授乙", type="skills")
    staff = client_for(DistrictStaffFactory())
    html = staff.get(reverse("studios:studio_list"), {"type": "skills"}).content.decode()
    assert "传授乙" in html and "攻关甲" not in html
    export = staff.get(reverse("studios:studio_list"), {"type": "skills", "export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "传授乙"


def test_staff_sorts_studios_by_area_both_ways(client_for):
    for area in ("30", "90", "60"):
        StudioFactory(name=f"面积{area}", area_m2=Decimal(area))
    staff = client_for(DistrictStaffFactory())
    for sort, expected in (("area", ["30", "60", "90"]), ("-area", ["90", "60", "30"])):
        html = staff.get(reverse("studios:studio_list"), {"sort": sort}).content.decode()
        positions = [html.index(f"面积{area}") for area in expected]
        assert positions == sorted(positions), sort


@pytest.mark.parametrize("count", [3, 40])
def test_studio_list_query_count_does_not_grow_with_rows(
    count, client_for, django_assert_max_num_queries
):
    for _ in range(count):
        EligibleStudioFactory()
    staff = client_for(DistrictStaffFactory())
    with django_assert_max_num_queries(12):
        assert staff.get(reverse("studios:studio_list")).status_code == 200


@pytest.mark.parametrize("members", [10, 60])
def test_studio_detail_query_count_does_not_grow_with_team(
    members, client_for, django_assert_max_num_queries
):
    union = UnionUserFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise, team=members)
    client = client_for(union)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("studios:studio_detail", args=[studio.pk])).status_code == 200


def test_staff_filters_studios_by_typing_part_of_the_enterprise_name(client_for):
    StudioFactory(name="甲工作室", enterprise__name="京东方科技有限公司")
    StudioFactory(name="乙工作室", enterprise__name="北汽汽车有限公司")
    html = (
        client_for(DistrictStaffFactory())
        .get(reverse("studios:studio_list"), {"enterprise": "京东方"})
        .content.decode()
    )
    assert "甲工作室" in html and "乙工作室" not in html
