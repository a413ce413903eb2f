"""R3 with R16, R17, R24, R25, R32: a decision on a studio's standing recorded by hand takes
effect only when both bodies have signed, as two different people, each holding that body's role
when signing. Until then the studio, the directory and the certificate's verify page are
unchanged."""

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, Role
from audit.models import AuditEvent
from studios import lifecycle
from studios.models import StudioStatus
from tests.factories.accounts import (
    AdminFactory,
    BureauStaffFactory,
    DistrictStaffFactory,
    UnionUserFactory,
)
from tests.factories.studios import EligibleStudioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    return DistrictStaffFactory()


@pytest.fixture
def bureau():
    return BureauStaffFactory()


@pytest.fixture
def studio(district):
    """A studio in cycle 1 with a valid certificate (recognised last year, confirmed this)."""
    studio = EligibleStudioFactory()
    year = timezone.localdate().year
    lifecycle.recognise(studio, district, on=date(year - 1, 1, 10))
    lifecycle.record_next_year_rereview(studio, district, True, on=date(year, 1, 12))
    return studio


def _propose_revocation(user, studio, **kwargs):
    from studios import decisions

    return decisions.propose(
        user,
        studio,
        "revoke",
        on=kwargs.pop("on", timezone.localdate()),
        reason=kwargs.pop("reason", "经审计发现挪用资助资金。"),
        details=kwargs.pop("details", {"reasons": [3]}),
    )


# --- Services -------------------------------------------------------------------------------


def test_r32_a_revocation_proposed_by_one_body_changes_nothing_until_the_other_signs(
    district, bureau, studio
):
    from studios import decisions
    from studios.decision_models import LifecycleDecisionStatus

    union = UnionUserFactory(enterprise=studio.enterprise)
    decision = _propose_revocation(district, studio)
    studio.refresh_from_db()
    assert studio.status == StudioStatus.IN_CYCLE
    assert not studio.revocations.exists()
    assert decision.status == LifecycleDecisionStatus.PENDING
    assert (
        decision.union_signed_by == district and decision.union_signer_role == Role.DISTRICT_UNION
    )
    assert decision.bureau_signed_by is None
    assert (decision.from_status, decision.to_status) == ("in_cycle", "revoked")
    # The bureau is told; the enterprise union hears nothing of a pending decision.
    assert Notification.objects.filter(recipient=bureau, kind="studios.decision_proposed").exists()
    assert not Notification.objects.filter(recipient=union).exists()
    proposed = AuditEvent.objects.get(action="lifecycle_decision.proposed")
    assert proposed.rule == "R32" and proposed.actor == district

    decisions.sign(bureau, decision)
    studio.refresh_from_db()
    decision.refresh_from_db()
    assert studio.status == StudioStatus.REVOKED
    assert studio.revocations.get().reasons == [3]
    assert decision.status == LifecycleDecisionStatus.EFFECTIVE
    assert decision.bureau_signed_by == bureau and decision.bureau_signer_role == Role.BUREAU
    signed = AuditEvent.objects.get(action="lifecycle_decision.signed")
    assert signed.rule == "R32" and signed.actor == bureau
    assert AuditEvent.objects.filter(action="studio.revoke").count() == 1


def test_r25_the_bureau_may_propose_and_the_union_completes(district, bureau, studio):
    from studios import decisions

    lifecycle.begin_cycle_rereview(studio, district, on=date(2025, 1, 5))
    deadline = date(2025, 4, 30)
    decision = decisions.propose(
        bureau,
        studio,
        "order_rectification",
        on=date(2025, 1, 10),
        reason="成果应用不足",
        details={"deadline": deadline},
    )
    assert decision.bureau_signer_role == Role.BUREAU and decision.union_signed_by is None
    assert decision.details["deadline"] == "2025-04-30"
    studio.refresh_from_db()
    assert studio.status == StudioStatus.UNDER_REREVIEW
    decisions.sign(district, decision)
    studio.refresh_from_db()
    assert studio.status == StudioStatus.RECTIFICATION
    assert studio.rectifications.get().deadline == deadline


