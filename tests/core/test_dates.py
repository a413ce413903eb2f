"""core.dates: the one calendar arithmetic of the portal (R9, R17, R24)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core import dates, policy


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 8, 31), 6, date(2026, 2, 28)),  # 31 Aug + 6 months: end of a common Feb
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # ... and of a leap Feb
        (date(2025, 8, 30), 6, date(2026, 2, 28)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 7, 15), 6, date(2026, 1, 15)),  # across the year
        (date(2026, 2, 28), -6, date(2025, 8, 28)),
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
    ],
)
def test_r24_add_months_ends_on_the_last_day_of_a_shorter_month(day, months, expected):
    assert dates.add_months(day, months) == expected


def test_r9_leap_day_plus_one_year_is_28_february():
    assert dates.add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert dates.add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert dates.add_years(date(2024, 2, 29), -1) == date(2023, 2, 28)
    assert dates.add_years(date(2025, 6, 20), 1) == date(2026, 6, 20)


def test_r24_cycle_end_is_the_day_before_the_fifth_anniversary():
    assert dates.cycle_end(date(2025, 6, 20)) == date(2030, 6, 19)
    assert dates.cycle_end(date(2024, 3, 1)) == date(2029, 2, 28)
    # 29 February: the anniversary in 2029 is 28 February, so the cycle ends the day before.
    assert dates.cycle_end(date(2024, 2, 29)) == date(2029, 2, 27)
    assert dates.cycle_end(date(2024, 2, 29)) == dates.add_years(
        date(2024, 2, 29), policy.R24_CYCLE_YEARS
    ) - timedelta(days=1)


def test_end_of_day_is_the_last_moment_of_the_day_in_beijing():
    end = dates.end_of_day(date(2026, 3, 31))
    beijing = end.astimezone(ZoneInfo("Asia/Shanghai"))
    assert (beijing.date(), beijing.hour, beijing.minute, beijing.second) == (
        date(2026, 3, 31),
        23,
        59,
        59,
    )
    # 15:59:59 UTC is 23:59:59 in Beijing (UTC+8), whatever zone is active.
    assert end > datetime(2026, 3, 31, 15, 59, 58, tzinfo=ZoneInfo("UTC"))
    assert end < datetime(2026, 3, 31, 16, 0, 0, tzinfo=ZoneInfo("UTC"))


def test_r24_default_window_is_six_calendar_months():
    assert policy.R24_DEFAULT_EXPIRY_WINDOW_MONTHS == 6


def test_one_date_module_no_other_add_years():
    import studios.eligibility
    import studios.lifecycle

    # the names may be imported, but they are core.dates' functions, not copies
    assert studios.eligibility.add_years is dates.add_years
    assert studios.lifecycle.add_years is dates.add_years
