"""The demo's review round: built once, 3 experts per entry, some scores submitted."""

import pytest
from django.core.management import call_command

from accounts.models import Role, User
from reviews.round_models import Assignment, AssignmentState, ReviewRound, RoundKind, RoundStatus

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_one_initial_round_with_three_experts_each_idempotently():
    call_command("seed_demo")
    call_command("seed_demo")
    review_round = ReviewRound.objects.get()
    assert review_round.kind == RoundKind.INITIAL and review_round.status == RoundStatus.SCORING
    assert review_round.entries.exists()
    for entry in review_round.entries.all():
        assert entry.assignments.count() == 3
    experts = set(User.objects.filter(role=Role.EXPERT).values_list("username", flat=True))
    assert {"expert", "expert2", "expert3", "expert4", "expert5", "expert6"} <= experts
    assert Assignment.objects.filter(state=AssignmentState.SUBMITTED).exists()
    assert Assignment.objects.filter(expert__username="expert").exists()
