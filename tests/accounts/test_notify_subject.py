"""A line break in a notification's title (a studio name typed before names refused them) must
not make its e-mail fail: subjects are built as one line."""

import pytest
from django.core import mail

from accounts.models import Notification
from accounts.services import deliver_pending_emails, notify
from tests.factories.accounts import DistrictStaffFactory

pytestmark = pytest.mark.django_db


def test_a_title_with_a_line_break_is_mailed_on_one_line():
    user = DistrictStaffFactory(email="staff@etown.example.cn")
    notify([user], kind="rename", title="更名申请：新名字\r\nBcc: x@evil.example")
    assert deliver_pending_emails() == 1
    [message] = mail.outbox
    assert message.subject == "更名申请：新名字 Bcc: x@evil.example"
    assert message.bcc == [] and message.recipients() == ["staff@etown.example.cn"]


def test_an_old_row_with_a_line_break_is_still_delivered():
    user = DistrictStaffFactory(email="staff@etown.example.cn")
    Notification.objects.create(recipient=user, kind="rename", title="旧标题\n第二行")
    assert deliver_pending_emails() == 1
    assert mail.outbox[0].subject == "旧标题 第二行"
    assert Notification.objects.get().email_status == Notification.EmailStatus.SENT
