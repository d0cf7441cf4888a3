"""A regional plugin's steps raced against acceptance (Göteborgsregionen: three parallel
offers, declined one by one with the plugin's decline_one), with consent withdrawal and
expiry at the same instant, 30 rounds on both databases: no inconsistent row, no error."""

from __future__ import annotations

from datetime import date, timedelta

import portal_goteborg
import pytest
from races import offered, problems, withdrawing_consent
from sqlalchemy import select

from portal.domain.referrals import actions as referrals
from portal.domain.referrals import offer_timers
from portal.models import Offer, Supervisor, User
from portal.testing import accepting, at_once, password_hash

ROUNDS = 30


@pytest.fixture
def app(make_app):
    return make_app(plugins={"goteborg": portal_goteborg}, enabled={"goteborgsregionen": ["goteborg"]})


@pytest.fixture
def home_municipality():
    return "Göteborg"


@pytest.fixture
def supervisors(session, world):
    """Three certified supervisors in Göteborg with room for every round."""
    made = []
    for name in ("Alva", "Bo", "Cy"):
        user = User(email=f"{name.lower()}@k.example.se", name=name, role="supervisor", password_hash=password_hash())
        made.append(
            Supervisor(
                user=user,
                cooperative=world.cooperative,
                gender="not_stated",
                capacity=50,
                certified_on=date(2026, 1, 15),
                municipalities={world.municipality["Göteborg"]},
            )
        )
    session.add_all(made)
    session.commit()
    return made


def declining(engine, user_id: int, offer_id: int):
    def job(session):
        actor = session.get(User, user_id)
        referrals.answer(session, engine, actor, offer_id, accept=False, reason="no_capacity")

    return job


def test_parallel_offers_accepted_declined_expired_and_withdrawn_at_once(
    app, session, engine, world, draft, supervisors
):
    users = [s.user_id for s in supervisors]
    accepted = 0
    for _ in range(ROUNDS):
        referral, offer_ids = offered(session, engine, world, draft, [s.id for s in supervisors])
        assert len(offer_ids) == 3
        expires = session.scalar(select(Offer.expires_at).where(Offer.id == offer_ids[2]))
        outcomes = at_once(
            app,
            [
                accepting(engine, users[0], offer_ids[0]),
                declining(engine, users[1], offer_ids[1]),
                lambda s, at=expires: offer_timers.expire_overdue(s, engine, now=at + timedelta(minutes=1)),
                withdrawing_consent(engine, world.caseworker.id, referral.participant_id),
            ],
        )
        assert outcomes[0] in ("ok", 409) and outcomes[1] in ("ok", 409), outcomes
        assert outcomes[2:] == ["ok", "ok"], outcomes
        accepted += outcomes[0] == "ok"
    assert problems(session) == []
    print(f"accepted in {accepted} of {ROUNDS} rounds")
