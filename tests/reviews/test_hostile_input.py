"""Hostile input to the call form, every step of the application and the formal check: whatever
is typed or uploaded, the user gets a clear error or a valid save, never a crash; refused input
writes nothing."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from reviews.forms import CallForm, CheckForm, MaterialForm, ProjectForm, ResultForm, TalentForm
from reviews.models import (
    Application,
    ApplicationMaterial,
    ApplicationProject,
    ApplicationResult,
    ApplicationStatus,
    Call,
)
from tests.factories.accounts import DistrictStaffFactory, UnionUserFactory
from tests.factories.reviews import ApplicationFactory, CallFactory
from tests.factories.studios import EligibleStudioFactory
from tests.hostile import (
    HYPOTHESIS,
    TEN_MB_OF_CHINESE,
    counts,
    form_data,
    one_field_hostile,
    plausible_data,
    value_for,
)

pytestmark = pytest.mark.django_db
ROWS = (Call, Application, ApplicationProject, ApplicationResult, ApplicationMaterial)


def assert_refused_cleanly_or_saved(response, before):
    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code != 302:
        assert counts(*ROWS) == before, "a refused form wrote something"


def draft_of_union():
    union = UnionUserFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    return union, ApplicationFactory(studio=studio, call=CallFactory())


CALL = CallForm()


@HYPOTHESIS
@given(data=st.one_of(form_data(CALL), one_field_hostile(CALL, plausible_data(CALL))))
def test_call_form_never_crashes_and_refusals_write_nothing(client, data):
    client.force_login(DistrictStaffFactory())
    before = counts(*ROWS)
    response = client.post(reverse("reviews:call_create"), data)
    assert_refused_cleanly_or_saved(response, before)
    for call in Call.objects.all():
        assert call.closes_at > call.opens_at


def test_a_call_opening_in_year_one_is_refused_on_the_form_not_a_server_error(client):
    """Found by the property test above: 0001-01-01T00:00 in Beijing has no UTC equivalent."""
    client.force_login(DistrictStaffFactory())
    before = counts(*ROWS)
    body = {**plausible_data(CALL), "opens_at": "0001-01-01T00:00", "closes_at": "9999-12-31T23:59"}
    response = client.post(reverse("reviews:call_create"), body)
    assert response.status_code == 200
    assert "opens_at" in response.context["form"].errors
    assert counts(*ROWS) == before


def formset_body(prefix, form_class):
    fields = {name: value_for(field) for name, field in form_class().fields.items()}
    row = st.fixed_dictionaries({f"{prefix}-0-{name}": s for name, s in fields.items()})
    management = {
        f"{prefix}-TOTAL_FORMS": st.sampled_from(["1", "0", "-1", "1000000", "x"]),
        f"{prefix}-INITIAL_FORMS": st.sampled_from(["0", "x"]),
    }
    return st.tuples(row, st.fixed_dictionaries(management)).map(lambda t: {**t[0], **t[1]})


@pytest.mark.parametrize(
    "step, body",
    [
        ("projects", formset_body("projects", ProjectForm)),
        ("results", formset_body("results", ResultForm)),
        ("talent", form_data(TalentForm())),
        ("materials", form_data(MaterialForm())),
    ],
)
@HYPOTHESIS
@given(data=st.data())
def test_application_steps_never_crash(client, step, body, data):
    union, application = draft_of_union()
    client.force_login(union)
    before = counts(*ROWS)
    response = client.post(
        reverse("reviews:application_step", args=[application.pk, step]), data.draw(body)
    )
    assert_refused_cleanly_or_saved(response, before)


@HYPOTHESIS
@given(data=form_data(CheckForm()))
def test_formal_check_never_crashes_and_a_refusal_changes_nothing(client, data):
    union, application = draft_of_union()
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.SUBMITTED)
    client.force_login(DistrictStaffFactory())
    response = client.post(reverse("reviews:application_check", args=[application.pk]), data)
    assert response.status_code in (200, 302, 400)
    if response.status_code != 302:
        application.refresh_from_db()
        assert application.status == ApplicationStatus.SUBMITTED


def test_ten_megabytes_of_chinese_in_a_call_title_is_refused_cleanly(client):
    client.force_login(DistrictStaffFactory())
    response = client.post(
        reverse("reviews:call_create"), plausible_data(CALL, title=TEN_MB_OF_CHINESE)
    )
    assert response.status_code in (200, 400, 413)
    assert Call.objects.count() == 0
