"""R3: a review decision's two sign-offs come from two different people, each holding that
body's role at the moment of signing (a role changed in the admin between the two does not let
one person sign for both bodies)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role
from reviews import handover
from reviews import round_services as services
from reviews.round_models import Decision, DecisionOutcome, DecisionState, RoundStatus
from tests.factories.accounts import BureauStaffFactory, DistrictStaffFactory
from tests.factories.rounds import RoundEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def handed_over(monkeypatch):
    calls = []
    monkeypatch.setattr(handover, "recognise_studio", lambda *a, **kw: calls.append(a))
    return calls


def _decision(actor):
    entry = RoundEntryFactory(round__status=RoundStatus.CLOSED)
    return services.record_decision(actor, entry, {"outcome": DecisionOutcome.RECOGNISE})


def test_r3_one_person_cannot_sign_for_both_bodies_after_a_role_change(handed_over):
    person = DistrictStaffFactory()
    decision = _decision(person)
    services.sign_off(person, decision, "union")
    person.role = Role.BUREAU  # an administrator moves them to the bureau
    person.save()
    with pytest.raises(ValidationError) as exc:
        services.sign_off(person, decision, "bureau")
    assert exc.value.code == "R3"
    decision.refresh_from_db()
    assert decision.state == DecisionState.PENDING and decision.bureau_signed_by is None
    assert handed_over == []


def test_r3_the_role_is_read_at_signing_and_recorded_on_the_signature(handed_over):
    union, bureau = DistrictStaffFactory(), BureauStaffFactory()
    decision = _decision(union)
    stale = type(bureau).objects.get(pk=bureau.pk)
    type(bureau).objects.filter(pk=bureau.pk).update(role=Role.EXPERT)
    services.sign_off(union, decision, "union")
    with pytest.raises(PermissionDenied):
        services.sign_off(stale, decision, "bureau")  # the object still says "bureau"
    type(bureau).objects.filter(pk=bureau.pk).update(role=Role.BUREAU)
    services.sign_off(bureau, decision, "bureau")
    decision.refresh_from_db()
    assert decision.union_signer_role == Role.DISTRICT_UNION
    assert decision.bureau_signer_role == Role.BUREAU
    assert decision.state == DecisionState.EFFECTIVE and len(handed_over) == 1


def test_r3_a_body_signs_once_and_the_code_says_so(handed_over):
    union = DistrictStaffFactory()
    decision = _decision(union)
    services.sign_off(union, decision, "union")
    with pytest.raises(ValidationError) as exc:
        services.sign_off(DistrictStaffFactory(), decision, "union")
    assert exc.value.code == "R3"


def test_r3_the_database_refuses_one_person_on_both_sign_offs():
    person = DistrictStaffFactory()
    decision = _decision(person)
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(
            union_signed_by=person,
            union_signed_at=now,
            bureau_signed_by=person,
            bureau_signed_at=now,
        )


def test_r3_decision_page_shows_the_role_each_signer_held_and_asks_before_signing(client):
    union, bureau = DistrictStaffFactory(), BureauStaffFactory()
    decision = _decision(union)
    services.sign_off(union, decision, "union")
    entry = decision.entry
    client.force_login(bureau)
    page = client.get(reverse("reviews:decision", args=[entry.round.pk, entry.pk]))
    html = page.content.decode()
    with translation.override("zh-hans"):
        role = str(Role.DISTRICT_UNION.label)
    assert f"{union} ({role})" in html
    # The bureau's signature would make it effective: the button asks first.
    assert 'data-confirm="确认签署本评审结论' in html
