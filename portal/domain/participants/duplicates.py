"""The same person registered twice, found by the identity number's blind index.

The choice (documented in the README's Privacy section):

- at the caseworker's own authority a person is registered once: registering the
  number again leads to the existing participant (`AlreadyRegistered`);
- at another authority the portal keeps a record of that authority's own (each
  authority answers for its own case and consent), but the caseworker is told that the
  person is already known in the portal, never where (`known_elsewhere`);
- the region's coordinator (and an admin) sees each such pair (`known_twice`), to
  coordinate the authorities, with the read audited.

Nothing is decrypted: the blind index of the number is compared.
"""

from __future__ import annotations

from itertools import groupby

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from portal.domain import access, audit
from portal.models import Participant, User


class AlreadyRegistered(Exception):
    """The caseworker's authority already has this person: `participant_id` is theirs."""

    def __init__(self, participant_id: int):
        super().__init__(participant_id)
        self.participant_id = participant_id


def check_own_authority(session: Session, actor: User, index: str) -> None:
    """Raise `AlreadyRegistered` when the actor's authority has registered the number."""
    existing = session.scalar(
        select(Participant.id)
        .where(Participant.personnummer_index == index, Participant.registered_by_authority_id == actor.authority_id)
        .order_by(Participant.id)
        .limit(1)
    )
    if existing is not None:
        raise AlreadyRegistered(existing)


def known_elsewhere(session: Session, participant: Participant) -> bool:
    """Whether another authority has registered the same person (it is not said which)."""
    if participant.personnummer_index is None:
        return False
    return bool(
        session.scalar(
            select(func.count())
            .select_from(Participant)
            .where(
                Participant.personnummer_index == participant.personnummer_index,
                Participant.registered_by_authority_id != participant.registered_by_authority_id,
            )
        )
    )


def known_twice(session: Session, actor: User) -> list[list[Participant]]:
    """Groups of records of one person at several authorities, among the participants the
    coordinator (or admin) sees; each group by registration, the listed reads audited."""
    if not access.may_see_duplicates(actor):
        return []
    shared = (
        select(Participant.personnummer_index)
        .where(Participant.personnummer_index.is_not(None))
        .group_by(Participant.personnummer_index)
        .having(func.count(func.distinct(Participant.registered_by_authority_id)) > 1)
    )
    rows = session.scalars(
        select(Participant)
        .where(Participant.personnummer_index.in_(shared), access.participants_visible_to(actor))
        .options(joinedload(Participant.registered_by_authority), joinedload(Participant.municipality))
        .order_by(Participant.personnummer_index, Participant.id)
    ).all()
    groups = [list(group) for _index, group in groupby(rows, key=lambda row: row.personnummer_index)]
    groups = [group for group in groups if len(group) > 1]
    audit.record(
        session,
        actor_id=actor.id,
        action="participant.list",
        participant_ids=[p.id for group in groups for p in group],
        detail="participants.known_twice",
    )
    return groups
