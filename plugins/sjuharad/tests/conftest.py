"""The portal with portal-sjuharad enabled in Sjuhärad only, and referrals to try it on."""

from datetime import date

import pytest
from sqlalchemy import select

import portal_sjuharad
from portal.domain import participants, referrals
from portal.domain.participants import ParticipantDetails
from portal.domain.referrals import ReferralDetails
from portal.models import Offer

ANSWERS = {"sjuharad.trial_weeks": "4"}


@pytest.fixture
def app(make_app):
    return make_app(plugins={"sjuharad": portal_sjuharad}, enabled={"sjuharad": ["sjuharad"]})


@pytest.fixture
def person(session, vault, world):
    """A participant registered by the world's caseworker, with consent: `person("Borås")`."""

    def register(municipality: str, number: str = "200001012384"):
        participant = participants.register(
            session, vault, world.caseworker, number,
            ParticipantDetails(given_name="Kim", family_name="Andersson", gender="woman",
                               municipality_id=world.municipality[municipality].id))
        participants.record_consent(session, world.caseworker, participant, scope="referral", method="written",
                                    given_on=date.today())
        session.commit()
        return participant

    return register


@pytest.fixture
def draft(session, engine, world, person):
    """A draft referral by the world's caseworker: `draft("Borås", answers={…})`."""

    def write(municipality: str = "Borås", answers=None, **person_args):
        referral = referrals.create_draft(
            session, engine, world.caseworker, person(municipality, **person_args),
            ReferralDetails(goal="Arbetsträning i kafé", hours_per_week=20,
                            answers=ANSWERS if answers is None else answers))
        session.commit()
        return referral

    return write


@pytest.fixture
def accepted(session, engine, world, draft, certified):
    """A referral the world's supervisor has accepted: `accepted("Borås")`."""

    def accept(municipality: str = "Borås"):
        referral = draft(municipality)
        referrals.act(session, engine, world.caseworker, referral.id, "submit")
        referrals.offer(session, engine, world.caseworker, referral.id, [certified.id])
        session.commit()
        offer_id = session.scalar(select(Offer.id).where(Offer.referral_id == referral.id))
        referrals.answer(session, engine, world.supervisor_user, offer_id, accept=True)
        session.commit()
        return referral

    return accept
