"""Ledger pages: unions keep their own studios' ledgers, staff read all; the grid and
dashboard keep a constant number of queries."""

import time
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from audit.models import AuditEvent
from ledgers.models import Activity, ActivityEvidence, Patent
from studios.models import Studio, StudioType
from tests.factories.accounts import DistrictStaffFactory, UnionUserFactory
from tests.factories.ledgers import ActivityFactory, PatentFactory, ProjectFactory
from tests.factories.studios import EligibleStudioFactory, StudioFactory

pytestmark = pytest.mark.django_db


def photo(name="photo.jpg"):
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def activity_form(studio, **overrides):
    data = {
        "held_on": timezone.localdate().isoformat(),
        "kind": "training",
        "title": "技能培训",
        "description": "",
        "participants": [studio.members.first().pk],
        "other_participants": "5",
        "hours": "2",
    }
    data.update(overrides)
    return data


def test_union_adds_an_activity_with_a_photo_and_it_is_audited(client_for):
    union = UnionUserFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    response = client_for(union).post(
        reverse("ledgers:entry_add", args=[studio.pk, "activities"]),
        {**activity_form(studio), "evidence": photo()},
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.participants.count() == 1 and activity.evidence.count() == 1
    event = AuditEvent.objects.get(action="ledger.activities.added")
    assert event.studio_id == studio.pk and event.rule == "R14d"
    evidence = ActivityEvidence.objects.get()
    served = client_for(union).get(reverse("ledgers:evidence", args=[studio.pk, evidence.pk]))
    assert served.status_code == 200


def test_evidence_whose_content_is_not_an_image_is_refused_and_nothing_saved(client_for):
    union = UnionUserFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 an executable", "image/jpeg")
    response = client_for(union).post(
        reverse("ledgers:entry_add", args=[studio.pk, "activities"]),
        {**activity_form(studio, title="保留的标题"), "evidence": fake},
    )
    assert response.status_code == 200 and Activity.objects.count() == 0
    assert "保留的标题" in response.content.decode()


def test_a_member_of_another_studio_cannot_be_named(client_for):
    union = UnionUserFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    stranger = EligibleStudioFactory().members.first()
    response = client_for(union).post(
        reverse("ledgers:entry_add", args=[studio.pk, "activities"]),
        activity_form(studio, participants=[stranger.pk]),
    )
    assert response.status_code == 200 and Activity.objects.count() == 0


def test_an_activity_dated_in_the_future_is_refused(client_for):
    union = UnionUserFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    tomorrow = timezone.localdate() + timedelta(days=1)
    client_for(union).post(
        reverse("ledgers:entry_add", args=[studio.pk, "activities"]),
        activity_form(studio, held_on=tomorrow.isoformat()),
    )
    assert Activity.objects.count() == 0


def test_r20_another_union_cannot_see_or_keep_the_ledgers(client_for):
    studio = EligibleStudioFactory()
    activity = ActivityFactory(studio=studio)
    stranger = client_for(UnionUserFactory())
    for url in (
        reverse("ledgers:studio_ledgers", args=[studio.pk]),
        reverse("ledgers:entry_edit", args=[studio.pk, "activities", activity.pk]),
        reverse("ledgers:studio_export", args=[studio.pk]),
    ):
        assert stranger.get(url).status_code == 404


def test_union_edits_and_removes_an_entry_with_the_audit_keeping_it(client_for):
    union = UnionUserFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    patent = PatentFactory(studio=studio, holders=list(studio.members.all()[:1]))
    client = client_for(union)
    data = {
        "number": patent.number,
        "title": "新名称",
        "kind": "invention",
        "filed_on": patent.filed_on.isoformat(),
        "granted_on": patent.granted_on.isoformat(),
        "holders": [studio.members.first().pk],
        "other_holders": "",
    }
    client.post(reverse("ledgers:entry_edit", args=[studio.pk, "patents", patent.pk]), data)
    patent.refresh_from_db()
    assert patent.title == "新名称" and patent.kind == "invention"
    client.post(reverse("ledgers:entry_delete", args=[studio.pk, "patents", patent.pk]))
    assert not Patent.objects.exists()
    assert (
        AuditEvent.objects.filter(action="ledger.patents.deleted").get().before["title"] == "新名称"
    )


def test_studio_page_links_to_the_ledgers_and_checklist(client_for):
    union = UnionUserFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    page = client_for(union).get(reverse("studios:studio_detail", args=[studio.pk])).content
    assert reverse("ledgers:studio_ledgers", args=[studio.pk]).encode() in page
    ledgers = client_for(union).get(reverse("ledgers:studio_ledgers", args=[studio.pk]))
    assert b'id="compliance-checklist"' in ledgers.content and b"R14d" in ledgers.content


def _sheet_names_and_studios(response):
    book = load_workbook(BytesIO(response.content))
    totals = book.worksheets[0]
    rows = list(totals.iter_rows(min_row=2, values_only=True))
    return book.sheetnames, {row[1] for row in rows}, {row[0] for row in rows}


def test_r22_enterprise_export_totals_only_its_own_studios(client_for):
    union = UnionUserFactory()
    mine = [StudioFactory(enterprise=union.enterprise) for _ in range(2)]
    other = StudioFactory()
    for studio in [*mine, other]:
        ActivityFactory(studio=studio)
    response = client_for(union).get(
        reverse("ledgers:enterprise_export", args=[union.enterprise_id])
    )
    sheets, names, first_column = _sheet_names_and_studios(response)
    assert len(sheets) == 7
    assert {s.name for s in mine} <= names and other.name not in names
    assert "合计" in first_column


def test_district_export_covers_every_studio(client_for):
    studios = [StudioFactory() for _ in range(3)]
    response = client_for(DistrictStaffFactory()).get(reverse("ledgers:district_export"))
    _sheets, names, _enterprises = _sheet_names_and_studios(response)
    assert {s.name for s in studios} <= names


# --- The grid -----------------------------------------------------------------------------


def _district_of(count, prefix):
    """``count`` studios with one of each ledger entry, created in bulk like seed_demo."""
    enterprise = StudioFactory().enterprise
    today = timezone.localdate()
    Studio.objects.bulk_create(
        [
            Studio(
                enterprise=enterprise,
                name=f"{prefix}{i}",
                type=[StudioType.TECHNICAL, StudioType.SKILLS][i % 2],
                founded_on=date(today.year - 6, 1, 1),
                area_m2=30,
            )
            for i in range(count)
        ],
        batch_size=1000,
    )
    studios = list(Studio.objects.filter(name__startswith=prefix))
    Activity.objects.bulk_create(
        [
            Activity(studio=s, held_on=date(today.year - 1, 3, 1), kind="training", title="t")
            for s in studios
        ],
        batch_size=1000,
    )
    return studios


@pytest.mark.parametrize("count", [5, 40])
def test_grid_runs_a_constant_number_of_queries(count, client_for, django_assert_max_num_queries):
    _district_of(count, "网格")
    ProjectFactory(studio=Studio.objects.first())
    client = client_for(DistrictStaffFactory())
    with django_assert_max_num_queries(20):
        response = client.get(reverse("ledgers:compliance_grid") + "?per_page=2000")
    assert response.status_code == 200
    assert response.content.decode().count('<td class="cc cc-') == (count + 1) * 5


def test_grid_cells_link_to_the_entries_of_that_year(client_for):
    studio = StudioFactory(founded_on=date(2015, 1, 1))
    year = timezone.localdate().year - 1
    response = client_for(DistrictStaffFactory()).get(
        reverse("ledgers:compliance_grid") + "?result=failing"
    )
    url = reverse("ledgers:studio_ledgers", args=[studio.pk]) + f"?year={year}"
    assert url in response.content.decode()


def test_grid_for_two_thousand_studios_and_five_years_renders_in_reasonable_time(
    client_for, django_assert_max_num_queries
):
    _district_of(1999, "大区")  # with the helper's own studio: 2,000
    client = client_for(DistrictStaffFactory())
    started = time.monotonic()
    with django_assert_max_num_queries(20):
        response = client.get(reverse("ledgers:compliance_grid") + "?per_page=2000")
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert response.content.decode().count('<td class="cc cc-') == 2000 * 5
    assert elapsed < 15, f"took {elapsed:.1f} s"


def test_dashboard_runs_a_constant_number_of_queries(client_for, django_assert_max_num_queries):
    _district_of(30, "图表")
    client = client_for(DistrictStaffFactory())
    with django_assert_max_num_queries(20):
        response = client.get(reverse("ledgers:dashboard"))
    assert response.status_code == 200
    assert b"chart.umd.min.js" in response.content and b"data-compliance" in response.content


def test_r31_district_export_carries_achievements_recommended_for_municipal_awards(client_for):
    from tests.factories.ledgers import AchievementFactory

    AchievementFactory(title="推荐的操作法", municipal_award=True)
    AchievementFactory(title="未推荐的操作法", municipal_award=False)
    response = client_for(DistrictStaffFactory()).get(reverse("ledgers:district_export"))
    book = load_workbook(BytesIO(response.content))
    flags = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        r31 = [i for i, h in enumerate(rows[0] if rows else ()) if "第三十一条" in str(h)]
        if not r31:
            continue
        title_at, flag_at = rows[0].index("名称"), r31[0]
        flags.update({row[title_at]: row[flag_at] for row in rows[1:]})
    assert (flags["推荐的操作法"], flags["未推荐的操作法"]) == ("是", "否")
