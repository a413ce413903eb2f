"""Every URL of the project, as every role: allowed or denied as this table says.

A new URL without a row here fails ``test_every_url_is_in_the_table``: whoever adds a page says
who may see it. Outcomes: ``OK`` (2xx, or a redirect that is not to the login page), ``LOGIN``
(anonymous users are sent to log in), ``403``, ``404`` (another enterprise's objects are simply
not found, R20), ``405`` (wrong method).
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

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
from tests.factories.studios import CertificateFactory, EligibleStudioFactory, HonourFactory

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
    certificate: object = None
    rename: object = None
    batch: object = None


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
    w.certificate = CertificateFactory(studio=w.studio)
    w.rename = RenameRequest.objects.create(
        studio=w.studio, old_name=w.studio.name, new_name="新名称", new_leader_name="新领军人"
    )
    w.batch = CertificateBatch.objects.create(certificate_ids=[w.certificate.pk])
    return w


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

# name: (kwargs, method, outcomes)
TABLE = {
    "accounts:home": (no_args, "get", expect(OK)),
    "accounts:login": (no_args, "get", expect(OK, anon=OK)),
    "accounts:logout": (no_args, "post", expect(OK, anon=OK)),
    "accounts:inbox": (no_args, "get", expect(OK)),
    "accounts:inbox_mark_read": (no_args, "post", expect(OK)),
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
