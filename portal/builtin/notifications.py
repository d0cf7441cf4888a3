"""Core's reactions to transitions: who hears of what, through the notification outbox.

Registered as a built-in plugin through `portal_transition_done`, the same hook a
regional plugin uses to tell a regional contact. The person who acted is not told of
their own action.
"""

from __future__ import annotations

from portal.domain.notifications import inbox as notifications
from portal.domain.referrals.steps import EXPIRED_NOW
from portal.hookspecs import hookimpl
from portal.models import OfferState

# transition name -> (notification kind, who is told) pairs
REACTIONS = {
    "offer": [("offer_received", "new_offers")],
    "accept": [("offer_accepted", "caseworker"), ("offer_withdrawn", "offered_supervisors")],
    "decline": [("offer_declined", "caseworker")],
    "decline_one": [("offer_declined", "caseworker")],
    "expire": [("offer_expired", "caseworker_and_expired")],
    "expire_one": [("offer_expired", "caseworker_and_expired")],
    "start": [("placement_started", "caseworker_and_supervisor")],
    "complete": [("placement_ended", "caseworker_and_supervisor")],
    "discontinue": [("placement_ended", "caseworker_and_supervisor")],
    "withdraw": [("referral_withdrawn", "offered_supervisors_and_placed")],
}


def _recipients(session, referral, audience: str, moment) -> list:
    """An expired offer's answer is its deadline, so the step marks the offers it expired."""
    offers_now = [o for o in referral.offers if o.responded_at == moment or o.offered_at == moment]
    placed = [referral.placement.supervisor.user] if referral.placement else []
    withdrawn = [o.supervisor.user for o in offers_now if o.state == OfferState.WITHDRAWN]
    expired_now = session.info.pop(EXPIRED_NOW, set()) if audience == "caseworker_and_expired" else set()
    return {
        "new_offers": [o.supervisor.user for o in offers_now if o.state == OfferState.OPEN],
        "caseworker": [referral.caseworker],
        "caseworker_and_expired": [referral.caseworker]
        + [o.supervisor.user for o in referral.offers if o.id in expired_now],
        "caseworker_and_supervisor": [referral.caseworker] + placed,
        "offered_supervisors": withdrawn,
        "offered_supervisors_and_placed": withdrawn + placed,
    }[audience]


@hookimpl
def portal_transition_done(session, engine, referral, transition, actor):
    moment = referral.transitions[-1].occurred_at if referral.transitions else None
    for kind, audience in REACTIONS.get(transition.name, []):
        recipients = [
            user for user in _recipients(session, referral, audience, moment) if actor is None or user.id != actor.id
        ]
        if recipients:
            notifications.notify(
                session, recipients=recipients, kind=kind, referral_id=referral.id, settings=engine.settings
            )
