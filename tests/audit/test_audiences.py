"""Who reads which audit event (DESIGN.md "Audit"; RULES.md "expert": identity, scores and
conflict declarations are confidential to staff — applicants never see them).

Every action code the code base can write — found by a static scan of the sources for
``record_event`` calls, dynamic codes expanded from the tables they come from — × every role,
against the explicit table below. A new action without a row here, without a registered
audience or without a label in both languages fails this file.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import translation

from audit.models import AuditEvent
from audit.registry import (
    APPLICANT,
    STAFF,
    ActionSpec,
    audience_of,
    register_actions,
    registered_actions,
    spec_for,
    visible_to,
)
from audit.services import record_event
from tests.factories.accounts import (
    AdminFactory,
    AuditorFactory,
    BureauStaffFactory,
    DistrictStaffFactory,
    ExpertUserFactory,
    FinanceUserFactory,
    UnionUserFactory,
)
from tests.factories.studios import StudioFactory

ROOT = Path(settings.BASE_DIR)

# Who reads each action besides staff (district union, bureau and administrators read every
# event; experts read none). A = the studio's own enterprise union (applicant), F = finance,
# U = auditor, "-" = staff only. A variant names the event's state where a reader depends on it:
# the applicant reads a body's sign-off only once it made the decision effective.
TABLE = """
enterprise.created                          A
enterprise.updated                          A
studio.created                              A
studio.updated                              A
studio.leader_appointed                     A
studio.leader_updated                       A
studio.honour_added                         A
studio.honour_removed                       A
studio.member_added                         A
studio.member_updated                       A
studio.recognise                            AFU
studio.pass_next_year_rereview              AFU
studio.fail_next_year_rereview              AFU
studio.start_cycle_rereview                 AFU
studio.pass_cycle_rereview                  AFU
studio.order_rectification                  AFU
studio.pass_rectification                   AFU
studio.delist                               AFU
studio.revoke                               AFU
studio.rename                               AFU
studio.recommended_to_municipal             AFU
rename.requested                            A
rename.approved                             AU
rename.refused                              AU
certificate.issued                          AFU
lifecycle_decision.proposed                 U
lifecycle_decision.signed                   U
lifecycle_decision.withdrawn                U
lifecycle_decision.superseded               U
admin.added                                 U
admin.changed                               U
admin.deleted                               U
certificate.batch_started                   -
certificate.batch_resumed                   -
call.created                                -
call.updated                                -
call.published                              A
application.started                         A
application.projects_saved                  A
application.results_saved                   A
application.talent_saved                    A
application.material_added                  A
application.material_removed                A
application.submit                          A
application.withdraw                        A
application.accept                          AU
application.return                          AU
application.reject                          AU
review_round.created                        -
review_round.updated                        -
review_round.rubric_saved                   -
review_round.stage_updated                  -
review_round.honour_corrected               -
review_round.auto_assigned                  -
review_round.expert_assigned                -
review_round.expert_unassigned              -
review_round.conflict_declared              -
review_round.score_submitted                -
review_round.score_reopened                 -
review_round.open_scoring                   -
review_round.close_scoring                  -
review_round.reopen_scoring                 -
review_round.finish                         -
review_round.entered                        AU
review_decision.recorded                    U
review_decision.signed_union:pending        U
review_decision.signed_union:effective      AU
review_decision.signed_bureau:pending       U
review_decision.signed_bureau:effective     AU
expert.profile_saved                        -
funding.grant_created                       AFU
funding.grant_cancelled                     AFU
funding.disbursement_recorded               FU
funding.disbursement_approved               AFU
funding.disbursement_rejected               FU
funding.disbursement_reversed               AFU
funding.disbursement_reversal_recorded      FU
funding.disbursement_reversal_approved      AFU
funding.disbursement_reversal_rejected      FU
funding.expenditure_recorded                AFU
funding.expenditure_reversed                AFU
funding.expenditure_reversal_recorded       AFU
funding.expenditure_reversal_approved       AFU
funding.expenditure_reversal_rejected       AFU
funding.repayment_recorded                  AFU
funding.violation_recorded                  AFU
funding.sanction_suspend                    AFU
funding.sanction_recover                    AFU
funding.sanction_cancel                     AFU
funding.sanction_bar                        AFU
funding.suspension_lifted                   AFU
ledger.activities.added                     A
ledger.activities.updated                   A
ledger.activities.deleted                   A
ledger.activities.imported                  A
ledger.activities.evidence_added            A
ledger.projects.added                       A
ledger.projects.updated                     A
ledger.projects.deleted                     A
ledger.projects.imported                    A
ledger.patents.added                        A
ledger.patents.updated                      A
ledger.patents.deleted                      A
ledger.patents.imported                     A
ledger.achievements.added                   A
ledger.achievements.updated                 A
ledger.achievements.deleted                 A
ledger.achievements.imported                A
ledger.development.added                    A
ledger.development.updated                  A
ledger.development.deleted                  A
ledger.development.imported                 A
"""

LETTERS = {"A": "union", "F": "finance", "U": "auditor"}
STAFF_ROLES = {"district", "bureau", "admin"}
ROLES = ["union", "finance", "auditor", "expert", "district", "bureau", "admin"]


def _rows() -> dict[tuple[str, str], set[str]]:
    rows = {}
    for line in TABLE.strip().splitlines():
        key, readers = line.split()
        code, _, variant = key.partition(":")
        roles = {LETTERS[c] for c in readers if c != "-"} | STAFF_ROLES
        rows[(code, variant)] = roles
    return rows


ROWS = _rows()
TABLE_CODES = {code for code, _variant in ROWS}


# --- Every code the code base can write -------------------------------------------------------


def _dynamic_expansions() -> dict[str, list[str]]:
    """Codes built at run time, by the f-string that builds them: each expanded from the table
    its variable part comes from. An f-string not listed here fails the scan."""
    from audit.admin_audit import ADMIN_EVENTS
    from funding.models import SanctionKind
    from ledgers.kinds import LEDGERS
    from reviews import round_services
    from reviews import services as application_services
    from studios import lifecycle
    from studios.services import RENAME_TRANSITIONS

    def ledger(verb):
        return [f"ledger.{slug}.{verb}" for slug in LEDGERS]

    return {
        "f'studio.{action}'": [f"studio.{a}" for a in lifecycle.ACTIONS],
        "f'rename.{new_status}'": [f"rename.{s}" for s in RENAME_TRANSITIONS.values()],
        "f'application.{action}'": [
            f"application.{a}" for _status, a in application_services.TRANSITIONS
        ],
        "f'review_round.{action}'": [
            f"review_round.{a}" for _status, a in round_services.ROUND_TABLE
        ],
        "f'review_decision.signed_{body}'": [
            f"review_decision.signed_{b}" for b in round_services.SIGN_OFF_BODIES
        ],
        "f'funding.sanction_{sanction.kind}'": [f"funding.sanction_{k}" for k in SanctionKind],
        # audit.admin_audit picks one of its ADMIN_EVENTS into ``action``.
        "action": list(ADMIN_EVENTS),
        "'funding.disbursement_reversal_rejected' if disbursement.is_reversal else "
        "'funding.disbursement_rejected'": [
            "funding.disbursement_reversal_rejected",
            "funding.disbursement_rejected",
        ],
        "f'ledger.{ledger.slug}.added'": ledger("added"),
        "f'ledger.{ledger.slug}.updated'": ledger("updated"),
        "f'ledger.{ledger.slug}.deleted'": ledger("deleted"),
        "f'ledger.{ledger.slug}.imported'": ledger("imported"),
    }


def _source_files():
    skip = {".venv", "tests", "migrations", "node_modules", "bench", ".git"}
    for path in sorted(ROOT.rglob("*.py")):
        if not skip.intersection(path.relative_to(ROOT).parts):
            yield path


def written_codes() -> tuple[set[str], list[str]]:
    """(every action code the sources write, calls whose code the scan cannot resolve)."""
    dynamic = _dynamic_expansions()
    codes, unresolved = set(), []
    for path in _source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name != "record_event" or len(node.args) < 2:
                continue
            arg = node.args[1]
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                codes.add(arg.value)
            elif ast.unparse(arg) in dynamic:
                codes.update(str(c) for c in dynamic[ast.unparse(arg)])
            else:
                unresolved.append(f"{where}: {ast.unparse(arg)}")
    return codes, unresolved


def test_the_scan_finds_the_codes_it_should():
    """The scan itself can fail: it finds literal and dynamic codes of every app."""
    codes, _unresolved = written_codes()
    for code in (
        "review_round.score_submitted",
        "studio.revoke",
        "review_decision.signed_bureau",
        "funding.sanction_bar",
        "ledger.patents.imported",
        "application.return",
        "rename.refused",
    ):
        assert code in codes


def test_every_record_event_call_has_a_code_the_scan_can_resolve():
    _codes, unresolved = written_codes()
    assert unresolved == [], (
        "record_event with a code built at run time: add its expansion to "
        f"_dynamic_expansions(): {unresolved}"
    )


def test_every_action_the_code_base_writes_is_registered_with_an_audience():
    codes, _unresolved = written_codes()
    missing = sorted(c for c in codes if spec_for(c) is None)
    assert missing == [], f"register these with audit.registry.register_actions: {missing}"


def test_every_written_or_registered_action_has_a_row_in_the_table():
    codes, _unresolved = written_codes()
    known = codes | set(registered_actions())
    assert sorted(known - TABLE_CODES) == []
    assert sorted(TABLE_CODES - known) == []


CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("code", sorted(TABLE_CODES))
def test_every_action_reads_in_both_languages_not_as_its_code(code):
    spec = spec_for(code)
    assert spec is not None
    for label in filter(None, (spec.label, spec.applicant_label)):
        with translation.override("zh-hans"):
            zh = str(label)
        with translation.override("en"):
            en = str(label)
        assert zh != code and en != code
        assert zh != en, f"{code}: no Chinese label ({en!r})"
        assert CJK.search(zh), f"{code}: {zh!r}"


# --- Who reads what ---------------------------------------------------------------------------


@pytest.fixture
def users():
    return {
        "union": UnionUserFactory(),
        "finance": FinanceUserFactory(),
        "auditor": AuditorFactory(),
        "expert": ExpertUserFactory(),
        "district": DistrictStaffFactory(),
        "bureau": BureauStaffFactory(),
        "admin": AdminFactory(),
    }


@pytest.fixture
def one_event_per_row():
    """One event of each (code, variant) of the table, all on one studio: pk -> row."""
    studio = StudioFactory()
    actor = DistrictStaffFactory()
    rows = {}
    with transaction.atomic():
        for code, variant in ROWS:
            after = {"state": variant} if variant else {}
            event = record_event(actor, code, studio, after=after, studio=studio)
            rows[event.pk] = (code, variant)
    return rows


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_exactly_what_the_table_says(role, users, one_event_per_row):
    seen = {
        one_event_per_row[pk]
        for pk in visible_to(AuditEvent.objects.all(), users[role]).values_list("pk", flat=True)
    }
    expected = {row for row, readers in ROWS.items() if role in readers}
    assert sorted(seen ^ expected) == []


@pytest.mark.django_db
def test_r17_experts_read_no_event_not_even_their_own(users):
    studio = StudioFactory()
    with transaction.atomic():
        record_event(users["expert"], "review_round.score_submitted", studio, studio=studio)
    assert audience_of(users["expert"]) is None
    assert not visible_to(AuditEvent.objects.all(), users["expert"]).exists()


@pytest.mark.django_db
def test_an_action_nobody_registered_is_read_by_staff_only(users):
    """Fail closed: a code without a spec reaches no applicant, finance or auditor."""
    studio = StudioFactory()
    with transaction.atomic():
        record_event(users["district"], "nobody.registered_this", studio, studio=studio)
    readers = {
        role
        for role, user in users.items()
        if visible_to(AuditEvent.objects.all(), user).filter(action="nobody.registered_this")
    }
    assert readers == STAFF_ROLES


def test_staff_is_always_an_audience_and_unknown_audiences_are_refused():
    from django.core.exceptions import ImproperlyConfigured

    assert ActionSpec(label="x", audiences={APPLICANT}).audiences == {APPLICANT, STAFF}
    with pytest.raises(ImproperlyConfigured):
        ActionSpec(label="x", audiences={"experts"})


def test_a_code_registered_twice_with_another_meaning_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        register_actions({"studio.revoke": ActionSpec(label="other", audiences={APPLICANT})})
    # The same spec again (a second ``ready()``) is harmless.
    register_actions({"studio.revoke": spec_for("studio.revoke")})
