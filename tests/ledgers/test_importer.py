"""R22 bulk entry: a sheet with one bad row saves nothing and names the row and column."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from audit.models import AuditEvent
from ledgers.importer import ImportRefused, import_sheet, template_workbook
from ledgers.kinds import LEDGERS
from ledgers.models import Activity, Patent
from tests.factories.accounts import UnionUserFactory
from tests.factories.studios import EligibleStudioFactory, MemberFactory

pytestmark = pytest.mark.django_db


def sheet(rows, name="patents.xlsx"):
    book = Workbook()
    ws = book.active
    ws.append(["header"] * 8)
    for row in rows:
        ws.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def union_and_studio():
    union = UnionUserFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    MemberFactory(studio=studio, name="张伟")
    MemberFactory(studio=studio, name="李娜")
    return union, studio


def good_patent(number="ZL1", holders="张伟"):
    return [number, "一种夹具", "实用新型专利", "2025-01-01", "2025-06-01", holders, "", "否"]


def test_r22_a_sheet_with_one_bad_row_saves_nothing_and_names_row_and_column(union_and_studio):
    union, studio = union_and_studio
    bad = good_patent("ZL3")
    bad[4] = "2024-01-01"  # granted before it was filed
    upload = sheet([good_patent("ZL1"), good_patent("ZL2", "李娜、张伟"), bad])
    with pytest.raises(ImportRefused) as refused:
        import_sheet(union, studio, LEDGERS["patents"], upload)
    errors = refused.value.errors
    assert [(e.row, e.column) for e in errors] == [(4, "E")]
    assert "4" in str(errors[0]) and "E" in str(errors[0])
    assert Patent.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="ledger.").exists()


def test_r22_a_good_sheet_saves_every_row_with_member_holders(union_and_studio):
    union, studio = union_and_studio
    upload = sheet([good_patent("ZL1"), good_patent("zl2", "李娜、张伟")])
    entries = import_sheet(union, studio, LEDGERS["patents"], upload)
    assert len(entries) == 2 and Patent.objects.count() == 2
    second = Patent.objects.get(number="ZL2")  # numbers are normalised to upper case
    assert sorted(second.holders.values_list("name", flat=True)) == ["张伟", "李娜"]
    assert second.kind == "utility_model"
    assert AuditEvent.objects.filter(action="ledger.patents.imported").count() == 1


def test_unknown_member_and_bad_choice_are_reported_by_column(union_and_studio):
    union, studio = union_and_studio
    row = good_patent("ZL1", "王五")
    row[2] = "外观"
    with pytest.raises(ImportRefused) as refused:
        import_sheet(union, studio, LEDGERS["patents"], sheet([row]))
    assert {(e.row, e.column) for e in refused.value.errors} == {(2, "C"), (2, "F")}
    assert "王五" in " ".join(str(e) for e in refused.value.errors)


def test_the_same_patent_twice_in_one_file_is_refused(union_and_studio):
    union, studio = union_and_studio
    with pytest.raises(ImportRefused) as refused:
        import_sheet(
            union, studio, LEDGERS["patents"], sheet([good_patent("ZL1"), good_patent("ZL1")])
        )
    assert [(e.row, e.column) for e in refused.value.errors] == [(3, "A")]


def test_english_labels_and_excel_dates_are_accepted(union_and_studio):
    from datetime import datetime

    union, studio = union_and_studio
    rows = [[datetime(2025, 3, 1), "Skills training", "培训", "", "张伟", 5, 2.5]]
    import_sheet(union, studio, LEDGERS["activities"], sheet(rows, "a.xlsx"))
    activity = Activity.objects.get()
    assert activity.kind == "training" and str(activity.hours) == "2.5"
    assert list(activity.participants.values_list("name", flat=True)) == ["张伟"]


def test_a_file_that_is_not_a_workbook_is_refused(union_and_studio):
    union, studio = union_and_studio
    with pytest.raises(ImportRefused):
        import_sheet(
            union, studio, LEDGERS["patents"], SimpleUploadedFile("x.xlsx", b"not a workbook")
        )


@pytest.mark.parametrize("slug", sorted(LEDGERS))
def test_template_has_the_ledger_columns_and_instructions(slug):
    book = load_workbook(BytesIO(template_workbook(LEDGERS[slug])))
    headers = [c.value for c in book.worksheets[0][1]]
    assert len(headers) == len(LEDGERS[slug].columns)
    assert len(book.worksheets) == 2


def test_import_page_shows_errors_and_keeps_nothing(client_for, union_and_studio):
    union, studio = union_and_studio
    bad = good_patent("ZL1")
    bad[3] = "not a date"
    response = client_for(union).post(
        reverse("ledgers:entry_import", args=[studio.pk, "patents"]), {"sheet": sheet([bad])}
    )
    assert response.status_code == 400
    assert Patent.objects.count() == 0
    assert 'id="import-errors"' in response.content.decode()


def test_import_page_imports_a_good_sheet(client_for, union_and_studio):
    union, studio = union_and_studio
    response = client_for(union).post(
        reverse("ledgers:entry_import", args=[studio.pk, "patents"]),
        {"sheet": sheet([good_patent("ZL1")])},
    )
    assert response.status_code == 302 and Patent.objects.count() == 1
