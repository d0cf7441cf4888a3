"""Progress reports (lägesrapporter): every few weeks the supervisor says, per goal, whether
the person is on track, has made some progress or not yet, in a few words.

The interval is the workflow's (`Workflow.progress_report_weeks`, default 4), counted
from the placement's start: report number n is due n intervals after it. A report not
written by its day is overdue, on the supervisor's and the caseworker's home pages alike.
The caseworker is told of each new report and marks it read. The goals are the approved
plan's concrete goals (the lines of the referral's goal until a plan is approved).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from portal.domain import audit, reads, transactions
from portal.domain.errors import InvalidInput
from portal.domain.follow_up.attendance import followed_placement, may_report
from portal.domain.notifications import inbox
from portal.domain.referrals.transitions import Refused, found
from portal.i18n import lazy_gettext as _
from portal.models import Placement, PlacementState, PlanState, PlanVersion, Referral, Role, User
from portal.models.base import utcnow
from portal.models.follow_up_records import PROGRESS, ProgressGoal, ProgressReport

KIND = "progress_report"
LONGEST_NOTE = 1000


def goals_of(session: Session, referral: Referral) -> list[str]:
    """The goals reported on: the approved plan's concrete goals (its newest approved
    version), else each line of the referral's goal (one goal when it is empty)."""
    planned = session.scalar(
        select(PlanVersion.goals)
        .where(PlanVersion.referral_id == referral.id, PlanVersion.state == PlanState.APPROVED)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    )
    if planned:
        return list(planned)
    lines = [line.strip(" -•\t") for line in (referral.goal or "").splitlines()]
    return [line for line in lines if line] or [str(_("The placement as a whole"))]


def interval_weeks(engine, workflow_name: str, workflow_version: str) -> int:
    """Weeks between reports under the referral's workflow version (4 if it is gone)."""
    workflow = engine.registry.get(workflow_name, workflow_version)
    return workflow.progress_report_weeks if workflow is not None else 4


@dataclass(frozen=True)
class Due:
    """The next report of a placement: its number and the day it is due."""

    referral_id: int
    period: int
    due_on: date

    def overdue(self, today: date) -> bool:
        return self.due_on < today


def next_due(referral_id: int, start_date: date, weeks: int, written: int) -> Due:
    """The report after the `written` ones (its number and day)."""
    period = written + 1
    return Due(referral_id, period, start_date + timedelta(weeks=weeks * period))


@dataclass
class ProgressPage:
    placement: Placement
    reports: list[ProgressReport]
    goals: list[str]
    due: Due | None  # None once the placement has ended
    can_write: bool
    can_mark_read: bool


def load(session: Session, engine, actor: User, referral_id: int) -> ProgressPage:
    """A placement's reports, newest first, and the next one due (audited)."""
    placement = followed_placement(session, actor, referral_id)
    reports = session.scalars(
        select(ProgressReport)
        .where(ProgressReport.placement_id == placement.id)
        .options(selectinload(ProgressReport.goals))
        .order_by(ProgressReport.period.desc())
    ).all()
    inbox.opened(session, actor, placement.referral, "progress.view")  # the bell's "new report" has been seen
    running = placement.state == PlacementState.ACTIVE
    return ProgressPage(
        placement=placement,
        reports=list(reports),
        goals=goals_of(session, placement.referral),
        due=_next_due(engine, placement, len(reports)) if running else None,
        can_write=running and may_report(actor, placement),
        can_mark_read=actor.role == Role.CASEWORKER,
    )


def _next_due(engine, placement: Placement, written: int) -> Due:
    referral = placement.referral
    weeks = interval_weeks(engine, referral.workflow_name, referral.workflow_version)
    return next_due(placement.referral_id, placement.start_date, weeks, written)


