"""Supervisors, cooperatives and past work made to measure, for the matching tests."""

from datetime import UTC, date, datetime, timedelta
from itertools import count

from conftest import password_hash

from portal.models import Cooperative, Offer, Participant, Placement, Referral, Supervisor, User

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
_numbers = count(100)


def add_supervisor(
    session,
    world,
    name,
    *,
    town="Trollhättan",
    serves=("Trollhättan",),
    languages=("sv",),
    specialties=(),
    trades=(),
    accessibility=(),
    capacity=2,
    active=True,
    certified=True,
):
    """A supervisor at a cooperative of their own in `town`, serving `serves`."""
    number = next(_numbers)
    cooperative = Cooperative(
        name=f"Kooperativ {name}", organisation_number=f"769600-{number:04d}", municipality=world.municipality[town]
    )
    cooperative.trades = set(trades)
    cooperative.accessibility = set(accessibility)
    user = User(email=f"supervisor{number}@example.se", name=name, role="supervisor", password_hash=password_hash())
    supervisor = Supervisor(
        user=user,
        cooperative=cooperative,
        capacity=capacity,
        active=active,
        certified_on=date(2026, 1, 15) if certified else None,
        municipalities={world.municipality[m] for m in serves},
    )
    supervisor.languages = set(languages)
    supervisor.specialties = set(specialties)
    session.add(supervisor)
    session.commit()
    return supervisor


def past_referral(session, world, supervisor, *, offer_state="accepted", placement_state=None, authority=None):
    """Another person's referral, offered to `supervisor`, with a placement in `placement_state`."""
    authority = authority or world.fk
    person = Participant(
        given_name="Other",
        family_name="Person",
        municipality=world.municipality["Trollhättan"],
        registered_by_authority=authority,
    )
    caseworker = world.caseworker if authority is world.fk else world.other_caseworker
    referral = Referral(
        participant=person,
        authority=authority,
        caseworker=caseworker,
        region=world.municipality["Trollhättan"].region,
        workflow_name="default",
        workflow_version=1,
        state="active",
        goal="Arbetsträning",
        hours_per_week=10,
        submitted_at=NOW,
    )
    offer = Offer(
        referral=referral,
        supervisor=supervisor,
        offered_by=caseworker,
        state=offer_state,
        offered_at=NOW,
        expires_at=NOW + timedelta(days=5),
    )
    session.add_all([referral, offer])
    if placement_state:
        session.add(
            Placement(
                referral=referral,
                offer=offer,
                supervisor=supervisor,
                state=placement_state,
                start_date=NOW.date(),
                hours_per_week=10,
            )
        )
    session.commit()
    return referral
