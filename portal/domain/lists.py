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
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import Select, bindparam, or_, select
from sqlalchemy.orm import Session, joinedload

from portal.domain import access, audit, referral_rows
from portal.domain.pagination import Page, Paged, contains, paginate, search_pattern, searched
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


def _is_number(word: str) -> bool:
    """A word of a search that can be a referral number (one the database can hold)."""
    return word.isdigit() and int(word) <= MAX_INTEGER


def _number(search: str) -> int | None:
    """The referral number in a search, if any word of it is one."""
    return next((int(word) for word in search.split() if _is_number(word)), None)


def _words(search: str) -> list[str]:
    """The words of a search matched against names: of its first four, those that are no number."""
    return [word for word in search.strip()[:100].split()[:4] if not _is_number(word)]


def _name_search(query: Select, search: str) -> Select:
    for word in _words(search):
        query = searched(query, word, Participant.given_name, Participant.family_name)
    return query


@dataclass(frozen=True)
class _Shape:
    """What decides the referral list's statement, not its values: which filters are set,
    how many words are searched, which order."""

    number: bool
    words: int
    state: bool
    municipality: bool
    authority: bool
    supervisor: bool
    submitted_from: bool
    submitted_to: bool
    sort: str

    @classmethod
    def of(cls, filters: ListFilters) -> _Shape:
        return cls(
            _number(filters.search) is not None,
            len(_words(filters.search)),
            bool(filters.state),
            bool(filters.municipality_id),
            bool(filters.authority_id),
            bool(filters.supervisor_id),
            bool(filters.submitted_from),
            bool(filters.submitted_to),
            filters.sort if filters.sort in REFERRAL_SORTS else "submitted",
        )


@lru_cache(maxsize=256)
def _referral_statement(role: str, shape: _Shape) -> Select:
    """The referrals a user of `role` may see, filtered as `shape` says: built once per role
    and shape, with the user's and the filters' values as bind parameters
    (`_referral_values`); building it for every request cost the page more CPU than
    running it (bench/README.md, pages)."""
    query = (
        select(Referral)
        .join(Participant, Referral.participant_id == Participant.id)
        .where(access.referrals_visible_to(access.Viewer(role)))
    )
    if shape.number:
        query = query.where(Referral.id == bindparam("number"))
    for index in range(shape.words):
        query = query.where(contains(bindparam(f"word_{index}"), Participant.given_name, Participant.family_name))
    if shape.state:
        query = query.where(Referral.state == bindparam("state"))
    if shape.municipality:
        query = query.where(Participant.municipality_id == bindparam("municipality_id"))
    if shape.authority:
        query = query.where(Referral.authority_id == bindparam("authority_id"))
    if shape.supervisor:
        supervisor_id = bindparam("supervisor_id")
        offered = select(Offer.referral_id).where(Offer.supervisor_id == supervisor_id)
        placed = select(Placement.referral_id).where(Placement.supervisor_id == supervisor_id)
        query = query.where(or_(Referral.id.in_(offered), Referral.id.in_(placed)))
    if shape.submitted_from:
        query = query.where(Referral.submitted_at >= bindparam("submitted_from"))
    if shape.submitted_to:
        query = query.where(Referral.submitted_at < bindparam("submitted_to"))
    return query.order_by(*REFERRAL_SORTS[shape.sort])


@lru_cache(maxsize=256)
def _referral_page(role: str, shape: _Shape) -> Paged:
    return referral_rows.paged(_referral_statement(role, shape), participant_joined=True)


def _referral_values(user: User, filters: ListFilters, timezone: str) -> dict:
    """The bind parameters of `_referral_statement` for `user` and `filters`: a day's
    bounds are its start and the next day's in `timezone`."""
    zone = ZoneInfo(timezone)
    start, end = filters.submitted_from, filters.submitted_to
    return {
        **access.viewer_values(user),
        **{f"word_{index}": search_pattern(word) for index, word in enumerate(_words(filters.search))},
        "number": _number(filters.search),
        "state": filters.state[:40],
        "municipality_id": filters.municipality_id,
        "authority_id": filters.authority_id,
        "supervisor_id": filters.supervisor_id,
        "submitted_from": datetime.combine(start, time(), zone) if start else None,
        "submitted_to": datetime.combine(end + timedelta(days=1), time(), zone) if end else None,
    }


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
    values = _referral_values(user, filters, timezone)
    page = paginate(session, _referral_page(user.role, _Shape.of(filters)), number, per_page, params=values)
    _audit(session, user, [referral.participant_id for referral in page.items], "participant.list", "referrals.list")
    return page


def participants(session: Session, user: User, filters: ListFilters, number: int, per_page: int) -> Page:
    page = paginate(session, participant_query(user, filters), number, per_page)
    _audit(session, user, [participant.id for participant in page.items], "participant.list", "participants.index")
    return page


def _audit(session: Session, user: User, participant_ids: list[int], action: str, view: str) -> None:
    audit.record(session, actor_id=user.id, action=action, participant_ids=participant_ids, detail=view)


def referrals_csv(session: Session, user: User, filters: ListFilters, timezone: str, state_label) -> str:
    statement = (
        _referral_statement(user.role, _Shape.of(filters))
        .options(joinedload(Referral.participant).joinedload(Participant.municipality), joinedload(Referral.authority))
        .limit(EXPORT_LIMIT)
    )
    rows = session.scalars(statement, _referral_values(user, filters, timezone)).unique().all()
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