def test_r32_a_move_the_lifecycle_refuses_is_refused_at_proposal_with_its_rule(district, studio):
    from studios.decision_models import LifecycleDecision

    with pytest.raises(ValidationError) as exc:
        _propose_revocation(district, studio, details={})
    assert exc.value.code == "R32"
    with pytest.raises(ValidationError) as exc:
        from studios import decisions

        decisions.propose(district, studio, "pass_rectification", on=timezone.localdate())
    assert exc.value.code == "R25"
    assert not LifecycleDecision.objects.exists()
    studio.refresh_from_db()
    assert studio.status == StudioStatus.IN_CYCLE
    assert not AuditEvent.objects.filter(action__startswith="lifecycle_decision.").exists()


def test_r3_the_body_that_proposed_cannot_complete_its_own_decision(district, studio):
    from studios import decisions

    decision = _propose_revocation(district, studio)
    for user in (district, DistrictStaffFactory()):
        with pytest.raises(ValidationError) as exc:
            decisions.sign(user, decision)
        assert exc.value.code == "R3"
    studio.refresh_from_db()
    assert studio.status == StudioStatus.IN_CYCLE


def test_r3_the_same_person_cannot_sign_for_both_bodies_even_after_a_role_change(district, studio):
    from studios import decisions
    from studios.decision_models import LifecycleDecisionStatus

    decision = _propose_revocation(district, studio)
    district.role = Role.BUREAU
    district.save()
    with pytest.raises(ValidationError) as exc:
        decisions.sign(district, decision)
    assert exc.value.code == "R3"
    decision.refresh_from_db()
    studio.refresh_from_db()
    assert decision.status == LifecycleDecisionStatus.PENDING and decision.bureau_signed_by is None
    assert studio.status == StudioStatus.IN_CYCLE


def test_r3_the_database_refuses_one_person_on_both_signatures(district, studio):
    decision = _propose_revocation(district, studio)
    decision.bureau_signed_by = district
    decision.bureau_signed_at = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        decision.save()


def test_r3_the_role_held_when_signing_counts_not_the_role_when_the_page_was_loaded(
    district, bureau, studio
):
    """A bureau user demoted in the admin after loading the page signs with a stale object:
    the role is read again at signing."""
    from studios import decisions

    decision = _propose_revocation(district, studio)
    stale = type(bureau).objects.get(pk=bureau.pk)
    type(bureau).objects.filter(pk=bureau.pk).update(role=Role.EXPERT)
    with pytest.raises((ValidationError, PermissionDenied)):
        decisions.sign(stale, decision)
    studio.refresh_from_db()
    assert studio.status == StudioStatus.IN_CYCLE


def test_r3_only_body_staff_propose_and_sign(district, bureau, studio):
    from studios import decisions

    admin = AdminFactory()
    with pytest.raises(ValidationError) as exc:
        _propose_revocation(admin, studio)
    assert exc.value.code == "R3"
    with pytest.raises(PermissionDenied):
        _propose_revocation(UnionUserFactory(enterprise=studio.enterprise), studio)
    decision = _propose_revocation(district, studio)
    with pytest.raises(ValidationError) as exc:
        decisions.sign(admin, decision)
    assert exc.value.code == "R3"


def test_r3_one_pending_decision_per_studio(district, bureau, studio):
    from studios import decisions
    from studios.decision_models import LifecycleDecision

    first = _propose_revocation(district, studio)
    with pytest.raises(ValidationError) as exc:
        _propose_revocation(bureau, studio, details={"reasons": [6]})
    assert exc.value.code == "R3"
    with pytest.raises(IntegrityError), transaction.atomic():
        LifecycleDecision.objects.create(
            studio=studio,
            action="revoke",
            from_status="in_cycle",
            to_status="revoked",
            effective_on=timezone.localdate(),
        )
    decisions.withdraw(district, first)
    assert _propose_revocation(bureau, studio, details={"reasons": [6]}).is_pending


