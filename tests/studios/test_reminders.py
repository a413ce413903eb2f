"""The daily lifecycle reminders (R17, R24, R25): at 30, 7 and 1 days, once each however often
the job runs, to staff and the studio's union, in a constant number of queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Notification
from studios import lifecycle
from studios.reminders import send_lifecycle_reminders
from studios.tasks import send_lifecycle_reminders as reminder_task
from tests.factories.accounts import DistrictStaffFactory, UnionUserFactory
from tests.factories.studios import EligibleStudioFactory

pytestmark = pytest.mark.django_db
DEADLINE = date(2030, 9, 30)


def studio_in_rectification(staff, union=None):
    studio = EligibleStudioFactory(**({"enterprise": union.enterprise} if union else {}))
    lifecycle.recognise(studio, staff, on=date(2025, 6, 20))
    lifecycle.record_next_year_rereview(studio, staff, True, on=date(2026, 6, 10))
    lifecycle.record_cycle_rereview(
        studio, staff, "rectify", on=date(2030, 5, 20), rectification_deadline=DEADLINE
    )
    return studio


def test_r25_rectification_deadline_reminded_at_30_7_and_1_days_once_each():
    staff, union = DistrictStaffFactory(), UnionUserFactory()
    studio = studio_in_rectification(staff, union)
    sent_on = {}
    for days_before in range(40, -1, -1):
        day = DEADLINE - timedelta(days=days_before)
        for _twice in range(2):
            send_lifecycle_reminders(day)
        keys = Notification.objects.filter(kind="lifecycle.rectification_deadline")
        sent_on[days_before] = keys.count()
    # Two recipients (staff + union): nothing before 30 days, then two at each threshold.
    assert sent_on[31] == 0 and sent_on[30] == 2 and sent_on[8] == 2
    assert sent_on[7] == 4 and sent_on[2] == 4 and sent_on[1] == 6 and sent_on[0] == 6
    mine = Notification.objects.filter(recipient=union, kind="lifecycle.rectification_deadline")
    assert mine.count() == 3 and all(n.url.endswith(f"/studios/{studio.pk}/") for n in mine)


def test_r17_next_year_rereview_and_r24_cycle_end_are_reminded():
    staff = DistrictStaffFactory()
    due = EligibleStudioFactory()
    lifecycle.recognise(due, staff, on=date(2025, 6, 20))
    ending = EligibleStudioFactory()
    lifecycle.recognise(ending, staff, on=date(2025, 3, 1))
    lifecycle.record_next_year_rereview(ending, staff, True, on=date(2026, 3, 2))
    send_lifecycle_reminders(date(2026, 6, 13))  # anniversary in 7 days
    assert Notification.objects.filter(kind="lifecycle.next_year_rereview").count() == 1
    send_lifecycle_reminders(date(2029, 11, 1))  # cycle ends 2030-02-28: inside 6 months
    assert Notification.objects.filter(kind="lifecycle.cycle_end").count() == 1


def test_the_daily_job_run_twice_sends_each_reminder_once():
    staff = DistrictStaffFactory()
    studio_in_rectification(staff)
    day = DEADLINE - timedelta(days=7)
    first = send_lifecycle_reminders(day)
    assert first == 1
    assert send_lifecycle_reminders(day) == 0
    assert Notification.objects.count() == 1


def _queries_for_a_run(day) -> int:
    with CaptureQueriesContext(connection) as ctx:
        send_lifecycle_reminders(day)
    return len(ctx.captured_queries)


def test_reminder_job_query_count_does_not_grow_with_the_number_of_studios():
    staff = DistrictStaffFactory()
    day = DEADLINE - timedelta(days=7)
    for _ in range(2):
        studio_in_rectification(staff, UnionUserFactory())
    small_first, small_again = _queries_for_a_run(day), _queries_for_a_run(day)
    Notification.objects.all().delete()
    for _ in range(8):
        studio_in_rectification(staff, UnionUserFactory())
    large_first, large_again = _queries_for_a_run(day), _queries_for_a_run(day)
    assert Notification.objects.count() == 10 * 2
    assert large_first == small_first and large_again == small_again


def test_beat_task_runs_the_reminders(settings):
    assert any(
        e["task"] == "studios.tasks.send_lifecycle_reminders"
        for e in settings.CELERY_BEAT_SCHEDULE.values()
    )
    assert reminder_task.delay().get() == 0  # nothing due today in an empty database
