"""The application's life: submission guards (R4–R9, R16–R18, registered guards), numbering,
the frozen snapshot, withdrawal, and the formal check."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Notification
from audit.models import AuditEvent
from reviews import services
from reviews.models import ApplicationStatus, MaterialKind
from reviews.services import Action, SubmissionRefused, transition
from studios.eligibility import _finding
from studios.hooks import APPLICATION_GUARDS
from studios.models import StudioStatus
from tests.factories.accounts import DistrictStaffFactory, UnionUserFactory
from tests.factories.reviews import ApplicationFactory, CallFactory, MaterialFactory
from tests.factories.studios import EligibleStudioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def union():
    return UnionUserFactory()


@pytest.fixture
def staff():
    return DistrictStaffFactory()


def ready_application(union, call=None, **studio_kwargs):
    """A draft of an eligible studio with the call's required material uploaded."""
    studio = EligibleStudioFactory(enterprise=union.enterprise, **studio_kwargs)
    application = ApplicationFactory(studio=studio, call=call or CallFactory())
    MaterialFactory(application=application)
    return application


def test_r16_submission_numbers_the_application_and_notifies_staff(union, staff):
    application = ready_application(union)
    transition(union, application, Action.SUBMIT)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.number == f"{application.call.year}-SQ-0001"
    assert Notification.objects.filter(recipient=staff, kind="reviews.application_submitted")
    assert AuditEvent.objects.filter(action="application.submit", rule="R16").exists()


def test_numbers_are_sequential_per_call(union):
    call = CallFactory()
    first, second = ready_application(union, call), ready_application(union, call)
    transition(union, second, Action.SUBMIT)
    transition(union, first, Action.SUBMIT)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.number, first.number) == (f"{call.year}-SQ-0001", f"{call.year}-SQ-0002")


def test_r16_submission_after_the_close_is_refused_and_nothing_changes(union):
    call = CallFactory(
        opens_at=timezone.now() - timedelta(days=30), closes_at=timezone.now() - timedelta(hours=1)
    )
    application = ready_application(union, call)
    with pytest.raises(ValidationError, match="Article 16|第十六条") as refused:
        transition(union, application, Action.SUBMIT)
    assert refused.value.code == "R16"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT and application.number is None


def test_r8_ineligible_studio_cannot_submit_and_the_refusal_names_the_rule(union):
    application = ready_application(union, team=3)
    with pytest.raises(SubmissionRefused) as refused:
        transition(union, application, Action.SUBMIT)
    assert [f.rule for f in refused.value.findings] == ["R8"]
    assert refused.value.code == "R8"
    assert "10" in refused.value.findings[0].message_en
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_r16_r17_a_recognised_studio_cannot_apply(union):
    application = ready_application(union)
    application.studio.status = StudioStatus.RECOGNISED
    application.studio.save()
    with pytest.raises(SubmissionRefused) as refused:
        transition(union, application, Action.SUBMIT)
    assert [f.rule for f in refused.value.findings] == ["R16"]
    assert refused.value.code == "R16"


def test_r16_a_recognised_studio_cannot_even_start_an_application(union):
    CallFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise, status=StudioStatus.RECOGNISED)
    with pytest.raises(ValidationError, match="第十六条|Article 16") as refused:
        services.start_application(union, studio)
    assert refused.value.code == "R16"


def test_a_registered_guard_refuses_submission_with_its_rule(union):
    """The mechanism funding uses for the R29 bar."""

    def barred(studio, on):
        return [_finding("R29", False, "Article 29: barred from re-applying.")]

    APPLICATION_GUARDS.append(barred)
    try:
        application = ready_application(union)
        with pytest.raises(SubmissionRefused) as refused:
            transition(union, application, Action.SUBMIT)
    finally:
        APPLICATION_GUARDS.remove(barred)
    assert [f.rule for f in refused.value.findings] == ["R29"]
    assert refused.value.code == "R29"


def test_reviews_registers_its_guards():
    assert services.eligibility_guard in APPLICATION_GUARDS
    assert services.already_recognised_guard in APPLICATION_GUARDS


def test_r18_a_missing_required_material_is_refused(union):
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    call = CallFactory(required=[MaterialKind.APPLICATION_FORM, MaterialKind.PROJECT_FORM])
    application = ApplicationFactory(studio=studio, call=call)
    MaterialFactory(application=application)
    with pytest.raises(SubmissionRefused) as refused:
        transition(union, application, Action.SUBMIT)
    assert [f.rule for f in refused.value.findings] == ["R18"]
    assert refused.value.code == "R18"


