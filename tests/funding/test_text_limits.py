"""Free text that reaches the statement PDF has a length limit (issue 14): a 700 KB purpose is
refused on the form citing the limit and saves nothing, and a statement of purposes at the limit
still renders in seconds."""

import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import limits
from funding.models import Expenditure
from tests.bombs import measure
from tests.factories.accounts import AuditorFactory, UnionUserFactory
from tests.factories.funding import ExpenditureFactory, PaidDisbursementFactory
from tests.factories.studios import PDF_BYTES

pytestmark = pytest.mark.django_db


def test_a_700_kb_purpose_is_refused_citing_the_limit_and_saves_nothing(client_for):
    paid = PaidDisbursementFactory(amount=Decimal("80000"))
    studio = paid.grant.studio
    client = client_for(UnionUserFactory(enterprise=studio.enterprise))
    url = reverse("funding:expenditure_create", args=[studio.pk])
    assert client.get(url).status_code == 200
    data = {
        "form_token": "9b2f6c1e-0000-4000-8000-000000000003",
        "spent_on": "2026-05-01",
        "category": "equipment",
        "amount": "3000",
        "payee": "北京精工设备有限公司",
        "purpose": "创" * (700 * 1024 // 3),
        "project_name": "焊接工艺改进",
        "receipt": SimpleUploadedFile("receipt.pdf", PDF_BYTES, "application/pdf"),
    }
    with measure() as cost:
        response = client.post(url, data)
    assert cost.cpu_seconds < 3, cost
    assert response.status_code == 200
    (error,) = response.context["form"].errors.as_data()["purpose"]
    assert error.code == "max_length"
    assert str(limits.CELL_TEXT_MAX_CHARS) in response.content.decode()
    assert not Expenditure.objects.exists()


def test_the_model_refuses_text_past_the_limit_too():
    field = Expenditure._meta.get_field("purpose")
    with pytest.raises(ValidationError) as refused:
        field.clean("创" * (limits.CELL_TEXT_MAX_CHARS + 1), None)
    assert refused.value.error_list[0].code == "max_length"


def test_a_statement_with_purposes_at_the_limit_renders_in_seconds(client_for):
    paid = PaidDisbursementFactory()
    ExpenditureFactory(studio=paid.grant.studio, purpose="创" * limits.CELL_TEXT_MAX_CHARS)
    client = client_for(AuditorFactory())
    url = reverse("funding:statement_pdf", args=[paid.grant.studio_id])
    assert client.get(url).status_code == 200  # warm: fonts and templates loaded
    started = time.process_time()  # CPU time, alone: tracemalloc would slow WeasyPrint down
    response = client.get(url)
    seconds = time.process_time() - started
    print(f"statement with a purpose at the limit: {seconds:.2f} s")
    assert response.content.startswith(b"%PDF") and seconds < 3
