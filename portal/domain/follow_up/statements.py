"""The monthly attendance statement of a placement: what the referring authority files.

Built as a report (`domain.reports.interface.BuiltReport`) so that every installed report
format renders it: CSV in the reader's conventions (Swedish `;` and decimal comma, with
a byte-order mark), a web page, and PDF or XLSX when those plugins are installed. It is
one person's record for their own authority, not a count of people, so nothing in it is
suppressed; the file's name holds the referral's number and the month, nothing personal.
"""

from __future__ import annotations

import calendar as month_calendar
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain import audit, vocabulary
from portal.domain.follow_up.attendance import followed_placement
from portal.domain.reports.interface import BuiltReport, Table
from portal.i18n import lazy_gettext as _
from portal.models import User
from portal.models.follow_up_records import AttendanceDay


def parse_month(text: str | None, today: date) -> date:
    """The first day of the month written "YYYY-MM" (this month when empty or unreadable)."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def build(session: Session, actor: User, referral_id: int, first: date) -> BuiltReport:
    """The statement of the month starting `first` (audited as a read of the participant)."""
    placement = followed_placement(session, actor, referral_id)
    last = first.replace(day=month_calendar.monthrange(first.year, first.month)[1])
    recorded = session.scalars(
        select(AttendanceDay)
        .where(AttendanceDay.placement_id == placement.id, AttendanceDay.day.between(first, last))
        .order_by(AttendanceDay.day)
    ).all()
    audit.on_referral(session, actor, placement.referral, "attendance.statement", detail=f"{first:%Y-%m}")
    reasons = vocabulary.ABSENCE_REASONS
    days = Table(
        title=_("Day by day"),
        columns=(_("Date"), _("Hours present"), _("Absence")),
        rows=tuple(
            (row.day, row.hours, vocabulary.label(reasons, row.absence_reason) if row.absence_reason else "")
            for row in recorded
        ),
    )
    present = [row for row in recorded if row.hours is not None]
    summary = Table(
        title=_("The month in sum"),
        columns=(_("What"), _("Days"), _("Hours")),
        rows=(
            (_("Present"), len(present), sum((row.hours for row in present), Decimal(0))),
            *((text, sum(1 for row in recorded if row.absence_reason == code), None) for code, text in reasons.items()),
        ),
        notes=(_("Planned hours per week: %(hours)d.", hours=placement.hours_per_week),),
    )
    return BuiltReport(
        title=_("Attendance statement"),
        subtitle=_(
            "Referral %(number)d · %(month)s · placement from %(start)s",
            number=placement.referral_id,
            month=f"{first:%Y-%m}",
            start=placement.start_date.isoformat(),
        ),
        tables=(days, summary),
        file_stem=f"narvaro-remiss-{placement.referral_id}-{first:%Y-%m}",
    )
