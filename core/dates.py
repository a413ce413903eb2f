"""The one place the portal does calendar arithmetic for the Measures: years (R9, R17, R24, R29),
months (the R24 "cycle ends within 6 months" window), the end of a deadline's day in Beijing,
and the last day of a five-year cycle.

**One rule for days a target month lacks** (29 February, 31 August + 6 months …): the result is
the last day of the target month, so 29 February + 1 year = 28 February and 31 August + 6 months
= 28 (or 29) February. This is how the Civil Code of the PRC counts periods in years and months
(《中华人民共和国民法典》第二百零二条: 按照年、月计算期间的，到期月的对应日为期间的最后一日；
没有对应日的，月末日为期间的最后一日). A year has not passed before its anniversary, and the
anniversary of 29 February in a common year is 28 February, the last day of that February:
a studio founded on 29 February 2024 has run one year on 28 February 2025 (R9), a studio
recognised that day is due for its next-year re-review on 28 February 2025 (R17, still in year
Y+1), and a period never spills into the next month (1 March would make a February deadline a
March one).

Every caller uses these functions; nothing else in the project may re-implement them.
"""

import calendar
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from . import policy

#: Deadlines are Beijing days whatever the server's or the request's time zone.
BEIJING = ZoneInfo("Asia/Shanghai")


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (or earlier, for a negative number); a day
    the target month lacks becomes its last day (31 August + 6 months = 28/29 February)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (or earlier); 29 February becomes 28 February in a common
    year (see the module docstring: a year has not passed before the anniversary, and that
    February's anniversary is its last day)."""
    return add_months(day, 12 * years)


def end_of_day(day: date) -> datetime:
    """A deadline named by a day runs to the end of that day, Beijing time (inclusive)."""
    return datetime.combine(day, time.max, tzinfo=BEIJING)


def cycle_end(starts_on: date, years: int = policy.R24_CYCLE_YEARS) -> date:
    """R24: the last day of a cycle of ``years`` (five) starting on ``starts_on``, inclusive: the
    day before the anniversary, so the next cycle starts on the anniversary and cycles tile."""
    return add_years(starts_on, years) - timedelta(days=1)
