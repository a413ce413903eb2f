"""Demo ledgers: five years for every demo studio, compliant and not, added once."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from ledgers.compliance import FAIL, OK, compliance_rows
from ledgers.models import Activity, InnovationProject, Patent
from studios.models import Studio

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_five_years_of_ledgers_with_compliant_and_failing_studios():
    call_command("seed_demo")
    year = timezone.localdate().year
    assert Activity.objects.filter(held_on__year=year - 4).exists()
    assert InnovationProject.objects.exists() and Patent.objects.filter(holders__isnull=False)
    rows = compliance_rows(Studio.objects.all(), [year - 1])
    statuses = {sy.status for _s, (sy,) in rows}
    assert {OK, FAIL} <= statuses
    failing = {rule for _s, (sy,) in rows for rule in sy.failing_rules}
    assert {"R14a", "R14d", "R32-4"} <= failing


def test_seed_demo_ledgers_are_idempotent():
    call_command("seed_demo")
    count = Activity.objects.count()
    call_command("seed_demo")
    assert Activity.objects.count() == count
