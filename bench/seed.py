"""The bench district beyond ``seed_demo --studios N``: studios that hold the title (with their
recognition cycles), two review rounds of 300 entries × 5 experts with submitted scores, and
grants with payments — all with bulk inserts, so seeding takes seconds, not minutes.

These rows are written directly (not through the services) because they stand for years of
history; the services are what the benchmark measures, not what builds its data.
"""

import random
from copy import copy
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from core.dates import add_years, cycle_end
from funding.models import Disbursement, DisbursementStatus, Grant, GrantCause, Payer
from reviews import round_services
from reviews.round_models import (
    Assignment,
    AssignmentState,
    CriterionScore,
    ExpertProfile,
    RoundKind,
    RoundStatus,
)
from studios.lifecycle_models import RecognitionCycle
from studios.management.commands.seed_demo import DEMO_PASSWORD
from studios.models import Enterprise, Studio, StudioStatus

ENTRIES_PER_ROUND = 300
EXPERTS_PER_ENTRY = 5
BENCH_EXPERTS = ["expert", "expert2", "expert3", "expert4", "expert5", "expert6"]


def grant_titles(studio_ids, rng: random.Random) -> dict:
    """Turn applicant studios into title holders: 1 in 3 recognised last year (due for the
    next-year re-review, R17), the rest in their five-year cycle (R24), some near its end."""
    today = timezone.localdate()
    studios = list(Studio.objects.filter(pk__in=studio_ids).order_by("pk"))
    cycles, counts = [], {"recognised": 0, "in_cycle": 0}
    for index, studio in enumerate(studios):
        if index % 3 == 0:
            studio.status = StudioStatus.RECOGNISED
            on = add_years(today, -1) + timedelta(days=rng.randint(-60, 40))
        else:
            studio.status = StudioStatus.IN_CYCLE
            on = add_years(today, -rng.randint(1, 5)) + timedelta(days=rng.randint(-30, 60))
        studio.first_recognised_on = studio.recognised_on = on
        if studio.status == StudioStatus.IN_CYCLE:  # the cycle starts when R17 is passed
            studio.cycle_number = 1
            cycles.append(
                RecognitionCycle(studio=studio, number=1, starts_on=on, ends_on=cycle_end(on))
            )
        counts[studio.status] += 1
    Studio.objects.bulk_update(
        studios,
        ["status", "first_recognised_on", "recognised_on", "cycle_number"],
        batch_size=2000,
    )
    RecognitionCycle.objects.bulk_create(cycles, batch_size=2000)
    return counts


def ensure_experts() -> list[User]:
    password = make_password(DEMO_PASSWORD)
    experts = []
    for username in BENCH_EXPERTS:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"role": Role.EXPERT, "display_name": username, "password": password},
        )
        ExpertProfile.objects.get_or_create(user=user, defaults={"field": "bench"})
        experts.append(user)
    return experts


def scored_round(staff, kind, studio_ids, experts, rng, *, status) -> int:
    """A re-review round over the studios, every entry with five experts' submitted scores
    (``expert`` always among them, so the expert's list is long)."""
    review_round = round_services.create_round_for_studios(
        kind,
        studio_ids,
        staff,
        name=f"bench {kind}",
        experts_per_entry=EXPERTS_PER_ENTRY,
        scoring_deadline=timezone.localdate() + timedelta(days=7),
    )
    criteria = list(review_round.criteria.all())
    now = timezone.now()
    assignments = []
    for entry in review_round.entries.all():
        chosen = [experts[0], *rng.sample(experts[1:], EXPERTS_PER_ENTRY - 1)]
        for expert in chosen:
            assignments.append(
                Assignment(
                    entry=entry,
                    expert=expert,
                    state=AssignmentState.SUBMITTED,
                    submitted_at=now,
                    assigned_by=staff,
                )
            )
    Assignment.objects.bulk_create(assignments, batch_size=2000)
    scores = []
    for assignment in assignments:
        total = Decimal("0")
        for criterion in criteria:
            points = (criterion.max_points * Decimal(rng.randint(60, 98)) / 100).quantize(
                Decimal("0.5")
            )
            total += points * criterion.weight
            scores.append(CriterionScore(assignment=assignment, criterion=criterion, points=points))
        assignment.total = total
    CriterionScore.objects.bulk_create(scores, batch_size=5000)
    Assignment.objects.bulk_update(assignments, ["total"], batch_size=2000)
    type(review_round).objects.filter(pk=review_round.pk).update(status=status)
    return review_round.pk


