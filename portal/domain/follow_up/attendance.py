"""Checks on a week of attendance, one day at a time, before anything is written.

A supervisor records a whole week on one screen, so every bad day is reported at its own
field (``hours-<iso date>`` or ``reason-<iso date>``) and nothing of the week is kept when
any day is wrong. The rules are the ones the authorities file: no day in the future or
before the placement started, no more than 24 hours in a day, and an absence always has
one of the agreed reasons. Unexplained absence is allowed but is a deviation to report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from portal.domain.errors import InvalidInput
from portal.i18n import lazy_gettext as _

ABSENCE_REASONS = ("ill", "child_care", "leave", "other_agreed", "unexplained")
"""Reasons for a day's absence, in the order the form offers them."""


@dataclass(frozen=True)
class Day:
    """One checked day: hours present, or an absence reason (never both)."""

    day: date
    hours: Decimal | None
    absence_reason: str | None

    @property
    def is_deviation(self) -> bool:
        """Unexplained absence is what the caseworker must hear about the same day."""
        return self.absence_reason == "unexplained"


def week_of(day: date) -> list[date]:
    """The Monday-to-Sunday week that holds ``day``."""
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=offset) for offset in range(7)]


def _hours(text: str) -> Decimal:
    try:
        hours = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError from None
    if not hours.is_finite():
        raise ValueError
    return hours


def check_week(entries: dict[date, tuple[str, str]], started: date, today: date) -> list[Day]:
    """Check a week's form input: ``{day: (hours text, absence reason)}``; empty days are skipped.

    Raises :class:`InvalidInput` with one message per bad field; returns the days to record.
    """
    errors: dict[str, object] = {}
    days: list[Day] = []
    for day, (hours_text, reason) in sorted(entries.items()):
        hours_text, reason = hours_text.strip(), reason.strip()
        if not hours_text and not reason:
            continue
        field = f"hours-{day.isoformat()}"
        if day > today:
            errors[field] = _("Attendance cannot be recorded for a day that has not come yet.")
            continue
        if day < started:
            errors[field] = _("The placement had not started on this day.")
            continue
        if reason:
            if reason not in ABSENCE_REASONS:
                errors[f"reason-{day.isoformat()}"] = _("Choose one of the reasons for absence.")
            elif hours_text:
                errors[field] = _("A day is either hours present or an absence, not both.")
            else:
                days.append(Day(day, None, reason))
            continue
        try:
            hours = _hours(hours_text)
        except ValueError:
            errors[field] = _("Write the hours as a number, for example 6 or 7,5.")
            continue
        if hours <= 0 or hours > 24:
            errors[field] = _("Hours present must be more than 0 and at most 24.")
            continue
        days.append(Day(day, hours, None))
    if errors:
        raise InvalidInput(errors)
    return days
