"""Reminders to unions with unsubmitted drafts 7 and 1 days before the close, once each."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Notification
from core.dates import end_of_day
from reviews import services, tasks
from reviews.models import ApplicationStatus
from tests.factories.accounts import UnionUserFactory
from tests.factories.reviews import ApplicationFactory, CallFactory
from tests.factories.studios import EligibleStudioFactory

pytestmark = pytest.mark.django_db


def draft_closing_in(days: int):
    union = UnionUserFactory()
    call = CallFactory(closes_at=end_of_day(timezone.localdate() + timedelta(days=days)))
    application = ApplicationFactory(
        call=call, studio=EligibleStudioFactory(enterprise=union.enterprise)
    )
    return union, application


def test_reminder_job_run_twice_sends_each_reminder_once(django_capture_on_commit_callbacks):
    union, _application = draft_closing_in(7)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_call_close_reminders.delay()
        tasks.send_call_close_reminders.delay()
    assert Notification.objects.filter(recipient=union, kind="reviews.call_closing").count() == 1
    assert len(mail.outbox) == 1


def test_the_one_day_reminder_is_a_second_message():
    union, application = draft_closing_in(1)
    services.send_call_close_reminders(timezone.localdate() - timedelta(days=6))  # 7 days left
    services.send_call_close_reminders()  # 1 day left
    services.send_call_close_reminders()
    keys = sorted(Notification.objects.filter(recipient=union).values_list("key", flat=True))
    assert keys == [
        f"reviews.call_close:{application.pk}:1d",
        f"reviews.call_close:{application.pk}:7d",
    ]


def test_no_reminder_between_the_due_days_once_sent_nor_for_submitted_applications():
    union, application = draft_closing_in(5)
    assert services.send_call_close_reminders() == 1  # catches up the 7-day reminder
    assert services.send_call_close_reminders() == 0
    other, submitted = draft_closing_in(7)
    type(submitted).objects.filter(pk=submitted.pk).update(status=ApplicationStatus.SUBMITTED)
    services.send_call_close_reminders()
    assert not Notification.objects.filter(recipient=other).exists()


def test_no_reminder_when_the_close_is_far():
    union, _application = draft_closing_in(20)
    assert services.send_call_close_reminders() == 0
