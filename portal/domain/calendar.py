"""Working days in Sweden: weekends and public holidays (helgdagar) do not count.

Offers expire after a number of working days so that a supervisor who gets an offer
on the Thursday before Easter is not expected to answer over the holiday.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741
    m = (a + 11 * h + 19 * l) // 433
    month = (h + l - 7 * m + 90) // 25
    day = (h + l - 7 * m + 33 * month + 19) % 32
    return date(year, month, day)


def _saturday_between(year: int, month: int, first_day: int) -> date:
    start = date(year, month, first_day)
    return start + timedelta(days=(5 - start.weekday()) % 7)


@lru_cache(maxsize=64)
def holidays(year: int) -> frozenset[date]:
    """Public holidays plus the eves that are days off in practice (midsommarafton,
    julafton, nyårsafton)."""
    easter = easter_sunday(year)
    midsummer_day = _saturday_between(year, 6, 20)
    all_saints = _saturday_between(year, 10, 31)
    return frozenset(
        {
            date(year, 1, 1),
            date(year, 1, 6),
            easter - timedelta(days=2),
            easter,
            easter + timedelta(days=1),
            date(year, 5, 1),
            easter + timedelta(days=39),
            date(year, 6, 6),
            midsummer_day - timedelta(days=1),
            midsummer_day,
            all_saints,
            date(year, 12, 24),
            date(year, 12, 25),
            date(year, 12, 26),
            date(year, 12, 31),
        }
    )


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in holidays(day.year)


def add_working_days(moment: datetime, days: int, timezone: str = "Europe/Stockholm") -> datetime:
    """The same local time of day `days` working days after `moment` (aware, any zone)."""
    zone = ZoneInfo(timezone)
    local = moment.astimezone(zone)
    day, remaining = local.date(), days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    result = datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=zone)
    return result.astimezone(moment.tzinfo)


def today(timezone: str = "Europe/Stockholm") -> date:
    """The date in Sweden now: a pause "until 30 November" ends with Stockholm's day, not UTC's."""
    return datetime.now(ZoneInfo(timezone)).date()
