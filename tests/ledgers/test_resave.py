"""R22: a ledger entry opened and saved again without a change keeps everything it held — its
fields, the members named on it and its evidence. Posted the way a browser posts the edit page
(``tests.browser_post``); the same pattern lost saved rows in the application wizard (issue 13)."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from audit.models import AuditEvent
from tests.browser_post import browser_post
from tests.factories.accounts import UnionUserFactory
from tests.factories.ledgers import (
    ActivityEvidenceFactory,
    ActivityFactory,
    PatentFactory,
    ProjectFactory,
)
from tests.factories.studios import EligibleStudioFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def union():
    return UnionUserFactory()


@pytest.fixture
def studio(union):
    return EligibleStudioFactory(enterprise=union.enterprise)


def state(entry, *relations):
    entry.refresh_from_db()
    data = model_to_dict(entry)
    for name in relations:
        data[name] = sorted(getattr(entry, name).values_list("pk", flat=True))
    return data


def edit(client, studio, slug, entry, changes=None, drop=()):
    url = reverse("ledgers:entry_edit", args=[studio.pk, slug, entry.pk])
    return browser_post(client, url, "title", changes, drop=drop)


def test_r22_resaving_an_activity_unchanged_keeps_its_participants_and_evidence(
    union, studio, client_for
):
    activity = ActivityFactory(studio=studio, description="车间现场教学")
    activity.participants.set(list(studio.members.all()[:3]))
    ActivityEvidenceFactory(activity=activity)
    before = state(activity, "participants", "evidence")
    events = AuditEvent.objects.count()
    response = edit(client_for(union), studio, "activities", activity)
    assert response.status_code == 302
    assert state(activity, "participants", "evidence") == before
    assert len(before["participants"]) == 3
    assert AuditEvent.objects.count() == events  # nothing changed, nothing to record


def test_r22_resaving_a_patent_unchanged_keeps_its_holders(union, studio, client_for):
    patent = PatentFactory(studio=studio, holders=list(studio.members.all()[:2]))
    before = state(patent, "holders")
    response = edit(client_for(union), studio, "patents", patent)
    assert response.status_code == 302
    assert state(patent, "holders") == before and len(before["holders"]) == 2


def test_r22_one_holder_added_keeps_the_others(union, studio, client_for):
    first, second = studio.members.all()[:2]
    patent = PatentFactory(studio=studio, holders=[first])
    third = MemberFactory(studio=studio)
    edit(client_for(union), studio, "patents", patent, {"holders": [first.pk, second.pk, third.pk]})
    assert state(patent, "holders")["holders"] == sorted([first.pk, second.pk, third.pk])


def test_r22_resaving_a_project_unchanged_keeps_every_field(union, studio, client_for):
    project = ProjectFactory(studio=studio)
    before = state(project)
    response = edit(client_for(union), studio, "projects", project)
    assert response.status_code == 302
    assert state(project) == before