def test_snapshot_is_frozen_so_later_studio_edits_do_not_change_it(union):
    application = ready_application(union)
    application.projects.create(name="焊缝检测", applied_in_unit=True)
    transition(union, application, Action.SUBMIT)
    studio = application.studio
    studio.name = "改名后的工作室"
    studio.area_m2 = 99
    studio.save()
    application.refresh_from_db()
    snap = application.snapshot
    assert snap["studio"]["name"] != "改名后的工作室" and snap["studio"]["area_m2"] == "50.00"
    assert snap["number"] == application.number
    assert [p["name"] for p in snap["projects"]] == ["焊缝检测"]
    assert len(snap["members"]) == 10 and snap["leader"]["name"]
    assert [m["kind"] for m in snap["materials"]] == ["application_form"]
    assert all(f["ok"] for f in snap["eligibility"])
    assert snap["studio"]["type_label"] == "技术攻关型"  # labels frozen in Chinese, whoever submits


def test_withdraw_then_resubmit_before_the_close_keeps_the_number(union):
    application = ready_application(union)
    transition(union, application, Action.SUBMIT)
    number = type(application).objects.get(pk=application.pk).number
    transition(union, application, Action.WITHDRAW)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN and application.is_editable
    transition(union, application, Action.SUBMIT)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.number == number


def test_an_action_not_in_the_table_is_refused_and_changes_nothing(union, staff):
    application = ready_application(union)
    with pytest.raises(ValidationError) as refused:
        transition(staff, application, Action.ACCEPT)
    assert refused.value.code == "R17"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_union_cannot_decide_and_staff_cannot_submit(union, staff):
    application = ready_application(union)
    with pytest.raises(PermissionDenied):
        transition(staff, application, Action.SUBMIT)
    transition(union, application, Action.SUBMIT)
    with pytest.raises(PermissionDenied):
        transition(union, application, Action.ACCEPT)


def test_return_needs_a_comment_and_a_deadline(union, staff):
    application = ready_application(union)
    transition(union, application, Action.SUBMIT)
    with pytest.raises(ValidationError) as refused:
        transition(staff, application, Action.RETURN)
    assert refused.value.code == "R18"
    assert set(refused.value.error_dict) == {"comment", "resubmit_by"}
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_returned_application_is_editable_resubmitted_by_its_deadline_then_accepted(union, staff):
    call = CallFactory()
    application = ready_application(union, call)
    transition(union, application, Action.SUBMIT)
    deadline = timezone.localdate() + timedelta(days=5)
    transition(staff, application, Action.RETURN, comment="补充签字页", resubmit_by=deadline)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RETURNED and application.is_editable
    assert Notification.objects.filter(recipient=union, body="补充签字页").exists()
    # The call closes, yet the staff's resubmission deadline still lets the union resubmit.
    call.closes_at = timezone.now() - timedelta(minutes=1)
    call.opens_at = timezone.now() - timedelta(days=30)
    call.save()
    services.save_talent_cultivation(union, application, "名师带徒三对")
    transition(union, application, Action.SUBMIT)
    transition(staff, application, Action.ACCEPT)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert application.snapshot["talent_cultivation"] == "名师带徒三对"
    actions = list(
        AuditEvent.objects.filter(object_id=str(application.pk)).values_list("action", flat=True)
    )
    assert {"application.return", "application.accept"} <= set(actions)


def test_resubmission_after_the_staff_deadline_is_refused(union, staff):
    application = ready_application(union)
    transition(union, application, Action.SUBMIT)
    transition(staff, application, Action.RETURN, comment="补充", resubmit_by=timezone.localdate())
    type(application).objects.filter(pk=application.pk).update(
        resubmit_by=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="resubmission|重新提交") as refused:
        transition(union, application, Action.SUBMIT)
    assert refused.value.code == "R16"


def test_reject_needs_a_reason_and_is_final(union, staff):
    application = ready_application(union)
    transition(union, application, Action.SUBMIT)
    with pytest.raises(ValidationError) as refused:
        transition(staff, application, Action.REJECT)
    assert refused.value.code == "R16" and "comment" in refused.value.error_dict
    transition(staff, application, Action.REJECT, comment="材料与事实不符")
    with pytest.raises(ValidationError) as refused:
        transition(union, application, Action.SUBMIT)
    assert refused.value.code == "R16"


def test_submitted_application_cannot_be_edited(union):
    application = ready_application(union)
    transition(union, application, Action.SUBMIT)
    with pytest.raises(PermissionDenied):
        services.save_talent_cultivation(union, application, "改动")


def test_r16_publishing_a_call_overlapping_an_open_one_is_refused(staff):
    CallFactory()
    overlapping = CallFactory(published_at=None)
    with pytest.raises(ValidationError, match="第十六条|Article 16") as refused:
        services.publish_call(staff, overlapping)
    assert refused.value.code == "R16"


def test_concurrent_submissions_get_distinct_numbers(on_postgres, transactional_db):
    """Race-safety of numbering: the call row is locked while the next sequence is taken."""
    import threading

    from django.db import connection

    union = UnionUserFactory()
    call = CallFactory()
    applications = [ready_application(union, call) for _ in range(4)]
    errors = []

    def submit(application):
        try:
            transition(union, application, Action.SUBMIT)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(call.applications.values_list("number", flat=True))
    assert numbers == [f"{call.year}-SQ-{n:04d}" for n in range(1, 5)]
