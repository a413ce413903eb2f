import random
from datetime import date, timedelta
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from studios.models import (
    Enterprise,
    Industry,
    Leader,
    LeaderHonour,
    Member,
    Studio,
    StudioType,
    TalentKind,
)
from studios.validators import USCC_ALPHABET, uscc_check_char

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def valid_uscc(n: int) -> str:
    rng = random.Random(n)
    body = "91110302" + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    return body + uscc_check_char(body)


def pdf_file(name="doc.pdf"):
    return ContentFile(PDF_BYTES, name=name)


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ("name",)

    name = "机器人和智能制造"
    supported = True


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    credit_code = factory.Sequence(valid_uscc)
    industry = factory.SubFactory(IndustryFactory)
    registered_in_district = True
    pays_tax_in_district = True
    has_union = True
    union_affiliated_with_district = True


class StudioFactory(factory.django.DjangoModelFactory):
    """A studio with no leader or members: use ``EligibleStudioFactory`` for a complete one."""

    class Meta:
        model = Studio
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"测试创新工作室{n}")
    type = StudioType.TECHNICAL
    founded_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=800))
    area_m2 = Decimal("50.0")
    equipment = "数控机床"
    working_funds_cny = Decimal("100000.00")
    management_rules = factory.LazyFunction(lambda: pdf_file("management.pdf"))
    work_rules = factory.LazyFunction(lambda: pdf_file("work.pdf"))
    plan_and_goals = factory.LazyFunction(lambda: pdf_file("plan.pdf"))


class LeaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leader

    studio = factory.SubFactory(StudioFactory)
    name = factory.Sequence(lambda n: f"领军人{n}")
    is_high_skill_talent = True
    since = date(2020, 1, 1)


class HonourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeaderHonour

    leader = factory.SubFactory(LeaderFactory)
    kind = "beijing_model_worker"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    studio = factory.SubFactory(StudioFactory)
    name = factory.Sequence(lambda n: f"成员{n}")
    talent_kind = TalentKind.SKILL
    is_frontline = False
    joined_on = date(2020, 1, 1)


class EligibleStudioFactory(StudioFactory):
    """Meets every rule of R4–R9: a qualified leader and a team of exactly the minimum size
    with one frontline employee."""

    @factory.post_generation
    def team(obj, create, extracted, **kwargs):
        if not create:
            return
        from core import policy

        LeaderFactory(studio=obj)
        size = policy.R8_MIN_TEAM_SIZE if extracted is None else extracted
        for index in range(size):
            MemberFactory(studio=obj, is_frontline=index == 0)


class CertificateFactory(factory.django.DjangoModelFactory):
    """A certificate row as issued, with a stand-in PDF (rendering is tested on its own)."""

    class Meta:
        model = "studios.Certificate"

    studio = factory.SubFactory(EligibleStudioFactory)
    kind = "recognition"
    serial_year = 2025
    serial = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda c: f"京开工创〔{c.serial_year}〕第{c.serial:04d}号")
    code = factory.Sequence(lambda n: f"TESTCODE{n:08d}")
    issued_on = date(2025, 6, 20)
    valid_until = date(2030, 6, 19)
    studio_name = factory.LazyAttribute(lambda c: c.studio.name)
    enterprise_name = factory.LazyAttribute(lambda c: c.studio.enterprise.name)
    studio_type = "technical"
    recognised_on = date(2025, 6, 20)
    pdf = factory.LazyFunction(lambda: pdf_file("certificate.pdf"))
