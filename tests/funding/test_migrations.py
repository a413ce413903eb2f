"""Migration 0003 (R27): a reversal that took effect on one person's word goes back to awaiting
approval, so a second finance user confirms or rejects it; approved payments stay paid."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories.accounts import FinanceUserFactory
from tests.factories.funding import GrantFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("funding", "0002_expenditure_project")]
AFTER = [("funding", "0003_reversals_wait_for_a_second_finance_user")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_r27_reversals_effective_on_one_word_become_pending():
    apps = migrate(BEFORE)
    Disbursement = apps.get_model("funding", "Disbursement")
    Expenditure = apps.get_model("funding", "Expenditure")
    try:
        one, two = FinanceUserFactory(), FinanceUserFactory()
        grant = GrantFactory()
        studio = grant.studio
        paid = Disbursement.objects.create(
            grant_id=grant.pk,
            paid_on=date(2026, 4, 1),
            amount=Decimal("120000"),
            status="paid",
            recorded_by_id=one.pk,
            decided_by_id=two.pk,
        )
        reversal = Disbursement.objects.create(
            grant_id=grant.pk,
            paid_on=date(2026, 4, 2),
            amount=Decimal("-120000"),
            status="paid",
            recorded_by_id=one.pk,
            reverses=paid,
            reason="一人冲销",
        )
        spent = Expenditure.objects.create(
            studio_id=studio.pk,
            category="materials",
            spent_on=date(2026, 5, 1),
            amount=Decimal("1000"),
            payee="x",
            purpose="x",
            project_name="x",
            recorded_by_id=one.pk,
        )
        undone = Expenditure.objects.create(
            studio_id=studio.pk,
            category="materials",
            spent_on=date(2026, 5, 2),
            amount=Decimal("-1000"),
            payee="x",
            purpose="x",
            project_name="x",
            recorded_by_id=one.pk,
            reverses=spent,
        )

        apps = migrate(AFTER)
        Disbursement = apps.get_model("funding", "Disbursement")
        Expenditure = apps.get_model("funding", "Expenditure")
        assert Disbursement.objects.get(pk=paid.pk).status == "paid"
        assert Disbursement.objects.get(pk=reversal.pk).status == "pending"
        assert Expenditure.objects.get(pk=spent.pk).status == "effective"
        assert Expenditure.objects.get(pk=undone.pk).status == "pending"
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