def test_r3_the_proposing_body_withdraws_the_other_body_cannot(district, bureau, studio):
    from studios import decisions
    from studios.decision_models import LifecycleDecisionStatus

    decision = _propose_revocation(district, studio)
    with pytest.raises(PermissionDenied):
        decisions.withdraw(bureau, decision)
    decisions.withdraw(DistrictStaffFactory(), decision, "理由不足")
    decision.refresh_from_db()
    assert decision.status == LifecycleDecisionStatus.WITHDRAWN
    event = AuditEvent.objects.get(action="lifecycle_decision.withdrawn")
    assert event.rule == "R32" and event.reason == "理由不足"
    with pytest.raises(ValidationError) as exc:
        decisions.sign(bureau, decision)
    assert exc.value.code == "R3"
    studio.refresh_from_db()
    assert studio.status == StudioStatus.IN_CYCLE


def test_r3_a_refusal_at_the_second_signature_rolls_the_signature_back(district, bureau, studio):
    """The studio moved since the proposal (revoked by a review-round path meanwhile is not
    possible here, so we change the status underneath): the lifecycle refuses and the bureau's
    signature does not stay."""
    from studios import decisions
    from studios.decision_models import LifecycleDecisionStatus
    from studios.models import Studio

    lifecycle.begin_cycle_rereview(studio, district, on=date(2025, 1, 5))
    decision = decisions.propose(
        district, studio, "pass_cycle_rereview", on=date(2025, 1, 10), reason="通过"
    )
    Studio.objects.filter(pk=studio.pk).update(status=StudioStatus.IN_CYCLE)
    with pytest.raises(ValidationError) as exc:
        decisions.sign(bureau, decision)
    assert exc.value.code == "R25"
    decision.refresh_from_db()
    assert decision.status == LifecycleDecisionStatus.PENDING and decision.bureau_signed_by is None
    assert not AuditEvent.objects.filter(action="lifecycle_decision.signed").exists()


def test_r3_a_pending_decision_lapses_when_the_studio_moves_by_other_means(
    district, bureau, studio
):
    from studios import decisions
    from studios.decision_models import LifecycleDecisionStatus

    lifecycle.begin_cycle_rereview(studio, district, on=date(2025, 1, 5))
    decision = decisions.propose(district, studio, "delist", on=date(2025, 1, 10), reason="x")
    # A review round's decision (both bodies signed there) passes the re-review meanwhile.
    lifecycle.record_cycle_rereview(studio, bureau, "pass", on=date(2025, 1, 12))
    decision.refresh_from_db()
    assert decision.status == LifecycleDecisionStatus.SUPERSEDED
    assert AuditEvent.objects.filter(action="lifecycle_decision.superseded").exists()
    with pytest.raises(ValidationError) as exc:
        decisions.sign(bureau, decision)
    assert exc.value.code == "R3"


# --- Pages ----------------------------------------------------------------------------------


