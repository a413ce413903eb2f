"""R26/R27 on PostgreSQL: two finance users approving at the same moment, on two real database
connections, can never together pay more than the grant."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from funding import queries, services
from funding.models import DisbursementStatus
from tests.factories.accounts import FinanceUserFactory
from tests.factories.funding import DisbursementFactory, GrantFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_r26_two_concurrent_approvals_never_exceed_the_grant(on_postgres):
    grant = GrantFactory()  # 200,000 CNY
    recorder = FinanceUserFactory()
    first = DisbursementFactory(grant=grant, amount=Decimal("150000"), recorded_by=recorder)
    second = DisbursementFactory(grant=grant, amount=Decimal("150000"), recorded_by=recorder)
    approvers = [FinanceUserFactory(), FinanceUserFactory()]
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(user, disbursement):
        try:
            barrier.wait(timeout=10)
            services.approve_disbursement(user, disbursement)
            outcomes.append("paid")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()  # each thread has its own connection

    threads = [
        threading.Thread(target=approve, args=(approvers[0], first)),
        threading.Thread(target=approve, args=(approvers[1], second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["paid", "refused"]
    assert queries.paid_total(grant) == Decimal("150000") <= grant.amount
    statuses = sorted(grant.disbursements.values_list("status", flat=True))
    assert statuses == sorted([DisbursementStatus.PAID, DisbursementStatus.PENDING])


def test_r26_two_concurrent_recordings_on_what_is_left_record_one(on_postgres):
    """80,000 left of the grant, two finance users record 80,000 each at the same moment: the
    grant's row lock serialises them and the second is refused (R26: paid + pending never
    exceeds the grant)."""
    grant = GrantFactory()  # 200,000 CNY
    DisbursementFactory(
        grant=grant,
        amount=Decimal("120000"),
        status=DisbursementStatus.PAID,
        decided_by=FinanceUserFactory(),
    )
    recorders = [FinanceUserFactory(), FinanceUserFactory()]
    barrier = threading.Barrier(2)
    outcomes = []

    def record(user):
        try:
            barrier.wait(timeout=10)
            services.record_disbursement(
                user,
                grant,
                {"paid_on": grant.granted_on, "amount": Decimal("80000"), "voucher_number": "V"},
            )
            outcomes.append("recorded")
        except ValidationError as refusal:
            outcomes.append(refusal.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(user,)) for user in recorders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["R26", "recorded"]
    assert queries.paid_total(grant) + queries.pending_total(grant) == grant.amount
