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

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from portal.domain import access, transactions
from portal.domain.errors import InvalidInput
from portal.domain.follow_up import deviations
from portal.domain.notifications import inbox
from portal.domain.referrals.transitions import Refused, found
from portal.i18n import lazy_gettext as _
from portal.models import Placement, Referral, User
from portal.models.base import utcnow
from portal.models.follow_up_records import (
    ABSENCE_REASONS,  # noqa: F401 (the form offers them in this order)
    AttendanceDay,
    AttendanceWeek,
)


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


# Reading and saving a week -----------------------------------------------------------


class WeekChanged(Refused):
    """Someone saved the week after this form was loaded: nothing of this save is kept."""

    def __init__(self):
        super().__init__(
            _(
                "Someone else saved attendance for this week while you were filling it in. Nothing of yours "
                "has been saved: reload the week to see what is recorded now, then enter your changes again."
            ),
            409,
        )


@dataclass
class Week:
    """A week of a placement as the attendance screen shows it."""

    placement: Placement
    days: list[date]
    recorded: dict[date, AttendanceDay]
    version: int  # 0: nothing saved for this week yet
    last_day: date  # the last day that may be recorded (today, or the placement's end)
    can_record: bool

    @property
    def monday(self) -> date:
        return self.days[0]

    def open(self, day: date) -> bool:
        """Whether `day` can be recorded at all (started, not in the future)."""
        return self.placement.start_date <= day <= self.last_day


def may_report(actor: User, placement: Placement) -> bool:
    """Attendance and progress reports are written by the placement's own supervisor only."""
    return access.may_on_follow_up(actor, access.FollowUpAction.REPORT) and placement.supervisor.user_id == actor.id


def followed_placement(session: Session, actor: User, referral_id: int) -> Placement:
    """The started placement of a referral whose follow-up `actor` may read, or a 404."""
    return found(
        session.scalar(
            select(Placement)
            .join(Referral, Referral.id == Placement.referral_id)
            .where(
                Placement.referral_id == referral_id,
                Placement.started_at.is_not(None),
                access.follow_up_visible_to(actor),
            )
            .options(joinedload(Placement.referral), joinedload(Placement.supervisor))
        ),
        _("There is no started placement here, or you do not have access to it."),
    )


def _last_day(placement: Placement, today: date) -> date:
    return min(today, placement.end_date) if placement.end_date else today


def load_week(session: Session, actor: User, referral_id: int, day: date, today: date) -> Week:
    """The week holding `day` (audited: attendance is about the participant)."""
    placement = followed_placement(session, actor, referral_id)
    days = week_of(day)
    saved = session.scalar(
        select(AttendanceWeek).where(AttendanceWeek.placement_id == placement.id, AttendanceWeek.monday == days[0])
    )
    recorded = {
        row.day: row
        for row in session.scalars(
            select(AttendanceDay).where(
                AttendanceDay.placement_id == placement.id, AttendanceDay.day.between(days[0], days[-1])
            )
        )
    }
    inbox.opened(session, actor, placement.referral, "attendance.view", days[0].isoformat())  # a deviation told: seen
    return Week(
        placement=placement,
        days=days,
        recorded=recorded,
        version=saved.version if saved else 0,
        last_day=_last_day(placement, today),
        can_record=may_report(actor, placement),
    )


def _claim(session: Session, actor: User, placement: Placement, monday: date, version: int) -> None:
    """Move the week from `version` to the next one, or raise `WeekChanged`: the one
    statement that decides which of two people saving at once wins."""
    if version == 0:
        try:
            with session.begin_nested():
                session.add(AttendanceWeek(placement_id=placement.id, monday=monday, version=1, saved_by_id=actor.id))
        except IntegrityError:
            raise WeekChanged() from None
        return
    claimed = session.execute(
        update(AttendanceWeek)
        .where(
            AttendanceWeek.placement_id == placement.id,
            AttendanceWeek.monday == monday,
            AttendanceWeek.version == version,
        )
        .values(version=version + 1, saved_by_id=actor.id, saved_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise WeekChanged()


def save_week(
    session: Session,
    engine,
    actor: User,
    referral_id: int,
    monday: date,
    entries: dict[date, tuple[str, str]],
    version: int,
    today: date,
) -> list[Day]:
    """Replace the week's record with `entries` (see `check_week`), if nobody saved it
    since `version` was read; tell the caseworker of any deviation in the same
    transaction. Commits nothing; raises `InvalidInput`, `WeekChanged` or `Refused`."""
    transactions.begin_write(session)
    placement = followed_placement(session, actor, referral_id)
    if not may_report(actor, placement):
        raise Refused(_("Only the placement's supervisor records attendance."), 403)
    days_of_week = week_of(monday)
    if monday != days_of_week[0]:
        raise InvalidInput({"week": _("Choose a week starting on a Monday.")})
    checked = check_week(
        {day: entries.get(day, ("", "")) for day in days_of_week}, placement.start_date, _last_day(placement, today)
    )
    _claim(session, actor, placement, monday, version)
    earlier = dict(
        session.execute(
            select(AttendanceDay.day, AttendanceDay.absence_reason).where(
                AttendanceDay.placement_id == placement.id, AttendanceDay.day.between(monday, days_of_week[-1])
            )
        ).all()
    )
    session.execute(
        delete(AttendanceDay)
        .where(AttendanceDay.placement_id == placement.id, AttendanceDay.day.between(monday, days_of_week[-1]))
        .execution_options(synchronize_session=False)
    )
    session.add_all(
        AttendanceDay(placement_id=placement.id, day=day.day, hours=day.hours, absence_reason=day.absence_reason)
        for day in checked
    )
    session.flush()
    deviations.report(session, engine, placement, earlier, checked)
    inbox.opened(session, actor, placement.referral, "attendance.record", monday.isoformat())
    return checked
