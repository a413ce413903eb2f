"""R26–R29 in the services: grants from the lifecycle signal, four-eyes payments, spending within
the balance, append-only money, sanctions."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from core import policy
from funding import queries, services
from funding.models import (
    AppendOnlyError,
    Disbursement,
    DisbursementStatus,
    Expenditure,
    ExpenditureStatus,
    Grant,
    GrantCause,
    GrantStatus,
    Payer,
    Sanction,
    SanctionKind,
    SanctionStatus,
)
from studios.models import Studio, StudioStatus
from studios.signals import studio_transitioned
from tests.factories.accounts import (
    AuditorFactory,
    DistrictStaffFactory,
    FinanceUserFactory,
    UnionUserFactory,
)
from tests.factories.funding import (
    DisbursementFactory,
    GrantFactory,
    PaidDisbursementFactory,
    SanctionFactory,
)
from tests.factories.studios import EnterpriseFactory, StudioFactory
from tests.refusals import refused

pytestmark = pytest.mark.django_db


ON = date(2026, 3, 15)


def send_transition(studio, action, *, star=False, first=True, cycle=1):
    with transaction.atomic():
        studio_transitioned.send(
            sender=Studio,
            studio=studio,
            action=action,
            from_status=StudioStatus.RECOGNISED,
            to_status=StudioStatus.IN_CYCLE,
            actor=None,
            star_awarded=star,
            first_recognition=first,
            cycle_number=cycle,
            on=ON,
        )


def receipt():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories.studios import PDF_BYTES

    return SimpleUploadedFile("receipt.pdf", PDF_BYTES, "application/pdf")


def spend(union, studio, amount, token=None):
    return services.record_expenditure(
        union,
        studio,
        {
            "category": "materials",
            "spent_on": ON,
            "amount": Decimal(amount),
            "payee": "供应商",
            "purpose": "试制材料",
            "project_name": "工艺改进",
            "receipt": receipt(),
        },
        token,
    )


def pay(finance, grant, amount, token=None):
    return services.record_disbursement(
        finance, grant, {"paid_on": ON, "amount": Decimal(amount), "voucher_number": "V1"}, token
    )


@pytest.fixture
def finance():
    return FinanceUserFactory()


@pytest.fixture
def finance2():
    return FinanceUserFactory()


@pytest.fixture
def funded_studio(finance, finance2):
    """A studio whose grant has 100,000 CNY paid, and its union user."""
    grant = GrantFactory()
    services.approve_disbursement(finance2, pay(finance, grant, "100000"))
    union = UnionUserFactory(enterprise=grant.studio.enterprise)
    return grant.studio, union


# --- R26: grants from the lifecycle ---------------------------------------------------------


@pytest.mark.parametrize(
    ("affiliated", "payer"), [(True, Payer.DISTRICT_UNION), (False, Payer.FISCAL_FUNDS)]
)
def test_r26a_passing_next_year_rereview_creates_exactly_one_grant_with_r26c_payer(
    affiliated, payer
):
    studio = StudioFactory(enterprise=EnterpriseFactory(union_affiliated_with_district=affiliated))
    send_transition(studio, "pass_next_year_rereview")
    send_transition(studio, "pass_next_year_rereview")  # sent again: nothing new, no error
    grant = Grant.objects.get()
    assert grant.studio == studio and grant.cause == GrantCause.NEXT_YEAR_REREVIEW
    assert grant.amount == policy.R26A_GRANT_CNY and grant.payer == payer
    assert grant.granted_on == ON and grant.cycle_number == 1
    event = AuditEvent.objects.get(action="funding.grant_created")
    assert event.rule == "R26" and event.studio_id == studio.pk


def test_r26a_pays_only_after_a_first_recognition():
    send_transition(StudioFactory(), "pass_next_year_rereview", first=False)
    assert not Grant.objects.exists()


def test_r26b_cycle_rereview_with_star_creates_a_grant_and_without_star_none():
    starred, plain = StudioFactory(), StudioFactory()
    send_transition(starred, "pass_cycle_rereview", star=True, cycle=2)
    send_transition(plain, "pass_cycle_rereview", star=False, cycle=2)
    grant = Grant.objects.get()
    assert grant.studio == starred and grant.cause == GrantCause.INNOVATION_STAR
    assert grant.amount == policy.R26B_GRANT_CNY and grant.cycle_number == 2


def test_r26_other_transitions_create_no_grant():
    send_transition(StudioFactory(), "recognise")
    assert not Grant.objects.exists()


def test_r26_database_allows_one_grant_per_studio_cause_and_cycle():
    grant = GrantFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        GrantFactory(studio=grant.studio, cause=grant.cause, cycle_number=grant.cycle_number)


# --- Disbursement with two people -----------------------------------------------------------


def test_r27_disbursement_recorded_and_approved_by_the_same_user_is_refused(finance):
    grant = GrantFactory()
    disbursement = pay(finance, grant, "50000")
    with refused("R27", match="第二十七条"):
        services.approve_disbursement(finance, disbursement)
    disbursement.refresh_from_db()
    assert disbursement.status == DisbursementStatus.PENDING
    assert queries.paid_total(grant) == 0


def test_r27_second_finance_user_approves_and_only_then_it_is_paid(finance, finance2):
    grant = GrantFactory()
    disbursement = pay(finance, grant, "50000")
    assert queries.paid_total(grant) == 0
    services.approve_disbursement(finance2, disbursement)
    assert queries.paid_total(grant) == Decimal("50000")
    rules = set(AuditEvent.objects.values_list("action", "rule"))
    assert {("funding.disbursement_recorded", "R26"), ("funding.disbursement_approved", "R27")} <= (
        rules
    )


def test_r26_partial_payments_allowed_but_never_beyond_the_grant(finance, finance2):
    grant = GrantFactory()
    services.approve_disbursement(finance2, pay(finance, grant, "150000"))
    with refused("R26", match="50000"):
        pay(finance, grant, "50000.01")
    second = pay(finance, grant, "50000")
    third = DisbursementFactory(grant=grant, amount=Decimal("1"), recorded_by=finance)
    services.approve_disbursement(finance2, second)
    with refused("R26"):
        services.approve_disbursement(finance2, third)
    assert queries.paid_total(grant) == grant.amount


def test_double_submission_of_the_same_payment_form_records_it_once(finance):
    grant = GrantFactory()
    token = uuid.uuid4()
    first = pay(finance, grant, "10000", token)
    again = pay(finance, grant, "10000", token)
    assert first.pk == again.pk and Disbursement.objects.count() == 1


def test_r27_auditor_and_union_cannot_record_or_approve_payments():
    grant = GrantFactory()
    disbursement = DisbursementFactory(grant=grant)
    for user in (AuditorFactory(), UnionUserFactory(enterprise=grant.studio.enterprise)):
        with pytest.raises(PermissionDenied):
            pay(user, grant, "1")
        with pytest.raises(PermissionDenied):
            services.approve_disbursement(user, disbursement)


def test_rejected_payment_never_counts(finance, finance2):
    grant = GrantFactory()
    disbursement = pay(finance, grant, "1000")
    services.reject_disbursement(finance2, disbursement, "凭证号有误")
    disbursement.refresh_from_db()
    assert disbursement.status == DisbursementStatus.REJECTED
    with refused("R27"):
        services.approve_disbursement(finance2, disbursement)
    assert queries.paid_total(grant) == 0


# --- Spending (R27, R28) --------------------------------------------------------------------


def test_r28_union_records_spending_and_the_balance_falls(funded_studio):
    studio, union = funded_studio
    expenditure = spend(union, studio, "2500.50")
    money = queries.money_of(studio)
    assert money.received == Decimal("100000") and money.spent == Decimal("2500.50")
    assert money.balance == Decimal("97499.50")
    assert expenditure.receipt
    assert AuditEvent.objects.filter(action="funding.expenditure_recorded", rule="R28").exists()


def test_r27_spending_beyond_the_balance_is_refused(funded_studio):
    studio, union = funded_studio
    spend(union, studio, "99000")
    with refused("R27", match="1000"):
        spend(union, studio, "1000.01")
    assert queries.money_of(studio).balance == Decimal("1000")


def test_r27_studio_with_no_money_received_cannot_spend():
    studio = GrantFactory().studio
    with refused("R27"):
        spend(UnionUserFactory(enterprise=studio.enterprise), studio, "1")


def test_r27_another_enterprise_cannot_spend_a_studios_funds(funded_studio):
    studio, _union = funded_studio
    with pytest.raises(PermissionDenied):
        spend(UnionUserFactory(), studio, "1")


def test_double_submission_of_the_same_expenditure_records_it_once(funded_studio):
    studio, union = funded_studio
    token = uuid.uuid4()
    spend(union, studio, "100", token)
    spend(union, studio, "100", token)
    assert Expenditure.objects.count() == 1


# --- Append-only money ----------------------------------------------------------------------


def test_money_records_cannot_be_edited_or_deleted():
    paid = PaidDisbursementFactory()
    paid.amount = Decimal("1")
    with pytest.raises(AppendOnlyError):
        paid.save()
    with pytest.raises(AppendOnlyError):
        paid.delete()
    with pytest.raises(AppendOnlyError):
        Disbursement.objects.filter(pk=paid.pk).update(amount=Decimal("1"))
    with pytest.raises(AppendOnlyError):
        Grant.objects.all().delete()
    grant = paid.grant
    grant.amount = Decimal("1")
    with pytest.raises(AppendOnlyError):
        grant.save(update_fields=["amount"])


def test_a_paid_payment_is_corrected_by_a_reversing_entry_with_a_reason(finance, finance2):
    grant = GrantFactory()
    original = pay(finance, grant, "30000")
    services.approve_disbursement(finance2, original)
    with refused("R27"):
        services.reverse_disbursement(finance, original, "  ")
    reversal = services.reverse_disbursement(finance, original, "金额录入错误")
    assert reversal.amount == Decimal("-30000") and reversal.reverses == original
    assert reversal.status == DisbursementStatus.PENDING
    services.approve_disbursement(finance2, reversal)
    assert queries.paid_total(grant) == 0
    assert Disbursement.objects.get(pk=original.pk).amount == Decimal("30000")  # kept as written
    with refused("R27"):
        services.reverse_disbursement(finance, original, "again")
    event = AuditEvent.objects.get(action="funding.disbursement_reversal_recorded")
    assert event.reason == "金额录入错误" and event.rule == "R27"


def paid_payment(finance, finance2, grant, amount):
    payment = pay(finance, grant, amount)
    services.approve_disbursement(finance2, payment)
    return payment


def test_r27_payment_reversal_needs_a_second_finance_user(finance, finance2):
    """The defect: one finance user's reversal freed 120,000 of the grant at once, so a second
    payment of 200,000 fitted and the studio was paid 320,000 on a 200,000 grant."""
    grant = GrantFactory()  # 200,000
    original = paid_payment(finance, finance2, grant, "120000")
    reversal = services.reverse_disbursement(finance, original, "凭证重复")
    assert reversal.status == DisbursementStatus.PENDING and reversal.decided_by is None
    assert queries.paid_total(grant) == Decimal("120000")  # not effective on one word
    with refused("R26"):
        pay(finance, grant, "200000")
    finance3 = FinanceUserFactory()
    services.approve_disbursement(finance3, reversal)
    reversal.refresh_from_db()
    assert reversal.status == DisbursementStatus.PAID and reversal.decided_by == finance3
    assert queries.paid_total(grant) == 0
    actions = dict(AuditEvent.objects.values_list("action", "rule"))
    assert actions["funding.disbursement_reversal_recorded"] == "R27"
    assert actions["funding.disbursement_reversal_approved"] == "R27"


def test_r27_reversal_by_the_recorder_is_refused(finance, finance2):
    grant = GrantFactory()
    original = paid_payment(finance, finance2, grant, "50000")
    reversal = services.reverse_disbursement(finance2, original, "金额有误")
    with refused("R27"):
        services.approve_disbursement(finance2, reversal)
    reversal.refresh_from_db()
    assert reversal.status == DisbursementStatus.PENDING and reversal.decided_by is None
    assert queries.paid_total(grant) == Decimal("50000")


def test_r27_database_refuses_a_reversal_decided_by_its_recorder(finance, finance2):
    grant = GrantFactory()
    original = paid_payment(finance, finance2, grant, "50000")
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.create(
            grant=grant,
            paid_on=ON,
            amount=Decimal("-50000"),
            status=DisbursementStatus.PAID,
            recorded_by=finance,
            decided_by=finance,
            reverses=original,
        )
    with pytest.raises(IntegrityError), transaction.atomic():  # effective with no second user
        Disbursement.objects.create(
            grant=grant,
            paid_on=ON,
            amount=Decimal("-50000"),
            status=DisbursementStatus.PAID,
            recorded_by=finance,
            reverses=original,
        )


def test_r27_rejected_reversal_leaves_the_payment_paid_and_it_may_be_reversed_again(
    finance, finance2
):
    grant = GrantFactory()
    original = paid_payment(finance, finance2, grant, "50000")
    reversal = services.reverse_disbursement(finance, original, "金额有误")
    with refused("R27"):  # a pending reversal blocks a second one
        services.reverse_disbursement(finance2, original, "再次冲销")
    assert Disbursement.objects.filter(reverses=original).count() == 1
    services.reject_disbursement(finance2, reversal, "款项确已到账")
    reversal.refresh_from_db()
    original.refresh_from_db()
    assert reversal.status == DisbursementStatus.REJECTED
    assert original.status == DisbursementStatus.PAID and original.amount == Decimal("50000")
    assert queries.paid_total(grant) == Decimal("50000")
    assert AuditEvent.objects.get(action="funding.disbursement_reversal_rejected").rule == "R27"
    again = services.reverse_disbursement(finance2, original, "确认重复支付")
    assert again.status == DisbursementStatus.PENDING


def test_r27_other_finance_users_are_told_of_a_pending_reversal(finance, finance2):
    from accounts.models import Notification

    grant = GrantFactory()
    original = paid_payment(finance, finance2, grant, "50000")
    reversal = services.reverse_disbursement(finance, original, "金额有误")
    told = Notification.objects.filter(kind="funding.reversal_to_approve")
    assert set(told.values_list("recipient", flat=True)) == {finance2.pk}
    assert told.get().key == f"funding.reversal_to_approve:{reversal.pk}"


def test_r26_payment_refused_when_paid_plus_pending_exceed_the_grant(finance, finance2):
    grant = GrantFactory()  # 200,000
    paid_payment(finance, finance2, grant, "120000")
    pay(finance, grant, "80000")  # pending: nothing left to record
    with refused("R26", match="第二十六条"):
        pay(finance, grant, "80000")
    assert Disbursement.objects.filter(grant=grant).count() == 2
    assert queries.pending_total(grant) == Decimal("80000")
    assert queries.remaining(grant) == 0


def test_r27_balances_count_only_approved_money(finance, finance2):
    grant = GrantFactory()
    original = paid_payment(finance, finance2, grant, "100000")
    pay(finance, grant, "50000")  # pending payment: not received
    services.reverse_disbursement(finance, original, "金额有误")  # pending reversal
    money = queries.money_of(grant.studio)
    assert money.received == Decimal("100000") and money.pending == Decimal("50000")
    assert money.balance == Decimal("100000")


def test_r27_expenditure_reversal_needs_a_finance_user_to_approve(funded_studio, finance):
    studio, union = funded_studio
    wrong = spend(union, studio, "5000")
    reversal = services.reverse_expenditure(union, wrong, "重复录入")
    assert reversal.status == ExpenditureStatus.PENDING
    assert queries.money_of(studio).spent == Decimal("5000")  # not effective yet
    with pytest.raises(PermissionDenied):  # the union cannot approve its own correction
        services.approve_expenditure_reversal(union, reversal)
    services.approve_expenditure_reversal(finance, reversal)
    reversal.refresh_from_db()
    assert reversal.status == ExpenditureStatus.EFFECTIVE and reversal.decided_by == finance
    assert queries.money_of(studio).spent == 0
    actions = dict(AuditEvent.objects.values_list("action", "rule"))
    assert actions["funding.expenditure_reversal_recorded"] == "R27"
    assert actions["funding.expenditure_reversal_approved"] == "R27"


def test_r27_expenditure_reversal_by_its_recorder_is_refused_and_rejection_keeps_the_spending():
    from tests.factories.accounts import AdminFactory

    admin = AdminFactory()
    finance2 = FinanceUserFactory()
    grant = GrantFactory()
    services.approve_disbursement(finance2, pay(admin, grant, "10000"))
    studio = grant.studio
    wrong = spend(admin, studio, "1000")
    reversal = services.reverse_expenditure(admin, wrong, "重复录入")
    with refused("R27"):
        services.approve_expenditure_reversal(admin, reversal)
    with refused("R27"):
        services.reverse_expenditure(admin, wrong, "再次冲销")
    services.reject_expenditure_reversal(finance2, reversal, "票据真实有效")
    reversal.refresh_from_db()
    assert reversal.status == ExpenditureStatus.REJECTED
    assert queries.money_of(studio).spent == Decimal("1000")
    assert AuditEvent.objects.get(action="funding.expenditure_reversal_rejected").rule == "R27"
    with pytest.raises(IntegrityError), transaction.atomic():
        Expenditure.objects.create(
            studio=studio,
            category="materials",
            spent_on=ON,
            amount=Decimal("-1000"),
            payee="x",
            purpose="x",
            project_name="x",
            recorded_by=admin,
            decided_by=admin,
            status=ExpenditureStatus.EFFECTIVE,
            reverses=wrong,
        )


def test_an_expenditure_is_corrected_by_a_reversing_entry(funded_studio, finance):
    studio, union = funded_studio
    wrong = spend(union, studio, "5000")
    reversal = services.reverse_expenditure(union, wrong, "重复录入")
    services.approve_expenditure_reversal(finance, reversal)
    assert queries.money_of(studio).spent == 0
    assert Expenditure.objects.count() == 2


# --- Sanctions (R29) ------------------------------------------------------------------------


def suspend(studio, staff=None):
    return services.record_violation(
        staff or DistrictStaffFactory(),
        studio,
        {"behaviour": "no_separate_accounting", "found_on": ON, "description": "未单独核算"},
        {"suspend": True},
    )


def test_r29_suspended_studio_can_neither_be_paid_nor_spend(funded_studio, finance, finance2):
    studio, union = funded_studio
    grant = studio.grants.get()
    pending = pay(finance, grant, "10000")
    suspend(studio)
    with refused("R29", match="第二十九条"):
        pay(finance, grant, "10000")
    with refused("R29", match="第二十九条"):
        services.approve_disbursement(finance2, pending)
    with refused("R29", match="第二十九条"):
        spend(union, studio, "1")
    assert queries.paid_total(grant) == Decimal("100000")
    assert queries.money_of(studio).spent == 0


def test_r29_lifting_a_suspension_is_audited_and_lets_money_move_again(funded_studio):
    studio, union = funded_studio
    suspend(studio)
    suspension = Sanction.objects.get(kind=SanctionKind.SUSPEND)
    staff = DistrictStaffFactory()
    with refused("R29"):
        services.lift_suspension(staff, suspension, "")
    services.lift_suspension(staff, suspension, "已完成整改，建立单独核算")
    suspension.refresh_from_db()
    assert suspension.status == SanctionStatus.LIFTED and suspension.lifted_by == staff
    event = AuditEvent.objects.get(action="funding.suspension_lifted")
    assert event.rule == "R29" and event.studio_id == studio.pk and event.actor == staff
    spend(union, studio, "1")
    with refused("R29"):
        services.lift_suspension(staff, suspension, "again")


def test_r29_auditor_cannot_sanction_or_lift():
    studio = StudioFactory()
    with pytest.raises(PermissionDenied):
        suspend(studio, AuditorFactory())


def test_r29_cancelled_grant_can_no_longer_be_paid(finance):
    grant = GrantFactory()
    services.record_violation(
        DistrictStaffFactory(),
        grant.studio,
        {"behaviour": "diverted_funds", "found_on": ON, "description": "挪用资金"},
        {"cancel": grant},
    )
    grant.refresh_from_db()
    assert grant.status == GrantStatus.CANCELLED
    with refused("R29", match="第二十九条"):
        pay(finance, grant, "1")


def test_r29_recovery_is_settled_by_repayments_up_to_the_amount_due(funded_studio, finance):
    studio, _union = funded_studio
    grant = studio.grants.get()
    staff = DistrictStaffFactory()
    with refused("R29"):  # more than was paid
        services.record_violation(
            staff,
            studio,
            {"behaviour": "false_accounting", "found_on": ON, "description": "虚列支出"},
            {"recover": (grant, Decimal("100000.01"))},
        )
    services.record_violation(
        staff,
        studio,
        {"behaviour": "false_accounting", "found_on": ON, "description": "虚列支出"},
        {"recover": (grant, Decimal("20000"))},
    )
    recovery = Sanction.objects.get(kind=SanctionKind.RECOVER)
    data = {"received_on": ON, "amount": Decimal("15000"), "receipt": receipt()}
    services.record_repayment(finance, recovery, data)
    with refused("R29", match="5000"):
        services.record_repayment(finance, recovery, {**data, "amount": Decimal("5000.01")})
    assert queries.recovery_outstanding(recovery) == Decimal("5000")
    assert queries.money_of(studio).repaid == Decimal("15000")


def test_r29_a_finding_needs_at_least_one_sanction():
    with refused("R29", match="第二十九条"):
        services.record_violation(
            DistrictStaffFactory(),
            StudioFactory(),
            {"behaviour": "false_accounting", "found_on": ON, "description": "x"},
            {},
        )


# --- R29 re-application bar (application guard) ---------------------------------------------


def test_r29_bar_guard_refuses_until_the_end_day_inclusive_and_names_it():
    from funding.guards import r29_reapplication_bar
    from studios.hooks import APPLICATION_GUARDS

    assert r29_reapplication_bar in APPLICATION_GUARDS
    today = timezone.localdate()
    until = today + timedelta(days=365)
    studio = StudioFactory()
    assert r29_reapplication_bar(studio, today) == []
    services.record_violation(
        DistrictStaffFactory(),
        studio,
        {"behaviour": "diverted_funds", "found_on": today, "description": "挪用"},
        {"bar_until": until},
    )
    (finding,) = r29_reapplication_bar(studio, until)
    assert finding.rule == "R29" and not finding.ok
    assert until.isoformat() in finding.message_en and until.isoformat() in finding.message_zh
    assert "Article 29" in finding.message_en and "第二十九条" in finding.message_zh
    assert r29_reapplication_bar(studio, until + timedelta(days=1)) == []
    assert r29_reapplication_bar(StudioFactory(), today) == []


def test_r29_suspension_factory_blocks_through_queries():
    suspension = SanctionFactory()
    assert queries.active_suspension(suspension.studio) == suspension


def test_r27_expenditure_links_to_a_project_of_the_studios_own_ledger(funded_studio):
    from tests.factories.ledgers import ProjectFactory

    studio, union = funded_studio
    project = ProjectFactory(studio=studio, title="焊接机器人改造")
    data = {
        "category": "equipment",
        "spent_on": ON,
        "amount": Decimal("1000.00"),
        "payee": "设备厂",
        "purpose": "夹具",
        "project": project,
        "project_name": "",
        "receipt": receipt(),
    }
    expenditure = services.record_expenditure(union, studio, data)
    assert expenditure.project == project and expenditure.project_name == "焊接机器人改造"
    other = ProjectFactory()
    with refused("R27"):
        services.record_expenditure(union, studio, {**data, "project": other})
    assert Expenditure.objects.filter(project=other).count() == 0
