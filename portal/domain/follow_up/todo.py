"""What needs doing, on each role's home page: one item per thing to do, each naming the
referral it concerns and the page where it is done (`Item.where`).

Items are worked out from the state of things, not stored: an item goes away when the
person acts (the offer answered, the week recorded, the report written or read, the
deviation's notification read when the caseworker opens the case, the message read). A
fixed number of queries per role, whatever the data size; items name referral numbers
only, never a person. Every home page runs these: their statements are built once per
role (`access.Viewer`, the day as a bind parameter) and run with each request's values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from portal.domain import access, reads
from portal.domain.follow_up import deviations, messages, progress
from portal.domain.follow_up.attendance import week_of
from portal.domain.referrals import no_offer
from portal.i18n import lazy_gettext as _
from portal.models import (
    Notification,
    Offer,
    OfferState,
    Placement,
    PlacementState,
    Referral,
    Role,
    Supervisor,
    User,
)
from portal.models.follow_up import PlanState, PlanVersion
from portal.models.follow_up_records import AttendanceDay, ProgressReport


@dataclass(frozen=True)
class Item:
    """One thing to do: `where` is the page's name ("referral", "plan", "attendance",
    "progress", "messages"), for the web layer to link; `text` says what, with the referral's number."""

    text: object
    where: str
    referral_id: int
    overdue: bool = False


@cache
def _overdue_statement(role: str):
    """A caseworker's own referrals' placements; the others', those whose follow-up they see."""
    viewer = access.Viewer(role)
    if role == Role.CASEWORKER:
        return progress.overdue_statement(Referral.caseworker_id == viewer.id)
    return progress.overdue_statement(access.follow_up_visible_to(viewer))


def _overdue_reports(session, engine, user: User, today: date) -> list[Item]:
    return [
        Item(
            _(
                "Progress report on referral %(number)d was due %(day)s",
                number=due.referral_id,
                day=due.due_on.isoformat(),
            ),
            "progress",
            due.referral_id,
            overdue=True,
        )
        for due in progress.overdue(session, engine, _overdue_statement(user.role), today, access.viewer_values(user))
    ]


def _unread_messages(session: Session, user: User) -> list[Item]:
    return [
        Item(_("New messages on referral %(number)d", number=line.referral_id), "messages", line.referral_id)
        for line in messages.summaries(session, user)
        if line.unread
    ]


def _latest_plan_state():
    """The state of the latest version of the placement's plan (None: not drafted yet)."""
    return (
        select(PlanVersion.state)
        .where(PlanVersion.referral_id == Placement.referral_id)
        .order_by(PlanVersion.number.desc())
        .limit(1)
        .correlate(Placement)
        .scalar_subquery()
    )


@cache
def _unread_about_statement(role: str, kind: str):
    return (
        select(Notification.referral_id)
        .where(
            Notification.user_id == access.Viewer(role).id, Notification.kind == kind, Notification.read_at.is_(None)
        )
        .distinct()
        .order_by(Notification.referral_id)
    )


def _unread_about(session: Session, user: User, kind: str) -> list[int]:
    """The referrals `user` has an unread notification of `kind` about (read when opened)."""
    return reads.columns(session, _unread_about_statement(user.role, kind), access.viewer_values(user)).scalars().all()


def _run(session: Session, statements: tuple, values: dict) -> list[list[int]]:
    """Each of a role's statements (built once) run with this request's values: the
    referral numbers each finds."""
    return [reads.columns(session, statement, values).scalars().all() for statement in statements]


