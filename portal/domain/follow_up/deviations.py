"""Deviations (avvikelser): attendance the caseworker must hear about the same day.

A deviation is an unexplained absence, or absence (for any reason) on more working days
in a row than the setting ``ABSENCE_DAYS_IN_A_ROW`` allows. It reaches the caseworker as
a notification written in the transaction that records the week, so the day the
supervisor records it is the day the caseworker is told; the e-mail says only that
referral N has a deviation, like every e-mail the portal sends.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.calendar import is_working_day
from portal.domain.notifications import inbox
from portal.models import Placement
from portal.models.follow_up_records import AttendanceDay

KIND = "attendance_deviation"
LOOK_BACK = timedelta(days=42)  # a run longer than six weeks is long past its first notice


def next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def absence_runs(days: Iterable[date]) -> list[list[date]]:
    """Absent days grouped into runs of working days in a row (weekends and holidays
    between two absent days do not break a run)."""
    runs: list[list[date]] = []
    for day in sorted(days):
        if runs and next_working_day(runs[-1][-1]) == day:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def is_deviation(earlier: Mapping[date, str | None], checked, absent: set[date], threshold: int) -> bool:
    """Whether the week just recorded (`checked`, replacing `earlier` reasons) brings a
    deviation that was not there before: a new unexplained day, or a new absent day in a
    run of more than `threshold` working days."""
    newly_absent = {day.day for day in checked if day.absence_reason and not earlier.get(day.day)}
    if any(day.is_deviation and earlier.get(day.day) != "unexplained" for day in checked):
        return True
    return any(len(run) > threshold and newly_absent.intersection(run) for run in absence_runs(absent))


def report(session: Session, engine, placement: Placement, earlier: Mapping[date, str | None], checked) -> bool:
    """After a week is recorded: notify the referral's caseworker if it brings a
    deviation; whether it did."""
    if not checked:
        return False
    newest = max(day.day for day in checked)
    absent = set(
        session.scalars(
            select(AttendanceDay.day).where(
                AttendanceDay.placement_id == placement.id,
                AttendanceDay.absence_reason.is_not(None),
                AttendanceDay.day.between(newest - LOOK_BACK, newest + LOOK_BACK),
            )
        )
    )
    threshold = int(engine.settings.get("ABSENCE_DAYS_IN_A_ROW", 3))
    if not is_deviation(earlier, checked, absent, threshold):
        return False
    referral = placement.referral
    inbox.notify(
        session, recipients=[referral.caseworker], kind=KIND, referral_id=referral.id, settings=engine.settings
    )
    return True
