"""Demo ledgers for ``seed_demo``: five years of entries for every demo studio, some studios
meeting every duty of R14 and others falling short in the ways the grid and R32 (4) show.
Bulk inserts only, so 2,000 studios take seconds. Idempotent: does nothing if any ledger entry
exists."""

import random
import time
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from studios.models import Member, Studio, StudioType

from . import stamps
from .models import (
    Achievement,
    AchievementKind,
    Activity,
    ActivityKind,
    DevelopmentKind,
    InnovationProject,
    MemberDevelopment,
    Patent,
    PatentKind,
    ProjectStatus,
)

YEARS = 5
#: How each studio behaves, by its position (1, 2, …) modulo ``len(PROFILES)``.
PROFILES = ("diligent", "diligent", "diligent", "few_activities", "stalled", "dormant")
ACTIVITY_TITLES = {
    ActivityKind.TRAINING: ["数控编程技能培训", "安全生产技能培训", "质量工具应用培训"],
    ActivityKind.EXHIBITION: ["创新成果展示会", "职工技术成果展"],
    ActivityKind.MENTORING: ["名师带徒结对仪式", "师带徒技能比武"],
    ActivityKind.EXCHANGE: ["跨企业技术交流会", "工艺改进研讨会"],
    ActivityKind.DISTRICT: ["区总工会创新工作室交流活动", "科技创新局专题学习"],
}
PROJECT_TITLES = ["工装夹具快速定位改造", "生产线节拍优化", "检测工序自动化", "能耗降低方案"]
ACHIEVEMENT_TITLES = ["操作法总结推广", "服务流程优化方法", "技术论文发表", "市级技术创新奖"]


def _day_in(rng, year: int, today: date, not_before: date) -> date | None:
    start = max(date(year, 1, 1), not_before)
    end = min(date(year, 12, 31), today)
    if start > end:
        return None
    return start + timedelta(days=rng.randint(0, (end - start).days))


def add_demo_ledgers(stdout, rng: random.Random) -> None:
    if Activity.objects.exists() or InnovationProject.objects.exists():
        return
    started = time.monotonic()
    today = timezone.localdate()
    members = defaultdict(list)
    for studio_id, member_id in Member.objects.values_list("studio_id", "pk").order_by("pk"):
        members[studio_id].append(member_id)
    with transaction.atomic():
        rows = _build(rng, today, members)
        # Bulk inserts send no signals: renew the studios' ledger stamps by hand, so no verdict
        # cached for these studio ids (an earlier database, a shared Redis) is taken as current.
        stamps.touch(members.keys())
    stdout.write(f"Added demo ledgers: {rows} entries in {time.monotonic() - started:.1f} s.")


def _build(rng, today, members) -> int:
    activities, projects, achievements, developments = [], [], [], []
    patents, patent_holders = [], []
    years = range(today.year - YEARS + 1, today.year + 1)
    studios = Studio.objects.only("pk", "type", "founded_on").order_by("pk")
    for position, studio in enumerate(studios, start=1):
        # By position, not pk, so the same studios get the same behaviour on any database.
        profile = PROFILES[position % len(PROFILES)]
        technical = studio.type == StudioType.TECHNICAL
        team = members.get(studio.pk, [])
        for year in years:
            # "stalled": nothing new for 3 years (R14a/b/c, R32-4 no project); "dormant": for 4
            # years (also R32-4 no achievement).
            quiet_years = {"stalled": 3, "dormant": 4}.get(profile, 0)
            stalled = year > today.year - quiet_years
            per_year = rng.randint(2, 3) if profile == "few_activities" else rng.randint(4, 6)
            for _ in range(per_year):
                day = _day_in(rng, year, today, studio.founded_on)
                if day is None:
                    continue
                kind = rng.choice(list(ACTIVITY_TITLES))
                activities.append(
                    Activity(
                        studio_id=studio.pk,
                        held_on=day,
                        kind=kind,
                        title=rng.choice(ACTIVITY_TITLES[kind]),
                        other_participants=rng.randint(5, 40),
                        hours=Decimal(rng.choice((2, 3, 4, 8))),
                    )
                )
            if stalled:
                continue
            if technical or year % 2 == 0:
                day = _day_in(rng, year, today, studio.founded_on)
                if day is not None:
                    applied = min(
                        day + timedelta(days=rng.randint(30, 120)), date(year, 12, 31), today
                    )
                    applied_now = technical or rng.random() < 0.5
                    projects.append(
                        InnovationProject(
                            studio_id=studio.pk,
                            title=rng.choice(PROJECT_TITLES),
                            started_on=day,
                            status=ProjectStatus.APPLIED
                            if applied_now
                            else ProjectStatus.IN_PROGRESS,
                            applied_on=applied if applied_now else None,
                            benefit_cny=Decimal(rng.randint(5, 80) * 10000),
                            benefit_text="提高效率，降低成本",
                        )
                    )
            if technical and (year + studio.pk) % 2 == 1 and team:
                granted = _day_in(rng, year, today, studio.founded_on)
                if granted is not None:
                    patents.append(
                        Patent(
                            studio_id=studio.pk,
                            number=f"ZL{year}2{studio.pk:07d}.{year % 10}",
                            title="一种" + rng.choice(PROJECT_TITLES) + "装置",
                            kind=rng.choice((PatentKind.UTILITY_MODEL, PatentKind.INVENTION)),
                            filed_on=granted - timedelta(days=rng.randint(200, 400)),
                            granted_on=granted,
                        )
                    )
                    patent_holders.append(rng.choice(team))
            if not technical and year % 2 == 1:
                day = _day_in(rng, year, today, studio.founded_on)
                if day is not None:
                    achievements.append(
                        Achievement(
                            studio_id=studio.pk,
                            kind=rng.choice(AchievementKind.values),
                            title=rng.choice(ACHIEVEMENT_TITLES),
                            achieved_on=day,
                            applied_on=min(day + timedelta(days=30), today),
                            municipal_award=rng.random() < 0.1,
                        )
                    )
            if len(team) >= 2:
                day = _day_in(rng, year, today, studio.founded_on)
                if day is not None:
                    master, apprentice = rng.sample(team, 2)
                    developments.append(
                        MemberDevelopment(
                            studio_id=studio.pk,
                            member_id=apprentice,
                            mentor_id=master,
                            kind=DevelopmentKind.APPRENTICESHIP,
                            happened_on=day,
                            description="名师带徒结对",
                        )
                    )
                    developments.append(
                        MemberDevelopment(
                            studio_id=studio.pk,
                            member_id=rng.choice(team),
                            kind=DevelopmentKind.PROMOTION,
                            happened_on=day,
                            description="技能等级晋升",
                        )
                    )
    Activity.objects.bulk_create(activities, batch_size=5000)
    InnovationProject.objects.bulk_create(projects, batch_size=5000)
    Achievement.objects.bulk_create(achievements, batch_size=5000)
    MemberDevelopment.objects.bulk_create(developments, batch_size=5000)
    Patent.objects.bulk_create(patents, batch_size=5000)
    Through = Patent.holders.through
    Through.objects.bulk_create(
        [
            Through(patent_id=p.pk, member_id=m)
            for p, m in zip(patents, patent_holders, strict=True)
        ],
        batch_size=5000,
    )
    return len(activities) + len(projects) + len(achievements) + len(developments) + len(patents)