def _verify_text(client, studio):
    """The verdict of the public verify page for the studio's current certificate."""
    certificate = studio.certificates.filter(superseded_by__isnull=True).order_by("-pk").first()
    body = client.get(
        reverse("studios:verify_certificate", args=[certificate.code]),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    return re.search(r'id="validity">(.*?)</div>', body, re.S).group(1)


REVOKE_POST = {"action": "revoke", "on": "", "reasons": ["3"], "reason": "挪用资助资金"}


def test_r32_the_manual_revocation_post_leaves_the_studio_and_its_certificate_unchanged(
    district, studio, client_for, client
):
    url = reverse("studios:lifecycle_action", args=[studio.pk])
    data = {**REVOKE_POST, "on": timezone.localdate().isoformat()}
    staff = client_for(district)
    staff.post(url, data)
    staff.post(url, {**data, "confirm": "1"})
    studio.refresh_from_db()
    assert studio.status == StudioStatus.IN_CYCLE
    assert not studio.revocations.exists()
    body = _verify_text(client, studio)
    assert "有效" in body and "已撤销" not in body
    assert studio.name in client.get(reverse("studios:directory")).content.decode()


def test_r32_revocation_through_the_pages_confirm_then_the_bureau_signs(
    district, bureau, studio, client_for, client
):
    from studios.decision_models import LifecycleDecision

    url = reverse("studios:lifecycle_action", args=[studio.pk])
    data = {**REVOKE_POST, "on": timezone.localdate().isoformat()}
    staff = client_for(district)
    confirm = staff.post(url, data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = confirm.content.decode()
    # The confirmation shows what will change, and nothing is recorded yet.
    assert confirm.status_code == 200 and 'name="confirm"' in page
    assert "已撤销" in page and "挪用资助资金" in page and "（三）违规使用资金" in page
    assert not LifecycleDecision.objects.exists()
    done = staff.post(url, {**data, "confirm": "1"})
    assert done.status_code == 302
    decision = LifecycleDecision.objects.get()

    sign_url = reverse("studios:lifecycle_decision_sign", args=[decision.pk])
    detail = client_for(bureau).get(reverse("studios:studio_detail", args=[studio.pk]))
    assert sign_url in detail.content.decode()
    review = client_for(bureau).get(sign_url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "已撤销" in review and district.username in review
    assert "已撤销" not in _verify_text(client, studio)
    client_for(bureau).post(sign_url)
    studio.refresh_from_db()
    assert studio.status == StudioStatus.REVOKED
    assert "已撤销" in _verify_text(client, studio)


def test_r3_the_union_sees_nothing_of_a_pending_decision(district, studio, client_for):
    union = UnionUserFactory(enterprise=studio.enterprise)
    decision = _propose_revocation(district, studio, reason="内部审议意见")
    page = client_for(union).get(reverse("studios:studio_detail", args=[studio.pk]))
    body = page.content.decode()
    assert "内部审议意见" not in body and "pending-decision" not in body
    assert reverse("studios:lifecycle_decision_sign", args=[decision.pk]) not in body
    assert client_for(union).get(
        reverse("studios:lifecycle_decision_sign", args=[decision.pk])
    ).status_code in (403, 404)


def test_r3_the_proposing_body_sees_no_sign_button_only_withdraw(district, studio, client_for):
    decision = _propose_revocation(district, studio)
    page = (
        client_for(district)
        .get(reverse("studios:lifecycle_decision_sign", args=[decision.pk]))
        .content.decode()
    )
    assert 'id="sign-form"' not in page
    assert reverse("studios:lifecycle_decision_withdraw", args=[decision.pk]) in page
    refused = client_for(district).post(
        reverse("studios:lifecycle_decision_sign", args=[decision.pk]), follow=True
    )
    assert "第三条" in refused.content.decode() or "Article 3" in refused.content.decode()


def test_r24_starting_the_cycle_rereview_stays_one_step(district, studio, client_for):
    """Procedural: it opens the re-review both bodies then decide, and the studio keeps its
    title, directory entry and certificate."""
    url = reverse("studios:lifecycle_action", args=[studio.pk])
    client_for(district).post(
        url, {"action": "start_cycle_rereview", "on": "2025-01-05", "reason": "到期复审"}
    )
    studio.refresh_from_db()
    assert studio.status == StudioStatus.UNDER_REREVIEW


def test_studio_page_with_a_pending_decision_runs_a_bounded_number_of_queries(
    district, bureau, studio, client_for, django_assert_max_num_queries
):
    client = client_for(bureau)
    url = reverse("studios:studio_detail", args=[studio.pk])
    client.get(url)
    with django_assert_max_num_queries(60) as before:
        client.get(url)
    _propose_revocation(district, studio)
    with django_assert_max_num_queries(len(before.captured_queries) + 2):
        response = client.get(url)
    assert "pending-decision" in response.content.decode()
    sign_url = reverse(
        "studios:lifecycle_decision_sign", args=[studio.lifecycle_decisions.get().pk]
    )
    with django_assert_max_num_queries(25):
        assert client.get(sign_url).status_code == 200
