"""Changes made in the Django admin go into the portal's audit log with before → after of the
fields that changed: a user's role (R3: who may sign for which body), enterprises, studios and
leader honours."""

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from tests.factories.accounts import AdminFactory, DistrictStaffFactory
from tests.factories.studios import EligibleStudioFactory, HonourFactory

pytestmark = pytest.mark.django_db


def _user_form(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "role": user.role,
        "enterprise": user.enterprise_id or "",
        "display_name": user.display_name,
        "phone": user.phone,
        "language": user.language,
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "initial-date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "initial-date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not False}


def test_r3_a_role_change_in_the_admin_is_audited_with_before_and_after(client_for):
    admin = AdminFactory()
    user = DistrictStaffFactory()
    url = reverse("admin:accounts_user_change", args=[user.pk])
    response = client_for(admin).post(url, _user_form(user, role=Role.BUREAU, is_staff="on"))
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.role == Role.BUREAU
    event = AuditEvent.objects.get(action="admin.changed", object_type="accounts.user")
    assert event.actor == admin and event.object_id == str(user.pk)
    assert event.before == {"role": Role.DISTRICT_UNION, "is_staff": False}
    assert event.after == {"role": Role.BUREAU, "is_staff": True}


def test_an_unchanged_save_in_the_admin_records_no_change(client_for):
    admin = AdminFactory()
    user = DistrictStaffFactory()
    url = reverse("admin:accounts_user_change", args=[user.pk])
    client_for(admin).post(url, _user_form(user))
    assert not AuditEvent.objects.filter(action="admin.changed").exists()


def test_admin_edits_of_a_studio_and_an_enterprise_are_audited(client_for):
    from audit.admin_audit import record_admin_change

    admin = AdminFactory()
    studio = EligibleStudioFactory()
    # The studio admin's change page, posted as a browser would (inlines unchanged).
    page = client_for(admin).get(reverse("admin:studios_studio_change", args=[studio.pk]))
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    for formset in page.context["inline_admin_formsets"]:
        fs = formset.formset
        data.update(
            {
                f"{fs.prefix}-TOTAL_FORMS": str(len(fs.forms)),
                f"{fs.prefix}-INITIAL_FORMS": str(fs.initial_form_count()),
                f"{fs.prefix}-MIN_NUM_FORMS": "0",
                f"{fs.prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for i, f in enumerate(fs.forms):
            for name, field in f.fields.items():
                value = f.initial.get(name, field.initial)
                if value is None or value is False:
                    continue
                key = f"{fs.prefix}-{i}-{name}"
                data[key] = getattr(value, "pk", value)
                if hasattr(data[key], "isoformat"):
                    data[key] = data[key].isoformat()
    data = {k: v for k, v in data.items() if v is not False and not hasattr(v, "name")}
    data["name"] = "改名后的创新工作室"
    data.pop("status", None)
    response = client_for(admin).post(
        reverse("admin:studios_studio_change", args=[studio.pk]), data
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action="admin.changed", object_type="studios.studio")
    assert event.before["name"] == studio.name and event.after["name"] == "改名后的创新工作室"
    assert event.studio_id == studio.pk
    assert record_admin_change is not None


def test_admin_removal_of_a_leader_honour_is_audited(client_for):
    admin = AdminFactory()
    honour = HonourFactory()
    url = reverse("admin:studios_leaderhonour_delete", args=[honour.pk])
    response = client_for(admin).post(url, {"post": "yes"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.deleted", object_type="studios.leaderhonour")
    assert event.before["kind"] == honour.kind and event.after is None
    assert event.studio_id == honour.leader.studio_id


def test_admin_change_of_an_enterprise_is_audited(client_for):
    admin = AdminFactory()
    studio = EligibleStudioFactory()
    enterprise = studio.enterprise
    page = client_for(admin).get(reverse("admin:studios_enterprise_change", args=[enterprise.pk]))
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or value is False:
            continue
        data[name] = getattr(value, "pk", value)
    data["name"] = "新企业名称有限公司"
    response = client_for(admin).post(
        reverse("admin:studios_enterprise_change", args=[enterprise.pk]), data
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action="admin.changed", object_type="studios.enterprise")
    assert event.after == {"name": "新企业名称有限公司"}
