"""R23: a studio holding the title changes its name and leader only through a rename request.
The edit pages show them read-only (citing Article 23); a posted change is refused with code R23
and nothing changes, even when the form is bypassed; the other fields stay editable."""

from datetime import date
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from core.refusals import Refusal
from studios import lifecycle, services
from studios.models import Leader, Studio
from tests.factories.accounts import DistrictStaffFactory, UnionUserFactory
from tests.factories.studios import EligibleStudioFactory

pytestmark = pytest.mark.django_db
QUERY_BOUND = 10  # measured: 9 (studio edit), leader page fewer; a constant, not per row


class _FormValues(HTMLParser):
    """What a browser posts from a page's form: every enabled field with its pre-filled value
    (checked boxes only, the selected option, textareas' text); disabled fields are not sent."""

    def __init__(self):
        super().__init__()
        self.values, self.disabled = {}, set()
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag in ("input", "textarea", "select") and name and "disabled" in a:
            self.disabled.add(name)
            return
        if tag == "input" and name and a.get("type") not in ("submit", "file", "button"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.values[name] = a.get("value", "on")
            else:
                self.values[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def browser_form(page) -> _FormValues:
    parser = _FormValues()
    parser.feed(page.content.decode())
    return parser


@pytest.fixture
def titled():
    union = UnionUserFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise, name="旧名创新工作室")
    lifecycle.recognise(studio, DistrictStaffFactory(), on=date(2025, 6, 20))
    studio.refresh_from_db()
    return union, studio


def test_r23_union_cannot_rename_a_titled_studio_through_edit(titled, client_for):
    union, studio = titled
    client = client_for(union)
    url = reverse("studios:studio_edit", args=[studio.pk])
    page = client.get(url)
    form = browser_form(page)
    assert "name" in form.disabled  # shown read-only
    assert "第二十三条" in page.content.decode()
    events = AuditEvent.objects.count()
    # A tampered post: every field as pre-filled, plus a changed name and a changed address.
    response = client.post(url, {**form.values, "name": "新名创新工作室", "address": "新地址"})
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["name"]
    assert [e.code for e in errors] == ["R23"]
    assert "第二十三条" in errors[0].messages[0]
    studio.refresh_from_db()
    assert (studio.name, studio.address) == ("旧名创新工作室", "")
    assert AuditEvent.objects.count() == events


def test_r23_other_fields_of_a_titled_studio_stay_editable(titled, client_for):
    union, studio = titled
    client = client_for(union)
    url = reverse("studios:studio_edit", args=[studio.pk])
    form = browser_form(client.get(url))
    response = client.post(url, {**form.values, "address": "科创十三街", "area_m2": "21.5"})
    assert response.status_code == 302
    studio.refresh_from_db()
    assert (studio.name, studio.address, str(studio.area_m2)) == (
        "旧名创新工作室",
        "科创十三街",
        "21.50",
    )


def test_r23_union_cannot_change_the_leader_of_a_titled_studio_through_the_leader_page(
    titled, client_for
):
    union, studio = titled
    client = client_for(union)
    leader = studio.current_leader
    url = reverse("studios:leader_edit", args=[studio.pk])
    page = client.get(url)
    form = browser_form(page)
    assert "name" in form.disabled and "第二十三条" in page.content.decode()
    response = client.post(url, {**form.values, "name": "新领军人", "phone": "13800000000"})
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["name"]] == ["R23"]
    leader.refresh_from_db()
    assert (leader.name, leader.phone) != ("新领军人", "13800000000")
    assert leader.name != "新领军人" and Leader.objects.filter(studio=studio).count() == 1
    # The other details stay editable.
    response = client.post(url, {**form.values, "phone": "13800000000"})
    assert response.status_code == 302
    leader.refresh_from_db()
    assert leader.phone == "13800000000" and leader.name != "新领军人"


def test_r23_service_refuses_renaming_a_titled_studio_and_changes_nothing(titled):
    union, studio = titled
    events = AuditEvent.objects.count()
    with pytest.raises(Refusal) as exc:
        services.update_studio(union, studio, {"name": "新名创新工作室", "address": "新地址"})
    assert exc.value.code == "R23"
    studio.refresh_from_db()
    assert (studio.name, studio.address) == ("旧名创新工作室", "")
    assert AuditEvent.objects.count() == events


def test_r23_service_refuses_changing_the_leader_of_a_titled_studio(titled):
    union, studio = titled
    leader = studio.current_leader
    with pytest.raises(Refusal) as exc:
        services.update_leader(union, leader, {"name": "新领军人"})
    assert exc.value.code == "R23"
    with pytest.raises(Refusal) as exc:
        services.appoint_leader(union, studio, {"name": "新领军人", "since": date(2026, 1, 1)})
    assert exc.value.code == "R23"
    leader.refresh_from_db()
    assert leader.until is None and Leader.objects.filter(studio=studio).count() == 1


def test_r23_an_applicant_may_still_rename_itself(client_for):
    union = UnionUserFactory()
    studio = EligibleStudioFactory(enterprise=union.enterprise, name="旧名创新工作室")
    services.update_studio(union, studio, {"name": "新名创新工作室"})
    assert Studio.objects.get(pk=studio.pk).name == "新名创新工作室"


@pytest.mark.parametrize("url_name", ["studios:studio_edit", "studios:leader_edit"])
def test_r23_edit_pages_of_a_titled_studio_run_a_bounded_number_of_queries(
    titled, client_for, django_assert_max_num_queries, url_name
):
    union, studio = titled
    client = client_for(union)
    with django_assert_max_num_queries(QUERY_BOUND):
        response = client.get(reverse(url_name, args=[studio.pk]))
    assert response.status_code == 200
