"""Withdrawing a participant's consent, and with it their open referrals, in one write.

The consent row is locked first, so that of ten simultaneous withdrawals one changes
it and the others, having waited, find it already withdrawn (409); then the person's
open referrals are locked in ascending id order and withdrawn through their workflow,
which withdraws their open offers and frees a planned placement. That is the locking
order every writer of referrals, offers and placements follows (`domain.transactions`),
so a withdrawal racing an acceptance runs before or after it, never half-way through.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from portal.domain.participants import registration
from portal.domain.referrals import actions as referrals
from portal.domain.referrals.transitions import Engine, Refused
from portal.domain.transactions import begin_write, locked
from portal.i18n import lazy_gettext as _
from portal.models import Consent, User


def withdraw_consent(
    session: Session, engine: Engine, actor: User, participant_id: int, consent_id: int, on: date
) -> int:
    """Mark the consent withdrawn and withdraw the person's open referrals; answers how
    many referrals were withdrawn. The caller commits (or rolls back on an error)."""
    begin_write(session)
    consent = locked(session, Consent, consent_id)
    if consent is None or consent.participant_id != participant_id:
        raise Refused(_("There is no such consent."), 404)
    registration.withdrawn_consent(session, actor, consent, on)
    return referrals.withdraw_after_consent_withdrawn(session, engine, actor, participant_id)
