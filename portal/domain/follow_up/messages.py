"""A referral's conversation between its caseworker, its supervisor and the region's
coordinator: in the portal, with unread counts; every read audited.

The e-mail that tells the others of a new message says only that referral N has one,
never its text or a name (`domain.notifications`). How far each person has read is one
row per person and referral (`MessageRead`), so counting the unread is one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, joinedload

from portal.domain import access, audit, reads
from portal.domain.errors import InvalidInput
from portal.domain.notifications import inbox
from portal.domain.referrals.transitions import found
from portal.domain.transactions import upsert
from portal.i18n import lazy_gettext as _
from portal.models import Placement, Referral, Role, Supervisor, User
from portal.models.follow_up_records import Message, MessageRead

KIND = "new_message"
LONGEST = 4000


@dataclass
class Conversation:
    referral: Referral
    messages: list[Message]
    unread_from: int  # the first message id this reader had not seen before opening it


@dataclass
class Summary:
    """One line of the list of conversations."""

    referral_id: int
    last_sent_at: datetime
    unread: int


def _referral(session: Session, actor: User, referral_id: int) -> Referral:
    return found(
        session.scalar(select(Referral).where(Referral.id == referral_id, access.conversations_of(actor))),
        _("There is no such conversation, or you do not have access to it."),
    )


def _mark_read(session: Session, actor: User, referral_id: int, up_to: int) -> None:
    """Move `actor`'s mark forward to `up_to`, never back. One statement that inserts or
    updates (both databases spell it ON CONFLICT): two tabs opening the conversation, or
    a message sent twice by a double click, at the same moment both succeed, where "read
    the row, else add it" made the second fail on the key."""
    statement = upsert(session.get_bind(), MessageRead).values(
        referral_id=referral_id, user_id=actor.id, last_read_id=up_to
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[MessageRead.referral_id, MessageRead.user_id],
            set_={"last_read_id": statement.excluded.last_read_id},
            where=MessageRead.last_read_id < statement.excluded.last_read_id,
        )
    )


def open_conversation(session: Session, actor: User, referral_id: int) -> Conversation:
    """The referral's messages, oldest first, marked read for `actor` (audited)."""
    referral = _referral(session, actor, referral_id)
    messages = session.scalars(
        select(Message)
        .where(Message.referral_id == referral.id)
        .options(joinedload(Message.author))
        .order_by(Message.id)
    ).all()
    seen = session.get(MessageRead, (referral.id, actor.id))
    if messages:
        _mark_read(session, actor, referral.id, messages[-1].id)
    inbox.opened(session, actor, referral, "messages.view")
    return Conversation(referral=referral, messages=list(messages), unread_from=(seen.last_read_id + 1) if seen else 1)


def recipients(session: Session, referral: Referral) -> list[User]:
    """Who takes part: the caseworker, the placement's supervisor, the region's coordinators."""
    supervisor = session.scalar(
        select(User)
        .join(Supervisor, Supervisor.user_id == User.id)
        .join(Placement, Placement.supervisor_id == Supervisor.id)
        .where(Placement.referral_id == referral.id)
    )
    coordinators = session.scalars(
        select(User).where(User.role == Role.COORDINATOR, User.region_id == referral.region_id, User.active.is_(True))
    ).all()
    return [referral.caseworker, *([supervisor] if supervisor else []), *coordinators]


def send(session: Session, settings, actor: User, referral_id: int, body: str) -> Message:
    """Add `actor`'s message and tell the others. Commits nothing; raises `InvalidInput`
    (empty or too long: nothing written) or `Refused` (a conversation one cannot see)."""
    referral = _referral(session, actor, referral_id)
    text = (body or "").strip()
    if not text:
        raise InvalidInput({"body": _("Write the message.")})
    if len(text) > LONGEST:
        raise InvalidInput({"body": _("A message can be at most %(count)d characters.", count=LONGEST)})
    message = Message(referral_id=referral.id, author_id=actor.id, body=text)
    session.add(message)
    session.flush()
    _mark_read(session, actor, referral.id, message.id)
    others = [user for user in recipients(session, referral) if user.id != actor.id]
    inbox.notify(session, recipients=others, kind=KIND, referral_id=referral.id, settings=settings)
    audit.on_referral(session, actor, referral, "messages.send")
    return message


def _unread_condition(user: User):
    read_up_to = (
        select(MessageRead.last_read_id)
        .where(MessageRead.referral_id == Message.referral_id, MessageRead.user_id == user.id)
        .scalar_subquery()
    )
    return and_(Message.author_id != user.id, Message.id > func.coalesce(read_up_to, 0))


@lru_cache(maxsize=8)
def _unread_count_statement(role: str):
    viewer = access.Viewer(role)
    return (
        select(func.count())
        .select_from(Message)
        .join(Referral, Referral.id == Message.referral_id)
        .where(access.conversations_of(viewer), _unread_condition(viewer))
    )


def unread_count(session: Session, user: User) -> int:
    """Messages in the conversations `user` takes part in that others wrote and `user` has
    not read. The menu shows it on every page: the statement is built once per role."""
    return reads.columns(session, _unread_count_statement(user.role), access.viewer_values(user)).scalar() or 0


@lru_cache(maxsize=8)
def _summaries_statement(role: str):
    viewer = access.Viewer(role)
    unread = func.count().filter(_unread_condition(viewer))
    return (
        select(Message.referral_id, func.max(Message.sent_at), unread)
        .join(Referral, Referral.id == Message.referral_id)
        .where(access.conversations_of(viewer))
        .group_by(Message.referral_id)
        .order_by(func.max(Message.sent_at).desc())
    )


def summaries(session: Session, user: User) -> list[Summary]:
    """The conversations `user` takes part in that have messages, newest first (on every
    home page, through the to-do list: built once per role)."""
    rows = reads.columns(session, _summaries_statement(user.role), access.viewer_values(user))
    return [Summary(*row) for row in rows]
