"""Login: the right password gets in; repeated failures lock that username from that address
(django-axes), on the portal's login page and on the admin's, and nobody else."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from tests.factories.accounts import AdminFactory, DistrictStaffFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-Test-2026"
LIMIT = 5  # settings.AXES_FAILURE_LIMIT


def post_login(client, username, password, address="10.0.0.1", url=None, **headers):
    return client.post(
        url or reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def fail(client, username, times=LIMIT, **kwargs):
    """The form's error for each failure; the LIMIT-th failure is answered with the lock."""
    for attempt in range(1, times + 1):
        response = post_login(client, username, "wrong-password", **kwargs)
        assert response.status_code == (429 if attempt >= LIMIT else 200)
    client.logout()


def test_login_with_right_password_reaches_home(client):
    user = DistrictStaffFactory()
    response = post_login(client, user.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:home")


def test_login_is_refused_after_repeated_failures_even_with_the_right_password(client):
    user = DistrictStaffFactory()
    fail(client, user.username)
    response = post_login(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_the_lockout_page_cites_the_lock_in_the_users_language(client):
    user = DistrictStaffFactory()
    fail(client, user.username)
    response = post_login(client, user.username, PASSWORD, HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert response.status_code == 429
    assert "登录已锁定" in page and "15 分钟" in page and "其他用户不受影响" in page
    assert 'id="locked-out"' in page and "portal-navbar" in page  # the portal's layout
    with translation.override("en"):
        response = post_login(client, user.username, PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert (
        "Login locked" in page and "15 minutes" in page and "Other users are not affected" in page
    )


def test_made_up_usernames_do_not_lock_out_a_real_user(client):
    """Behind one address (a proxy, an office's NAT), five failures with invented usernames
    used to lock every user out for 15 minutes."""
    user = DistrictStaffFactory()
    for attempt in range(3 * LIMIT):
        post_login(client, f"nobody{attempt % 3}", "guess", address="10.0.0.1")
    response = post_login(client, user.username, PASSWORD, address="10.0.0.1")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_another_users_failures_from_the_same_address_do_not_refuse_a_correct_password(client):
    victim, colleague = DistrictStaffFactory(), DistrictStaffFactory()
    fail(client, victim.username, address="10.0.0.1")
    response = post_login(client, colleague.username, PASSWORD, address="10.0.0.1")
    assert response.status_code == 302


def test_failures_from_one_address_do_not_lock_the_user_out_from_another(client):
    user = DistrictStaffFactory()
    fail(client, user.username, address="10.0.0.1")
    assert post_login(client, user.username, PASSWORD, address="10.0.0.1").status_code == 429
    assert post_login(client, user.username, PASSWORD, address="10.0.0.2").status_code == 302


def test_a_username_typed_with_other_case_and_spaces_counts_as_the_same(client):
    user = DistrictStaffFactory()
    spellings = [user.username, f" {user.username.upper()} ", user.username.title()]
    for attempt in range(LIMIT):
        post_login(client, spellings[attempt % len(spellings)], "wrong")
    assert post_login(client, user.username, PASSWORD).status_code == 429


def test_a_success_resets_the_count(client):
    user = DistrictStaffFactory()
    fail(client, user.username, times=LIMIT - 1)
    assert post_login(client, user.username, PASSWORD).status_code == 302
    client.logout()
    assert not AccessAttempt.objects.filter(username=user.username).exists()
    fail(client, user.username, times=LIMIT - 1)  # would be locked had the count not been reset
    assert post_login(client, user.username, PASSWORD).status_code == 302


def test_admin_login_is_locked_after_repeated_failures(client):
    admin = AdminFactory(is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for attempt in range(1, LIMIT + 1):
        response = post_login(client, admin.username, "wrong", url=url)
        assert response.status_code == (429 if attempt == LIMIT else 200)
    response = post_login(client, admin.username, PASSWORD, url=url)
    assert response.status_code == 429
    assert "portal-navbar" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_failures_on_the_admin_login_count_for_the_portal_login_too(client):
    user = DistrictStaffFactory()
    fail(client, user.username, url=reverse("admin:login"))
    assert post_login(client, user.username, PASSWORD).status_code == 429


def test_a_forwarded_header_is_ignored_unless_configured(client):
    """With no TRUSTED_PROXY_HEADER a client's own X-Forwarded-For cannot choose its address:
    rotating it does not escape the lock."""
    user = DistrictStaffFactory()
    for attempt in range(LIMIT):
        post_login(client, user.username, "x", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")
    response = post_login(client, user.username, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


@override_settings(TRUSTED_PROXY_HEADER="HTTP_X_FORWARDED_FOR", TRUSTED_PROXY_COUNT=1)
def test_the_proxy_header_is_honoured_when_configured(client):
    """Behind the proxy every request comes from the proxy's address; the client is the last
    entry of X-Forwarded-For (what the client wrote further left is ignored)."""
    user = DistrictStaffFactory()
    proxy = "127.0.0.1"
    for _attempt in range(LIMIT):
        post_login(
            client, user.username, "x", address=proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7"
        )
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    locked = post_login(
        client, user.username, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert locked.status_code == 429
    elsewhere = post_login(
        client, user.username, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.8"
    )
    assert elsewhere.status_code == 302


@override_settings(TRUSTED_PROXY_HEADER="HTTP_X_REAL_IP")
def test_x_real_ip_is_honoured_when_configured_and_a_missing_one_falls_back(client):
    user = DistrictStaffFactory()
    post_login(client, user.username, "x", address="127.0.0.1", HTTP_X_REAL_IP="198.51.100.5")
    post_login(client, user.username, "x", address="127.0.0.1", HTTP_X_REAL_IP="not an address")
    post_login(client, user.username, "x", address="127.0.0.1")
    assert sorted(AccessAttempt.objects.values_list("ip_address", flat=True)) == [
        "127.0.0.1",
        "198.51.100.5",
    ]


def test_a_request_with_no_valid_address_is_counted_under_none_not_a_made_up_text(client):
    """axes stores the address in an IP field (inet on PostgreSQL): "unknown" would fail there."""
    user = DistrictStaffFactory()
    post_login(client, user.username, "x", address="")
    post_login(client, user.username, "x", address="unix:/run/gunicorn.sock")
    assert AccessAttempt.objects.get().ip_address is None
    client.force_login(user)  # a login with no request address at all is logged, not refused
    assert client.get(reverse("accounts:home")).status_code == 200
