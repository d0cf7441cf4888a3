"""The portal with portal-fyrbodal enabled in Fyrbodal only, and referrals to try it on."""

from datetime import date

import pytest

import portal_fyrbodal
from portal.domain import participants, referrals
from portal.domain.participants import ParticipantDetails
from portal.domain.referrals import ReferralDetails

ANSWERS = {"fyrbodal.cooperation_team": "yes", "fyrbodal.coordination_contact": "Samordningsförbundet Väst"}


@pytest.fixture
def app(make_app):
    return make_app(plugins={"fyrbodal": portal_fyrbodal}, enabled={"fyrbodal": ["fyrbodal"]})


@pytest.fixture
def person(session, vault, world):
    """A participant registered by the world's caseworker, with consent: `person("Trollhättan")`."""

    def register(municipality: str, number: str = "200001012384", gender: str = "woman"):
        participant = participants.register(
            session, vault, world.caseworker, number,
            ParticipantDetails(given_name="Kim", family_name="Andersson", gender=gender,
                               municipality_id=world.municipality[municipality].id))
        participants.record_consent(session, world.caseworker, participant, scope="referral", method="written",
                                    given_on=date.today())
        session.commit()
        return participant

    return register


@pytest.fixture
def draft(session, engine, world, person):
    """A draft referral by the world's caseworker: `draft("Trollhättan", answers={…})`."""

    def write(municipality: str = "Trollhättan", answers=None, **person_args):
        referral = referrals.create_draft(
            session, engine, world.caseworker, person(municipality, **person_args),
            ReferralDetails(goal="Arbetsträning i kafé", hours_per_week=20,
                            answers=ANSWERS if answers is None else answers))
        session.commit()
        return referral

    return write
