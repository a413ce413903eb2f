import time

import pytest
from django.core.management import call_command

from accounts.models import Role, User
from studios.eligibility import check_eligibility, is_eligible
from studios.models import Enterprise, Studio, StudioType
from studios.queries import with_eligibility_data

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_a_district_with_every_role_and_situation(capsys):
    call_command("seed_demo")
    assert Enterprise.objects.count() == 30
    assert Studio.objects.count() == 60
    assert set(Studio.objects.values_list("type", flat=True)) == set(StudioType.values)
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    studios = with_eligibility_data(Studio.objects.all())
    failing_rules = {f.rule for s in studios for f in check_eligibility(s) if not f.ok}
    assert {"R5", "R6", "R7", "R8", "R9"} <= failing_rules
    assert any(is_eligible(check_eligibility(s)) for s in studios)
    out = capsys.readouterr().out
    for username in ("union", "district", "bureau", "expert", "finance", "auditor", "admin"):
        assert f"  {username} " in out


def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    call_command("seed_demo")
    assert Studio.objects.count() == 60


def test_seed_demo_scales_to_two_thousand_studios_within_a_minute():
    started = time.monotonic()
    call_command("seed_demo", studios=2000)
    elapsed = time.monotonic() - started
    assert Studio.objects.count() == 2000
    assert elapsed < 60, f"took {elapsed:.1f} s"
