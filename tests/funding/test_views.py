"""Funds pages: auditors change nothing, the dashboard stays constant in queries, the union sees
its own studios' money, exports and statements come out whole."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEvent
from funding.models import Disbursement, DisbursementStatus, Expenditure, Grant, Sanction
from tests.factories.accounts import AuditorFactory, FinanceUserFactory, UnionUserFactory
from tests.factories.funding import (
    DisbursementFactory,
    ExpenditureFactory,
    GrantFactory,
    PaidDisbursementFactory,
    RepaymentFactory,
    SanctionFactory,
)
from tests.factories.studios import PDF_BYTES, StudioFactory
from tests.test_url_permissions import TABLE, world  # noqa: F401  (the shared World fixture)

pytestmark = pytest.mark.django_db

FUNDING_URLS = [name for name in TABLE if name.startswith("funding:")]


def money_rows():
    return (
        Grant.objects.count(),
        list(Disbursement.objects.values_list("pk", "status", "amount")),
        Expenditure.objects.count(),
        list(Sanction.objects.values_list("pk", "status")),
    )


@pytest.mark.parametrize("name", FUNDING_URLS)
def test_r27_auditor_every_post_is_refused_and_changes_nothing(name, world, client_for):  # noqa: F811
    kwargs_of, _method, _outcomes = TABLE[name]
    before, events = money_rows(), AuditEvent.objects.count()
    response = client_for(world.users["auditor"]).post(
        reverse(name, kwargs=kwargs_of(world)),
        {"reason": "x", "note": "x", "amount": "1", "paid_on": "2026-01-01"},
    )
    assert response.status_code in (403, 405), name
    assert money_rows() == before and AuditEvent.objects.count() == events


def build_money(n):
    for _ in range(n):
        grant = GrantFactory()
        PaidDisbursementFactory(grant=grant)
        DisbursementFactory(grant=grant)
        ExpenditureFactory(studio=grant.studio)
        recovery = SanctionFactory(
            violation__studio=grant.studio, kind="recover", grant=grant, amount_due=500
        )
        RepaymentFactory(sanction=recovery)


@pytest.mark.parametrize("url_name", ["funding:dashboard", "funding:grant_list", "accounts:home"])
def test_funds_pages_query_count_does_not_grow_with_studios_and_payments(
    url_name, client_for, django_assert_max_num_queries
):
    client = client_for(FinanceUserFactory())
    build_money(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(url_name)).status_code == 200
    build_money(12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(url_name)).status_code == 200


def test_dashboard_totals_and_chart(client_for):
    grant = GrantFactory(granted_on=date(2025, 5, 1))
    PaidDisbursementFactory(grant=grant, amount=Decimal("120000"))
    DisbursementFactory(grant=grant, amount=Decimal("30000"))
    response = client_for(AuditorFactory()).get(reverse("funding:dashboard"))
    totals = response.context["figures"]["totals"]
    assert totals["granted"] == Decimal("200000") and totals["paid"] == Decimal("120000")
    assert totals["pending"] == Decimal("30000") and totals["outstanding"] == Decimal("80000")
    assert b"<svg" in response.content and b"2025" in response.content


def test_finance_records_a_payment_through_the_form_and_a_repeat_post_records_once(client_for):
    grant = GrantFactory()
    client = client_for(FinanceUserFactory())
    url = reverse("funding:disbursement_create", args=[grant.pk])
    token = client.get(url).context["form"].initial["form_token"]
    data = {
        "form_token": str(token),
        "paid_on": "2026-04-01",
        "amount": "60000",
        "voucher_number": "记-2026-001",
        "bank_reference": "ICBC1",
        "attachment": SimpleUploadedFile("voucher.pdf", PDF_BYTES, "application/pdf"),
    }
    assert client.post(url, data).status_code == 302
    data["attachment"] = SimpleUploadedFile("voucher.pdf", PDF_BYTES, "application/pdf")
    assert client.post(url, data).status_code == 302
    disbursement = Disbursement.objects.get()
    assert disbursement.status == DisbursementStatus.PENDING and disbursement.attachment


def test_payment_form_over_the_grant_shows_the_refusal_and_keeps_the_input(client_for):
    grant = GrantFactory()
    client = client_for(FinanceUserFactory())
    url = reverse("funding:disbursement_create", args=[grant.pk])
    response = client.post(
        url,
        {
            "form_token": "9b2f6c1e-0000-4000-8000-000000000001",
            "paid_on": "2026-04-01",
            "amount": "200000.01",
            "voucher_number": "记-2026-XYZ",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "记-2026-XYZ" in body and "200000.01" in body
    assert not Disbursement.objects.exists()


def test_same_user_approving_over_http_is_refused_with_the_rule(client_for):
    finance = FinanceUserFactory()
    disbursement = DisbursementFactory(recorded_by=finance)
    response = client_for(finance).post(
        reverse("funding:disbursement_approve", args=[disbursement.pk]), follow=True
    )
    assert "第二十七条" in response.content.decode()
    disbursement.refresh_from_db()
    assert disbursement.status == DisbursementStatus.PENDING


def test_union_sees_its_studio_money_and_another_union_gets_404(client_for):
    paid = PaidDisbursementFactory(amount=Decimal("80000"))
    studio = paid.grant.studio
    ExpenditureFactory(studio=studio, amount=Decimal("1500"))
    union = UnionUserFactory(enterprise=studio.enterprise)
    response = client_for(union).get(reverse("funding:studio_funds", args=[studio.pk]))
    assert response.context["money"].balance == Decimal("78500")
    home = client_for(union).get(reverse("accounts:home")).content.decode()
    assert "78,500.00" in home
    other = client_for(UnionUserFactory()).get(reverse("funding:studio_funds", args=[studio.pk]))
    assert other.status_code == 404


def test_union_records_an_expenditure_with_a_receipt_checked_by_content(client_for):
    paid = PaidDisbursementFactory(amount=Decimal("80000"))
    studio = paid.grant.studio
    client = client_for(UnionUserFactory(enterprise=studio.enterprise))
    url = reverse("funding:expenditure_create", args=[studio.pk])
    data = {
        "form_token": "9b2f6c1e-0000-4000-8000-000000000002",
        "spent_on": "2026-05-01",
        "category": "equipment",
        "amount": "3000",
        "payee": "北京精工设备有限公司",
        "purpose": "测量仪探头",
        "project_name": "焊接工艺改进",
        "receipt": SimpleUploadedFile("receipt.pdf", b"MZ not a pdf", "application/pdf"),
    }
    response = client.post(url, data)
    assert response.status_code == 200 and not Expenditure.objects.exists()
    data["receipt"] = SimpleUploadedFile("receipt.pdf", PDF_BYTES, "application/pdf")
    assert client.post(url, data).status_code == 302
    assert Expenditure.objects.get().receipt


def test_statement_pdf_renders(client_for):
    paid = PaidDisbursementFactory()
    ExpenditureFactory(studio=paid.grant.studio)
    response = client_for(AuditorFactory()).get(
        reverse("funding:statement_pdf", args=[paid.grant.studio_id])
    )
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_excel_export_holds_every_money_record_of_the_period(client_for):
    paid = PaidDisbursementFactory(paid_on=date(2026, 4, 1))
    PaidDisbursementFactory(paid_on=date(2025, 4, 1))  # outside the period
    ExpenditureFactory(studio=paid.grant.studio, spent_on=date(2026, 5, 1))
    response = client_for(AuditorFactory()).get(
        reverse("funding:money_export"), {"start": "2026-01-01", "end": "2026-12-31"}
    )
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 4
    disbursements = list(book.worksheets[1].iter_rows(values_only=True))
    assert len(disbursements) == 2  # header + the one in the period
    assert len(list(book.worksheets[2].iter_rows(values_only=True))) == 2


def test_r29_staff_record_a_finding_with_suspension_through_the_form(client_for):
    from tests.factories.accounts import DistrictStaffFactory

    studio = StudioFactory()
    response = client_for(DistrictStaffFactory()).post(
        reverse("funding:violation_create", args=[studio.pk]),
        {
            "behaviour": "no_separate_accounting",
            "found_on": "2026-06-01",
            "description": "未单独核算",
            "evidence": SimpleUploadedFile("finding.pdf", PDF_BYTES, "application/pdf"),
            "suspend": "on",
        },
    )
    assert response.status_code == 302
    assert Sanction.objects.get().kind == "suspend"


def test_r29_a_bar_decades_out_is_refused_on_the_form_and_records_nothing(client_for):
    """The Measures leave the bar's length open; a year typed as 2206 is a typo, not a sanction."""
    from core import policy
    from core.dates import add_years
    from funding.models import Violation
    from tests.factories.accounts import DistrictStaffFactory

    studio = StudioFactory()
    too_late = add_years(timezone.localdate(), policy.R29_MAX_BAR_YEARS) + timedelta(days=1)
    response = client_for(DistrictStaffFactory()).post(
        reverse("funding:violation_create", args=[studio.pk]),
        {
            "behaviour": "diverted_funds",
            "found_on": "2026-06-01",
            "description": "挪用资金",
            "evidence": SimpleUploadedFile("finding.pdf", PDF_BYTES, "application/pdf"),
            "bar_until": too_late.isoformat(),
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "bar_until" in form.errors
    assert str(policy.R29_MAX_BAR_YEARS) in str(form.errors["bar_until"])
    assert form.data["description"] == "挪用资金"
    assert not Violation.objects.exists() and not Sanction.objects.exists()
