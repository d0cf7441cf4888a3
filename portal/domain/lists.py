"""The lists that find things: /referrals and /participants, with search, filters,
sorting, pagination and a CSV download.

A page is one COUNT and one SELECT whatever the data size (related rows are joined in
the same statement), and what it shows is held to `access` like every other read: the
referrals and participants the user may see. Listing names is a read of each listed
participant and is audited as such (`participant.list`); a download writes one event
per exported participant with the action `participant.export`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, joinedload

from portal.domain import access, audit
from portal.domain.pagination import Page, paginate, searched
from portal.domain.spreadsheets import neutralised
from portal.models import Municipality, Offer, Participant, Placement, Referral, User
from portal.models.base import MAX_INTEGER

EXPORT_LIMIT = 10_000

REFERRAL_SORTS = {
    "submitted": (Referral.submitted_at.desc(), Referral.id.desc()),
    "oldest": (Referral.submitted_at.asc(), Referral.id.asc()),
    "number": (Referral.id.asc(),),
    "state": (Referral.state.asc(), Referral.id.desc()),
    "name": (Participant.family_name.asc(), Participant.given_name.asc(), Referral.id.asc()),
}
PARTICIPANT_SORTS = {
    "name": (Participant.family_name.asc(), Participant.given_name.asc(), Participant.id.asc()),
    "newest": (Participant.created_at.desc(), Participant.id.desc()),
    "municipality": (Municipality.name.asc(), Participant.family_name.asc(), Participant.id.asc()),
}


@dataclass(frozen=True)
class ListFilters:
    """What the user asked for; unknown or malformed values are simply left out."""

    search: str = ""
    state: str = ""
    municipality_id: int | None = None
    authority_id: int | None = None
    supervisor_id: int | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None
    sort: str = ""


def safe_cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP: a leading apostrophe)."""
    return neutralised("" if value is None else str(value))


def _name_search(query: Select, search: str) -> Select:
    words = search.strip()[:100].split()
    for word in words[:4]:
        if word.isdigit() and int(word) <= MAX_INTEGER:
            continue
        query = searched(query, word, Participant.given_name, Participant.family_name)
    return query


def referral_query(user: User, filters: ListFilters, timezone: str) -> Select:
    query = (
        select(Referral)
        .join(Participant, Referral.participant_id == Participant.id)
        .where(access.referrals_visible_to(user))
        .options(joinedload(Referral.participant).joinedload(Participant.municipality), joinedload(Referral.authority))
    )
    number = next((word for word in filters.search.split() if word.isdigit() and int(word) <= MAX_INTEGER), None)
    if number is not None:
        query = query.where(Referral.id == int(number))
    query = _name_search(query, filters.search)
    if filters.state:
        query = query.where(Referral.state == filters.state[:40])
    if filters.municipality_id:
        query = query.where(Participant.municipality_id == filters.municipality_id)
    if filters.authority_id:
        query = query.where(Referral.authority_id == filters.authority_id)
    if filters.supervisor_id:
        offered = select(Offer.referral_id).where(Offer.supervisor_id == filters.supervisor_id)
        placed = select(Placement.referral_id).where(Placement.supervisor_id == filters.supervisor_id)
        query = query.where(or_(Referral.id.in_(offered), Referral.id.in_(placed)))
    zone = ZoneInfo(timezone)
    if filters.submitted_from:
        query = query.where(Referral.submitted_at >= datetime.combine(filters.submitted_from, time(), zone))
    if filters.submitted_to:
        end = datetime.combine(filters.submitted_to + timedelta(days=1), time(), zone)
        query = query.where(Referral.submitted_at < end)
    return query.order_by(*REFERRAL_SORTS.get(filters.sort, REFERRAL_SORTS["submitted"]))


def participant_query(user: User, filters: ListFilters) -> Select:
    query = (
        select(Participant)
        .join(Municipality, Participant.municipality_id == Municipality.id)
        .where(access.participants_visible_to(user), Participant.anonymised_at.is_(None))
        .options(joinedload(Participant.municipality))
    )
    query = _name_search(query, filters.search)
    if filters.municipality_id:
        query = query.where(Participant.municipality_id == filters.municipality_id)
    if filters.authority_id:
        query = query.where(Participant.registered_by_authority_id == filters.authority_id)
    if filters.state:
        in_state = select(Referral.participant_id).where(Referral.state == filters.state[:40])
        query = query.where(Participant.id.in_(in_state))
    return query.order_by(*PARTICIPANT_SORTS.get(filters.sort, PARTICIPANT_SORTS["name"]))


def referrals(session: Session, user: User, filters: ListFilters, number: int, per_page: int, timezone: str) -> Page:
    """A page of the referrals `user` may see; the listed participants are audited as read."""
    page = paginate(session, referral_query(user, filters, timezone), number, per_page)
    _audit(session, user, [referral.participant_id for referral in page.items], "participant.list", "referrals.list")
    return page


def participants(session: Session, user: User, filters: ListFilters, number: int, per_page: int) -> Page:
    page = paginate(session, participant_query(user, filters), number, per_page)
    _audit(session, user, [participant.id for participant in page.items], "participant.list", "participants.index")
    return page


def _audit(session: Session, user: User, participant_ids: list[int], action: str, view: str) -> None:
    audit.record(session, actor_id=user.id, action=action, participant_ids=participant_ids, detail=view)


def referrals_csv(session: Session, user: User, filters: ListFilters, timezone: str, state_label) -> str:
    rows = session.scalars(referral_query(user, filters, timezone).limit(EXPORT_LIMIT)).unique().all()
    _audit(session, user, [row.participant_id for row in rows], "participant.export", "referrals.csv")
    zone = ZoneInfo(timezone)
    return _csv(
        ["number", "family_name", "given_name", "municipality", "authority", "state", "submitted"],
        (
            [
                row.id,
                row.participant.family_name,
                row.participant.given_name,
                row.participant.municipality.name,
                row.authority.name,
                state_label(row.state),
                row.submitted_at.astimezone(zone).strftime("%Y-%m-%d") if row.submitted_at else "",
            ]
            for row in rows
        ),
    )


def participants_csv(session: Session, user: User, filters: ListFilters) -> str:
    rows = session.scalars(participant_query(user, filters).limit(EXPORT_LIMIT)).unique().all()
    _audit(session, user, [row.id for row in rows], "participant.export", "participants.csv")
    return _csv(
        ["number", "family_name", "given_name", "municipality"],
        ([row.id, row.family_name, row.given_name, row.municipality.name] for row in rows),
    )


def _csv(header: list[str], rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()
