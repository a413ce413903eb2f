"""Review rounds (R17, R19, R24, R25): building rounds, rubric, bonus, assignment, scoring,
reminders and decisions with both sign-offs (R3, R16)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Notification
from audit.models import AuditEvent
from core.refusals import refuse as core_refuse
from reviews import handover
from reviews import round_services as services
from reviews.round_models import (
    Assignment,
    AssignmentState,
    ConflictDeclaration,
    Decision,
    DecisionOutcome,
    DecisionState,
    ExpertProfile,
    RoundKind,
    RoundStatus,
)
from studios.models import HonourKind, StudioStatus
from tests.factories.accounts import (
    BureauStaffFactory,
    DistrictStaffFactory,
    ExpertUserFactory,
    UnionUserFactory,
)
from tests.factories.rounds import (
    AcceptedApplicationFactory,
    AssignmentFactory,
    ExpertProfileFactory,
    ReviewRoundFactory,
    RoundCallFactory,
    RoundEntryFactory,
    snapshot_of,
)
from tests.factories.studios import PDF_BYTES, EligibleStudioFactory, HonourFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def staff():
    return DistrictStaffFactory()


@pytest.fixture
def bureau():
    return BureauStaffFactory()


def evidence():
    return SimpleUploadedFile("proof.pdf", PDF_BYTES, "application/pdf")


# --- Building rounds ------------------------------------------------------------------------


def test_r16_initial_round_takes_the_calls_accepted_applications_with_their_snapshots(staff):
    call = RoundCallFactory()
    accepted = AcceptedApplicationFactory.create_batch(3, call=call)
    AcceptedApplicationFactory(call=call, status="submitted")
    review_round = services.create_round_for_call(
        staff, call, {"scoring_deadline": timezone.localdate() + timedelta(days=7)}
    )
    entries = list(review_round.entries.order_by("pk"))
    assert [e.application_id for e in entries] == [a.pk for a in accepted]
    assert entries[0].snapshot == accepted[0].snapshot
    assert review_round.kind == RoundKind.INITIAL and review_round.call == call
    # R24's four dimensions, 100 points, and three stages (R17)
    assert review_round.criteria.count() == 4
    assert sum(c.max_points * c.weight for c in review_round.criteria.all()) == D("100")
    assert review_round.stages.count() == 3
    assert AuditEvent.objects.filter(action="review_round.created").count() == 1


def test_r19_round_copies_the_default_bonus_values_and_cap(staff):
    from core import policy

    call = RoundCallFactory()
    AcceptedApplicationFactory(call=call)
    review_round = services.create_round_for_call(staff, call, {})
    assert review_round.bonus_cap == policy.R19_DEFAULT_BONUS_CAP
    assert {k: D(v) for k, v in review_round.bonus_values.items()} == policy.R19_DEFAULT_BONUS


def test_r17_rereview_round_from_studio_ids_freezes_each_studios_snapshot(staff):
    studios = EligibleStudioFactory.create_batch(2, status=StudioStatus.RECOGNISED)
    review_round = services.create_round_for_studios(
        RoundKind.NEXT_YEAR, [s.pk for s in studios], staff
    )
    entry = review_round.entries.get(studio=studios[0])
    assert entry.application is None
    assert entry.snapshot["studio"]["name"] == studios[0].name
    assert len(entry.snapshot["members"]) == studios[0].members.count()
    studios[0].name = "改名后的工作室"
    studios[0].save()
    entry.refresh_from_db()
    assert entry.snapshot["studio"]["name"] != "改名后的工作室"


def test_r24_cycle_round_refuses_studios_not_due(staff):
    applicant = EligibleStudioFactory(status=StudioStatus.APPLICANT)
    with pytest.raises(ValidationError) as refused:
        services.create_round_for_studios(RoundKind.CYCLE, [applicant.pk], staff)
    assert refused.value.code == "R24"


def test_only_staff_create_rounds():
    call = RoundCallFactory()
    AcceptedApplicationFactory(call=call)
    with pytest.raises(PermissionDenied):
        services.create_round_for_call(ExpertUserFactory(), call, {})


def test_r33_rubric_is_editable_until_scoring_opens(staff):
    review_round = ReviewRoundFactory()
    rows = [{"name_zh": "综合", "name_en": "Overall", "max_points": D("100"), "weight": D("1")}]
    services.save_rubric(staff, review_round, rows)
    assert list(review_round.criteria.values_list("name_zh", flat=True)) == ["综合"]
    review_round.status = RoundStatus.SCORING
    review_round.save()
    with pytest.raises(ValidationError) as refused:
        services.save_rubric(staff, review_round, rows)
    assert refused.value.code == "R17"
    assert review_round.criteria.count() == 1


# --- Round state ----------------------------------------------------------------------------


def test_r17_scoring_cannot_open_before_every_entry_has_an_expert(staff):
    review_round = ReviewRoundFactory()
    RoundEntryFactory(round=review_round)
    with pytest.raises(ValidationError) as refused:
        services.transition_round(staff, review_round, services.RoundAction.OPEN_SCORING)
    assert refused.value.code == "R17"
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.DRAFT


def test_a_round_action_not_in_the_table_is_refused_and_changes_nothing(staff):
    review_round = ReviewRoundFactory()
    with pytest.raises(ValidationError) as refused:
        services.transition_round(staff, review_round, services.RoundAction.FINISH)
    assert refused.value.code == "R17"
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.DRAFT


def test_opening_scoring_notifies_the_assigned_experts(staff):
    assignment = AssignmentFactory()
    services.transition_round(staff, assignment.entry.round, services.RoundAction.OPEN_SCORING)
    assert Notification.objects.filter(
        recipient=assignment.expert, kind="reviews.scoring_opened"
    ).exists()


# --- Bonus (R19) ------------------------------------------------------------------------------


def test_r19_bonus_is_capped(staff):
    studio = EligibleStudioFactory(status=StudioStatus.RECOGNISED)
    leader = studio.leaders.first()
    for kind in (
        HonourKind.BEIJING_MODEL_WORKER,  # 5
        HonourKind.BEIJING_GRAND_CRAFTSMAN,  # 5
        HonourKind.YICHENG_TALENT,  # 3
    ):
        HonourFactory(leader=leader, kind=kind)
    review_round = services.create_round_for_studios(RoundKind.NEXT_YEAR, [studio.pk], staff)
    entry = review_round.entries.get()
    assert entry.bonus == D("10")  # 13 capped at 10
    assert {line["kind"] for line in entry.bonus_detail} == {
        HonourKind.BEIJING_MODEL_WORKER,
        HonourKind.BEIJING_GRAND_CRAFTSMAN,
        HonourKind.YICHENG_TALENT,
    }


def test_r19_bonus_counts_each_honour_kind_once_and_ignores_other_honours():
    from reviews.bonus import compute_bonus, default_bonus_values

    snap = {
        "leader": {
            "honours": [
                {"kind": "yicheng_craftsman"},
                {"kind": "yicheng_craftsman"},
                {"kind": "national_model_worker"},
            ]
        }
    }
    bonus, lines = compute_bonus(snap, [], default_bonus_values(), D("10"))
    assert bonus == D("3") and len(lines) == 1


def test_r19_staff_correct_an_honour_with_evidence_and_it_is_audited(staff):
    entry = RoundEntryFactory()
    assert entry.bonus == D("0")
    services.correct_honour(
        staff,
        entry,
        action="add",
        honour_kind=HonourKind.BEIJING_MODEL_WORKER,
        evidence=evidence(),
        reason="证书原件核实",
    )
    entry.refresh_from_db()
    assert entry.bonus == D("5")
    assert entry.bonus_detail[0]["corrected"] is True
    event = AuditEvent.objects.get(action="review_round.honour_corrected")
    assert event.rule == "R19" and event.reason == "证书原件核实"
    services.correct_honour(
        staff,
        entry,
        action="remove",
        honour_kind=HonourKind.BEIJING_MODEL_WORKER,
        evidence=evidence(),
        reason="撤销",
    )
    entry.refresh_from_db()
    assert entry.bonus == D("0")


def test_r19_evidence_that_is_not_a_pdf_or_photo_is_refused_and_changes_nothing(staff):
    entry = RoundEntryFactory()
    fake = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 an executable", "application/pdf")
    with pytest.raises(ValidationError) as refused:
        services.correct_honour(
            staff, entry, action="add", honour_kind="yicheng_talent", evidence=fake, reason="补录"
        )
    assert refused.value.code == "R19"
    entry.refresh_from_db()
    assert entry.bonus == D("0") and not entry.corrections.exists()


def test_r19_a_correction_needs_evidence_and_a_reason(staff):
    entry = RoundEntryFactory()
    with pytest.raises(ValidationError) as refused:
        services.correct_honour(
            staff, entry, action="add", honour_kind="yicheng_talent", evidence=None, reason="x"
        )
    assert refused.value.code == "R19" and "evidence" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        services.correct_honour(
            staff,
            entry,
            action="add",
            honour_kind="yicheng_talent",
            evidence=evidence(),
            reason=" ",
        )
    assert refused.value.code == "R19" and "reason" in refused.value.error_dict
    entry.refresh_from_db()
    assert entry.bonus == D("0")


def test_r19_changing_the_rounds_bonus_values_recomputes_the_entries(staff):
    review_round = ReviewRoundFactory()
    studio = EligibleStudioFactory()
    entry = RoundEntryFactory(
        round=review_round, studio=studio, snapshot=snapshot_of(studio, ["yicheng_talent"])
    )
    services.update_round(
        staff, review_round, {"bonus_values": {"yicheng_talent": "4"}, "bonus_cap": D("10")}
    )
    entry.refresh_from_db()
    assert entry.bonus == D("4")


# --- Assignment -----------------------------------------------------------------------------


def _pool(n, **kwargs):
    return [ExpertProfileFactory(**kwargs) for _ in range(n)]


def test_auto_assignment_never_breaks_the_conflict_rule_and_loads_differ_by_at_most_one(staff):
    review_round = ReviewRoundFactory(experts_per_entry=3)
    entries = RoundEntryFactory.create_batch(10, round=review_round)
    pool = _pool(7)
    # two experts work for the enterprises of two entries; one declared a conflict with another
    pool[0].employer = entries[0].studio.enterprise
    pool[0].save()
    pool[1].employer_name = entries[1].studio.enterprise.name
    pool[1].save()
    ConflictDeclaration.objects.create(entry=entries[2], expert=pool[2].user, reason="亲属")
    made = services.auto_assign(staff, review_round)
    assert made == 30
    pairs = set(Assignment.objects.values_list("entry_id", "expert_id"))
    assert (entries[0].pk, pool[0].user_id) not in pairs
    assert (entries[1].pk, pool[1].user_id) not in pairs
    assert (entries[2].pk, pool[2].user_id) not in pairs
    for entry in entries:
        assert entry.assignments.count() == 3
    loads = [Assignment.objects.filter(expert=p.user).count() for p in pool]
    assert max(loads) - min(loads) <= 1


def test_auto_assignment_is_idempotent(staff):
    review_round = ReviewRoundFactory(experts_per_entry=2)
    RoundEntryFactory.create_batch(3, round=review_round)
    _pool(4)
    services.auto_assign(staff, review_round)
    assert services.auto_assign(staff, review_round) == 0
    assert Assignment.objects.count() == 6


def test_manual_assignment_refuses_the_experts_own_employer(staff):
    entry = RoundEntryFactory()
    profile = ExpertProfileFactory(employer=entry.studio.enterprise)
    with pytest.raises(ValidationError) as refused:
        services.assign_expert(staff, entry, profile.user)
    assert refused.value.code == "R17"
    assert not Assignment.objects.exists()


def test_declaring_a_conflict_removes_the_assignment_and_alerts_staff(staff):
    assignment = AssignmentFactory()
    expert, entry = assignment.expert, assignment.entry
    services.declare_conflict(expert, assignment, "曾在该企业任职")
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert ConflictDeclaration.objects.filter(entry=entry, expert=expert).exists()
    assert Notification.objects.filter(recipient=staff, kind="reviews.conflict_declared").exists()
    # and auto-assignment never puts them back
    ExpertProfile.objects.get_or_create(user=expert)
    services.auto_assign(staff, entry.round)
    assert not Assignment.objects.filter(entry=entry, expert=expert).exists()


def test_an_expert_cannot_declare_a_conflict_on_someone_elses_assignment():
    assignment = AssignmentFactory()
    with pytest.raises(PermissionDenied):
        services.declare_conflict(ExpertUserFactory(), assignment, "x")


# --- Scoring ------------------------------------------------------------------------------------


@pytest.fixture
def scoring():
    assignment = AssignmentFactory(entry__round__status=RoundStatus.SCORING)
    criteria = list(assignment.entry.round.criteria.all())
    return assignment, criteria


def _points(criteria, *values):
    return {c.pk: D(v) for c, v in zip(criteria, values, strict=True)}


def test_an_expert_saves_a_draft_then_submits_and_the_total_is_stored(scoring):
    assignment, criteria = scoring
    services.save_score(
        assignment.expert, assignment, _points(criteria, "20", "25", "15", "20"), {}
    )
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.DRAFT and assignment.total == D("80.00")
    comments = {criteria[1].pk: "成果突出"}
    services.save_score(
        assignment.expert,
        assignment,
        _points(criteria, "20", "26", "15", "20"),
        comments,
        submit=True,
    )
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.SUBMITTED and assignment.total == D("81.00")
    assert AuditEvent.objects.filter(action="review_round.score_submitted").count() == 1


def test_a_score_outside_the_criterions_range_is_refused(scoring):
    assignment, criteria = scoring
    with pytest.raises(ValidationError) as refused:
        services.save_score(
            assignment.expert, assignment, _points(criteria, "26", "1", "1", "1"), {}
        )
    assert refused.value.code == "R17"
    assert f"points_{criteria[0].pk}" in refused.value.error_dict
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ASSIGNED


def test_submitting_needs_every_criterion_and_required_comments(scoring):
    assignment, criteria = scoring
    criteria[1].comment_required = True
    criteria[1].save()
    with pytest.raises(ValidationError) as refused:
        services.save_score(
            assignment.expert,
            assignment,
            {criteria[0].pk: D("10"), criteria[1].pk: D("10")},
            {},
            submit=True,
        )
    assert refused.value.code == "R17"
    errors = refused.value.error_dict
    assert f"points_{criteria[2].pk}" in errors and f"comment_{criteria[1].pk}" in errors


def test_a_submitted_score_is_locked_until_staff_reopen_it_with_a_reason(scoring, staff):
    assignment, criteria = scoring
    points = _points(criteria, "20", "25", "15", "20")
    services.save_score(assignment.expert, assignment, points, {}, submit=True)
    with pytest.raises(ValidationError) as refused:
        services.save_score(assignment.expert, assignment, points, {}, submit=False)
    assert refused.value.code == "R17"
    with pytest.raises(ValidationError) as refused:
        services.reopen_score(staff, assignment, "")
    assert refused.value.code == "R17"
    services.reopen_score(staff, assignment, "第二项评分录入有误")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.DRAFT
    event = AuditEvent.objects.get(action="review_round.score_reopened")
    assert event.reason == "第二项评分录入有误"
    assert Notification.objects.filter(
        recipient=assignment.expert, kind="reviews.score_reopened"
    ).exists()
    services.save_score(assignment.expert, assignment, points, {}, submit=True)


def test_experts_cannot_reopen_scores(scoring):
    assignment, criteria = scoring
    services.save_score(
        assignment.expert, assignment, _points(criteria, "1", "1", "1", "1"), {}, submit=True
    )
    with pytest.raises(PermissionDenied):
        services.reopen_score(assignment.expert, assignment, "想改")


def test_nobody_scores_once_scoring_closed(scoring):
    assignment, criteria = scoring
    review_round = assignment.entry.round
    review_round.status = RoundStatus.CLOSED
    review_round.save()
    with pytest.raises(ValidationError) as refused:
        services.save_score(
            assignment.expert, assignment, _points(criteria, "1", "1", "1", "1"), {}
        )
    assert refused.value.code == "R17"


def test_an_expert_cannot_score_another_experts_assignment(scoring):
    assignment, criteria = scoring
    with pytest.raises(PermissionDenied):
        services.save_score(
            ExpertUserFactory(), assignment, _points(criteria, "1", "1", "1", "1"), {}
        )


# --- Reminders ---------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [3, 1])
def test_reminders_go_to_experts_with_unsubmitted_scores_n_days_before_once(days):
    today = timezone.localdate()
    review_round = ReviewRoundFactory(
        status=RoundStatus.SCORING, scoring_deadline=today + timedelta(days=days)
    )
    pending = AssignmentFactory(entry__round=review_round)
    done = AssignmentFactory(
        entry__round=review_round, state=AssignmentState.SUBMITTED, total=D("80")
    )
    assert services.send_scoring_reminders(today) == 1
    assert services.send_scoring_reminders(today) == 0  # run twice, sent once
    reminders = Notification.objects.filter(kind="reviews.scoring_reminder")
    assert list(reminders.values_list("recipient", flat=True)) == [pending.expert_id]
    assert not reminders.filter(recipient=done.expert).exists()


def test_no_reminder_on_other_days():
    today = timezone.localdate()
    review_round = ReviewRoundFactory(
        status=RoundStatus.SCORING, scoring_deadline=today + timedelta(days=2)
    )
    AssignmentFactory(entry__round=review_round)
    assert services.send_scoring_reminders(today) == 0


def test_the_beat_task_sends_the_reminders():
    from reviews.round_tasks import send_scoring_reminders

    review_round = ReviewRoundFactory(
        status=RoundStatus.SCORING, scoring_deadline=timezone.localdate() + timedelta(days=3)
    )
    AssignmentFactory(entry__round=review_round)
    send_scoring_reminders.delay()
    assert Notification.objects.filter(kind="reviews.scoring_reminder").count() == 1


# --- Decisions (R3, R16, R17, R25) ------------------------------------------------------------


@pytest.fixture
def handed_over(monkeypatch):
    """Replace the lifecycle hand-over with fakes that record their calls."""
    calls = []
    for name in (
        "recognise_studio",
        "record_next_year_rereview",
        "record_cycle_rereview",
        "record_rectification_recheck",
    ):
        monkeypatch.setattr(
            handover, name, lambda *a, _name=name, **kw: calls.append((_name, a, kw))
        )
    return calls


def _closed_entry(kind=RoundKind.INITIAL, **kwargs):
    return RoundEntryFactory(round__kind=kind, round__status=RoundStatus.CLOSED, **kwargs)


def test_r16_a_decision_without_both_sign_offs_changes_nothing(staff, bureau, handed_over):
    entry = _closed_entry()
    union_staff = staff
    UnionUserFactory(enterprise=entry.studio.enterprise)
    decision = services.record_decision(staff, entry, {"outcome": DecisionOutcome.RECOGNISE})
    assert decision.state == DecisionState.PENDING
    assert handed_over == []
    services.sign_off(union_staff, decision, "union")
    decision.refresh_from_db()
    assert decision.state == DecisionState.PENDING and handed_over == []
    entry.studio.refresh_from_db()
    assert entry.studio.status == StudioStatus.APPLICANT
    assert not Notification.objects.filter(kind="reviews.decision_effective").exists()
    services.sign_off(bureau, decision, "bureau")
    decision.refresh_from_db()
    assert decision.state == DecisionState.EFFECTIVE
    assert decision.effective_on == timezone.localdate()
    assert [name for name, _a, _kw in handed_over] == ["recognise_studio"]
    assert Notification.objects.filter(kind="reviews.decision_effective").exists()
    assert AuditEvent.objects.filter(action__startswith="review_decision.").count() == 3


def test_r3_each_body_signs_only_for_itself(staff, bureau, handed_over):
    decision = services.record_decision(
        staff, _closed_entry(), {"outcome": DecisionOutcome.RECOGNISE}
    )
    with pytest.raises(PermissionDenied):
        services.sign_off(bureau, decision, "union")
    with pytest.raises(PermissionDenied):
        services.sign_off(staff, decision, "bureau")
    services.sign_off(staff, decision, "union")
    with pytest.raises(ValidationError) as refused:
        services.sign_off(staff, decision, "union")
    assert refused.value.code == "R3"
    decision.refresh_from_db()
    assert decision.state == DecisionState.PENDING and handed_over == []


def test_changing_a_decision_clears_the_sign_offs(staff, handed_over):
    entry = _closed_entry()
    decision = services.record_decision(staff, entry, {"outcome": DecisionOutcome.RECOGNISE})
    services.sign_off(staff, decision, "union")
    decision = services.record_decision(staff, entry, {"outcome": DecisionOutcome.NOT_RECOGNISE})
    assert decision.union_signed_at is None


def test_an_effective_decision_cannot_change(staff, bureau, handed_over):
    entry = _closed_entry()
    decision = services.record_decision(staff, entry, {"outcome": DecisionOutcome.RECOGNISE})
    services.sign_off(staff, decision, "union")
    services.sign_off(bureau, decision, "bureau")
    with pytest.raises(ValidationError) as refused:
        services.record_decision(staff, entry, {"outcome": DecisionOutcome.NOT_RECOGNISE})
    assert refused.value.code == "R16"
    assert len(handed_over) == 1


def test_r25_outcomes_must_fit_the_kind_of_round(staff):
    with pytest.raises(ValidationError) as refused:
        services.record_decision(staff, _closed_entry(), {"outcome": DecisionOutcome.PASS_STAR})
    assert refused.value.code == "R25"
    assert not Decision.objects.exists()


def test_r25_rectification_needs_a_future_deadline(staff):
    entry = _closed_entry(RoundKind.CYCLE)
    with pytest.raises(ValidationError) as refused:
        services.record_decision(staff, entry, {"outcome": DecisionOutcome.RECTIFY})
    assert refused.value.code == "R25"
    with pytest.raises(ValidationError) as refused:
        services.record_decision(
            staff,
            entry,
            {"outcome": DecisionOutcome.RECTIFY, "rectification_deadline": timezone.localdate()},
        )
    assert refused.value.code == "R25"
    assert not Decision.objects.exists()


def test_decisions_wait_for_scoring_to_close(staff):
    entry = RoundEntryFactory(round__status=RoundStatus.SCORING)
    with pytest.raises(ValidationError) as refused:
        services.record_decision(staff, entry, {"outcome": DecisionOutcome.RECOGNISE})
    assert refused.value.code == "R16"


@pytest.mark.parametrize(
    ("kind", "outcome", "expected", "detail"),
    [
        (RoundKind.INITIAL, DecisionOutcome.NOT_RECOGNISE, None, None),
        (RoundKind.NEXT_YEAR, DecisionOutcome.PASS, "record_next_year_rereview", True),
        (RoundKind.NEXT_YEAR, DecisionOutcome.FAIL, "record_next_year_rereview", False),
        (RoundKind.CYCLE, DecisionOutcome.PASS_STAR, "record_cycle_rereview", "pass"),
        (RoundKind.CYCLE, DecisionOutcome.RECTIFY, "record_cycle_rereview", "rectify"),
        (RoundKind.CYCLE, DecisionOutcome.DELIST, "record_cycle_rereview", "delist"),
        (RoundKind.RECTIFICATION, DecisionOutcome.PASS, "record_rectification_recheck", True),
        (RoundKind.RECTIFICATION, DecisionOutcome.DELIST, "record_rectification_recheck", False),
    ],
)
def test_r17_r25_each_outcome_hands_over_to_the_matching_lifecycle_service(
    staff, bureau, handed_over, kind, outcome, expected, detail
):
    entry = _closed_entry(kind)
    data = {"outcome": outcome, "reason": "专家组意见"}
    if outcome == DecisionOutcome.RECTIFY:
        data["rectification_deadline"] = timezone.localdate() + timedelta(days=90)
    decision = services.record_decision(staff, entry, data)
    services.sign_off(bureau, decision, "bureau")
    assert handed_over == []
    services.sign_off(staff, decision, "union")
    if expected is None:
        assert handed_over == []
        return
    assert len(handed_over) == 1
    name, args, kwargs = handed_over[0]
    assert name == expected
    assert args[0] == entry.studio
    assert args[2] == detail
    if outcome == DecisionOutcome.PASS_STAR:
        assert kwargs["star"] is True
    if outcome == DecisionOutcome.RECTIFY:
        assert kwargs["deadline"] == data["rectification_deadline"]


def test_a_lifecycle_refusal_rolls_the_sign_off_back(staff, bureau, monkeypatch):
    def refuse(*args, **kwargs):
        raise core_refuse("R16", "工作室状态不允许认定")

    monkeypatch.setattr(handover, "recognise_studio", refuse)
    decision = services.record_decision(
        staff, _closed_entry(), {"outcome": DecisionOutcome.RECOGNISE}
    )
    services.sign_off(staff, decision, "union")
    with pytest.raises(ValidationError) as refused:
        services.sign_off(bureau, decision, "bureau")
    assert refused.value.code == "R16"
    decision.refresh_from_db()
    assert decision.state == DecisionState.PENDING and decision.bureau_signed_at is None


def test_a_round_finishes_only_when_every_entry_has_an_effective_decision(
    staff, bureau, handed_over
):
    entry = _closed_entry()
    with pytest.raises(ValidationError) as refused:
        services.transition_round(staff, entry.round, services.RoundAction.FINISH)
    assert refused.value.code == "R16"
    decision = services.record_decision(staff, entry, {"outcome": DecisionOutcome.RECOGNISE})
    services.sign_off(staff, decision, "union")
    services.sign_off(bureau, decision, "bureau")
    services.transition_round(staff, entry.round, services.RoundAction.FINISH)
    entry.round.refresh_from_db()
    assert entry.round.status == RoundStatus.FINISHED