def grants_and_payments(studio_ids, finance, finance2, rng) -> tuple[int, int]:
    """One R26a grant per studio, one approved payment each and a pending one for every
    other grant."""
    today = timezone.localdate()
    studios = Studio.objects.filter(pk__in=studio_ids, status=StudioStatus.IN_CYCLE)
    studios = studios.select_related("enterprise")
    taken = set(Grant.objects.values_list("studio_id", flat=True))
    grants = [
        Grant(
            studio=studio,
            cause=GrantCause.NEXT_YEAR_REREVIEW,
            cycle_number=1,
            amount=Decimal("200000.00"),
            payer=Payer.DISTRICT_UNION
            if studio.enterprise.union_affiliated_with_district
            else Payer.FISCAL_FUNDS,
            granted_on=min(add_years(studio.recognised_on, 1), today),
        )
        for studio in studios
        if studio.pk not in taken
    ]
    Grant.objects.bulk_create(grants, batch_size=2000)
    payments = []
    for index, grant in enumerate(grants):
        payments.append(
            Disbursement(
                grant=grant,
                paid_on=min(grant.granted_on + timedelta(days=30), today),
                amount=Decimal("120000.00"),
                voucher_number=f"记-B-{index}",
                status=DisbursementStatus.PAID,
                recorded_by=finance,
                decided_by=finance2,
                decided_at=timezone.now(),
            )
        )
        if index % 2 == 0:
            payments.append(
                Disbursement(
                    grant=grant,
                    paid_on=today,
                    amount=Decimal(rng.randint(1, 8) * 10000),
                    voucher_number=f"记-B-{index}-2",
                    recorded_by=finance,
                )
            )
    Disbursement.objects.bulk_create(payments, batch_size=2000)
    return len(grants), len(payments)


@transaction.atomic
def seed_bench_extras(seed: int = 2026) -> dict:
    rng = random.Random(seed)
    applicants = list(
        Studio.objects.filter(status=StudioStatus.APPLICANT)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    titled = applicants[: int(len(applicants) * 0.6)]
    counts = grant_titles(titled, rng)
    users = {
        u.username: u for u in User.objects.filter(username__in=["district", "finance", "finance2"])
    }
    experts = ensure_experts()
    recognised = list(
        Studio.objects.filter(pk__in=titled, status=StudioStatus.RECOGNISED).values_list(
            "pk", flat=True
        )[:ENTRIES_PER_ROUND]
    )
    in_cycle = list(
        Studio.objects.filter(pk__in=titled, status=StudioStatus.IN_CYCLE).values_list(
            "pk", flat=True
        )[:ENTRIES_PER_ROUND]
    )
    closed = scored_round(
        users["district"], RoundKind.NEXT_YEAR, recognised, experts, rng, status=RoundStatus.CLOSED
    )
    scored_round(
        users["district"], RoundKind.CYCLE, in_cycle, experts, rng, status=RoundStatus.SCORING
    )
    n_grants, n_payments = grants_and_payments(
        titled[: len(titled) // 2], users["finance"], users["finance2"], rng
    )
    return {
        **counts,
        "rounds": 2,
        "entries_per_round": ENTRIES_PER_ROUND,
        "experts_per_entry": EXPERTS_PER_ENTRY,
        "closed_round": closed,
        "grants": n_grants,
        "payments": n_payments,
    }


@transaction.atomic
def add_studios(count: int, seed: int = 2027) -> None:
    """More studios, copied from the seeded ones into new enterprises, 60% of them holding the
    title: the reminder job's 20,000 (it reads studios, cycles and rectifications only)."""
    rng = random.Random(seed)
    enterprises = list(Enterprise.objects.order_by("pk"))
    templates = list(Studio.objects.order_by("pk")[:2000])
    before = Studio.objects.order_by("-pk").values_list("pk", flat=True)[0]
    copies = []
    for index in range(count):
        studio = copy(templates[index % len(templates)])
        studio.pk = studio.id = None
        studio.enterprise = enterprises[index % len(enterprises)]
        studio.name = f"{studio.name}·{index}"
        studio.status = StudioStatus.APPLICANT
        studio.first_recognised_on = studio.recognised_on = None
        studio.cycle_number = 0
        copies.append(studio)
    Studio.objects.bulk_create(copies, batch_size=2000)
    new = list(Studio.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))
    grant_titles(new[: int(len(new) * 0.6)], rng)
