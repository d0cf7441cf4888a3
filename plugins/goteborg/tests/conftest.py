"""The portal with portal-goteborg enabled in Göteborgsregionen only; `person`, `draft` and `accepted`
(from `portal.testing`) place referrals in Göteborg with this plugin's field answers."""

from datetime import date

import portal_goteborg
import pytest
from sqlalchemy import select

from portal.domain.referrals import actions as referrals
from portal.models import Offer, Supervisor, User
from portal.testing import password_hash

ANSWERS = {"goteborg.district": "angered"}


@pytest.fixture
def app(make_app):
    return make_app(plugins={"goteborg": portal_goteborg}, enabled={"goteborgsregionen": ["goteborg"]})


@pytest.fixture
def home_municipality():
    return "Göteborg"


@pytest.fixture
def referral_answers():
    return ANSWERS


@pytest.fixture
def supervisors(session, world, certified):
    """Three certified supervisors with a free place each: the world's and two more."""
    more = []
    for name in ("Alva", "Bo"):
        user = User(
            email=f"{name.lower()}@kooperativ.example.se", name=name, role="supervisor", password_hash=password_hash()
        )
        more.append(
            Supervisor(
                user=user,
                cooperative=world.cooperative,
                gender="not_stated",
                capacity=2,
                certified_on=date(2026, 1, 15),
                municipalities={world.municipality["Göteborg"]},
            )
        )
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
