"""Demo rows for the lifecycle: thirteen studios moved through their lives by the lifecycle's own
services (so the audit timeline, certificates and signals are real): recognised last year and
now in cycle, one renamed, one awaiting its next-year re-review, one whose cycle ends soon, one
in rectification, one revoked, one with the Innovation Vitality Star and a municipal
recommendation, one absent from its re-review (R32-2) whose revocation the district union has
proposed and the bureau has yet to sign (R3). Idempotent: does nothing once any studio has been
recognised."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.dates import add_years

from . import decisions, lifecycle, services
from .lifecycle_models import RenameRequest
from .models import Studio, StudioStatus


def _clamp(day: date, today: date) -> date:
    return min(day, today)


def add_lifecycle_demo(stdout, rng) -> None:
    if Studio.objects.exclude(status=StudioStatus.APPLICANT).exists():
        return
    studios = [
        s
        for s in Studio.objects.order_by("pk").select_related("enterprise")
        if s.leaders.filter(until__isnull=True).exists()
    ][:13]
    if len(studios) < 13:
        return
    staff = User.objects.filter(username="district").first()
    bureau = User.objects.filter(username="bureau").first()
    if staff is None or bureau is None:
        return
    today = timezone.localdate()
    year = today.year
    with transaction.atomic():
        # Seven recognised last year, confirmed this year: in cycle 1.
        for studio in studios[:7]:
            lifecycle.recognise(studio, staff, on=date(year - 1, 6, 20))
            lifecycle.record_next_year_rereview(
                studio, staff, True, on=_clamp(date(year, 6, 18), today)
            )
        # One of them renamed (R23): new leader, same recognition and cycle.
        renamed = studios[1]
        union = User.objects.filter(enterprise_id=renamed.enterprise_id).first() or staff
        request = RenameRequest.objects.create(
            studio=renamed,
            old_name=renamed.name,
            new_name=renamed.name.replace("创新工作室", "技能大师创新工作室"),
            old_leader_name=renamed.current_leader.name if renamed.current_leader else "",
            new_leader_name="周立新",
            new_leader_position="首席技师",
            new_leader_is_high_skill_talent=True,
            reason="原领军人退休，工作室由首席技师周立新接续领办。",
            filed_by=union,
        )
        services.decide_rename_request(
            staff, request, True, "同意更名。", on=_clamp(date(year, 9, 1), today)
        )
        # Recognised last year, not yet re-reviewed: due now (R17).
        lifecycle.recognise(studios[7], staff, on=date(year - 1, 11, 30))
        # Cycle ends within the next months (R24).
        ends_soon = add_years(today + timedelta(days=90), -5) + timedelta(days=1)
        lifecycle.recognise(studios[8], staff, on=ends_soon)
        lifecycle.record_next_year_rereview(studios[8], staff, True, on=add_years(ends_soon, 1))
        # In rectification with a deadline in three weeks (R25).
        started = add_years(today + timedelta(days=40), -5)
        lifecycle.recognise(studios[9], staff, on=started)
        lifecycle.record_next_year_rereview(studios[9], staff, True, on=add_years(started, 1))
        lifecycle.record_cycle_rereview(
            studios[9],
            staff,
            "rectify",
            on=today - timedelta(days=7),
            rectification_deadline=today + timedelta(days=21),
            reason="创新成果转化应用不足，需在期限内补充成果应用证明。",
        )
        # Revoked for misuse of funds (R32-3).
        lifecycle.recognise(studios[10], staff, on=date(year - 3, 6, 20))
        lifecycle.record_next_year_rereview(studios[10], staff, True, on=date(year - 2, 6, 10))
        # A revocation needs both bodies (R3): the district union proposes, the bureau signs.
        revocation = decisions.propose(
            staff,
            studios[10],
            lifecycle.A.REVOKE,
            on=today - timedelta(days=12),
            reason="经审计发现挪用资助资金。",
            details={"reasons": [3]},
        )
        decisions.sign(bureau, revocation)
        # Passed its first cycle re-review with the Innovation Vitality Star, recommended (R30).
        first = add_years(today - timedelta(days=30), -5)
        star = studios[11]
        lifecycle.recognise(star, staff, on=first)
        lifecycle.record_next_year_rereview(star, staff, True, on=add_years(first, 1))
        lifecycle.record_cycle_rereview(
            star, staff, "pass", on=today - timedelta(days=60), star=True, reason="成果突出。"
        )
        services.recommend_to_municipal(
            staff, star, on=today - timedelta(days=20), note="推荐为北京市示范性职工创新工作室"
        )
        # Recognised two years ago and never re-reviewed: flagged under R32 (2).
        lifecycle.recognise(studios[12], staff, on=date(year - 2, 9, 1))
        # …and the district union has proposed revoking it; the bureau has yet to sign (R3).
        decisions.propose(
            staff,
            studios[12],
            lifecycle.A.REVOKE,
            on=today,
            reason="两年未参加复审，经核实无正当理由。",
            details={"reasons": [2]},
        )
    stdout.write("Lifecycle demo: 13 studios recognised, renamed, in rectification, revoked…")
