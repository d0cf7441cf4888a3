"""Steps of the referral loop, for tests that need a referral in a given state."""

from sqlalchemy import select

from portal.domain.calendar import local_today
from portal.domain.participants import registration as participants
from portal.domain.participants.registration import ParticipantDetails
from portal.domain.referrals import actions as referrals
from portal.domain.referrals.actions import ReferralDetails
from portal.models import Offer


def register(session, vault, world, number="200001012384", caseworker=None):
    return participants.register(
        session,
        vault,
        caseworker or world.caseworker,
        number,
        ParticipantDetails(
            given_name="Kim",
            family_name="Andersson",
            municipality_id=world.municipality["Trollhättan"].id,
            gender="woman",
            needs={"mental_health"},
            languages={"sv", "ar"},
            interests={"cafe"},
        ),
    )


def draft(session, engine, vault, world, **kwargs):
    participant = register(session, vault, world, **kwargs)
    referral = referrals.create_draft(
        session,
        engine,
        kwargs.get("caseworker") or world.caseworker,
        participant,
        ReferralDetails(goal="Arbetsträning i kafé", hours_per_week=20),
    )
    session.commit()
    return referral


def consent(session, world, referral, actor=None):
    participants.record_consent(
        session,
        actor or world.caseworker,
        referral.participant,
        scope="referral",
        method="written",
        given_on=local_today(),
    )
    session.commit()


def submitted(session, engine, vault, world, **kwargs):
    referral = draft(session, engine, vault, world, **kwargs)
    consent(session, world, referral, kwargs.get("caseworker"))
    referrals.act(session, engine, kwargs.get("caseworker") or world.caseworker, referral.id, "submit")
    session.commit()
    return referral


def offered(session, engine, vault, world, supervisor):
    referral = submitted(session, engine, vault, world)
    referrals.offer(session, engine, world.caseworker, referral.id, [supervisor.id])
    session.commit()
    return referral, session.scalar(select(Offer).where(Offer.referral_id == referral.id))
