"""Login: the right password gets in; repeated failures are throttled."""

import pytest
from django.urls import reverse

from accounts import throttle
from tests.factories.accounts import DistrictStaffFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-Test-2026"


def test_login_with_right_password_reaches_home(client):
    user = DistrictStaffFactory()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:home")


def test_login_is_refused_after_repeated_failures_even_with_the_right_password(client):
    user = DistrictStaffFactory()
    for _attempt in range(throttle.MAX_FAILURES):
        response = client.post(
            reverse("accounts:login"), {"username": user.username, "password": "x"}
        )
        assert response.status_code == 200
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_for_one_user_do_not_lock_out_another_from_elsewhere(client):
    victim, other = DistrictStaffFactory(), DistrictStaffFactory()
    for _attempt in range(throttle.MAX_FAILURES):
        client.post(
            reverse("accounts:login"),
            {"username": victim.username, "password": "x"},
            REMOTE_ADDR="10.0.0.1",
        )
    response = client.post(
        reverse("accounts:login"),
        {"username": other.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 302
