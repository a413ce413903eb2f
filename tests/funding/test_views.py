"""Funds pages: auditors change nothing, the dashboard stays constant in queries, the union sees
its own studios' money, exports and statements come out whole."""

import io
import re
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


# --- R27: reversals need a second finance user; pending money is never shown as received ----


def reverse_through_the_form(client, payment, reason="凭证重复录入"):
    url = reverse("funding:disbursement_reverse", args=[payment.pk])
    assert client.get(url).status_code == 200
    return client.post(url, {"reason": reason})


def test_r27_payment_reversal_through_the_form_waits_for_a_second_finance_user(client_for):
    finance1, finance2 = FinanceUserFactory(), FinanceUserFactory()
    payment = PaidDisbursementFactory(amount=Decimal("120000"), recorded_by=finance2)
    grant = payment.grant
    assert reverse_through_the_form(client_for(finance1), payment).status_code == 302
    reversal = Disbursement.objects.get(reverses=payment)
    assert reversal.status == DisbursementStatus.PENDING and reversal.amount == -payment.amount
    page = client_for(finance1).get(reverse("funding:grant_detail", args=[grant.pk]))
    assert page.context["paid"] == Decimal("120000")
    body = page.content.decode()
    approve_url = reverse("funding:disbursement_approve", args=[reversal.pk])
    assert approve_url not in body  # not for the one who recorded it
    # the recorder posting the approval anyway is refused with the rule, nothing changes
    response = client_for(finance1).post(approve_url, follow=True)
    assert "第二十七条" in response.content.decode()
    reversal.refresh_from_db()
    assert reversal.status == DisbursementStatus.PENDING
    page = client_for(finance2).get(reverse("funding:grant_detail", args=[grant.pk]))
    assert approve_url in page.content.decode()
    assert client_for(finance2).post(approve_url).status_code == 302
    reversal.refresh_from_db()
    assert reversal.status == DisbursementStatus.PAID and reversal.decided_by == finance2
    page = client_for(finance2).get(reverse("funding:grant_detail", args=[grant.pk]))
    assert page.context["paid"] == 0


