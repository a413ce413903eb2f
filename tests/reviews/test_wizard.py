"""R18: the application wizard's list steps (innovation projects, results) keep what was saved.

Each test posts the step the way a browser does (``tests.browser_post``): the rows already saved
come back pre-filled and unchanged, beside the formset's empty extra row. Issue 13: adding a
second project replaced the first, and re-saving a step without changes deleted every row while
the page said "Draft saved"."""

from datetime import date

import pytest
from django.urls import reverse

from reviews.models import ApplicationProject, ApplicationResult
from tests.browser_post import browser_post
from tests.factories.accounts import UnionUserFactory
from tests.factories.reviews import ApplicationFactory, CallFactory
from tests.factories.studios import EligibleStudioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def union():
    return UnionUserFactory()


@pytest.fixture
def application(union):
    studio = EligibleStudioFactory(enterprise=union.enterprise)
    return ApplicationFactory(studio=studio, call=CallFactory())


def step_url(application, step):
    return reverse("reviews:application_step", args=[application.pk, step])


def projects(application):
    return list(
        application.projects.order_by("pk").values_list(
            "name", "started_on", "status", "applied_in_unit", "description"
        )
    )


def results(application):
    return list(
        application.results.order_by("pk").values_list(
            "title", "kind", "obtained_on", "applied_in_practice", "benefit"
        )
    )


def add_project(application, **fields):
    return ApplicationProject.objects.create(application=application, **fields)


def add_result(application, **fields):
    return ApplicationResult.objects.create(application=application, **fields)


FIRST_PROJECT = {
    "name": "焊缝自动检测系统",
    "started_on": date(2025, 3, 1),
    "status": "已在车间应用",
    "applied_in_unit": True,
    "description": "视觉识别焊缝缺陷。\n第二行。",
}
FIRST_RESULT = {
    "title": "一种焊接夹具",
    "kind": "utility_model",
    "obtained_on": date(2024, 11, 5),
    "applied_in_practice": True,
    "benefit": "年节约工时三百小时。",
}


# --- Projects -----------------------------------------------------------------------------


def test_r18_first_project_typed_into_the_empty_row_is_saved(union, client_for, application):
    client = client_for(union)
    response = browser_post(
        client,
        step_url(application, "projects"),
        "projects-TOTAL_FORMS",
        {"projects-0-name": "焊缝自动检测系统", "projects-0-status": "立项", "save_next": ""},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/steps/results/")
    assert [p[0] for p in projects(application)] == ["焊缝自动检测系统"]


def test_r18_resaving_the_projects_step_without_changes_keeps_every_row(
    union, client_for, application
):
    add_project(application, **FIRST_PROJECT)
    add_project(application, name="数控刀具寿命预测", status="试运行")
    before = projects(application)
    client = client_for(union)
    response = browser_post(
        client, step_url(application, "projects"), "projects-TOTAL_FORMS", {"save_next": ""}
    )
    assert response.status_code == 302
    assert projects(application) == before
    # And a second time, as the user who comes back to the step again.
    browser_post(client, step_url(application, "projects"), "projects-TOTAL_FORMS", {"save": ""})
    assert projects(application) == before


def test_r18_adding_a_second_project_keeps_the_first(union, client_for, application):
    add_project(application, **FIRST_PROJECT)
    client = client_for(union)
    response = browser_post(
        client,
        step_url(application, "projects"),
        "projects-TOTAL_FORMS",
        {"projects-1-name": "数控刀具寿命预测", "projects-1-status": "试运行", "save": ""},
    )
    assert response.status_code == 302
    assert [p[0] for p in projects(application)] == ["焊缝自动检测系统", "数控刀具寿命预测"]
    assert projects(application)[0] == tuple(FIRST_PROJECT.values())


def test_r18_an_edited_project_is_updated(union, client_for, application):
    add_project(application, **FIRST_PROJECT)
    add_project(application, name="数控刀具寿命预测", status="试运行")
    client = client_for(union)
    browser_post(
        client,
        step_url(application, "projects"),
        "projects-TOTAL_FORMS",
        {"projects-1-status": "已推广到三个车间"},
        drop=["projects-0-applied_in_unit"],
    )
    rows = projects(application)
    assert [(r[0], r[2], r[3]) for r in rows] == [
        ("焊缝自动检测系统", "已在车间应用", False),
        ("数控刀具寿命预测", "已推广到三个车间", False),
    ]


def test_r18_a_project_ticked_delete_goes_and_the_others_stay(union, client_for, application):
    add_project(application, **FIRST_PROJECT)
    add_project(application, name="数控刀具寿命预测", status="试运行")
    client = client_for(union)
    browser_post(
        client,
        step_url(application, "projects"),
        "projects-TOTAL_FORMS",
        {"projects-0-DELETE": "on"},
    )
    assert [p[0] for p in projects(application)] == ["数控刀具寿命预测"]


def test_r18_a_filled_extra_row_ticked_delete_is_not_added(union, client_for, application):
    add_project(application, **FIRST_PROJECT)
    client = client_for(union)
    browser_post(
        client,
        step_url(application, "projects"),
        "projects-TOTAL_FORMS",
        {"projects-1-name": "不要了", "projects-1-DELETE": "on"},
    )
    assert [p[0] for p in projects(application)] == ["焊缝自动检测系统"]


def test_r18_an_invalid_row_refuses_the_step_and_changes_nothing(union, client_for, application):
    add_project(application, **FIRST_PROJECT)
    before = projects(application)
    client = client_for(union)
    response = browser_post(
        client,
        step_url(application, "projects"),
        "projects-TOTAL_FORMS",
        {"projects-0-name": "", "projects-1-name": "数控刀具寿命预测"},
    )
    assert response.status_code == 200
    assert "name" in response.context["formset"].forms[0].errors
    assert projects(application) == before


# --- Results ------------------------------------------------------------------------------


def test_r18_resaving_the_results_step_without_changes_keeps_every_row(
    union, client_for, application
):
    add_result(application, **FIRST_RESULT)
    add_result(application, title="焊工培训课程", kind="technique")
    before = results(application)
    client = client_for(union)
    response = browser_post(
        client, step_url(application, "results"), "results-TOTAL_FORMS", {"save_next": ""}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/steps/talent/")
    assert results(application) == before


def test_r18_adding_a_second_result_keeps_the_first(union, client_for, application):
    add_result(application, **FIRST_RESULT)
    client = client_for(union)
    browser_post(
        client,
        step_url(application, "results"),
        "results-TOTAL_FORMS",
        {"results-1-title": "焊工培训课程", "results-1-kind": "technique"},
    )
    assert results(application)[0] == tuple(FIRST_RESULT.values())
    assert [r[0] for r in results(application)] == ["一种焊接夹具", "焊工培训课程"]


def test_r18_a_result_ticked_delete_goes_and_an_edited_one_is_updated(
    union, client_for, application
):
    add_result(application, **FIRST_RESULT)
    add_result(application, title="焊工培训课程", kind="technique")
    client = client_for(union)
    browser_post(
        client,
        step_url(application, "results"),
        "results-TOTAL_FORMS",
        {"results-0-DELETE": "on", "results-1-benefit": "培训焊工四十人次。"},
    )
    assert results(application) == [
        ("焊工培训课程", "technique", None, False, "培训焊工四十人次。")
    ]
