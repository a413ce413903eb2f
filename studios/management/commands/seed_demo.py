"""A believable demo district: enterprises, studios of every type and eligibility situation,
and one login per role. ``--studios N`` scales up for benchmarks with bulk inserts.

Idempotent: run on a database that already has the demo, it only prints the logins again.
Other apps extend the demo by adding functions to ``DEMO_EXTENSIONS`` (see docs/architecture.md).
"""

import random
import time
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from studios.industries import ensure_default_industries
from studios.models import (
    Enterprise,
    HonourKind,
    Industry,
    Leader,
    LeaderHonour,
    Member,
    Studio,
    StudioType,
    TalentKind,
)
from studios.validators import USCC_ALPHABET, uscc_check_char

DEMO_PASSWORD = "Demo-2026!"

#: Functions ``(stdout, rng) -> None`` other apps register to add their own demo rows after the
#: studios exist. Each must be idempotent.
DEMO_EXTENSIONS: list = []

PREFIXES = [
    "京东方",
    "北汽",
    "亦庄",
    "博大",
    "中芯",
    "同仁堂",
    "奔驰",
    "泰德",
    "康辰",
    "华润",
    "经开",
    "凯因",
    "星网",
    "耐世特",
    "长鑫",
    "小米",
    "理想",
    "航天",
    "通用",
    "拜耳",
    "诺诚",
    "国望",
    "中关村",
    "益海",
    "燕京",
    "科兴",
    "北方华创",
    "天坛",
    "红星",
    "北京",
]
SUFFIXES = [
    "科技有限公司",
    "汽车有限公司",
    "生物医药股份有限公司",
    "精密制造有限公司",
    "光电技术有限公司",
    "智能装备有限公司",
    "集成电路有限公司",
    "新材料有限公司",
]
FOCUS = [
    "焊接",
    "数控",
    "电气",
    "装配",
    "检测",
    "工艺",
    "质量",
    "模具",
    "自动化",
    "算法",
    "维修",
    "物流",
    "客户服务",
    "发酵",
    "制剂",
    "封装",
    "测试",
    "调度",
    "涂装",
    "能源",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌宇浩凯鹏飞"

LOGINS = [
    # username, role, display name, note
    (
        "union",
        Role.ENTERPRISE_UNION,
        "企业工会 · 演示",
        "enterprise union of the first demo enterprise",
    ),
    ("district", Role.DISTRICT_UNION, "区总工会 · 演示", "district union staff"),
    ("bureau", Role.BUREAU, "科技创新局 · 演示", "S&T bureau staff"),
    ("expert", Role.EXPERT, "评审专家 · 演示", "expert"),
    ("finance", Role.FINANCE, "财务 · 演示", "finance (records payments)"),
    ("finance2", Role.FINANCE, "财务复核 · 演示", "second finance user (approves payments)"),
    ("auditor", Role.AUDITOR, "审计 · 演示", "auditor (read-only)"),
    ("admin", Role.ADMIN, "系统管理员", "superuser"),
]


def make_uscc(rng: random.Random) -> str:
    body = "91" + "110302" + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    return body + uscc_check_char(body)


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# The eligibility situations the demo shows, by how each studio is built.
SITUATIONS = ["eligible"] * 6 + [
    "small_team",
    "small_space",
    "too_young",
    "no_frontline",
    "no_documents",
    "unqualified_leader",
]


class Command(BaseCommand):
    help = "Build a demo district and print one login per role."

    def add_arguments(self, parser):
        parser.add_argument("--studios", type=int, default=60)
        parser.add_argument("--enterprises", type=int, default=None)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, studios, enterprises, seed, **options):
        started = time.monotonic()
        rng = random.Random(seed)
        if Studio.objects.exists():
            self.stdout.write("Demo data already present; not adding more.")
        else:
            n_enterprises = enterprises or max(1, studios // 2)
            with transaction.atomic():
                ents = self.create_enterprises(rng, n_enterprises)
                self.create_studios(rng, ents, studios)
                self.create_users(ents[0])
            self.stdout.write(
                f"Created {len(ents)} enterprises and {studios} studios "
                f"in {time.monotonic() - started:.1f} s."
            )
        for extend in DEMO_EXTENSIONS:
            extend(self.stdout, rng)
        self.print_logins()

    def create_enterprises(self, rng, count):
        ensure_default_industries(Industry)
        industries = list(Industry.objects.order_by("pk"))
        supported = [i for i in industries if i.supported]
        unsupported = [i for i in industries if not i.supported] or supported
        rows, seen = [], set()
        for index in range(count):
            suffix = SUFFIXES[(index // len(PREFIXES) + index) % len(SUFFIXES)]
            name = f"{PREFIXES[index % len(PREFIXES)]}{suffix}"
            if index >= len(PREFIXES):
                name = f"{name}（{index // len(PREFIXES) + 1}）"
            code = make_uscc(rng)
            while code in seen:
                code = make_uscc(rng)
            seen.add(code)
            rows.append(
                Enterprise(
                    name=name,
                    credit_code=code,
                    address=f"北京经济技术开发区科创{rng.randint(1, 14)}街{rng.randint(1, 99)}号",
                    industry=unsupported[0]
                    if index % 29 == 28
                    else supported[index % len(supported)],
                    registered_in_district=index % 23 != 22,
                    pays_tax_in_district=True,
                    has_union=index % 31 != 30,
                    union_affiliated_with_district=index % 4 != 3,
                    contact_name=person_name(rng),
                    contact_phone=f"010-6788{rng.randint(1000, 9999)}",
                )
            )
        Enterprise.objects.bulk_create(rows, batch_size=1000)
        return list(Enterprise.objects.order_by("pk"))

    def create_studios(self, rng, enterprises, count):
        today = timezone.localdate()
        storage_doc = ContentFile(MINIMAL_PDF, name="demo-rules.pdf")
        doc_name = Studio._meta.get_field("management_rules").generate_filename(
            Studio(), "demo-rules.pdf"
        )
        doc_name = Studio._meta.get_field("management_rules").storage.save(doc_name, storage_doc)
        studios, situations = [], []
        for index in range(count):
            situation = SITUATIONS[index % len(SITUATIONS)]
            kind = [StudioType.TECHNICAL, StudioType.SKILLS, StudioType.SERVICE][index % 3]
            enterprise = enterprises[index % len(enterprises)]
            founded = today - timedelta(days=rng.randint(400, 3000))
            if situation == "too_young":
                founded = today - timedelta(days=rng.randint(60, 300))
            docs = "" if situation == "no_documents" else doc_name
            studios.append(
                Studio(
                    enterprise=enterprise,
                    name=f"{person_name(rng)}{FOCUS[index % len(FOCUS)]}创新工作室"
                    + (f"-{index}" if count > 200 else ""),
                    type=kind,
                    founded_on=founded,
                    area_m2=Decimal("19.5")
                    if situation == "small_space"
                    else Decimal(rng.randint(25, 300)),
                    address=enterprise.address,
                    equipment="数控加工中心、三坐标测量仪、实训工位若干",
                    working_funds_cny=Decimal(rng.randint(5, 50) * 10000),
                    introduction="围绕生产经营中的重点难点问题开展技术攻关、技能传授和成果转化。",
                    management_rules=docs,
                    work_rules=docs,
                    plan_and_goals=docs,
                )
            )
            situations.append(situation)
        Studio.objects.bulk_create(studios, batch_size=1000)
        studios = list(Studio.objects.order_by("pk"))
        leaders, members = [], []
        for studio, situation in zip(studios, situations, strict=True):
            qualified = situation != "unqualified_leader"
            leaders.append(
                Leader(
                    studio=studio,
                    name=person_name(rng),
                    position=rng.choice(["首席技师", "高级工程师", "技术总监", "班组长"]),
                    is_model_worker=qualified and rng.random() < 0.4,
                    is_high_skill_talent=qualified,
                    since=studio.founded_on,
                    expertise="长期从事一线技术攻关，带徒数十人。",
                )
            )
            team = 9 if situation == "small_team" else rng.randint(10, 16)
            for position in range(team):
                members.append(
                    Member(
                        studio=studio,
                        name=person_name(rng),
                        position=rng.choice(["技师", "工程师", "操作工", "质检员", "班组长"]),
                        talent_kind=rng.choice(
                            [TalentKind.TECHNICAL, TalentKind.SKILL, TalentKind.SKILL]
                        ),
                        skill_level=rng.choice(["高级技师", "技师", "高级工", "工程师"]),
                        is_frontline=situation != "no_frontline" and position % 3 == 0,
                        joined_on=studio.founded_on + timedelta(days=rng.randint(0, 60)),
                    )
                )
        Leader.objects.bulk_create(leaders, batch_size=2000)
        Member.objects.bulk_create(members, batch_size=5000)
        honours = []
        kinds = [
            HonourKind.BEIJING_MODEL_WORKER,
            HonourKind.BEIJING_GRAND_CRAFTSMAN,
            HonourKind.GRAND_CRAFTSMAN_NOMINATION,
            HonourKind.YICHENG_TALENT,
            HonourKind.YICHENG_CRAFTSMAN,
        ]
        for leader in Leader.objects.all().iterator(chunk_size=2000):
            for kind in rng.sample(kinds, rng.choice((0, 0, 1, 2, 3))):
                honours.append(
                    LeaderHonour(
                        leader=leader,
                        kind=kind,
                        awarded_on=date(rng.randint(2015, today.year - 1), 5, 1),
                    )
                )
        LeaderHonour.objects.bulk_create(honours, batch_size=5000)

    def create_users(self, first_enterprise):
        password = make_password(DEMO_PASSWORD)
        for username, role, display, _note in LOGINS:
            User.objects.update_or_create(
                username=username,
                defaults={
                    "role": role,
                    "display_name": display,
                    "email": f"{username}@demo.etown.example.cn",
                    "enterprise": first_enterprise if role == Role.ENTERPRISE_UNION else None,
                    "is_superuser": role == Role.ADMIN,
                    "is_staff": role == Role.ADMIN,
                    "password": password,
                    "must_change_password": False,  # the printed demo logins work as printed
                },
            )

    def print_logins(self):
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        for username, role, _display, note in LOGINS:
            self.stdout.write(f"  {username:<10} {str(role.label):<24} {note}")
        self.stdout.write("")
