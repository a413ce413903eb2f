"""Hostile input to every funds form (payment, expenditure, repayment, R29 finding): whatever
is typed or uploaded, the user gets a clear error or a valid record, never a crash; refused
input writes nothing; what is stored is positive money on a date that has happened."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from funding.forms import DisbursementForm, ExpenditureForm, RepaymentForm, ViolationForm
from funding.models import Disbursement, Expenditure, Grant, Repayment, Sanction, Violation
from tests.factories.accounts import FinanceUserFactory, UnionUserFactory
from tests.factories.funding import GrantFactory, PaidDisbursementFactory, SanctionFactory
from tests.factories.studios import PDF_BYTES, StudioFactory
from tests.hostile import HYPOTHESIS, TEN_MB_OF_CHINESE, counts, form_data, one_field_hostile

pytestmark = pytest.mark.django_db
TOKEN = "5b0e0f0a-0000-4000-8000-000000000000"


def receipt():
    return SimpleUploadedFile("receipt.pdf", PDF_BYTES, content_type="application/pdf")


VALID = {
    "payment": {"form_token": TOKEN, "paid_on": "2026-01-05", "amount": "100",
                "voucher_number": "记-1"},
    "expenditure": {"form_token": TOKEN, "spent_on": "2026-01-05", "category": "materials",
                    "amount": "10", "payee": "供应商", "purpose": "材料", "project_name": "改进",
                    "receipt": receipt},
    "repayment": {"form_token": TOKEN, "received_on": "2026-01-05", "amount": "10",
                  "receipt": receipt},
    "violation": {"behaviour": "false_accounting", "found_on": "2026-01-05", "description": "x",
                  "evidence": receipt, "suspend": "on"},
}  # fmt: skip
MONEY = (Disbursement, Expenditure, Repayment, Violation, Sanction)


def assert_refused_or_sane(response, before):
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert counts(*MONEY) == before, "a refused form wrote something"
        assert b"invalid-feedback" in response.content or b"alert" in response.content


def assert_sane_money(rows, date_field):
    for row in rows:
        assert row.amount > 0
        assert date(1949, 10, 1) <= getattr(row, date_field) <= timezone.localdate()


@HYPOTHESIS
@given(
    data=st.one_of(
        form_data(DisbursementForm()), one_field_hostile(DisbursementForm(), VALID["payment"])
    )
)
def test_payment_form_never_crashes_and_refusals_write_nothing(client, data):
    finance = FinanceUserFactory()
    grant = GrantFactory()
    client.force_login(finance)
    before = counts(*MONEY)
    response = client.post(reverse("funding:disbursement_create", args=[grant.pk]), data)
    assert_refused_or_sane(response, before)
    assert_sane_money(Disbursement.objects.filter(grant=grant), "paid_on")
    paid = sum(d.amount for d in Disbursement.objects.filter(grant=grant))
    assert paid <= Grant.objects.get(pk=grant.pk).amount


@HYPOTHESIS
@given(
    data=st.one_of(
        form_data(ExpenditureForm()), one_field_hostile(ExpenditureForm(), VALID["expenditure"])
    )
)
def test_expenditure_form_never_crashes_and_refusals_write_nothing(client, data):
    union = UnionUserFactory()
    studio = StudioFactory(enterprise=union.enterprise)
    PaidDisbursementFactory(grant=GrantFactory(studio=studio))
    client.force_login(union)
    before = counts(*MONEY)
    response = client.post(reverse("funding:expenditure_create", args=[studio.pk]), data)
    assert_refused_or_sane(response, before)
    assert_sane_money(Expenditure.objects.filter(studio=studio), "spent_on")


@HYPOTHESIS
@given(
    data=st.one_of(
        form_data(RepaymentForm()), one_field_hostile(RepaymentForm(), VALID["repayment"])
    )
)
def test_repayment_form_never_crashes_and_refusals_write_nothing(client, data):
    grant = GrantFactory()
    PaidDisbursementFactory(grant=grant)
    sanction = SanctionFactory(
        violation__studio=grant.studio, kind="recover", grant=grant, amount_due=500
    )
    client.force_login(FinanceUserFactory())
    before = counts(*MONEY)
    response = client.post(reverse("funding:repayment_create", args=[sanction.pk]), data)
    assert_refused_or_sane(response, before)
    assert_sane_money(Repayment.objects.filter(sanction=sanction), "received_on")


@HYPOTHESIS
@given(
    data=st.one_of(
        form_data(ViolationForm(grants=Grant.objects.none())),
        one_field_hostile(ViolationForm(grants=Grant.objects.none()), VALID["violation"]),
    )
)
def test_violation_form_never_crashes_and_refusals_write_nothing(client, data):
    studio = StudioFactory()
    GrantFactory(studio=studio)
    client.force_login(FinanceUserFactory())
    before = counts(*MONEY)
    response = client.post(reverse("funding:violation_create", args=[studio.pk]), data)
    assert_refused_or_sane(response, before)
    for violation in Violation.objects.filter(studio=studio):
        assert date(1949, 10, 1) <= violation.found_on <= timezone.localdate()
    for sanction in Sanction.objects.filter(studio=studio, amount_due__isnull=False):
        assert sanction.amount_due > 0


def test_ten_megabytes_of_chinese_in_a_voucher_number_is_refused_cleanly(client):
    grant = GrantFactory()
    client.force_login(FinanceUserFactory())
    response = client.post(
        reverse("funding:disbursement_create", args=[grant.pk]),
        {
            "form_token": "5b0e0f0a-0000-4000-8000-000000000000",
            "paid_on": "2026-01-05",
            "amount": "100",
            "voucher_number": TEN_MB_OF_CHINESE,
        },
    )
    assert response.status_code in (200, 400, 413)
    assert Disbursement.objects.count() == 0
