"""The lifecycle's one transition function and its table (R16, R17, R23–R25, R32): a studio
driven from recognition in 2025 to delisting in 2030 with frozen dates, every move the table
does not allow refused with nothing changed, and two staff acting at once on PostgreSQL."""

import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from audit.models import AuditEvent
from studios import lifecycle, schedules, services
from studios.hooks import R32Flag
from studios.lifecycle import TRANSITIONS
from studios.lifecycle_models import Rectification, RenameRequest, Revocation
from studios.models import Studio, StudioStatus
from studios.signals import studio_transitioned
from tests.factories.accounts import DistrictStaffFactory, UnionUserFactory
from tests.factories.studios import EligibleStudioFactory
from tests.refusals import refused

pytestmark = pytest.mark.django_db
S = StudioStatus


@pytest.fixture(autouse=True)
def _english():
    """Refusals are checked in English here; one test checks the Chinese wording."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def staff():
    return DistrictStaffFactory()


@pytest.fixture
def signals():
    sent = []

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    studio_transitioned.connect(receiver)
    yield sent
    studio_transitioned.disconnect(receiver)


def test_r17_r24_r25_studio_from_recognition_2025_to_delisting_2030(staff, signals, monkeypatch):
    # This walk checks the lifecycle's own R32 flags (1) and (2); the studio keeps no ledger, so
    # the ledgers' R32 (4) provider would flag it too (tested in tests/ledgers).
    monkeypatch.setattr(schedules, "R32_FLAG_PROVIDERS", [])
    studio = EligibleStudioFactory()
    lifecycle.recognise(studio, staff, on=date(2025, 6, 20))
    assert studio.status == S.RECOGNISED and studio.cycle_number == 0
    # R17: due for the next-year re-review in 2026, not in 2025.
    assert studio.pk not in schedules.schedule_studio_ids(date(2025, 12, 1))["next_year"]
    assert studio.pk in schedules.schedule_studio_ids(date(2026, 3, 1))["next_year"]

    lifecycle.record_next_year_rereview(studio, staff, True, on=date(2026, 6, 10))
    studio.refresh_from_db()
    cycle = studio.cycles.get()
    assert studio.status == S.IN_CYCLE and studio.cycle_number == 1
    assert (cycle.starts_on, cycle.ends_on) == (date(2025, 6, 20), date(2030, 6, 19))
    # R26a hook: funding hears that a first recognition was confirmed.
    confirmed = signals[-1]
    assert confirmed["action"] == "pass_next_year_rereview"
    assert confirmed["first_recognition"] is True and confirmed["cycle_number"] == 1
    assert confirmed["on"] == date(2026, 6, 10)

    # R24: in the expiry window (default 6 months) in 2030, not in 2029.
    assert studio.pk not in schedules.schedule_studio_ids(date(2029, 6, 1))["expiring"]
    assert studio.pk in schedules.schedule_studio_ids(date(2030, 1, 15))["expiring"]
    narrow = 1  # month
    assert studio.pk not in schedules.schedule_studio_ids(date(2030, 1, 15), narrow)["expiring"]

    # R25: the cycle re-review orders rectification with a deadline.
    lifecycle.record_cycle_rereview(
        studio, staff, "rectify", on=date(2030, 5, 20), rectification_deadline=date(2030, 9, 30)
    )
    studio.refresh_from_db()
    assert studio.status == S.RECTIFICATION
    assert studio.pk in schedules.schedule_studio_ids(date(2030, 6, 1))["rectification"]
    # R32 (1): the deadline passes without a re-check.
    assert studio.pk not in schedules.schedule_studio_ids(date(2030, 9, 30))["r32"]
    flags = schedules.r32_flags_by_studio(date(2030, 10, 1))[studio.pk]
    assert [f.rule for f in flags] == ["R32-1"]

    lifecycle.record_rectification_recheck(studio, staff, False, on=date(2030, 10, 8))
    studio.refresh_from_db()
    assert studio.status == S.DELISTED
    assert Rectification.objects.get(studio=studio).outcome == "failed"
    assert studio.cycles.get().outcome == "delisted"
    actions = list(
        AuditEvent.objects.filter(studio=studio, action__startswith="studio.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[-5:] == [
        "studio.recognise",
        "studio.pass_next_year_rereview",
        "studio.start_cycle_rereview",
        "studio.order_rectification",
        "studio.delist",
    ]


def test_r25_passed_cycle_rereview_with_star_starts_the_next_cycle_and_signals_r26b(staff, signals):
    studio = EligibleStudioFactory()
    lifecycle.recognise(studio, staff, on=date(2025, 6, 20))
    lifecycle.record_next_year_rereview(studio, staff, True, on=date(2026, 6, 10))
    lifecycle.record_cycle_rereview(studio, staff, "pass", on=date(2030, 4, 1), star=True)
    studio.refresh_from_db()
    first, second = studio.cycles.order_by("number")
    assert first.outcome == "passed_star" and first.star_awarded
    assert (second.starts_on, second.ends_on) == (date(2030, 6, 20), date(2035, 6, 19))
    assert signals[-1]["action"] == "pass_cycle_rereview" and signals[-1]["star_awarded"] is True
    assert signals[-1]["cycle_number"] == 2


def test_r23_rename_keeps_recognition_cycle_and_history(staff):
    union = UnionUserFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise, name="王强焊接创新工作室")
    old_leader = studio.current_leader
    lifecycle.recognise(studio, staff, on=date(2025, 6, 20))
    lifecycle.record_next_year_rereview(studio, staff, True, on=date(2026, 6, 10))
    cycle_before = list(studio.cycles.values_list("number", "starts_on", "ends_on"))

    request = services.file_rename_request(
        union,
        studio,
        {"new_name": "李娜焊接创新工作室", "new_leader_name": "李娜", "reason": "原领军人退休"},
    )
    with refused("R23"):  # one pending request at a time
        services.file_rename_request(
            union, studio, {"new_name": "x", "new_leader_name": "y", "reason": "z"}
        )
    services.decide_rename_request(staff, request, True, on=date(2027, 3, 1))

    studio.refresh_from_db()
    old_leader.refresh_from_db()
    assert studio.name == "李娜焊接创新工作室"
    assert studio.current_leader.name == "李娜" and old_leader.until == date(2027, 3, 1)
    assert studio.status == S.IN_CYCLE and studio.recognised_on == date(2025, 6, 20)
    assert list(studio.cycles.values_list("number", "starts_on", "ends_on")) == cycle_before
    event = AuditEvent.objects.get(studio=studio, action="studio.rename")
    assert (
        event.before["name"] == "王强焊接创新工作室" and event.after["name"] == "李娜焊接创新工作室"
    )
    assert RenameRequest.objects.get().status == "approved"
    with refused("R23"):  # decided once only
        services.decide_rename_request(staff, request, False)


def _studio_in(status):
    studio = EligibleStudioFactory()
    Studio.objects.filter(pk=studio.pk).update(status=status, recognised_on=date(2025, 6, 20))
    studio.refresh_from_db()
    return studio


ILLEGAL = [
    (state, action)
    for state in S.values
    for action in lifecycle.ACTIONS
    if (state, action) not in TRANSITIONS
]


@pytest.mark.parametrize(("state", "action"), ILLEGAL, ids=[f"{s}-{a}" for s, a in ILLEGAL])
def test_every_move_not_in_the_table_is_refused_and_changes_nothing(state, action, staff):
    studio = _studio_in(state)
    events = AuditEvent.objects.count()
    with refused(lifecycle.ACTIONS[action].rule) as refusal:
        lifecycle.transition(
            studio, action, staff, on=date(2027, 1, 10), reasons=[10], deadline=date(2028, 1, 1)
        )
    assert "Article" in str(refusal.value)
    studio.refresh_from_db()
    assert studio.status == state and studio.cycle_number == 0
    assert AuditEvent.objects.count() == events
    assert not studio.cycles.exists() and not studio.certificates.exists()


def test_refusal_cites_the_article_in_chinese(staff):
    from django.utils import translation

    studio = _studio_in(S.APPLICANT)
    with translation.override("zh-hans"), refused("R32") as refusal:
        lifecycle.revoke(studio, staff, [3], on=date(2026, 1, 1))
    assert "不符合第三十二条" in refusal.value.messages[0]


def test_r17_next_year_rereview_is_refused_in_the_year_of_recognition(staff):
    studio = EligibleStudioFactory()
    lifecycle.recognise(studio, staff, on=date(2025, 6, 20))
    with refused("R17"):
        lifecycle.record_next_year_rereview(studio, staff, True, on=date(2025, 12, 31))
    studio.refresh_from_db()
    assert studio.status == S.RECOGNISED and not studio.cycles.exists()


def test_r25_rectification_without_a_deadline_is_refused_and_changes_nothing(staff):
    studio = EligibleStudioFactory()
    lifecycle.recognise(studio, staff, on=date(2025, 6, 20))
    lifecycle.record_next_year_rereview(studio, staff, True, on=date(2026, 6, 10))
    with refused("R25"):
        lifecycle.record_cycle_rereview(studio, staff, "rectify", on=date(2030, 5, 1))
    studio.refresh_from_db()
    assert studio.status == S.IN_CYCLE  # the re-review start rolled back with the refusal
    assert studio.cycles.get().rereview_started_on is None


def test_r32_revocation_needs_numbered_reasons_and_records_them(staff):
    studio = EligibleStudioFactory()
    lifecycle.recognise(studio, staff, on=date(2025, 6, 20))
    with refused("R32"):
        lifecycle.revoke(studio, staff, [], on=date(2026, 2, 1))
    with refused("R32"):
        lifecycle.revoke(studio, staff, [11], on=date(2026, 2, 1))
    lifecycle.revoke(studio, staff, [3, 9], on=date(2026, 2, 1), note="审计发现挪用")
    studio.refresh_from_db()
    assert studio.status == S.REVOKED
    assert Revocation.objects.get(studio=studio).reasons == [3, 9]


def test_union_may_not_decide_a_transition():
    union = UnionUserFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    with pytest.raises(PermissionDenied):
        lifecycle.recognise(studio, union, on=date(2025, 6, 20))
    studio.refresh_from_db()
    assert studio.status == S.APPLICANT


def test_r32_2_flags_studios_absent_from_a_due_rereview_and_includes_providers(staff, monkeypatch):
    never_rereviewed = EligibleStudioFactory()
    lifecycle.recognise(never_rereviewed, staff, on=date(2025, 6, 20))
    cycle_lapsed = EligibleStudioFactory()
    lifecycle.recognise(cycle_lapsed, staff, on=date(2021, 3, 1))
    lifecycle.record_next_year_rereview(cycle_lapsed, staff, True, on=date(2022, 3, 1))
    ledger_flagged = EligibleStudioFactory()
    lifecycle.recognise(ledger_flagged, staff, on=date(2026, 1, 5))

    def provider(on):
        return [R32Flag(ledger_flagged.pk, 4, "R32-4", "连续两年无新项目", "No new project")]

    # Only this provider: the real ledgers provider would flag these ledger-less studios too.
    monkeypatch.setattr(schedules, "R32_FLAG_PROVIDERS", [provider])
    flags = schedules.r32_flags_by_studio(date(2027, 1, 2))
    assert [f.rule for f in flags[never_rereviewed.pk]] == ["R32-2"]  # 2026 passed
    assert [f.rule for f in flags[cycle_lapsed.pk]] == ["R32-2"]  # cycle ended 2026-02-28
    assert [f.rule for f in flags[ledger_flagged.pk]] == ["R32-4"]


def test_schedule_studio_ids_give_each_list_for_a_review_round(staff):
    due = EligibleStudioFactory()
    lifecycle.recognise(due, staff, on=date(2025, 6, 20))
    ids = schedules.schedule_studio_ids(date(2026, 2, 1))
    assert ids == {"next_year": [due.pk], "expiring": [], "rectification": [], "r32": []}


@pytest.mark.django_db(transaction=True)
def test_two_staff_deciding_at_once_cannot_both_succeed(on_postgres):
    staff = DistrictStaffFactory()
    studio = EligibleStudioFactory()
    lifecycle.recognise(studio, staff, on=date(2025, 6, 20))
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(passed):
        try:
            barrier.wait()
            lifecycle.record_next_year_rereview(studio, staff, passed, on=date(2026, 6, 1))
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(p,)) for p in (True, False)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    studio.refresh_from_db()
    assert studio.status in (S.IN_CYCLE, S.DELISTED)
    assert (
        AuditEvent.objects.filter(
            studio=studio,
            action__in=["studio.pass_next_year_rereview", "studio.fail_next_year_rereview"],
        ).count()
        == 1
    )
