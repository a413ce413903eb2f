"""R22 bulk entry cannot exhaust the server (issue 14): a workbook that unpacks to gigabytes, or
that declares millions of empty rows, is refused from its zip directory or at the row limit,
in under 3 s and 100 MB, with a message citing the limit, and nothing is saved."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from core import limits
from ledgers.importer import ImportRefused, import_sheet
from ledgers.kinds import LEDGERS
from ledgers.models import Activity
from tests.bombs import MB, measure, xlsx_empty_rows, xlsx_huge_shared_string
from tests.factories.accounts import UnionUserFactory
from tests.factories.studios import EligibleStudioFactory, MemberFactory

pytestmark = pytest.mark.django_db
MAX_MEMORY = 100 * MB
MAX_SECONDS = 3


@pytest.fixture
def union_and_studio():
    union = UnionUserFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    MemberFactory(studio=studio, name="张伟")
    return union, studio


def post_sheet(client, studio, content: bytes):
    url = reverse("ledgers:entry_import", args=[studio.pk, "activities"])
    assert client.get(url).status_code == 200  # warm: templates and catalogues loaded
    upload = SimpleUploadedFile("activities.xlsx", content)
    with measure() as cost:
        response = client.post(url, {"sheet": upload})
    return response, cost


def test_r22_a_sheet_of_one_800_mb_shared_string_is_refused_unopened(union_and_studio, client_for):
    union, studio = union_and_studio
    bomb = xlsx_huge_shared_string(800 * MB)
    assert len(bomb) < 1 * MB
    response, cost = post_sheet(client_for(union), studio, bomb)
    print("xlsx 800 MB shared string:", cost)
    assert cost.memory < MAX_MEMORY and cost.cpu_seconds < MAX_SECONDS, cost
    assert response.status_code == 400
    assert str(limits.ZIP_MAX_RATIO) in response.content.decode()
    assert Activity.objects.count() == 0


def test_r22_a_sheet_of_3_million_empty_rows_is_refused_quickly(union_and_studio, client_for):
    union, studio = union_and_studio
    bomb = xlsx_empty_rows(3_000_000)
    assert len(bomb) < 200 * 1024
    response, cost = post_sheet(client_for(union), studio, bomb)
    print("xlsx 3 million empty rows:", cost)
    assert cost.memory < MAX_MEMORY and cost.cpu_seconds < MAX_SECONDS, cost
    assert response.status_code == 400
    assert Activity.objects.count() == 0


def activity_sheet(rows: dict[int, list]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append([str(c.label) for c in LEDGERS["activities"].columns])
    for number, values in rows.items():
        for column, value in enumerate(values, start=1):
            sheet.cell(row=number, column=column, value=value)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("activities.xlsx", buffer.getvalue())


def good_activity():
    return ["2026-03-01", "技能培训", "焊缝检测攻关", "说明", "张伟", "0", "4"]


def test_r22_the_row_limit_counts_empty_rows_too(union_and_studio):
    """One entry, then a blank cell far below: every row down to it is read, so the sheet is
    refused at the limit instead of being read to the end."""
    union, studio = union_and_studio
    upload = activity_sheet({2: good_activity(), limits.IMPORT_MAX_SHEET_ROWS + 500: [" "]})
    with pytest.raises(ImportRefused) as refused:
        import_sheet(union, studio, LEDGERS["activities"], upload)
    (error,) = refused.value.errors
    assert error.row == limits.IMPORT_MAX_SHEET_ROWS + 1
    assert str(limits.IMPORT_MAX_SHEET_ROWS) in str(error)
    assert Activity.objects.count() == 0


def test_r22_a_cell_longer_than_the_limit_is_refused_by_row_and_column(union_and_studio):
    union, studio = union_and_studio
    row = good_activity()
    row[2] = "长" * (limits.IMPORT_MAX_CELL_CHARS + 1)
    with pytest.raises(ImportRefused) as refused:
        import_sheet(union, studio, LEDGERS["activities"], activity_sheet({2: row}))
    (error,) = refused.value.errors
    assert (error.row, error.column) == (2, "C")
    assert str(limits.IMPORT_MAX_CELL_CHARS) in str(error)
    assert Activity.objects.count() == 0


def test_r22_a_file_larger_than_a_template_could_be_is_refused_unopened(union_and_studio):
    union, studio = union_and_studio
    upload = SimpleUploadedFile("a.xlsx", b"PK" + b"\0" * (limits.IMPORT_MAX_FILE_BYTES + 1))
    with pytest.raises(ImportRefused) as refused:
        import_sheet(union, studio, LEDGERS["activities"], upload)
    assert str(limits.IMPORT_MAX_FILE_BYTES // MB) in str(refused.value.errors[0])
