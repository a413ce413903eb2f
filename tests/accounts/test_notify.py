"""notify(): the inbox at once, e-mail after commit, each keyed reminder once."""

import pytest
from django.core import mail
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Notification
from accounts.services import deliver_pending_emails, notify
from tests.factories.accounts import DistrictStaffFactory, ExpertUserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_notification_is_stored_and_emailed_once_after_commit():
    user = DistrictStaffFactory()
    with transaction.atomic():
        notify([user], kind="test", title="标题", body="正文", url="/x/")
        assert len(mail.outbox) == 0  # nothing leaves before the commit
    assert len(mail.outbox) == 1
    assert Notification.objects.get().email_status == Notification.EmailStatus.SENT
    assert deliver_pending_emails() == 0  # a second drain sends nothing again
    assert len(mail.outbox) == 1


def test_rolled_back_action_sends_nothing():
    user = DistrictStaffFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify([user], kind="test", title="t")
        raise RuntimeError
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_keyed_reminder_sent_twice_is_stored_once():
    user = ExpertUserFactory()
    for _attempt in range(2):
        with transaction.atomic():
            notify([user, user], kind="reminder", title="t", key="reminder:round:1:2026-11-24")
    assert Notification.objects.filter(recipient=user).count() == 1
    assert len(mail.outbox) == 1


def test_message_is_rendered_in_each_recipients_language():
    zh = DistrictStaffFactory(language="zh-hans")
    en = DistrictStaffFactory(language="en")
    with transaction.atomic():
        notify([zh, en], kind="t", title=format_lazy("{}: 1", _("Studios")))
    assert Notification.objects.get(recipient=en).title == "Studios: 1"
    assert Notification.objects.get(recipient=zh).title == "工作室: 1"


def test_recipient_without_address_is_marked_skipped():
    user = DistrictStaffFactory(email="")
    with transaction.atomic():
        notify([user], kind="t", title="t")
    assert Notification.objects.get().email_status == Notification.EmailStatus.SKIPPED
