"""Removing a registration made by mistake.

A mistyped personal identity number is another person, who may not exist or may be
someone else: the number cannot be corrected (`registration.update`), and the portal may
not keep the record (GDPR's rectification and erasure, the secrecy law). The caseworkers
of the registering authority remove it while no referral of the person has been
submitted (`access.removable_by`), and register the person again with the right number.

The person goes with everything that hangs on them — consents, the codes of their
needs and languages, their draft referrals and what hangs on those (answers to regional
fields, timeline, notifications, a conversation) — found from the schema's foreign keys,
so that no table a plugin or a later release adds is forgotten. The audit trail stays:
it names the person by id, and says who removed them and why, never the number.
"""

from __future__ import annotations

from sqlalchemy import Table, delete, exists, select
from sqlalchemy.orm import Session

from portal.domain import access, audit
from portal.domain.referrals.transitions import Refused
from portal.domain.transactions import begin_write, locked, locked_all
from portal.i18n import lazy_gettext as _
from portal.models import AuditEvent, Consent, Participant, Referral, User

REMOVED = "participant.remove"
REASON = "registered_by_mistake"
_ATTEMPTS = 3  # a consent or a draft added while the locks were taken: read them again


class AlreadyRemoved(Exception):
    """The registration was removed before, by someone at the actor's own authority (a
    second click, another tab): not an error to show as one."""


def removable(session: Session, actor: User, participant_id: int) -> bool:
    """Whether `actor` may remove this registration now (for the page to offer it)."""
    return _in_reach(session, participant_id, access.removable_by(actor))


def check(session: Session, actor: User, participant_id: int) -> None:
    """Refused (404 out of reach, 403 not removable by `actor`) or AlreadyRemoved, as the
    removal itself would answer; for a handler to ask before it reads the form."""
    _check(session, actor, participant_id, session.get(Participant, participant_id))


def remove(session: Session, actor: User, participant_id: int) -> list[int]:
    """Delete the participant and everything that hangs on them, in a write transaction
    the caller commits; answers the ids of the draft referrals deleted with them.

    The locks follow `domain.transactions`: the person's consents, their referrals by
    ascending id, then the person (FOR UPDATE: the row goes). A consent or a draft added
    while those were taken (its insert held the person's key until it committed) is
    found when they are read again under the person's lock, and everything is taken
    once more; the rule is asked only under the locks."""
    for _attempt in range(_ATTEMPTS):
        begin_write(session)
        consents = _consent_ids(session, participant_id)
        referrals = _referral_ids(session, participant_id)
        locked_all(session, Consent, consents)
        locked_all(session, Referral, referrals)
        participant = locked(session, Participant, participant_id)
        _check(session, actor, participant_id, participant)
        if (_consent_ids(session, participant_id), _referral_ids(session, participant_id)) == (consents, referrals):
            _delete(session, participant_id, referrals)
            detail = f"{REASON} referrals={','.join(map(str, referrals))}" if referrals else REASON
            audit.record(session, actor_id=actor.id, action=REMOVED, participant_ids=[participant_id], detail=detail)
            return referrals
        session.rollback()
    raise Refused(_("The registration changed while it was being removed. Try again."), 409)


def _consent_ids(session: Session, participant_id: int) -> list[int]:
    return sorted(session.scalars(select(Consent.id).where(Consent.participant_id == participant_id)))


def _referral_ids(session: Session, participant_id: int) -> list[int]:
    return sorted(session.scalars(select(Referral.id).where(Referral.participant_id == participant_id)))


def _check(session: Session, actor: User, participant_id: int, participant: Participant | None) -> None:
    if participant is None and _removed_at_own_authority(session, actor, participant_id):
        raise AlreadyRemoved(participant_id)
    if participant is None or not _in_reach(session, participant_id, access.participants_visible_to(actor)):
        raise Refused(_("There is no such participant, or you do not have access to them."), 404)
    if not removable(session, actor, participant_id):
        raise Refused(
            _(
                "Only a caseworker at the authority that registered the person removes the registration, "
                "and only before any referral of theirs has been submitted."
            ),
            403,
        )


def _in_reach(session: Session, participant_id: int, condition) -> bool:
    return session.scalar(select(Participant.id).where(Participant.id == participant_id, condition)) is not None


def _removed_at_own_authority(session: Session, actor: User, participant_id: int) -> bool:
    """Whether a caseworker of `actor`'s authority removed this registration (to anyone
    else a removed id is like one that never existed)."""
    colleagues = select(User.id).where(User.authority_id == actor.authority_id)
    return bool(
        actor.authority_id is not None
        and session.scalar(
            select(
                exists().where(
                    AuditEvent.action == REMOVED,
                    AuditEvent.participant_id == participant_id,
                    AuditEvent.actor_id.in_(colleagues),
                )
            )
        )
    )


def _delete(session: Session, participant_id: int, referral_ids: list[int]) -> None:
    """The rows pointing at the drafts, then those pointing at the person (the drafts
    among them), then the person; each table's rows before those of a table it points at."""
    for table, column in _pointing_at(Referral.__table__):
        if referral_ids:
            session.execute(delete(table).where(column.in_(referral_ids)))
    for table, column in _pointing_at(Participant.__table__):
        session.execute(delete(table).where(column == participant_id))
    session.execute(delete(Participant).where(Participant.id == participant_id))


def _pointing_at(target: Table) -> list[tuple[Table, object]]:
    """Every (table, column) with a foreign key to `target`, dependents first."""
    return [
        (table, key.parent)
        for table in reversed(target.metadata.sorted_tables)
        for key in table.foreign_keys
        if key.column.table is target
    ]
