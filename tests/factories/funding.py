from datetime import date
from decimal import Decimal

import factory

from core import policy
from funding.models import (
    Disbursement,
    DisbursementStatus,
    Expenditure,
    ExpenditureCategory,
    Grant,
    GrantCause,
    Payer,
    ProhibitedBehaviour,
    Repayment,
    Sanction,
    SanctionKind,
    Violation,
)
from tests.factories.accounts import DistrictStaffFactory, FinanceUserFactory, UnionUserFactory
from tests.factories.studios import StudioFactory, pdf_file


class GrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grant

    studio = factory.SubFactory(StudioFactory)
    cause = GrantCause.NEXT_YEAR_REREVIEW
    cycle_number = 1
    amount = policy.R26A_GRANT_CNY
    payer = Payer.DISTRICT_UNION
    granted_on = date(2026, 3, 1)


class DisbursementFactory(factory.django.DjangoModelFactory):
    """A payment recorded by one finance user, awaiting approval unless ``status`` says so."""

    class Meta:
        model = Disbursement

    grant = factory.SubFactory(GrantFactory)
    paid_on = date(2026, 4, 1)
    amount = Decimal("50000.00")
    voucher_number = factory.Sequence(lambda n: f"记-2026-{n:03d}")
    recorded_by = factory.SubFactory(FinanceUserFactory)
    status = DisbursementStatus.PENDING


class PaidDisbursementFactory(DisbursementFactory):
    status = DisbursementStatus.PAID
    decided_by = factory.SubFactory(FinanceUserFactory)


class ExpenditureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expenditure

    studio = factory.SubFactory(StudioFactory)
    category = ExpenditureCategory.MATERIALS
    spent_on = date(2026, 5, 1)
    amount = Decimal("1000.00")
    payee = "亦庄五金材料商行"
    purpose = "试制材料"
    project_name = "焊接工艺改进"
    receipt = factory.LazyFunction(lambda: pdf_file("receipt.pdf"))
    recorded_by = factory.LazyAttribute(lambda e: UnionUserFactory(enterprise=e.studio.enterprise))


class ViolationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Violation

    studio = factory.SubFactory(StudioFactory)
    behaviour = ProhibitedBehaviour.NO_SEPARATE_ACCOUNTING
    found_on = date(2026, 6, 1)
    description = "未单独核算"
    evidence = factory.LazyFunction(lambda: pdf_file("finding.pdf"))
    recorded_by = factory.SubFactory(DistrictStaffFactory)


class SanctionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sanction

    violation = factory.SubFactory(ViolationFactory)
    studio = factory.SelfAttribute("violation.studio")
    kind = SanctionKind.SUSPEND
    imposed_on = date(2026, 6, 1)
    imposed_by = factory.SelfAttribute("violation.recorded_by")


class RepaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Repayment

    sanction = factory.SubFactory(SanctionFactory)
    received_on = date(2026, 7, 1)
    amount = Decimal("100.00")
    receipt = factory.LazyFunction(lambda: pdf_file("repayment.pdf"))
    recorded_by = factory.SubFactory(FinanceUserFactory)
