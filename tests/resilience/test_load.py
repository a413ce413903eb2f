"""Item 6 of issue #8, load without loss: 50 expert score submissions and 50 payment approvals
at the same moment, each thread on its own PostgreSQL connection, then everything counted in
the database — nothing lost, nothing doubled, no grant paid beyond its amount (R26, R27).

Marked ``load``: ``make test`` leaves it out, ``.ci/run`` runs it after the suite."""

import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.db.models import Sum
from django.utils import translation

from audit.models import AuditEvent
from funding import services as funding
from funding.models import Disbursement, DisbursementStatus
from reviews import round_services
from reviews.round_models import Assignment, AssignmentState, CriterionScore, RoundStatus
from tests.factories.accounts import ExpertUserFactory, FinanceUserFactory
from tests.factories.funding import DisbursementFactory, GrantFactory
from tests.factories.rounds import AssignmentFactory, ReviewRoundFactory, RoundEntryFactory

pytestmark = [pytest.mark.load, pytest.mark.django_db(transaction=True)]

THREADS = 50


def all_at_once(calls) -> list:
    """Run every call in its own thread (so on its own database connection), released together
    by a barrier; returns ``"ok"`` or the refusal for each, in order."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            with translation.override("en"):
                call()
            outcomes[index] = "ok"
        except ValidationError as refusal:
            with translation.override("en"):
                outcomes[index] = ValidationError(" ".join(refusal.messages))
        except Exception as error:  # anything else is a failure the test reports
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    close_old_connections()
    assert not any(t.is_alive() for t in threads), "a thread is still waiting (deadlock?)"
    return outcomes


def unexpected(outcomes) -> list:
    return [o for o in outcomes if o != "ok" and not isinstance(o, ValidationError)]


def test_r17_fifty_concurrent_score_submissions_lose_nothing_and_double_nothing(on_postgres):
    """40 experts' assignments are submitted, 10 of them twice at the same moment (the double
    click): each assignment is submitted exactly once, with one set of criterion scores and one
    audit event, and the second click is refused as locked."""
    review_round = ReviewRoundFactory(status=RoundStatus.SCORING)
    criteria = list(review_round.criteria.all())
    entries = [RoundEntryFactory(round=review_round) for _ in range(8)]
    assignments = [
        AssignmentFactory(entry=entries[i % len(entries)], expert=ExpertUserFactory())
        for i in range(40)
    ]
    points = {c.pk: c.max_points - 1 for c in criteria}
    comments = {c.pk: "并发提交" for c in criteria}
    targets = assignments + assignments[:10]

    def submit(assignment):
        return lambda: round_services.save_score(
            assignment.expert, assignment, points, comments, submit=True
        )

    outcomes = all_at_once([submit(a) for a in targets])

    assert unexpected(outcomes) == []
    assert outcomes.count("ok") == 40
    refusals = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refusals) == 10
    assert all("locked" in str(r) for r in refusals)
    stored = Assignment.objects.filter(entry__round=review_round)
    assert stored.filter(state=AssignmentState.SUBMITTED).count() == 40
    expected_total = sum((p for p in points.values()), Decimal("0"))
    assert set(stored.values_list("total", flat=True)) == {expected_total}
    scores = CriterionScore.objects.filter(assignment__entry__round=review_round)
    assert scores.count() == 40 * len(criteria)
    per_assignment = Counter(scores.values_list("assignment_id", flat=True))
    assert set(per_assignment.values()) == {len(criteria)}
    events = AuditEvent.objects.filter(action="review_round.score_submitted")
    assert events.count() == 40


def test_r26_r27_fifty_concurrent_approvals_never_pay_beyond_the_grant(on_postgres):
    """Two grants, 50 recorded payments worth more than both together, all approved at once by
    the second finance user: the paid total of each grant reaches its amount and never passes
    it, every payment is either paid once or still pending, one audit event per payment paid."""
    recorder, approver = FinanceUserFactory(), FinanceUserFactory()
    big = GrantFactory(amount=Decimal("200000.00"))
    small = GrantFactory(amount=Decimal("100000.00"))
    payments = [
        DisbursementFactory(grant=big, amount=Decimal("10000.00"), recorded_by=recorder)
        for _ in range(30)
    ] + [
        DisbursementFactory(grant=small, amount=Decimal("7500.00"), recorded_by=recorder)
        for _ in range(20)
    ]
    assert len(payments) == THREADS

    def approve(payment):
        return lambda: funding.approve_disbursement(approver, payment)

    outcomes = all_at_once([approve(p) for p in payments])

    assert unexpected(outcomes) == []
    refusals = [o for o in outcomes if isinstance(o, ValidationError)]
    assert all("Article 26" in str(r) for r in refusals)
    paid = Disbursement.objects.filter(status=DisbursementStatus.PAID)
    for grant, count, total in ((big, 20, "200000.00"), (small, 13, "97500.00")):
        of_grant = paid.filter(grant=grant)
        assert of_grant.count() == count
        assert of_grant.aggregate(s=Sum("amount"))["s"] == Decimal(total) <= grant.amount
    assert outcomes.count("ok") == 33
    assert len(refusals) == THREADS - 33
    pending = Disbursement.objects.filter(status=DisbursementStatus.PENDING)
    assert pending.count() == THREADS - 33
    assert Disbursement.objects.count() == THREADS
    assert paid.filter(decided_by=approver).count() == 33
    events = AuditEvent.objects.filter(action="funding.disbursement_approved")
    assert events.count() == 33
    assert len(set(events.values_list("object_id", flat=True))) == 33
