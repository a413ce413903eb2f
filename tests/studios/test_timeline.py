"""The studio page's timeline reads per audience (``audit.registry``; RULES.md "expert": their
identity, individual scores and conflict declarations are confidential to staff — applicants
never see them). Also the funds page's money timeline and the audit page."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from audit.services import record_event
from reviews import round_services as rs
from reviews.round_models import RoundStatus
from tests.factories.accounts import (
    AuditorFactory,
    BureauStaffFactory,
    DistrictStaffFactory,
    ExpertUserFactory,
    FinanceUserFactory,
    UnionUserFactory,
)
from tests.factories.rounds import AssignmentFactory, ReviewRoundFactory, RoundEntryFactory
from tests.factories.studios import EligibleStudioFactory

pytestmark = pytest.mark.django_db

EXPERT_NAME, OTHER_EXPERT = "张志强", "李秀英"
CONFLICT_REASON = "本人曾在该企业任职三年"
REOPEN_REASON = "第二项分数录入有误"
DECISION_NOTE = "材料扎实，专家一致建议认定"
STAFF_NAME, BUREAU_NAME = "王主任", "赵处长"


@pytest.fixture
def world():
    """A studio in an initial round that is scoring again: one expert declared a conflict, the
    other submitted a score that staff reopened; a decision is recorded with a note and signed
    by the district union only (pending the bureau)."""
    staff = DistrictStaffFactory(display_name=STAFF_NAME)
    bureau = BureauStaffFactory(display_name=BUREAU_NAME)
    union = UnionUserFactory(display_name="企业工会干事")
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    entry = RoundEntryFactory(round=ReviewRoundFactory(), studio=studio)
    review_round = entry.round
    scorer = AssignmentFactory(entry=entry, expert=ExpertUserFactory(display_name=EXPERT_NAME))
    conflicted = AssignmentFactory(entry=entry, expert=ExpertUserFactory(display_name=OTHER_EXPERT))
    rs.transition_round(staff, review_round, "open_scoring")
    rs.declare_conflict(conflicted.expert, conflicted, CONFLICT_REASON)
    points = {c.pk: Decimal("20") for c in review_round.criteria.all()}
    rs.save_score(scorer.expert, scorer, points, {}, submit=True)
    rs.transition_round(staff, review_round, "close_scoring")
    decision = rs.record_decision(staff, entry, {"outcome": "recognise", "reason": DECISION_NOTE})
    rs.sign_off(staff, decision, "union")
    rs.transition_round(staff, review_round, "reopen_scoring")
    rs.reopen_score(staff, scorer, REOPEN_REASON)
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.SCORING
    return {
        "staff": staff,
        "bureau": bureau,
        "union": union,
        "studio": studio,
        "round": review_round,
        "decision": decision,
        "scorer": scorer,
    }


def page(client_for, user, studio, name="studios:studio_detail"):
    response = client_for(user).get(reverse(name, args=[studio.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def timeline_of(body: str) -> str:
    """The timeline card of the studio page (the rest of the page is not under test here)."""
    start = body.index('<div class="card-header">Timeline</div>')
    return body[start:]


def test_r17_applicant_never_sees_expert_identity_or_scores(world, client_for):
    body = page(client_for, world["union"], world["studio"])
    timeline = timeline_of(body)
    for secret in (EXPERT_NAME, OTHER_EXPERT, CONFLICT_REASON, REOPEN_REASON, DECISION_NOTE):
        assert secret not in body
    assert "score" not in timeline.lower() and "conflict" not in timeline.lower()
    # No pending sign-off, no decision before it is effective, no raw codes, no staff by name.
    assert "sign" not in timeline.lower() and "decision" not in timeline.lower()
    assert "review_round." not in body and "review_decision." not in body
    assert STAFF_NAME not in timeline
    # What the applicant does read: its studio entered review, by the body that opened it.
    assert timeline.count("Entered a review round") == 1  # on opening, not again on reopening
    assert "E-Town Federation of Trade Unions" in timeline


def test_r17_staff_read_the_whole_review_record(world, client_for):
    """The same page as district staff: the data the applicant does not see is there."""
    timeline = timeline_of(page(client_for, world["staff"], world["studio"]))
    for shown in (EXPERT_NAME, OTHER_EXPERT, CONFLICT_REASON, REOPEN_REASON, DECISION_NOTE):
        assert shown in timeline
    assert "Expert score submitted" in timeline
    assert "Review decision signed by the district union" in timeline


def test_r16_applicant_sees_the_outcome_once_the_decision_is_effective(world, client_for):
    rs.transition_round(world["staff"], world["round"], "close_scoring")
    rs.sign_off(world["bureau"], world["decision"], "bureau")
    body = page(client_for, world["union"], world["studio"])
    timeline = timeline_of(body)
    assert "Review decision in effect" in timeline
    assert "Recognise · In effect" in timeline
    assert "Recognised (awaiting the next-year re-review)" in timeline
    # The decision's note travels to the lifecycle event as its reason: still not for applicants.
    for secret in (EXPERT_NAME, OTHER_EXPERT, CONFLICT_REASON, REOPEN_REASON, DECISION_NOTE):
        assert secret not in body
    assert BUREAU_NAME not in timeline and STAFF_NAME not in timeline
    assert "E-Town Science and Technology Innovation Bureau" in timeline
    # Only the sign-off that made it effective: the district union's earlier one stays hidden.
    assert timeline.count("Review decision in effect") == 1


def test_applicant_reads_its_own_people_by_name_and_staff_as_their_body(client_for):
    union = UnionUserFactory(display_name="企业工会干事")
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    staff = DistrictStaffFactory(display_name=STAFF_NAME)
    with transaction.atomic():
        record_event(union, "studio.updated", studio, studio=studio, reason="面积更正")
        record_event(staff, "studio.revoke", studio, studio=studio, reason="内部意见", after={})
    timeline = timeline_of(page(client_for, union, studio))
    assert "企业工会干事" in timeline and "面积更正" in timeline
    assert STAFF_NAME not in timeline and "内部意见" not in timeline
    assert "E-Town Federation of Trade Unions" in timeline


def test_r27_money_timeline_shows_finance_internal_steps_to_finance_not_the_applicant(
    client_for,
):
    union = UnionUserFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    finance = FinanceUserFactory(display_name="钱会计")
    with transaction.atomic():
        record_event(finance, "funding.disbursement_recorded", studio, studio=studio)
        record_event(finance, "funding.disbursement_approved", studio, studio=studio)
    union_body = page(client_for, union, studio, "funding:studio_funds")
    assert "Payment approved and paid" in union_body
    assert "Payment recorded, awaiting approval" not in union_body
    assert "钱会计" not in union_body and "Finance office" in union_body
    finance_body = page(client_for, finance, studio, "funding:studio_funds")
    assert "Payment recorded, awaiting approval" in finance_body and "钱会计" in finance_body


def test_r27_auditors_read_money_and_decisions_on_the_audit_page_not_scores(world, client_for):
    with transaction.atomic():
        record_event(
            world["staff"], "funding.grant_created", world["studio"], studio=world["studio"]
        )
    url = reverse("audit:event_list")
    auditor = client_for(AuditorFactory()).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Support grant granted" in auditor
    assert "Review decision signed by the district union" in auditor
    assert "review_round.score_submitted" not in auditor and EXPERT_NAME not in auditor
    assert CONFLICT_REASON not in auditor
    staff = client_for(world["staff"]).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "review_round.score_submitted" in staff and CONFLICT_REASON in staff


def test_the_audit_export_holds_only_what_the_reader_may_read(world, client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    url = reverse("audit:event_list") + "?export=xlsx"
    response = client_for(AuditorFactory()).get(url)
    sheet = load_workbook(BytesIO(response.content)).active
    actions = {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert "review_decision.signed_union" in actions
    assert "review_round.entered" in actions  # that a studio is under review, no names
    assert not actions & {"review_round.score_submitted", "review_round.conflict_declared"}


def test_studio_page_query_count_does_not_grow_with_the_timeline(
    world, client_for, django_assert_max_num_queries
):
    union, studio = world["union"], world["studio"]
    client = client_for(union)
    url = reverse("studios:studio_detail", args=[studio.pk])
    client.get(url)  # warm the session and caches
    with django_assert_max_num_queries(12) as few:  # 10 measured
        client.get(url)
    with transaction.atomic():
        for i in range(60):
            record_event(world["staff"], "studio.updated", studio, studio=studio, after={"n": i})
            record_event(
                world["scorer"].expert, "review_round.score_submitted", studio, studio=studio
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
