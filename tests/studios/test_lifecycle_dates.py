"""The lifecycle's dates on the days calendars make awkward: 29 February and month ends
(R17, R24), all through core.dates."""

from datetime import date

import pytest

from studios import lifecycle, schedules
from studios.reminders import lifecycle_reminders
from tests.factories.accounts import DistrictStaffFactory
from tests.factories.studios import EligibleStudioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return DistrictStaffFactory()


def test_r17_next_year_rereview_of_a_leap_day_recognition_is_due_28_february(staff):
    studio = EligibleStudioFactory()
    lifecycle.recognise(studio, staff, on=date(2024, 2, 29))
    assert lifecycle.next_year_rereview_due_on(date(2024, 2, 29)) == date(2025, 2, 28)
    # Reminded 1 day before the due date, i.e. on 27 February 2025.
    kinds = {(kind, due, t) for kind, _s, due, t, _id in lifecycle_reminders(date(2025, 2, 27))}
    assert ("next_year_rereview", date(2025, 2, 28), 1) in kinds


def test_r24_cycle_end_of_a_leap_day_start(staff):
    studio = EligibleStudioFactory()
    lifecycle.recognise(studio, staff, on=date(2024, 2, 29))
    lifecycle.record_next_year_rereview(studio, staff, True, on=date(2025, 3, 3))
    cycle = studio.cycles.get()
    assert (cycle.starts_on, cycle.ends_on) == (date(2024, 2, 29), date(2029, 2, 27))


def test_r24_expiry_window_is_six_calendar_months_at_month_end(staff):
    """A cycle ending 28 February 2030 enters the 6-month window on 28 August 2029 (+6 calendar
    months = 28 Feb; 183 days would only reach 27 Feb) and stays in on 31 August (31 Aug + 6
    months = 28 Feb, the month's last day)."""
    studio = EligibleStudioFactory()
    lifecycle.recognise(studio, staff, on=date(2025, 3, 1))
    lifecycle.record_next_year_rereview(studio, staff, True, on=date(2026, 3, 2))
    assert studio.cycles.get().ends_on == date(2030, 2, 28)
    assert studio.pk in schedules.schedule_studio_ids(date(2029, 8, 31))["expiring"]
    assert studio.pk in schedules.schedule_studio_ids(date(2029, 8, 28))["expiring"]
    assert studio.pk not in schedules.schedule_studio_ids(date(2029, 8, 27))["expiring"]
    # A shorter window, in months.
    assert studio.pk not in schedules.schedule_studio_ids(date(2029, 8, 31), 5)["expiring"]
    assert studio.pk in schedules.schedule_studio_ids(date(2029, 12, 31), 2)["expiring"]