def test_r27_second_reversal_of_a_payment_with_a_pending_one_is_refused_on_the_form(client_for):
    payment = PaidDisbursementFactory()
    client = client_for(FinanceUserFactory())
    assert reverse_through_the_form(client, payment).status_code == 302
    before = money_rows()
    response = client.post(
        reverse("funding:disbursement_reverse", args=[payment.pk]), {"reason": "再次冲销"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["__all__"]
    assert [e.code for e in errors] == ["R27"]
    assert "再次冲销" in response.content.decode()
    assert money_rows() == before


def test_r27_approve_queue_lists_pending_reversals_of_payments_and_expenditures(client_for):
    finance1, finance2 = FinanceUserFactory(), FinanceUserFactory()
    payment = PaidDisbursementFactory(amount=Decimal("90000"))
    reverse_through_the_form(client_for(finance1), payment)
    studio = payment.grant.studio
    union = UnionUserFactory(enterprise=studio.enterprise)
    spending = ExpenditureFactory(studio=studio, recorded_by=union, amount=Decimal("777"))
    client_for(union).post(
        reverse("funding:expenditure_reverse", args=[spending.pk]), {"reason": "重复录入"}
    )
    response = client_for(finance2).get(reverse("funding:dashboard"))
    assert [d.amount for d in response.context["pending"]] == [Decimal("-90000")]
    assert [e.amount for e in response.context["pending_expenditures"]] == [Decimal("-777")]
    body = response.content.decode()
    assert reverse("funding:expenditure_reversal_approve", args=[spending.reversals.get().pk]) in (
        body
    )


def test_r27_expenditure_reversal_through_the_form_waits_for_finance(client_for):
    payment = PaidDisbursementFactory(amount=Decimal("80000"))
    studio = payment.grant.studio
    union = UnionUserFactory(enterprise=studio.enterprise)
    spending = ExpenditureFactory(studio=studio, recorded_by=union, amount=Decimal("3000"))
    response = client_for(union).post(
        reverse("funding:expenditure_reverse", args=[spending.pk]), {"reason": "重复录入"}
    )
    assert response.status_code == 302
    reversal = Expenditure.objects.get(reverses=spending)
    assert reversal.status == "pending"
    funds = client_for(union).get(reverse("funding:studio_funds", args=[studio.pk]))
    assert funds.context["money"].spent == Decimal("3000")
    approve_url = reverse("funding:expenditure_reversal_approve", args=[reversal.pk])
    assert approve_url not in funds.content.decode()
    assert client_for(union).post(approve_url).status_code == 403
    reject_url = reverse("funding:expenditure_reversal_reject", args=[reversal.pk])
    finance = FinanceUserFactory()
    before = money_rows(), list(Expenditure.objects.values_list("pk", "status"))
    response = client_for(finance).post(reject_url, {"note": "  "}, follow=True)
    assert "第二十七条" in response.content.decode()
    assert (money_rows(), list(Expenditure.objects.values_list("pk", "status"))) == before
    funds = client_for(finance).get(reverse("funding:studio_funds", args=[studio.pk]))
    assert approve_url in funds.content.decode()
    assert client_for(finance).post(approve_url).status_code == 302
    reversal.refresh_from_db()
    assert reversal.status == "effective" and reversal.decided_by == finance
    funds = client_for(union).get(reverse("funding:studio_funds", args=[studio.pk]))
    assert funds.context["money"].spent == 0


def pending_and_received(studio):
    """A studio with 120,000 received and 50,000 recorded but not yet approved."""
    PaidDisbursementFactory(grant=GrantFactory(studio=studio), amount=Decimal("120000"))
    DisbursementFactory(
        grant=studio.grants.get(), amount=Decimal("50000"), voucher_number="记-待审-001"
    )


def section(body, element_id):
    """The page from the element with this id to the next card or statement section."""
    start = body.index(f'id="{element_id}"')
    end = re.compile(r'<div class="card[ "]|id="statement-').search(body, start + 1)
    return body[start : end.start() if end else None]


def test_r27_union_funds_page_lists_pending_apart_from_received(client_for):
    studio = StudioFactory()
    pending_and_received(studio)
    union = UnionUserFactory(enterprise=studio.enterprise)
    response = client_for(union).get(reverse("funding:studio_funds", args=[studio.pk]))
    body = response.content.decode()
    assert "记-待审-001" not in section(body, "money-received-list")
    assert "记-待审-001" in section(body, "money-pending-list")
    assert "120,000.00" in section(body, "money-received")
    assert "50,000.00" in section(body, "money-pending")


def test_r27_statement_lists_pending_apart_from_received(client_for):
    from django.template.loader import render_to_string

    from funding.views import studio_account

    studio = StudioFactory()
    pending_and_received(studio)
    response = client_for(AuditorFactory()).get(reverse("funding:statement_pdf", args=[studio.pk]))
    assert response.content.startswith(b"%PDF")
    context = {**studio_account(studio), "today": date(2026, 6, 1)}
    html = render_to_string("funding/pdf/statement.html", context)
    received = section(html, "statement-received")
    pending = section(html, "statement-pending")
    assert "记-待审-001" not in received and "120,000.00" in received
    assert "记-待审-001" in pending and "50,000.00" in pending


def test_r26_record_payment_is_not_offered_when_nothing_remains(client_for):
    grant = GrantFactory()  # 200,000
    PaidDisbursementFactory(grant=grant, amount=Decimal("120000"))
    DisbursementFactory(grant=grant, amount=Decimal("80000"))
    client = client_for(FinanceUserFactory())
    page = client.get(reverse("funding:grant_detail", args=[grant.pk]))
    create_url = reverse("funding:disbursement_create", args=[grant.pk])
    assert page.context["left"] == 0 and create_url not in page.content.decode()
    response = client.post(
        create_url,
        {
            "form_token": "9b2f6c1e-0000-4000-8000-000000000003",
            "paid_on": "2026-04-01",
            "amount": "80000",
            "voucher_number": "记-2026-002",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["amount"]
    assert [e.code for e in errors] == ["R26"]
    assert Disbursement.objects.filter(grant=grant).count() == 2


@pytest.mark.parametrize("url_name", ["funding:grant_detail", "funding:studio_funds"])
def test_money_pages_query_count_does_not_grow_with_payments_and_reversals(
    url_name, client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    grant = GrantFactory(amount=Decimal("9000000"))
    studio = grant.studio
    client = client_for(FinanceUserFactory())
    arg = grant.pk if url_name == "funding:grant_detail" else studio.pk

    def more(n):
        for _ in range(n):
            paid = PaidDisbursementFactory(grant=grant, amount=Decimal("100"))
            DisbursementFactory(grant=grant, amount=Decimal("-100"), reverses=paid)
            DisbursementFactory(grant=grant, amount=Decimal("100"))
            spending = ExpenditureFactory(studio=studio, amount=Decimal("10"))
            ExpenditureFactory(
                studio=studio, amount=Decimal("-10"), reverses=spending, status="pending"
            )

    more(2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(url_name, args=[arg])).status_code == 200
    more(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(url_name, args=[arg])).status_code == 200


def codes(form, field):
    return [e.code for e in form.errors.as_data()[field]]


def test_r27_payment_form_with_a_future_date_is_refused_with_the_rule(client_for):
    grant = GrantFactory()
    response = client_for(FinanceUserFactory()).post(
        reverse("funding:disbursement_create", args=[grant.pk]),
        {
            "form_token": "9b2f6c1e-0000-4000-8000-000000000004",
            "paid_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
            "amount": "1000",
            "voucher_number": "记-2026-009",
            "attachment": SimpleUploadedFile("voucher.pdf", PDF_BYTES, "application/pdf"),
        },
    )
    assert response.status_code == 200
    assert codes(response.context["form"], "paid_on") == ["R27"]
    assert not Disbursement.objects.exists()


def test_r27_expenditure_form_naming_no_project_is_refused_with_the_rule(client_for):
    paid = PaidDisbursementFactory(amount=Decimal("80000"))
    studio = paid.grant.studio
    response = client_for(UnionUserFactory(enterprise=studio.enterprise)).post(
        reverse("funding:expenditure_create", args=[studio.pk]),
        {
            "form_token": "9b2f6c1e-0000-4000-8000-000000000005",
            "spent_on": "2026-05-01",
            "category": "equipment",
            "amount": "3000",
            "payee": "北京精工设备有限公司",
            "purpose": "测量仪探头",
            "project": "",
            "project_name": "",
            "receipt": SimpleUploadedFile("receipt.pdf", PDF_BYTES, "application/pdf"),
        },
    )
    assert response.status_code == 200
    assert codes(response.context["form"], "project_name") == ["R27"]
    assert "北京精工设备有限公司" in response.content.decode()
    assert not Expenditure.objects.exists()


def test_r29_recovery_without_an_amount_is_refused_with_the_rule(client_for):
    from tests.factories.accounts import DistrictStaffFactory

    grant = PaidDisbursementFactory().grant
    response = client_for(DistrictStaffFactory()).post(
        reverse("funding:violation_create", args=[grant.studio_id]),
        {
            "behaviour": "false_accounting",
            "found_on": "2026-06-01",
            "description": "虚列支出",
            "evidence": SimpleUploadedFile("finding.pdf", PDF_BYTES, "application/pdf"),
            "recover_grant": str(grant.pk),
            "recover_amount": "",
        },
    )
    assert response.status_code == 200
    assert codes(response.context["form"], "recover_amount") == ["R29"]
    assert not Sanction.objects.exists()


def test_r29_recovery_beyond_what_was_paid_is_refused_on_the_form_with_the_rule(client_for):
    from tests.factories.accounts import DistrictStaffFactory

    grant = PaidDisbursementFactory(amount=Decimal("50000")).grant
    response = client_for(DistrictStaffFactory()).post(
        reverse("funding:violation_create", args=[grant.studio_id]),
        {
            "behaviour": "false_accounting",
            "found_on": "2026-06-01",
            "description": "虚列支出",
            "evidence": SimpleUploadedFile("finding.pdf", PDF_BYTES, "application/pdf"),
            "recover_grant": str(grant.pk),
            "recover_amount": "50000.01",
        },
    )
    assert response.status_code == 200
    assert codes(response.context["form"], "recover_amount") == ["R29"]
    assert not Sanction.objects.exists()
