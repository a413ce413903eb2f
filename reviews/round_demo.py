"""Demo rows for ``seed_demo``: five more expert logins (expert2 … expert6) beside ``expert``,
an expert pool with employers, and one initial-recognition round over this year's accepted
applications, 3 experts each, scoring open, some scores submitted. Idempotent: a second run
finds the round and adds nothing."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User

from . import round_services as services
from .models import ApplicationStatus, Call
from .round_models import ExpertProfile, ReviewRound, RoundKind

EXPERTS = [
    ("expert", "王建国 · 评审专家", "智能制造", "北京工业大学"),
    ("expert2", "李秀英 · 评审专家", "集成电路", "清华大学"),
    ("expert3", "张志强 · 评审专家", "生物医药", "北京市科学技术研究院"),
    ("expert4", "刘芳 · 评审专家", "技能人才培养", "北京市职业技能鉴定中心"),
    ("expert5", "陈磊 · 评审专家", "新能源汽车", "北京理工大学"),
    ("expert6", "杨敏 · 评审专家", "质量管理", "中国质量协会"),
]


def seed_review_round(stdout, rng) -> None:
    from studios.management.commands.seed_demo import DEMO_PASSWORD

    staff = User.objects.filter(role=Role.DISTRICT_UNION, is_active=True).order_by("pk").first()
    call = Call.objects.filter(year=timezone.localdate().year).first()
    if staff is None or call is None:
        return
    if ReviewRound.objects.filter(call=call, kind=RoundKind.INITIAL).exists():
        return
    if not call.applications.filter(status=ApplicationStatus.ACCEPTED).exists():
        return
    with transaction.atomic():
        _experts(make_password(DEMO_PASSWORD))
        review_round = services.create_round_for_call(
            staff,
            call,
            {
                "name": f"{call.year}年度职工创新工作室认定评审",
                "scoring_deadline": timezone.localdate() + timedelta(days=10),
                "experts_per_entry": 3,
            },
        )
        services.auto_assign(staff, review_round)
        services.transition_round(staff, review_round, services.RoundAction.OPEN_SCORING)
        submitted = _some_scores(review_round, rng)
    stdout.write(
        f"Created the review round “{review_round.name}” with "
        f"{review_round.entries.count()} entries and {submitted} submitted scores."
    )


def _experts(password) -> None:
    for username, display, field, employer in EXPERTS:
        user, _created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": Role.EXPERT,
                "display_name": display,
                "email": f"{username}@demo.etown.example.cn",
                "password": password,
            },
        )
        ExpertProfile.objects.get_or_create(
            user=user,
            defaults={"field": field, "employer_name": employer, "phone": "010-6788 0000"},
        )


def _some_scores(review_round, rng) -> int:
    """Every expert but ``expert`` submits; ``expert`` is left to score in the demo."""
    criteria = list(review_round.criteria.all())
    submitted = 0
    for entry in review_round.entries.prefetch_related("assignments__expert"):
        for assignment in entry.assignments.all():
            if assignment.expert.username == "expert":
                continue
            points = {
                c.pk: (c.max_points * Decimal(rng.randint(65, 95)) / 100).quantize(Decimal("0.5"))
                for c in criteria
            }
            comments = {c.pk: "材料翔实，成果应用效果明显。" for c in criteria}
            services.save_score(assignment.expert, assignment, points, comments, submit=True)
            submitted += 1
    return submitted
