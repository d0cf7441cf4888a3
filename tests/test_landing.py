"""Landing pages: constant query counts whatever the data size, and audited reads."""

from datetime import UTC, datetime, timedelta

import pytest
from conftest import sign_in
from queries import counting_queries
from sqlalchemy import func, select

from portal.models import AuditEvent, Offer, Participant, Placement, Referral

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def add_cases(session, world, count, start=0):
    """`count` referrals from the Trollhättan caseworker, each offered to the supervisor,
    every other one with a placement."""
    session.rollback()  # start a fresh transaction, as another user's request would
    for number in range(start, start + count):
        person = Participant(
            given_name=f"Person{number}",
            family_name="Testsson",
            municipality=world.municipality["Trollhättan"],
            registered_by_authority=world.fk,
        )
        case = Referral(
            participant=person,
            authority=world.fk,
            caseworker=world.caseworker,
            region=world.region["fyrbodal"],
            workflow_name="default",
            workflow_version=1,
            state="offered" if number % 2 else "matching",
            goal="Arbetsträning",
            hours_per_week=10,
            submitted_at=NOW - timedelta(days=number),
        )
        offer = Offer(
            referral=case,
            supervisor=world.supervisor,
            offered_by=world.caseworker,
            state="open" if number % 2 else "accepted",
            offered_at=NOW,
            expires_at=NOW + timedelta(days=5),
        )
        session.add_all([case, offer])
        if not number % 2:
            session.add(
                Placement(
                    referral=case, offer=offer, supervisor=world.supervisor, start_date=NOW.date(), hours_per_week=10
                )
            )
    session.commit()


@pytest.mark.parametrize("role", ["caseworker", "coordinator", "supervisor_user", "admin"])
def test_landing_page_runs_the_same_number_of_queries_at_any_size(app, client, session, world, role):
    account = getattr(world, role)
    sign_in(client, account.email)
    add_cases(session, world, 2)
    with counting_queries(app) as small:
        assert client.get("/").status_code == 200
    add_cases(session, world, 40, start=2)
    with counting_queries(app) as large:
        assert client.get("/").status_code == 200
    assert len(small) == len(large), "\n".join(large)


def test_listing_participants_is_audited_per_participant(client, session, world):
    add_cases(session, world, 3)
    sign_in(client, world.caseworker.email)
    client.get("/")
    session.rollback()
    events = session.execute(
        select(AuditEvent.actor_id, AuditEvent.action, func.count(AuditEvent.participant_id.distinct())).group_by(
            AuditEvent.actor_id, AuditEvent.action
        )
    ).all()
    assert events == [(world.caseworker.id, "participant.list", 3)]


def test_lists_paginate(app, client, session, world):
    add_cases(session, world, app.config["PAGE_SIZE"] + 3)
    sign_in(client, world.caseworker.email)
    first = client.get("/").get_data(as_text=True)
    second = client.get("/?page=2").get_data(as_text=True)
    assert first.count(">Person") == app.config["PAGE_SIZE"]
    assert second.count(">Person") == 3
    assert "Sida 2 av 2" in second
    assert client.get("/?page=99").status_code == 200
