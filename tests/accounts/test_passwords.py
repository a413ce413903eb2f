"""Users change their password, or reset it by e-mail; an account an administrator created (or
whose password an administrator set) must choose its own password before using the portal."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from accounts.models import User
from studios.management.commands.seed_demo import DEMO_PASSWORD, LOGINS, Command
from tests.factories.accounts import AdminFactory, DistrictStaffFactory, UnionUserFactory
from tests.factories.studios import EnterpriseFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-Test-2026"
NEW_PASSWORD = "Xin-Mima-2026-qiu"


def change(client, old=PASSWORD, new=NEW_PASSWORD):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_a_user_changes_their_password(client, django_assert_max_num_queries):
    user = DistrictStaffFactory()
    client.force_login(user)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200 and "portal-navbar" in page.content.decode()
    response = change(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.session[SESSION_KEY] == str(user.pk)  # still logged in


def test_a_wrong_old_password_changes_nothing(client):
    user = DistrictStaffFactory()
    client.force_login(user)
    response = change(client, old="not-my-password")
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_user_menu_and_the_login_page_link_to_the_password_pages(client):
    user = DistrictStaffFactory()
    login_page = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{reverse("accounts:password_reset")}"' in login_page
    client.force_login(user)
    home = client.get(reverse("accounts:home")).content.decode()
    assert f'href="{reverse("accounts:password_change")}"' in home


def reset_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/password/reset/\S+/)", message.body).group(1)


def test_a_user_resets_their_password_by_e_mail(client):
    user = DistrictStaffFactory(email="staff@example.cn", must_change_password=True)
    response = client.post(reverse("accounts:password_reset"), {"email": "staff@example.cn"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["staff@example.cn"]
    link = reset_link(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.must_change_password
    again = client.get(link, follow=True)  # the link works once
    assert not again.context["validlink"]


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail(client):
    DistrictStaffFactory(email="staff@example.cn")
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.cn"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_a_flagged_user_is_sent_to_change_their_password_from_every_page(client):
    user = UnionUserFactory(must_change_password=True)
    client.force_login(user)
    target = reverse("accounts:password_change")
    for url in [reverse("accounts:home"), reverse("studios:studio_list"), reverse("admin:index")]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == target, url
    htmx = client.get(reverse("accounts:inbox"), HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == target
    page = client.get(target)
    assert page.status_code == 200 and 'id="must-change"' in page.content.decode()


def test_a_flagged_user_can_still_log_out_and_switch_language(client):
    user = UnionUserFactory(must_change_password=True)
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session


def test_changing_the_password_clears_the_flag_and_opens_the_portal(client):
    user = UnionUserFactory(must_change_password=True)
    client.force_login(user)
    assert change(client).status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("accounts:home")).status_code == 200


def test_a_user_created_in_the_admin_must_change_their_password(client):
    client.force_login(AdminFactory())
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newstaff",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
            "role": "district_union",
            "display_name": "新同事",
            "email": "new@example.cn",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(username="newstaff").must_change_password


def test_a_password_an_administrator_sets_for_someone_else_must_be_changed(client):
    staff = DistrictStaffFactory()
    admin = AdminFactory()
    client.force_login(admin)
    url = reverse("admin:auth_user_password_change", args=[staff.pk])  # Django's name for it
    data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    assert client.post(url, data).status_code == 302
    staff.refresh_from_db()
    assert staff.must_change_password and staff.check_password(NEW_PASSWORD)
    own = reverse("admin:auth_user_password_change", args=[admin.pk])
    assert client.post(own, data).status_code == 302
    admin.refresh_from_db()
    assert not admin.must_change_password  # their own: they know it and nobody else does


def test_the_demo_logins_are_not_forced_to_change_their_password(client):
    """`make run` prints the demo logins: they must work as printed."""
    Command().create_users(EnterpriseFactory())
    assert not User.objects.filter(must_change_password=True).exists()
    username = LOGINS[0][0]
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD}
    )
    assert response["Location"] == reverse("accounts:home")
    assert client.get(reverse("accounts:home")).status_code == 200
