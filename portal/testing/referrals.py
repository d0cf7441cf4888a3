"""The fixtures that build a small world and referrals in it: `world`, `certified`,
`person`, `draft`, `accepted`, and `home_municipality` and `referral_answers`, which a
regional plugin's conftest overrides. Exported by `portal.testing`."""

from __future__ import annotations

import pytest

from portal.domain.calendar import local_today
from portal.testing.helpers import password_hash


@pytest.fixture
def world(session):
    """A small, complete world: the 43 municipalities, two authorities in two regions,
    a cooperative with a supervisor, and one user per role (plus a second caseworker).
    Everyone's password is `PASSWORD`; sign in with `sign_in(client, world.admin.email)`."""
    from types import SimpleNamespace

    from sqlalchemy import select

    from portal.domain import geography
    from portal.models import Authority, Cooperative, Municipality, Region, Supervisor, User

    geography.load(session)
    municipality = {m.name: m for m in session.scalars(select(Municipality))}
    region = {r.code: r for r in session.scalars(select(Region))}
    fk = Authority(
        name="Försäkringskassan Trollhättan", kind="forsakringskassan", municipality=municipality["Trollhättan"]
    )
    social = Authority(name="Socialtjänsten Skövde", kind="social_services", municipality=municipality["Skövde"])
    cooperative = Cooperative(
        name="Kooperativet Vägen", organisation_number="769600-0001", municipality=municipality["Trollhättan"]
    )

    def user(email, role, **fields):
        account = User(
            email=email, name=email.split("@")[0].title(), role=role, password_hash=password_hash(), **fields
        )
        session.add(account)
        return account

    caseworker = user("handlaggare@fk.example.se", "caseworker", authority=fk)
    other_caseworker = user("handlaggare@skovde.example.se", "caseworker", authority=social)
    coordinator = user("samordnare@fyrbodal.example.se", "coordinator", region=region["fyrbodal"])
    admin = user("admin@example.se", "admin")
    supervisor_user = user("handledare@vagen.example.se", "supervisor")
    supervisor = Supervisor(
        user=supervisor_user,
        cooperative=cooperative,
        gender="woman",
        capacity=2,
        municipalities={municipality["Trollhättan"]},
    )
    session.add_all([fk, social, cooperative, supervisor])
    session.commit()
    return SimpleNamespace(
        municipality=municipality,
        region=region,
        fk=fk,
        social=social,
        cooperative=cooperative,
        caseworker=caseworker,
        other_caseworker=other_caseworker,
        coordinator=coordinator,
        admin=admin,
        supervisor_user=supervisor_user,
        supervisor=supervisor,
    )


@pytest.fixture
def certified(session, world, home_municipality):
    """The world's supervisor, certified and serving `home_municipality`, so that referrals
    there can be offered to them (an offer must pass matching's hard filters)."""
    from datetime import date

    world.supervisor.certified_on = date(2026, 1, 15)
    world.supervisor.municipalities.add(world.municipality[home_municipality])
    session.commit()
    return world.supervisor


@pytest.fixture
def home_municipality():
    """Where `person`, `draft` and `accepted` place the participant unless told otherwise;
    a regional plugin's conftest answers a municipality of its own region."""
    return "Trollhättan"


@pytest.fixture
def referral_answers():
    """The answers to regional referral fields that `draft` gives unless told otherwise;
    a regional plugin's conftest answers its own fields."""
    return {}


def _unused_number(session, vault) -> str:
    """The first of Skatteverket's test numbers that no participant has."""
    from importlib import resources

    from sqlalchemy import select

    from portal.domain.participants.privacy import parse
    from portal.models import Participant

    listed = resources.files("portal").joinpath("data/test-personnummer.txt").read_text(encoding="utf-8")
    taken = set(
        session.scalars(select(Participant.personnummer_index).where(Participant.personnummer_index.is_not(None)))
    )
    for line in listed.splitlines():
        number = line.strip()
        if number and not number.startswith("#") and vault.blind_index(parse(number)) not in taken:
            return number
    raise RuntimeError("every test identity number is taken")


@pytest.fixture
def person(session, vault, world, home_municipality):
    """A participant registered by the world's caseworker, with consent in force:
    ``person()``, or ``person("Skövde", number=…, gender=…)``. Without a number, each
    person gets the first of Skatteverket's test numbers not yet registered (the first
    call 200001012384): an authority registers a person only once."""

    from portal.domain.participants import registration as participants
    from portal.domain.participants.registration import ParticipantDetails

    def register(municipality: str | None = None, number: str | None = None, gender: str = "woman"):
        participant = participants.register(
            session,
            vault,
            world.caseworker,
            number or _unused_number(session, vault),
            ParticipantDetails(
                given_name="Kim",
                family_name="Andersson",
                gender=gender,
                municipality_id=world.municipality[municipality or home_municipality].id,
            ),
        )
        participants.record_consent(
            session, world.caseworker, participant, scope="referral", method="written", given_on=local_today()
        )
        session.commit()
        return participant

    return register


@pytest.fixture
def draft(session, engine, world, person, referral_answers):
    """A draft referral by the world's caseworker: ``draft()``, or
    ``draft("Skövde", answers={…}, number=…)``."""
    from portal.domain.referrals import actions as referrals
    from portal.domain.referrals.actions import ReferralDetails

    def write(municipality: str | None = None, answers: dict | None = None, **person_args):
        referral = referrals.create_draft(
            session,
            engine,
            world.caseworker,
            person(municipality, **person_args),
            ReferralDetails(
                goal="Arbetsträning i kafé", hours_per_week=20, answers=referral_answers if answers is None else answers
            ),
        )
        session.commit()
        return referral

    return write


@pytest.fixture
def accepted(session, engine, world, draft, certified):
    """A referral the world's (certified) supervisor has accepted: ``accepted()``."""
    from sqlalchemy import select

    from portal.domain.referrals import actions as referrals
    from portal.models import Offer

    def accept(municipality: str | None = None):
        referral = draft(municipality)
        referrals.act(session, engine, world.caseworker, referral.id, "submit")
        referrals.offer(session, engine, world.caseworker, referral.id, [certified.id])
        session.commit()
        offer_id = session.scalar(select(Offer.id).where(Offer.referral_id == referral.id))
        referrals.answer(session, engine, world.supervisor_user, offer_id, accept=True)
        session.commit()
        return referral

    return accept
