"""Hostile input to every ledger's entry form and to the Excel import: whatever is typed or
uploaded, the user gets a clear error or a valid entry, never a crash; a refused entry or
sheet writes nothing; what is stored is dated between 1949-10-01 and today."""

from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from ledgers.kinds import LEDGERS
from tests.factories.accounts import UnionUserFactory
from tests.factories.studios import MemberFactory, StudioFactory
from tests.hostile import (
    HYPOTHESIS,
    TEN_MB_OF_CHINESE,
    form_data,
    one_field_hostile,
    plausible_data,
    uploads,
)

pytestmark = pytest.mark.django_db


def studio_with_member():
    union = UnionUserFactory()
    studio = StudioFactory(enterprise=union.enterprise)
    MemberFactory(studio=studio)
    return union, studio


def hostile_entries(ledger):
    """Built lazily per example: the form's member choices need the example's studio."""

    def for_studio(studio):
        form = ledger.form(studio=studio)
        return st.one_of(form_data(form), one_field_hostile(form, plausible_data(form)))

    return for_studio


def assert_dates_sane(entry, ledger):
    for field in entry._meta.get_fields():
        value = getattr(entry, field.name, None) if field.concrete else None
        if isinstance(value, date) and not isinstance(value, datetime):
            assert date(1949, 10, 1) <= value <= timezone.localdate(), (ledger.slug, field.name)


@pytest.mark.parametrize("slug", sorted(LEDGERS))
@HYPOTHESIS
@given(data=st.data())
def test_ledger_form_never_crashes_and_refusals_write_nothing(client, slug, data):
    ledger = LEDGERS[slug]
    union, studio = studio_with_member()
    body = data.draw(hostile_entries(ledger)(studio))
    client.force_login(union)
    before = ledger.model.objects.count()
    response = client.post(reverse("ledgers:entry_add", args=[studio.pk, slug]), body)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert ledger.model.objects.count() == before
        assert b"invalid-feedback" in response.content or b"alert" in response.content
    for entry in ledger.model.objects.filter(studio=studio):
        assert_dates_sane(entry, ledger)


@pytest.mark.parametrize("slug", sorted(LEDGERS))
@HYPOTHESIS
@given(sheet=uploads)
def test_import_of_a_file_that_is_not_a_sheet_is_refused_and_writes_nothing(client, slug, sheet):
    ledger = LEDGERS[slug]
    union, studio = studio_with_member()
    client.force_login(union)
    response = client.post(
        reverse("ledgers:entry_import", args=[studio.pk, slug]), {"sheet": sheet}
    )
    assert response.status_code == 400
    assert ledger.model.objects.count() == 0


def test_ten_megabytes_of_chinese_in_an_activity_title_is_refused_cleanly(client):
    union, studio = studio_with_member()
    client.force_login(union)
    form = LEDGERS["activities"].form(studio=studio)
    body = plausible_data(form, title=TEN_MB_OF_CHINESE)
    response = client.post(reverse("ledgers:entry_add", args=[studio.pk, "activities"]), body)
    assert response.status_code in (200, 400, 413)
    assert LEDGERS["activities"].model.objects.count() == 0


def test_a_real_sheet_with_an_ancient_date_is_refused_with_its_row_and_column(client):
    from io import BytesIO

    from openpyxl import load_workbook

    union, studio = studio_with_member()
    client.force_login(union)
    template = client.get(reverse("ledgers:import_template", args=["activities"]))
    book = load_workbook(BytesIO(template.content))
    sheet = book.worksheets[0]
    row = sheet.max_row + 1
    for col, value in enumerate(["0001-01-01", "技能培训", "古代培训"], start=1):
        sheet.cell(row=row, column=col, value=value)
    out = BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("activities.xlsx", out.getvalue())
    response = client.post(
        reverse("ledgers:entry_import", args=[studio.pk, "activities"]), {"sheet": upload}
    )
    assert response.status_code == 400
    assert LEDGERS["activities"].model.objects.count() == 0
