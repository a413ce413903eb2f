from datetime import date

import factory
from django.core.files.base import ContentFile

from ledgers.models import (
    Achievement,
    AchievementKind,
    Activity,
    ActivityEvidence,
    ActivityKind,
    DevelopmentKind,
    InnovationProject,
    MemberDevelopment,
    Patent,
    PatentKind,
    ProjectStatus,
)
from tests.factories.studios import MemberFactory, StudioFactory


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    studio = factory.SubFactory(StudioFactory)
    held_on = date(2025, 5, 1)
    kind = ActivityKind.TRAINING
    title = factory.Sequence(lambda n: f"技能培训{n}")
    other_participants = 10


PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class ActivityEvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityEvidence

    activity = factory.SubFactory(ActivityFactory)
    file = factory.LazyFunction(lambda: ContentFile(PNG_BYTES, name="photo.png"))
    original_name = "photo.png"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InnovationProject

    studio = factory.SubFactory(StudioFactory)
    title = factory.Sequence(lambda n: f"创新项目{n}")
    started_on = date(2025, 2, 1)
    status = ProjectStatus.APPLIED
    applied_on = date(2025, 6, 1)


class PatentFactory(factory.django.DjangoModelFactory):
    """A granted utility-model patent. ``holders`` defaults to one new member of the studio;
    pass ``holders=[]`` for a patent held by outsiders only."""

    class Meta:
        model = Patent
        skip_postgeneration_save = True

    studio = factory.SubFactory(StudioFactory)
    number = factory.Sequence(lambda n: f"ZL2025{n:07d}.1")
    title = factory.Sequence(lambda n: f"一种装置{n}")
    kind = PatentKind.UTILITY_MODEL
    granted_on = date(2025, 3, 1)
    filed_on = factory.LazyAttribute(
        lambda o: date((o.granted_on or date(2025, 3, 1)).year - 1, 1, 1)
    )
    other_holders = ""

    @factory.post_generation
    def holders(obj, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            obj.holders.set([MemberFactory(studio=obj.studio)])
        else:
            obj.holders.set(extracted)


class AchievementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Achievement

    studio = factory.SubFactory(StudioFactory)
    kind = AchievementKind.METHOD
    title = factory.Sequence(lambda n: f"操作法{n}")
    achieved_on = date(2025, 4, 1)
    applied_on = date(2025, 5, 1)


class DevelopmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberDevelopment

    studio = factory.SubFactory(StudioFactory)
    member = factory.LazyAttribute(lambda o: MemberFactory(studio=o.studio))
    kind = DevelopmentKind.PROMOTION
    happened_on = date(2025, 7, 1)
    description = "晋升为技师"
