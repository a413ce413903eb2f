"""Hostile input to the accounts forms (login, the inbox's mark-as-read): whatever is typed, the
user gets a clear answer, nobody is logged in by it, and nothing is written."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts import throttle
from accounts.models import Notification, User
from tests.factories.accounts import DistrictStaffFactory, UnionUserFactory
from tests.hostile import HYPOTHESIS, TEN_MB_OF_CHINESE, ids, texts

pytestmark = pytest.mark.django_db

PASSWORD = "pw-Test-2026"


@HYPOTHESIS
@given(username=texts, password=texts)
def test_login_with_any_text_is_refused_with_a_message_and_logs_nobody_in(
    client, username, password
):
    AccessAttempt.objects.all().delete()  # each example starts unthrottled
    user = DistrictStaffFactory()
    users = User.objects.count()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 200
    assert response.context["form"].errors  # "enter a correct username and password", or required
    assert SESSION_KEY not in client.session
    assert User.objects.count() == users
    user.refresh_from_db()
    assert user.last_login is None


def test_ten_megabytes_of_chinese_as_a_username_gets_the_bad_request_page_and_no_login():
    """Over DATA_UPLOAD_MAX_MEMORY_SIZE: Django answers 400 before the form is read; the page
    says why, in both languages. The throttle's username stays short whatever was typed."""
    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("accounts:login"), {"username": TEN_MB_OF_CHINESE, "password": "x"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "未保存任何内容" in page and "nothing was saved" in page
    assert SESSION_KEY not in client.session
    assert len(throttle.username_for_lockout(None, {"username": TEN_MB_OF_CHINESE})) <= 150


@HYPOTHESIS
@given(posted=st.lists(ids, min_size=1, max_size=4))
def test_mark_read_with_any_ids_never_fails_and_touches_only_the_users_own_notes(client, posted):
    owner, other = UnionUserFactory(), UnionUserFactory()
    mine = Notification.objects.create(recipient=owner, title="通知", body="")
    theirs = Notification.objects.create(recipient=other, title="通知", body="")
    client.force_login(owner)
    response = client.post(reverse("accounts:inbox_mark_read"), {"id": posted + [str(theirs.pk)]})
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None
    mine.refresh_from_db()
    parsed = [p.strip() for p in posted]
    all_numbers = all(p.isascii() and p.isdigit() and 0 < int(p) < 2**63 for p in parsed)
    named = all_numbers and mine.pk in {int(p) for p in parsed}
    assert (mine.read_at is not None) == named


def test_mark_read_refuses_a_non_number_id_with_a_message_and_changes_nothing(client):
    owner = UnionUserFactory()
    note = Notification.objects.create(recipient=owner, title="通知", body="")
    client.force_login(owner)
    response = client.post(
        reverse("accounts:inbox_mark_read"), {"id": [str(note.pk), "abc"]}, follow=True
    )
    assert response.status_code == 200
    assert any(
        "nothing was changed" in str(m) or "未作任何更改" in str(m)
        for m in response.context["messages"]
    )
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_read_with_a_huge_id_changes_nothing_and_does_not_fail(client):
    owner = UnionUserFactory()
    note = Notification.objects.create(recipient=owner, title="通知", body="")
    client.force_login(owner)
    response = client.post(reverse("accounts:inbox_mark_read"), {"id": str(10**30)})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is None
    assert Notification.objects.filter(read_at__lte=timezone.now()).count() == 0
