"""Factories for review rounds (issue #4). Application rows are made here directly, accepted and
with a snapshot, so these tests do not depend on the application services' details."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from reviews.bonus import default_bonus_values
from reviews.models import Application, ApplicationStatus, Call
from reviews.round_models import (
    Assignment,
    Criterion,
    ExpertProfile,
    ReviewRound,
    RoundEntry,
    RoundKind,
    RoundStatus,
)
from tests.factories.accounts import ExpertUserFactory
from tests.factories.studios import EligibleStudioFactory


def snapshot_of(studio, honours=()) -> dict:
    return {
        "version": 1,
        "number": None,
        "studio": {
            "id": studio.pk,
            "name": studio.name,
            "enterprise": studio.enterprise.name,
            "enterprise_id": studio.enterprise_id,
            "type_label": str(studio.get_type_display()),
        },
        "leader": {
            "name": "领军人",
            "honours": [
                {"kind": k, "kind_label": k, "title": "", "awarded_on": None} for k in honours
            ],
        },
        "members": [],
        "projects": [],
        "results": [],
        "materials": [],
    }


class RoundCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    year = factory.Sequence(lambda n: 2300 + n)
    title = factory.LazyAttribute(lambda c: f"{c.year}年度职工创新工作室评选")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=40))
    closes_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=41))


class AcceptedApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(RoundCallFactory)
    studio = factory.SubFactory(EligibleStudioFactory)
    status = ApplicationStatus.ACCEPTED
    number = factory.Sequence(lambda n: f"T-SQ-{n:05d}")
    snapshot = factory.LazyAttribute(lambda a: snapshot_of(a.studio))


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertProfile

    user = factory.SubFactory(ExpertUserFactory)
    field = "智能制造"
    employer_name = factory.Sequence(lambda n: f"某高校{n}")


class ReviewRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewRound
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"评审轮次{n}")
    kind = RoundKind.INITIAL
    status = RoundStatus.DRAFT
    scoring_deadline = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))
    bonus_values = factory.LazyFunction(default_bonus_values)
    bonus_cap = Decimal("10")

    @factory.post_generation
    def criteria(obj, create, extracted, **kwargs):
        if not create:
            return
        rows = extracted or [
            ("基本情况及运行", 25),
            ("创新成果", 30),
            ("人才培养", 20),
            ("效益", 25),
        ]
        for i, (name, max_points) in enumerate(rows, start=1):
            Criterion.objects.create(
                round=obj, order=i, name_zh=name, name_en=name, max_points=Decimal(max_points)
            )


class RoundEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoundEntry

    round = factory.SubFactory(ReviewRoundFactory)
    studio = factory.SubFactory(EligibleStudioFactory)
    snapshot = factory.LazyAttribute(lambda e: snapshot_of(e.studio))


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    entry = factory.SubFactory(RoundEntryFactory)
    expert = factory.SubFactory(ExpertUserFactory)
