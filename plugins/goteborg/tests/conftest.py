"""The portal with portal-goteborg enabled in Göteborgsregionen only, and referrals to try it on."""

from datetime import date

import pytest
from sqlalchemy import select

import portal_goteborg
from portal.domain import participants, referrals
from portal.domain.participants import ParticipantDetails
from portal.domain.referrals import ReferralDetails
from portal.models import Offer, Supervisor, User
from portal.testing import password_hash

ANSWERS = {"goteborg.district": "angered"}


@pytest.fixture
def app(make_app):
    return make_app(plugins={"goteborg": portal_goteborg}, enabled={"goteborgsregionen": ["goteborg"]})


@pytest.fixture
def person(session, vault, world):
    """A participant registered by the world's caseworker, with consent: `person("Göteborg")`."""

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
    """A draft referral by the world's caseworker: `draft("Göteborg", answers={…})`."""

    def write(municipality: str = "Göteborg", answers=None, **person_args):
        referral = referrals.create_draft(
            session, engine, world.caseworker, person(municipality, **person_args),
            ReferralDetails(goal="Arbetsträning i kafé", hours_per_week=20,
                            answers=ANSWERS if answers is None else answers))
        session.commit()
        return referral

    return write


@pytest.fixture
def supervisors(session, world, certified):
    """Three certified supervisors with a free place each: the world's and two more."""
    more = []
    for name in ("Alva", "Bo"):
        user = User(email=f"{name.lower()}@kooperativ.example.se", name=name, role="supervisor",
                    password_hash=password_hash())
        more.append(Supervisor(user=user, cooperative=world.cooperative, gender="not_stated", capacity=2,
                               certified_on=date(2026, 1, 15),
                               municipalities={world.municipality["Göteborg"]}))
    session.add_all(more)
    session.commit()
    return [certified, *more]


@pytest.fixture
def offered(session, engine, world, draft, supervisors):
    """A referral in Göteborg offered to all three supervisors; answers (referral, offers)."""

    def offer():
        referral = draft()
        referrals.act(session, engine, world.caseworker, referral.id, "submit")
        referrals.offer(session, engine, world.caseworker, referral.id, [s.id for s in supervisors])
        session.commit()
        return referral, session.scalars(select(Offer).where(Offer.referral_id == referral.id).order_by(Offer.id)).all()

    return offer
