"""R20 for experts: an expert reads the applications a round assigned to them, with their
materials, and loses that access when they declare a conflict or were never assigned."""

import pytest
from django.urls import reverse

from reviews import round_services as rs
from tests.factories.accounts import ExpertUserFactory
from tests.factories.reviews import ApplicationFactory, MaterialFactory
from tests.factories.rounds import AssignmentFactory, ReviewRoundFactory, RoundEntryFactory

pytestmark = pytest.mark.django_db


def material_url(material):
    return reverse(
        "reviews:material_download",
        kwargs={"pk": material.application_id, "material_pk": material.pk},
    )


def test_assigned_expert_downloads_materials_until_declaring_a_conflict(client_for):
    application = ApplicationFactory()
    material = MaterialFactory(application=application)
    entry = RoundEntryFactory(
        round=ReviewRoundFactory(), studio=application.studio, application=application
    )
    assignment = AssignmentFactory(entry=entry)
    expert = client_for(assignment.expert)
    assert expert.get(material_url(material)).status_code == 200
    rs.declare_conflict(assignment.expert, assignment, "曾在该企业任职")
    assert expert.get(material_url(material)).status_code == 404


def test_unassigned_expert_gets_404_for_materials(client_for):
    material = MaterialFactory(application=ApplicationFactory())
    assert client_for(ExpertUserFactory()).get(material_url(material)).status_code == 404
