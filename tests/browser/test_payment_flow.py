"""Done-when of the funds issue, in Chromium: finance records a payment, a second finance user
approves it, the union sees the money on its studio and records an expenditure with a receipt;
then the first finance user reverses the payment, the reversal shows pending and takes effect
only when the second approves it (R27)."""

import pytest

from funding.models import Disbursement, DisbursementStatus, Expenditure, Grant
from tests.browser.conftest import login
from tests.factories.accounts import FinanceUserFactory, UnionUserFactory
from tests.factories.funding import GrantFactory
from tests.factories.studios import PDF_BYTES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
PASSWORD = "pw-Test-2026"


def test_payment_by_two_finance_users_then_union_spends_with_a_receipt(page, live_server, tmp_path):
    grant = GrantFactory()
    studio = grant.studio
    finance = FinanceUserFactory(username="fin1")
    FinanceUserFactory(username="fin2")
    UnionUserFactory(username="union1", enterprise=studio.enterprise)

    login(page, live_server, finance.username, PASSWORD)
    page.goto(f"{live_server.url}/funding/grants/{grant.pk}/payments/new/")
    page.fill("input[name=paid_on]", "2026-04-01")
    page.fill("input[name=amount]", "120000")
    page.fill("input[name=voucher_number]", "记-2026-001")
    page.fill("input[name=bank_reference]", "ICBC0001")
    page.click("main button[name=save]")
    page.wait_for_url(f"{live_server.url}/funding/grants/{grant.pk}/")
    assert Disbursement.objects.get().status == DisbursementStatus.PENDING
    assert page.locator("button[name=approve]").count() == 0  # not for the one who recorded it

    page.context.clear_cookies()
    login(page, live_server, "fin2", PASSWORD)
    page.goto(f"{live_server.url}/funding/grants/{grant.pk}/")
    page.click("button[name=approve]")
    page.wait_for_load_state()
    assert Disbursement.objects.get().status == DisbursementStatus.PAID
    assert "120,000.00" in page.inner_text("#grant-paid")

    page.context.clear_cookies()
    login(page, live_server, "union1", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.click(f"a[href='/funding/studios/{studio.pk}/']")
    assert "120,000.00" in page.inner_text("#money-received")
    page.click(f"a[href='/funding/studios/{studio.pk}/expenditures/new/']")
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(PDF_BYTES)
    page.fill("input[name=spent_on]", "2026-05-01")
    page.select_option("select[name=category]", "equipment")
    page.fill("input[name=amount]", "20000")
    page.fill("input[name=payee]", "北京精工设备有限公司")
    page.fill("textarea[name=purpose]", "三坐标测量仪探头")
    page.fill("input[name=project_name]", "焊接工艺数字化改进")
    page.set_input_files("input[name=receipt]", str(receipt))
    page.click("main button[name=save]")
    page.wait_for_url(f"{live_server.url}/funding/studios/{studio.pk}/")
    assert "100,000.00" in page.inner_text("#money-balance")
    expenditure = Expenditure.objects.get()
    assert expenditure.receipt and expenditure.amount == 20000
    assert Grant.objects.count() == 1

    # R27: fin1 reverses the payment; it shows pending and counts only once fin2 approves it
    page.context.clear_cookies()
    login(page, live_server, "fin1", PASSWORD)
    page.goto(f"{live_server.url}/funding/grants/{grant.pk}/")
    page.click("a[href$='/reverse/']")
    page.fill("textarea[name=reason]", "凭证号重复，款项未实际支付")
    page.click("main button[name=save]")
    page.wait_for_url(f"{live_server.url}/funding/grants/{grant.pk}/")
    reversal = Disbursement.objects.get(reverses__isnull=False)
    assert reversal.status == DisbursementStatus.PENDING
    assert "120,000.00" in page.inner_text("#grant-paid")  # not effective on one word
    assert "待复核" in page.inner_text(f"tr:has-text('{reversal.reason}')")
    assert page.locator("button[name=approve]").count() == 0
    assert page.locator("a[href$='/reverse/']").count() == 0  # no second reversal

    page.context.clear_cookies()
    login(page, live_server, "fin2", PASSWORD)
    page.goto(f"{live_server.url}/funding/grants/{grant.pk}/")
    page.click("button[name=approve]")
    page.wait_for_load_state()
    reversal.refresh_from_db()
    assert reversal.status == DisbursementStatus.PAID
    assert "0.00" in page.inner_text("#grant-paid")