@cache
def _supervisor_statements() -> tuple:
    """The supervisor's offers to answer, placements without this week's attendance, and
    plans to write (the week's first day and today as bind parameters)."""
    own = select(Supervisor.id).where(Supervisor.user_id == access.Viewer(Role.SUPERVISOR).id).scalar_subquery()
    offers = (
        select(Offer.referral_id)
        .where(Offer.supervisor_id == own, Offer.state == OfferState.OPEN)
        .order_by(Offer.expires_at)
    )
    recorded = select(AttendanceDay.placement_id).where(
        AttendanceDay.day.between(bindparam("week_start"), bindparam("today"))
    )
    unrecorded = (
        select(Placement.referral_id)
        .where(
            Placement.supervisor_id == own,
            Placement.state == PlacementState.ACTIVE,
            Placement.start_date <= bindparam("today"),
            Placement.id.not_in(recorded),
        )
        .order_by(Placement.referral_id)
    )
    latest = _latest_plan_state()
    approved = select(PlanVersion.referral_id).where(PlanVersion.state == PlanState.APPROVED)
    plans_to_write = (
        select(Placement.referral_id)
        .where(
            Placement.supervisor_id == own,
            Placement.state == PlacementState.PLANNED,
            Placement.referral_id.not_in(approved),
            latest.is_(None) | latest.in_((PlanState.DRAFT, PlanState.RETURNED)),
        )
        .order_by(Placement.referral_id)
    )
    return offers, unrecorded, plans_to_write


def supervisor(session: Session, engine, user: User, today: date) -> list[Item]:
    values = {**access.viewer_values(user), "week_start": week_of(today)[0], "today": today}
    offers, unrecorded, plans_to_write = _run(session, _supervisor_statements(), values)
    return [
        *(Item(_("Answer the offer of referral %(number)d", number=number), "referral", number) for number in offers),
        *(
            Item(_("Write the plan for referral %(number)d", number=number), "plan", number)
            for number in plans_to_write
        ),
        *(
            Item(_("Record this week's attendance on referral %(number)d", number=number), "attendance", number)
            for number in unrecorded
        ),
        *_overdue_reports(session, engine, user, today),
        *_unread_messages(session, user),
    ]


@cache
def _caseworker_statements() -> tuple:
    """The caseworker's plans to approve or send back, and placements with unread reports."""
    mine = Referral.caseworker_id == access.Viewer(Role.CASEWORKER).id
    plans_to_decide = (
        select(Placement.referral_id)
        .join(Referral, Referral.id == Placement.referral_id)
        .where(mine, _latest_plan_state() == PlanState.SUBMITTED)
        .order_by(Placement.referral_id)
    )
    unread_reports = (
        select(Placement.referral_id)
        .join(ProgressReport, ProgressReport.placement_id == Placement.id)
        .join(Referral, Referral.id == Placement.referral_id)
        .where(mine, ProgressReport.read_at.is_(None))
        .distinct()
    )
    return plans_to_decide, unread_reports


def caseworker(session: Session, engine, user: User, today: date) -> list[Item]:
    deviated = _unread_about(session, user, deviations.KIND)
    plans_to_decide, unread_reports = _run(session, _caseworker_statements(), access.viewer_values(user))
    return [
        *(
            Item(_("Approve or send back the plan for referral %(number)d", number=number), "plan", number)
            for number in plans_to_decide
        ),
        *(
            Item(_("Deviation in attendance on referral %(number)d", number=number), "attendance", number)
            for number in deviated
        ),
        *(
            Item(_("New progress report on referral %(number)d", number=number), "progress", number)
            for number in sorted(unread_reports)
        ),
        *_unread_messages(session, user),
        *_overdue_reports(session, engine, user, today),
    ]


def coordinator(session: Session, engine, user: User, today: date) -> list[Item]:
    return [
        *(
            Item(_("No offer yet for referral %(number)d: find a supervisor", number=number), "referral", number)
            for number in _unread_about(session, user, no_offer.KIND)
        ),
        *_overdue_reports(session, engine, user, today),
        *_unread_messages(session, user),
    ]


BY_ROLE = {Role.SUPERVISOR: supervisor, Role.CASEWORKER: caseworker, Role.COORDINATOR: coordinator}


def items_for(session: Session, engine, user: User, today: date) -> list[Item]:
    """The user's to-do list (admins have none): core's items, then those of the plugins
    enabled for the user's region (`portal_todo_items`)."""
    build = BY_ROLE.get(user.role)
    if build is None:
        return []
    items = build(session, engine, user, today)
    if user.region is not None:
        hook = engine.region_hook(session, user.region.code).portal_todo_items
        for answer in hook(session=session, engine=engine, user=user, today=today):
            items.extend(answer or ())
    return items
