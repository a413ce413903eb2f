"""Every URL of the project, as every role: allowed or denied as this table says.

A new URL without a row here fails ``test_every_url_is_in_the_table``: whoever adds a page says
who may see it. Outcomes: ``OK`` (2xx, or a redirect that is not to the login page), ``LOGIN``
(anonymous users are sent to log in), ``403``, ``404`` (another enterprise's objects are simply
not found, R20), ``405`` (wrong method).
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from studios.decision_models import LifecycleDecision
from studios.lifecycle_models import CertificateBatch, RenameRequest
from tests.factories.accounts import (
    AdminFactory,
    AuditorFactory,
    BureauStaffFactory,
    DistrictStaffFactory,
    ExpertUserFactory,
    FinanceUserFactory,
    UnionUserFactory,
)
from tests.factories.funding import (
    DisbursementFactory,
    ExpenditureFactory,
    GrantFactory,
    RepaymentFactory,
    SanctionFactory,
)
from tests.factories.ledgers import ActivityEvidenceFactory, ActivityFactory
from tests.factories.reviews import (
    ApplicationFactory,
    CallFactory,
    MaterialFactory,
    png_upload,
)
from tests.factories.studios import (
    CertificateFactory,
    EligibleStudioFactory,
    HonourFactory,
    pdf_file,
)

ROLES = [
    "anon",
    "union",
    "other_union",
    "district",
    "bureau",
    "expert",
    "finance",
    "auditor",
    "admin",
]
OK, LOGIN = "ok", "login"


@dataclass
class World:
    users: dict = field(default_factory=dict)
    studio: object = None
    member: object = None
    honour: object = None
    call: object = None
    application: object = None  # submitted, with a PDF and a photo
    draft: object = None  # a draft of another studio of the same enterprise, with a PDF
    activity: object = None
    evidence: object = None
    grant: object = None
    disbursement: object = None
    expenditure: object = None
    suspension: object = None
    recovery: object = None
    repayment: object = None
    certificate: object = None
    rename: object = None
    batch: object = None
    review_round: object = None  # scoring open; one entry (the application) with a decision
    entry: object = None
    assignment: object = None  # the world's expert on the entry
    stage_photo: object = None
    correction: object = None
    lifecycle_decision: object = None  # a revocation the district union proposed (R3)


@pytest.fixture
def world(db):
    w = World()
    w.users["union"] = UnionUserFactory()
    w.users["other_union"] = UnionUserFactory()
    w.users["district"] = DistrictStaffFactory()
    w.users["bureau"] = BureauStaffFactory()
    w.users["expert"] = ExpertUserFactory()
    w.users["finance"] = FinanceUserFactory()
    w.users["auditor"] = AuditorFactory()
    w.users["admin"] = AdminFactory()
    w.studio = EligibleStudioFactory(enterprise=w.users["union"].enterprise)
    w.member = w.studio.members.first()
    w.honour = HonourFactory(leader=w.studio.leaders.first())
    _add_applications(w)
    w.activity = ActivityFactory(studio=w.studio)
    w.evidence = ActivityEvidenceFactory(activity=w.activity)
    w.grant = GrantFactory(studio=w.studio)
    w.disbursement = DisbursementFactory(grant=w.grant, attachment=pdf_file("voucher.pdf"))
    w.expenditure = ExpenditureFactory(studio=w.studio, recorded_by=w.users["union"])
    w.suspension = SanctionFactory(violation__studio=w.studio)
    w.recovery = SanctionFactory(
        violation__studio=w.studio, kind="recover", grant=w.grant, amount_due=1000
    )
    w.repayment = RepaymentFactory(sanction=w.recovery)
    w.certificate = CertificateFactory(studio=w.studio)
    w.rename = RenameRequest.objects.create(
        studio=w.studio, old_name=w.studio.name, new_name="新名称", new_leader_name="新领军人"
    )
    w.batch = CertificateBatch.objects.create(certificate_ids=[w.certificate.pk])
    w.lifecycle_decision = LifecycleDecision.objects.create(
        studio=w.studio,
        action="revoke",
        from_status="in_cycle",
        to_status="revoked",
        details={"reasons": [3]},
        effective_on="2026-01-05",
        proposed_by=w.users["district"],
        union_signed_by=w.users["district"],
        union_signed_at="2026-01-05T10:00:00+08:00",
        union_signer_role="district_union",
    )
    _add_review_round(w)
    return w


def _add_review_round(w):
    from django.core.files.base import ContentFile

    from reviews.round_models import Decision, HonourCorrection, RoundStatus, StagePhoto
    from tests.factories.reviews import png_bytes
    from tests.factories.rounds import AssignmentFactory, ReviewRoundFactory, RoundEntryFactory
    from tests.factories.studios import pdf_file

    w.review_round = ReviewRoundFactory(status=RoundStatus.SCORING)
    w.entry = RoundEntryFactory(round=w.review_round, studio=w.studio, application=w.application)
    w.assignment = AssignmentFactory(entry=w.entry, expert=w.users["expert"])
    stage = w.review_round.stages.create(kind="defence")
    w.stage_photo = StagePhoto.objects.create(
        stage=stage, file=ContentFile(png_bytes(), name="p.png"), original_name="p.png"
    )
    w.correction = HonourCorrection.objects.create(
        entry=w.entry, action="add", honour_kind="yicheng_talent", evidence=pdf_file(), reason="x"
    )
    Decision.objects.create(entry=w.entry, outcome="recognise")


def _add_applications(w):
    from reviews import services
    from reviews.services import Action, transition

    union = w.users["union"]
    w.call = CallFactory()
    w.application = ApplicationFactory(call=w.call, studio=w.studio)
    MaterialFactory(application=w.application)
    services.add_material(union, w.application, "photos", png_upload())
    transition(union, w.application, Action.SUBMIT)
    w.application.refresh_from_db()
    w.draft = ApplicationFactory(
        call=w.call, studio=EligibleStudioFactory(enterprise=union.enterprise)
    )
    MaterialFactory(application=w.draft)


def expect(default=None, **by_role):
    """Outcome per role; anonymous users are sent to log in unless said otherwise."""
    table = dict.fromkeys(ROLES, default)
    table["anon"] = LOGIN
    table.update(by_role)
    return table


def only(roles: str, denied="403", **more):
    allowed = set(roles.split())
    table = {role: (OK if role in allowed else denied) for role in ROLES}
    table["anon"] = LOGIN
    table.update(more)
    return table


no_args = lambda w: {}  # noqa: E731
studio_pk = lambda w: {"pk": w.studio.pk}  # noqa: E731
enterprise_pk = lambda w: {"pk": w.studio.enterprise_id}  # noqa: E731

STUDIO_READERS = "union district bureau finance auditor admin"
STAFF = "district bureau admin"
#: Roles with no studio in their scope: the studio is simply not found for them.
OUT_OF_SCOPE = {"other_union": "404", "expert": "404"}

call_pk = lambda w: {"pk": w.call.pk}  # noqa: E731
application_pk = lambda w: {"pk": w.application.pk}  # noqa: E731
draft_pk = lambda w: {"pk": w.draft.pk}  # noqa: E731
#: Applications are visible to their enterprise's union and to staff; for everyone else they
#: do not exist (experts reach theirs through review rounds, issue #4).
APPLICATION_READERS = "union district bureau admin"
ASSIGNED_READERS = APPLICATION_READERS + " expert"


def photo_of(w):
    return {"pk": w.application.pk, "material_pk": w.application.materials.get(kind="photos").pk}


FUND_READERS = "district bureau finance auditor admin"
grant_pk = lambda w: {"pk": w.grant.pk}  # noqa: E731
disbursement_pk = lambda w: {"pk": w.disbursement.pk}  # noqa: E731
expenditure_pk = lambda w: {"pk": w.expenditure.pk}  # noqa: E731

# name: (kwargs, method, outcomes)
TABLE = {
    "accounts:home": (no_args, "get", expect(OK)),
    "accounts:login": (no_args, "get", expect(OK, anon=OK)),
    "accounts:logout": (no_args, "post", expect(OK, anon=OK)),
    "accounts:inbox": (no_args, "get", expect(OK)),
    "accounts:inbox_mark_read": (no_args, "post", expect(OK)),
    "accounts:password_change": (no_args, "get", expect(OK)),
    "accounts:password_change_done": (no_args, "get", expect(OK)),
    "accounts:password_reset": (no_args, "get", expect(OK, anon=OK)),
    "accounts:password_reset_done": (no_args, "get", expect(OK, anon=OK)),
    "accounts:password_reset_confirm": (
        lambda w: {"uidb64": "MQ", "token": "no-such-token"},
        "get",
        expect(OK, anon=OK),  # an invalid link says so
    ),
    "accounts:password_reset_complete": (no_args, "get", expect(OK, anon=OK)),
    "set_language": (no_args, "post", expect(OK, anon=OK)),
    "audit:event_list": (no_args, "get", only("district bureau auditor admin")),
    "studios:studio_list": (
        no_args,
        "get",
        only("union other_union district bureau finance auditor admin"),
    ),
    "studios:studio_create": (no_args, "get", only("union other_union")),
    "studios:studio_detail": (studio_pk, "get", only(STUDIO_READERS, **OUT_OF_SCOPE)),
    "studios:studio_edit": (studio_pk, "get", only("union admin", **OUT_OF_SCOPE)),
    "studios:studio_document": (
        lambda w: {"pk": w.studio.pk, "field": "work_rules"},
        "get",
        only("union district bureau admin", **OUT_OF_SCOPE),
    ),
    "studios:leader_edit": (studio_pk, "get", only("union admin", **OUT_OF_SCOPE)),
    "studios:honour_add": (studio_pk, "get", only("union admin", **OUT_OF_SCOPE)),
    "studios:honour_remove": (
        lambda w: {"pk": w.studio.pk, "honour_pk": w.honour.pk},
        "post",
        only("union admin", **OUT_OF_SCOPE),
    ),
    "studios:honour_evidence": (
        lambda w: {"pk": w.studio.pk, "honour_pk": w.honour.pk},
        "get",
        # The honour has no evidence file: those allowed get 404 for the missing file.
        only(
            "", denied="403", union="404", district="404", bureau="404", admin="404", **OUT_OF_SCOPE
        ),
    ),
    "studios:member_add": (studio_pk, "get", only("union admin", **OUT_OF_SCOPE)),
    "studios:member_edit": (
        lambda w: {"pk": w.studio.pk, "member_pk": w.member.pk},
        "get",
        only("union admin", **OUT_OF_SCOPE),
    ),
    "studios:enterprise_list": (no_args, "get", only("district bureau finance auditor admin")),
    "studios:my_enterprise": (no_args, "get", only("union other_union")),
    "studios:enterprise_create": (no_args, "get", only(STAFF)),
    "studios:enterprise_detail": (enterprise_pk, "get", only(STUDIO_READERS, **OUT_OF_SCOPE)),
    "studios:enterprise_edit": (
        enterprise_pk,
        "get",
        only("union district bureau admin", **OUT_OF_SCOPE),
    ),
    "reviews:call_list": (no_args, "get", only(STAFF)),
    "reviews:call_create": (no_args, "get", only(STAFF)),
    "reviews:call_edit": (call_pk, "get", only(STAFF)),
    "reviews:call_publish": (call_pk, "post", only(STAFF)),
    "reviews:call_instructions": (
        call_pk,
        "get",
        # The call has no instructions document: those allowed get 404 for the missing file.
        only("", union="404", other_union="404", district="404", bureau="404", admin="404"),
    ),
    "reviews:application_list": (no_args, "get", only("union other_union " + STAFF)),
    "reviews:application_start": (no_args, "get", only("union other_union admin")),
    # The world's expert is assigned to this application's round entry: may read it, nothing else.
    "reviews:application_detail": (application_pk, "get", only(ASSIGNED_READERS, "404")),
    "reviews:application_step": (
        lambda w: {"pk": w.draft.pk, "step": "facts"},
        "get",
        only("union admin", "404", district="403", bureau="403"),
    ),
    "reviews:application_submit": (
        draft_pk,
        "post",
        only("union admin", "404", district="403", bureau="403"),
    ),
    "reviews:application_withdraw": (
        application_pk,
        "post",
        only("union admin", "404", district="403", bureau="403", expert="403"),
    ),
    "reviews:application_check": (
        application_pk,
        "get",
        only(STAFF, "404", union="403", expert="403"),
    ),
    "reviews:application_receipt": (application_pk, "get", only(ASSIGNED_READERS, "404")),
    "reviews:application_receipt_pdf": (
        application_pk,
        "get",
        only(ASSIGNED_READERS, "404"),
    ),
    "reviews:application_dossier": (
        application_pk,
        "get",
        only(STAFF, "404", union="403", expert="403"),
    ),
    "reviews:material_download": (photo_of, "get", only(ASSIGNED_READERS, "404")),
    "reviews:material_thumbnail": (photo_of, "get", only(ASSIGNED_READERS, "404")),
    "reviews:material_remove": (
        lambda w: {"pk": w.draft.pk, "material_pk": w.draft.materials.get().pk},
        "post",
        only("union admin", "404", district="403", bureau="403"),
    ),
    "ledgers:studio_ledgers": (studio_pk, "get", only(STUDIO_READERS, **OUT_OF_SCOPE)),
    "ledgers:studio_export": (studio_pk, "get", only(STUDIO_READERS, **OUT_OF_SCOPE)),
    "ledgers:evidence": (
        lambda w: {"pk": w.studio.pk, "evidence_pk": w.evidence.pk},
        "get",
        only("union district bureau admin", **OUT_OF_SCOPE),
    ),
    "ledgers:entry_add": (
        lambda w: {"pk": w.studio.pk, "ledger": "activities"},
        "get",
        only("union admin", **OUT_OF_SCOPE),
    ),
    "ledgers:entry_import": (
        lambda w: {"pk": w.studio.pk, "ledger": "patents"},
        "get",
        only("union admin", **OUT_OF_SCOPE),
    ),
    "ledgers:entry_edit": (
        lambda w: {"pk": w.studio.pk, "ledger": "activities", "entry_pk": w.activity.pk},
        "get",
        only("union admin", **OUT_OF_SCOPE),
    ),
    "ledgers:entry_delete": (
        lambda w: {"pk": w.studio.pk, "ledger": "activities", "entry_pk": w.activity.pk},
        "post",
        only("union admin", **OUT_OF_SCOPE),
    ),
    "ledgers:enterprise_export": (
        enterprise_pk,
        "get",
        only("union district bureau admin", **OUT_OF_SCOPE),
    ),
    "ledgers:import_template": (lambda w: {"ledger": "patents"}, "get", expect(OK)),
    "ledgers:district_export": (no_args, "get", only("district bureau auditor admin")),
    "ledgers:compliance_grid": (no_args, "get", only(STAFF)),
    "ledgers:dashboard": (no_args, "get", only(STAFF)),
    "funding:dashboard": (no_args, "get", only(FUND_READERS)),
    "funding:money_export": (no_args, "get", only(FUND_READERS)),
    "funding:grant_list": (no_args, "get", only(f"{FUND_READERS} union other_union")),
    "funding:grant_detail": (grant_pk, "get", only(STUDIO_READERS, **OUT_OF_SCOPE)),
    "funding:disbursement_create": (grant_pk, "get", only("finance admin", **OUT_OF_SCOPE)),
    "funding:disbursement_approve": (
        disbursement_pk,
        "post",
        only("finance admin", **OUT_OF_SCOPE),
    ),
    "funding:disbursement_reject": (
        disbursement_pk,
        "post",
        only("finance admin", **OUT_OF_SCOPE),
    ),
    "funding:disbursement_reverse": (
        disbursement_pk,
        "get",
        only("finance admin", **OUT_OF_SCOPE),
    ),
    "funding:disbursement_attachment": (
        disbursement_pk,
        "get",
        only(STUDIO_READERS, **OUT_OF_SCOPE),
    ),
    "funding:studio_funds": (studio_pk, "get", only(STUDIO_READERS, **OUT_OF_SCOPE)),
    "funding:statement_pdf": (studio_pk, "get", only(STUDIO_READERS, **OUT_OF_SCOPE)),
    "funding:expenditure_create": (studio_pk, "get", only("union admin", **OUT_OF_SCOPE)),
    "funding:expenditure_reverse": (expenditure_pk, "get", only("union admin", **OUT_OF_SCOPE)),
    "funding:expenditure_reversal_approve": (
        expenditure_pk,
        "post",
        only("finance admin", **OUT_OF_SCOPE),
    ),
    "funding:expenditure_reversal_reject": (
        expenditure_pk,
        "post",
        only("finance admin", **OUT_OF_SCOPE),
    ),
    "funding:expenditure_receipt": (
        expenditure_pk,
        "get",
        only(STUDIO_READERS, **OUT_OF_SCOPE),
    ),
    "funding:violation_create": (
        studio_pk,
        "get",
        only("district bureau finance admin", **OUT_OF_SCOPE),
    ),
    "funding:violation_evidence": (
        lambda w: {"pk": w.suspension.violation_id},
        "get",
        only(FUND_READERS, **OUT_OF_SCOPE),
    ),
    "funding:sanction_list": (no_args, "get", only(FUND_READERS)),
    "funding:suspension_lift": (
        lambda w: {"pk": w.suspension.pk},
        "get",
        only("district bureau finance admin", **OUT_OF_SCOPE),
    ),
    "funding:repayment_create": (
        lambda w: {"pk": w.recovery.pk},
        "get",
        only("finance admin", **OUT_OF_SCOPE),
    ),
    "funding:repayment_receipt": (
        lambda w: {"pk": w.repayment.pk},
        "get",
        only(STUDIO_READERS, **OUT_OF_SCOPE),
    ),
    # The lifecycle (issue 5)
    "studios:lifecycle_action": (studio_pk, "get", only(STAFF, **OUT_OF_SCOPE)),
    "studios:municipal_recommend": (studio_pk, "get", only(STAFF, **OUT_OF_SCOPE)),
    "studios:rename_request": (studio_pk, "get", only("union admin", **OUT_OF_SCOPE)),
    "studios:certificate_pdf": (
        lambda w: {"pk": w.studio.pk, "certificate_pk": w.certificate.pk},
        "get",
        only(STUDIO_READERS, **OUT_OF_SCOPE),
    ),
    "studios:certificate_regenerate": (studio_pk, "post", only(STAFF, **OUT_OF_SCOPE)),
    # R3: staff open a decision awaiting a signature; the union sees nothing of it.
    "studios:lifecycle_decision_sign": (
        lambda w: {"pk": w.lifecycle_decision.pk},
        "get",
        only(STAFF, **OUT_OF_SCOPE),
    ),
    # Only the proposing body withdraws (the district union proposed this one).
    "studios:lifecycle_decision_withdraw": (
        lambda w: {"pk": w.lifecycle_decision.pk},
        "post",
        only("district", **OUT_OF_SCOPE),
    ),
    "studios:schedules": (no_args, "get", only(STAFF)),
    "studios:rename_list": (no_args, "get", only(STAFF)),
    "studios:rename_decide": (lambda w: {"pk": w.rename.pk}, "get", only(STAFF)),
    "studios:certificate_batches": (no_args, "get", only(STAFF)),
    "studios:certificate_batch": (lambda w: {"pk": w.batch.pk}, "get", only(STAFF)),
    "studios:certificate_batch_progress": (lambda w: {"pk": w.batch.pk}, "get", only(STAFF)),
    "studios:certificate_batch_resume": (lambda w: {"pk": w.batch.pk}, "post", only(STAFF)),
    "studios:directory": (no_args, "get", expect(OK, anon=OK)),
    "studios:verify_certificate": (
        lambda w: {"code": w.certificate.code},
        "get",
        expect(OK, anon=OK),
    ),
}

round_pk = lambda w: {"pk": w.review_round.pk}  # noqa: E731
entry_of = lambda w: {"pk": w.review_round.pk, "entry_pk": w.entry.pk}  # noqa: E731
own_entry = lambda w: {"entry_pk": w.entry.pk}  # noqa: E731
assignment_pk = lambda w: {"pk": w.assignment.pk}  # noqa: E731
#: Review rounds exist only for staff; an expert reaches only their own assigned entries.
ROUND_STAFF = only(STAFF, "404")
EXPERT_ONLY = only("expert", "404")

TABLE |= {
    "reviews:round_from_schedule": (no_args, "post", only(STAFF)),
    "reviews:round_list": (no_args, "get", only(STAFF)),
    "reviews:round_create": (no_args, "get", only(STAFF)),
    "reviews:round_detail": (round_pk, "get", ROUND_STAFF),
    "reviews:round_edit": (round_pk, "get", ROUND_STAFF),
    "reviews:round_rubric": (round_pk, "get", ROUND_STAFF),
    "reviews:round_stage": (
        lambda w: {"pk": w.review_round.pk, "stage_pk": w.stage_photo.stage_id},
        "get",
        ROUND_STAFF,
    ),
    "reviews:stage_photo": (
        lambda w: {"pk": w.review_round.pk, "photo_pk": w.stage_photo.pk},
        "get",
        ROUND_STAFF,
    ),
    "reviews:round_transition": (
        lambda w: {"pk": w.review_round.pk, "action": "close_scoring"},
        "post",
        ROUND_STAFF,
    ),
    "reviews:round_auto_assign": (round_pk, "post", ROUND_STAFF),
    "reviews:round_results": (round_pk, "get", ROUND_STAFF),
    "reviews:entry_detail": (entry_of, "get", ROUND_STAFF),
    "reviews:entry_material": (
        lambda w: {**entry_of(w), "material_pk": w.application.materials.first().pk},
        "get",
        ROUND_STAFF,
    ),
    "reviews:entry_score_sheet": (entry_of, "get", ROUND_STAFF),
    "reviews:decision": (entry_of, "get", ROUND_STAFF),
    # R3, R16: only the district union signs for the union, only the bureau for the bureau.
    "reviews:decision_sign": (
        lambda w: {**entry_of(w), "body": "union"},
        "post",
        only("district", "404", bureau="403", admin="403"),
    ),
    "reviews:correction_evidence": (
        lambda w: {"pk": w.review_round.pk, "correction_pk": w.correction.pk},
        "get",
        ROUND_STAFF,
    ),
    "reviews:assignment_remove": (assignment_pk, "post", ROUND_STAFF),
    "reviews:assignment_reopen": (assignment_pk, "post", ROUND_STAFF),
    "reviews:expert_list": (no_args, "get", only(STAFF)),
    "reviews:expert_edit": (lambda w: {"user_pk": w.users["expert"].pk}, "get", only(STAFF)),
    "reviews:my_reviews": (no_args, "get", only("expert admin")),
    "reviews:score_entry": (own_entry, "get", EXPERT_ONLY),
    "reviews:score_total": (own_entry, "post", EXPERT_ONLY),
    "reviews:declare_conflict": (own_entry, "post", EXPERT_ONLY),
    "reviews:expert_material": (
        lambda w: {**own_entry(w), "material_pk": w.application.materials.first().pk},
        "get",
        EXPERT_ONLY,
    ),
}


def project_url_names(resolver=None, namespace=""):
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's admin: superusers only, guarded by Django itself
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= project_url_names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def test_every_url_is_in_the_table():
    names = project_url_names()
    assert names - TABLE.keys() == set(), "URLs with no row in the permission table"
    assert TABLE.keys() - names == set(), "rows for URLs that no longer exist"


def outcome_of(response) -> str:
    if response.status_code in (301, 302):
        return (
            LOGIN if "/login/" in response["Location"] and "next=" in response["Location"] else OK
        )
    if 200 <= response.status_code < 300:
        return OK
    return str(response.status_code)


CASES = [(name, role) for name in TABLE for role in ROLES]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_url_permission(name, role, world, client):
    kwargs_of, method, outcomes = TABLE[name]
    url = reverse(name, kwargs=kwargs_of(world))
    if role != "anon":
        client.force_login(world.users[role])
    response = getattr(client, method)(url)
    assert outcome_of(response) == outcomes[role], f"{role} {method.upper()} {url}"