def _checked(goals: list[str], answers: dict[int, tuple[str, str]]) -> list[ProgressGoal]:
    errors: dict[str, object] = {}
    rows = []
    for position, goal in enumerate(goals):
        progress, note = answers.get(position, ("", ""))
        note = note.strip()
        if progress not in PROGRESS:
            errors[f"progress-{position}"] = _("Choose how it is going with this goal.")
        if len(note) > LONGEST_NOTE:
            errors[f"note-{position}"] = _("Write at most %(count)d characters.", count=LONGEST_NOTE)
        rows.append(ProgressGoal(position=position, goal=goal, progress=progress, note=note or None))
    if errors:
        raise InvalidInput(errors)
    return rows


def write(
    session: Session, engine, actor: User, referral_id: int, answers: dict[int, tuple[str, str]], *, period: int
) -> ProgressReport:
    """Report number `period` (the one due when the form was read) from `answers` ({goal
    position: (progress, text)}); the caseworker is told. Commits nothing; raises
    `InvalidInput` (nothing written) or `Refused` (not the supervisor, not running, or
    that report written by someone else meanwhile: two tabs never make two reports)."""
    transactions.begin_write(session)
    placement = followed_placement(session, actor, referral_id)
    if not may_report(actor, placement):
        raise Refused(_("Only the placement's supervisor writes its progress reports."), 403)
    if placement.state != PlacementState.ACTIVE:
        raise Refused(_("Progress reports are written while the placement runs."), 409)
    goals = _checked(goals_of(session, placement.referral), answers)
    written = session.scalar(select(func.count()).where(ProgressReport.placement_id == placement.id)) or 0
    already = Refused(_("This report has just been written by someone else. Reload the page to see it."), 409)
    if period != written + 1:
        raise already
    report = ProgressReport(placement_id=placement.id, period=period, author_id=actor.id, goals=goals)
    try:
        with session.begin_nested():
            session.add(report)
    except IntegrityError:
        raise already from None
    referral = placement.referral
    inbox.notify(
        session, recipients=[referral.caseworker], kind=KIND, referral_id=referral.id, settings=engine.settings
    )
    audit.on_referral(session, actor, referral, "progress.write", detail=str(report.period))
    return report


def mark_read(session: Session, actor: User, referral_id: int, report_id: int) -> None:
    """The caseworker has read the report (and the notification of it)."""
    placement = followed_placement(session, actor, referral_id)
    if actor.role != Role.CASEWORKER:
        raise Refused(_("The caseworker marks progress reports read."), 403)
    report = found(
        session.scalar(
            select(ProgressReport).where(ProgressReport.id == report_id, ProgressReport.placement_id == placement.id)
        ),
        _("There is no such progress report."),
    )
    if report.read_at is None:
        report.read_at, report.read_by_id = utcnow(), actor.id
    inbox.mark_read_about(session, actor, referral_id)
    audit.on_referral(session, actor, placement.referral, "progress.read", detail=str(report.period))


def overdue_statement(placements_condition):
    """The running placements of `placements_condition` (on `Placement` joined to its
    `Referral`) with the number of reports written on each, for `overdue`: built once by
    its caller, with bind parameters for the person's values."""
    written = (
        select(ProgressReport.placement_id, func.count().label("written"))
        .group_by(ProgressReport.placement_id)
        .subquery()
    )
    return (
        select(
            Placement.referral_id,
            Placement.start_date,
            Referral.workflow_name,
            Referral.workflow_version,
            func.coalesce(written.c.written, 0),
        )
        .join(Referral, Referral.id == Placement.referral_id)
        .outerjoin(written, written.c.placement_id == Placement.id)
        .where(Placement.state == PlacementState.ACTIVE, placements_condition)
    )


def overdue(session: Session, engine, statement, today: date, params: dict | None = None) -> list[Due]:
    """The placements of `statement` (an `overdue_statement`, run with `params`: its bind
    parameters' values) whose next report is past its day, oldest first. One query, whose
    rows are columns (`reads`): every home page runs it."""
    rows = reads.columns(session, statement, params).all()
    due = [
        next_due(referral_id, start_date, interval_weeks(engine, name, version), count)
        for referral_id, start_date, name, version, count in rows
    ]
    return sorted((item for item in due if item.overdue(today)), key=lambda item: item.due_on)
