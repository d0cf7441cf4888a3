"""Dates and working days in Sweden: the one way a date is derived from a moment, and
weekends and public holidays (helgdagar), which do not count as working days.

Every date the portal fills in itself (a start on acceptance, an end on completion, the
day an offer expired, the year a completion is counted in) is the date in
`PORTAL_TIMEZONE` (the `TIMEZONE` setting, Stockholm by default), taken by `local_date`:
a step at 00:30 Stockholm time on 2 October happened on 2 October, although it is still
1 October in UTC. Offers expire after a number of working days so that a supervisor who
gets an offer on the Thursday before Easter is not expected to answer over the holiday.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Europe/Stockholm"


def portal_zone(zone: str | None = None) -> str:
    """`zone`, else the running app's `TIMEZONE` (from `PORTAL_TIMEZONE`), else Stockholm."""
    if zone:
        return zone
    from flask import current_app, has_app_context

    return current_app.config.get("TIMEZONE", DEFAULT_ZONE) if has_app_context() else DEFAULT_ZONE


def local_date(moment: datetime, zone: str | None = None) -> date:
    """The calendar date of `moment` (aware; a naive one is taken as UTC) in the portal's
    time zone: the only way the portal turns a timestamp into a date."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(portal_zone(zone))).date()


def local_today(zone: str | None = None) -> date:
    """Today in the portal's time zone."""
    return local_date(datetime.now(UTC), zone)


class ReadableDate:
    """A date for a message, written in the reader's locale when the message is rendered
    ("2 okt. 2026", "2 Oct 2026"); ISO outside a request (logs, the worker)."""

    def __init__(self, day: date):
        self.day = day

    def __str__(self) -> str:
        from flask import has_app_context
        from flask_babel import format_date

        return format_date(self.day) if has_app_context() else self.day.isoformat()

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self)))


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


def deadline_after(moment: datetime, days: int, zone: str | None = None) -> datetime:
    """An offer's deadline: the end of the `days`-th working day after the day `moment`
    falls on in the portal's time zone, whatever the hour (an offer made on a Saturday
    counts from Monday). Answered as the UTC moment that day ends, so that "svara senast
    fredag 5 december" means all of that Friday."""
    tz = ZoneInfo(portal_zone(zone))
    day, remaining = moment.astimezone(tz).date(), days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return datetime.combine(day + timedelta(days=1), time(), tz).astimezone(UTC)


def last_day(deadline: datetime, zone: str | None = None) -> date:
    """The last day a deadline leaves to answer in (the day before the midnight it falls on)."""
    return local_date(deadline - timedelta(microseconds=1), zone)


def ends_a_day(moment: datetime, zone: str | None = None) -> bool:
    """Whether `moment` is a midnight in the portal's time zone (a deadline at a day's end)."""
    return moment.astimezone(ZoneInfo(portal_zone(zone))).time() == time()


REMINDER_HOUR = 8


def reminder_at(deadline: datetime, offered_at: datetime | None = None, zone: str | None = None) -> datetime:
    """When to remind of a deadline: 08:00 on the last working day before its last day
    (never a weekend or holiday). If that came before the offer was made: 08:00 on the
    last day, if a working day and still before the deadline; else (a deadline set by
    hand, or one that ends before 08:00 on its last day) at once: a reminder after the
    deadline would never be sent, the offer having expired first."""
    tz = ZoneInfo(portal_zone(zone))
    final = last_day(deadline, zone)
    day = final - timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    candidates = [day] + ([final] if is_working_day(final) else [])
    for candidate in candidates:
        moment = datetime.combine(candidate, time(REMINDER_HOUR), tz).astimezone(UTC)
        if (offered_at is None or moment > offered_at) and moment < deadline:
            return moment
    return offered_at


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
