"""Everything the participant page shows, held to what `domain.access` lets the viewer open.

The page lists only the person's referrals the viewer could open themselves (not those
at other authorities), shows the identity number only to roles allowed it, and offers
only the actions the viewer's role may do (the removal of a registration made by
mistake only while `access.removable_by` allows it); the forms' handlers ask `access` again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain import access
from portal.domain.participants import mistaken, registration
from portal.domain.participants.privacy import Vault
from portal.models import Participant, Referral, User


@dataclass
class ParticipantPage:
    participant: Participant
    referrals: list[Referral]
    identity_number: str | None
    actions: frozenset[access.ParticipantAction]

    def may(self, action: str) -> bool:
        return action in self.actions


def load_page(session: Session, vault: Vault, actor: User, participant_id: int) -> ParticipantPage:
    """The page's data, with the read audited (Refused 404 for a person out of reach)."""
    participant = registration.view(session, actor, participant_id)
    referrals = session.scalars(
        select(Referral)
        .where(Referral.participant_id == participant.id, access.referrals_visible_to(actor))
        .order_by(Referral.created_at.desc(), Referral.id.desc())
    ).all()
    actions = access.participant_actions(actor)
    if access.ParticipantAction.REMOVE in actions and not mistaken.removable(session, actor, participant.id):
        actions -= {access.ParticipantAction.REMOVE}
    return ParticipantPage(
        participant=participant,
        referrals=list(referrals),
        identity_number=registration.identity_number(vault, actor, participant),
        actions=actions,
    )
