"""Formula injection: a name typed by a user never becomes a live formula in any Excel export.

Every URL that returns an .xlsx is fetched with data whose names start with ``=``, ``+``, ``@``,
``-`` or a tab; every cell is then checked with openpyxl: no formula unless the code itself put
it there (``ALLOWED_FORMULAS``), strings that a spreadsheet would read as a formula are
quote-prefixed, and the text still reads exactly as typed.
"""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.services import record_event
from core.exports import FORMULA_TRIGGERS, XLSX_MIME, Formula, build_workbook
from reviews.round_models import AssignmentState, RoundStatus
from tests.factories.accounts import (
    AuditorFactory,
    BureauStaffFactory,
    DistrictStaffFactory,
    FinanceUserFactory,
    UnionUserFactory,
)
from tests.factories.funding import ExpenditureFactory, GrantFactory, SanctionFactory
from tests.factories.ledgers import ActivityFactory
from tests.factories.reviews import ApplicationFactory
from tests.factories.rounds import AssignmentFactory, ReviewRoundFactory, RoundEntryFactory
from tests.factories.studios import EligibleStudioFactory, EnterpriseFactory, MemberFactory

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "@SUM(1)", "-2+3", "\tcmd"]
#: Formulas the code itself writes, by export: none today.
ALLOWED_FORMULAS: dict[str, set[str]] = {}


@pytest.fixture
def world():
    enterprise = EnterpriseFactory(name=HOSTILE[0])
    studios = [EligibleStudioFactory(enterprise=enterprise, name=name) for name in HOSTILE]
    studio = studios[0]
    MemberFactory(studio=studio, name=HOSTILE[2])
    ActivityFactory(studio=studio, title=HOSTILE[0], description=HOSTILE[1])
    grant = GrantFactory(studio=studio, granted_on=date(2026, 3, 1))
    ExpenditureFactory(studio=studio, payee=HOSTILE[0], purpose=HOSTILE[2])
    SanctionFactory(violation__studio=studio, violation__description=HOSTILE[3])
    ApplicationFactory(studio=studio)
    review_round = ReviewRoundFactory(status=RoundStatus.CLOSED, name=HOSTILE[0])
    entry = RoundEntryFactory(round=review_round, studio=studio)
    AssignmentFactory(entry=entry, state=AssignmentState.SUBMITTED, total=80)
    district = DistrictStaffFactory()
    record_event(district, "test.hostile", grant, reason=HOSTILE[0], studio=studio)
    users = [
        district,
        BureauStaffFactory(),
        FinanceUserFactory(),
        AuditorFactory(),
        UnionUserFactory(enterprise=enterprise),
    ]
    return {"studio": studio, "enterprise": enterprise, "round": review_round, "users": users}


def export_urls(world):
    studio, enterprise = world["studio"], world["enterprise"]
    lists = [
        "studios:studio_list",
        "studios:enterprise_list",
        "audit:event_list",
        "reviews:application_list",
        "reviews:round_list",
        "funding:grant_list",
        "funding:sanction_list",
        "ledgers:compliance_grid",
    ]
    urls = {name: reverse(name) + "?export=xlsx" for name in lists}
    urls["reviews:application_list"] += "&call="  # all calls, not the current one
    from studios import schedules

    for kind in schedules.LISTS:
        urls[f"studios:schedules[{kind}]"] = (
            f"{reverse('studios:schedules')}?list={kind}&export=xlsx"
        )
    urls["reviews:round_results"] = (
        reverse("reviews:round_results", args=[world["round"].pk]) + "?export=xlsx"
    )
    urls["funding:money_export"] = (
        reverse("funding:money_export") + "?start=2026-01-01&end=2026-12-31"
    )
    urls["ledgers:studio_export"] = reverse("ledgers:studio_export", args=[studio.pk])
    urls["ledgers:enterprise_export"] = reverse("ledgers:enterprise_export", args=[enterprise.pk])
    urls["ledgers:district_export"] = reverse("ledgers:district_export")
    urls["ledgers:import_template"] = reverse("ledgers:import_template", args=["activities"])
    return urls


def cells_of(content: bytes):
    book = load_workbook(BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


def test_no_export_turns_a_users_text_into_a_formula(world, client):
    found = set()
    for name, url in export_urls(world).items():
        for user in world["users"]:
            client.force_login(user)
            response = client.get(url)
            if response.status_code == 200 and response["Content-Type"] == XLSX_MIME:
                break
        else:
            pytest.fail(f"{name}: no role could download {url}")
        for cell in cells_of(response.content):
            where = f"{name} {cell.parent.title}!{cell.coordinate} = {cell.value!r}"
            if cell.coordinate in ALLOWED_FORMULAS.get(name, set()):
                continue
            assert cell.data_type != "f", f"formula in {where}"
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
                assert cell.data_type == "s" and cell.quotePrefix, f"not quoted: {where}"
            if cell.value in HOSTILE:
                found.add(cell.value)
    assert found == set(HOSTILE)  # every name still reads exactly as typed


def test_formula_only_where_the_code_wraps_one():
    content = build_workbook(
        [("s", ["a", "b"], [[1, '=HYPERLINK("http://x","y")'], [2, Formula("=SUM(A2:A2)")]])]
    )
    cells = {c.coordinate: c for c in cells_of(content)}
    assert cells["B2"].data_type == "s" and cells["B2"].value == '=HYPERLINK("http://x","y")'
    assert cells["B3"].data_type == "f" and cells["B3"].value == "=SUM(A2:A2)"
    assert cells["A2"].value == 1 and cells["A2"].data_type == "n"
