"""Every path that changes a referral, offer or placement, raced against acceptance with
real threads on both databases: no inconsistent row and no server error in 30 rounds.

The paths are consent withdrawal (through the pages, where the 500s were seen),
retention, offer expiry and reminders (the worker's tasks); a regional plugin's steps
are raced in `test_locking_regional.py`. All lock the referral row before its offers
and the supervisor row last (`portal.domain.transactions`); `races.problems` looks at
every row afterwards.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from races import http_at_once, offered, problems, signed_in, withdrawing_consent
from sqlalchemy import func, select

from portal.domain.calendar import local_today
from portal.domain.participants import registration, retention
from portal.domain.referrals import offer_timers
from portal.models import AuditEvent, Consent, Offer, Participant, Placement, Referral, User
from portal.testing import accepting, at_once

ROUNDS = 30


@pytest.fixture
def roomy(session, certified):
    """The world's certified supervisor, with room for every round's placement."""
    certified.capacity = 50
    session.commit()
    return certified


def test_consent_withdrawn_through_the_pages_while_the_offer_is_accepted(session, engine, world, draft, roomy, app):
    caseworker = signed_in(app, world.caseworker.email)
    supervisor = signed_in(app, world.supervisor_user.email)
    first = []
    for _ in range(ROUNDS):
        referral, (offer_id,) = offered(session, engine, world, draft, [roomy.id])
        participant_id = referral.participant_id
        consent_id = session.scalar(select(Consent.id).where(Consent.participant_id == participant_id))
        accept, withdraw = http_at_once(
            [
                lambda o=offer_id: supervisor.post(f"/offers/{o}/accept").status_code,
                lambda p=participant_id, c=consent_id: (
                    caseworker.post(
                        f"/participants/{p}/consents/{c}/withdraw",
                        data={"withdrawn_on": local_today().isoformat(), "confirm": "y"},
                    ).status_code
                ),
            ]
        )
        assert (accept, withdraw) in {(303, 302), (409, 302)}, (accept, withdraw)
        session.rollback()
        assert session.get(Referral, referral.id).state == "withdrawn"
        placement = session.scalar(select(Placement).where(Placement.referral_id == referral.id))
        assert (placement.state if placement else None) == ("cancelled" if accept == 303 else None)
        first.append(accept)
    assert problems(session) == []
    print(f"acceptance first in {first.count(303)} of {ROUNDS} rounds")


def test_ten_simultaneous_withdrawals_of_one_consent_succeed_once(session, engine, world, draft, roomy, app):
    clients = [signed_in(app, world.caseworker.email) for _ in range(10)]
    referral, _ = offered(session, engine, world, draft, [roomy.id])
    consent_id = session.scalar(select(Consent.id).where(Consent.participant_id == referral.participant_id))
    address = f"/participants/{referral.participant_id}/consents/{consent_id}/withdraw"
    form = {"withdrawn_on": local_today().isoformat(), "confirm": "y"}
    statuses = http_at_once([lambda c=c: c.post(address, data=form).status_code for c in clients])
    assert sorted(statuses) == [302] + [409] * 9
    session.rollback()
    assert session.scalar(select(func.count()).where(AuditEvent.action == "consent.withdraw")) == 1
    assert [t.name for t in session.get(Referral, referral.id).transitions].count("withdraw") == 1
    assert problems(session) == []


def test_retention_and_consent_withdrawal_racing_acceptance(session, engine, world, draft, roomy, app):
    """Retention with a period that has passed for everyone closed: a person whose consent
    withdrawal committed first may be anonymised at once, asked again under the lock."""
    for _ in range(ROUNDS):
        referral, (offer_id,) = offered(session, engine, world, draft, [roomy.id])
        outcomes = at_once(
            app,
            [
                accepting(engine, world.supervisor_user.id, offer_id),
                withdrawing_consent(engine, world.caseworker.id, referral.participant_id),
                lambda s: retention.run(s, days=-1),
            ],
        )
        assert outcomes[0] in ("ok", 409) and outcomes[1:] == ["ok", "ok"], outcomes
    assert problems(session) == []


def test_expiry_and_reminders_racing_acceptance(session, engine, world, draft, roomy, app):
    """The worker's offer tasks, with clocks at which the offer is due for each."""
    for _ in range(ROUNDS):
        _, (offer_id,) = offered(session, engine, world, draft, [roomy.id])
        expires = session.scalar(select(Offer.expires_at).where(Offer.id == offer_id))
        outcomes = at_once(
            app,
            [
                accepting(engine, world.supervisor_user.id, offer_id),
                lambda s, at=expires: offer_timers.remind_expiring(s, engine, now=at - timedelta(hours=12)),
                lambda s, at=expires: offer_timers.expire_overdue(s, engine, now=at + timedelta(minutes=1)),
            ],
        )
        assert outcomes[0] in ("ok", 409) and outcomes[1:] == ["ok", "ok"], outcomes
        session.rollback()
        state = session.scalar(select(Offer.state).where(Offer.id == offer_id))
        assert state == ("accepted" if outcomes[0] == "ok" else "expired")
    assert problems(session) == []


def correcting_the_gender(caseworker_id: int, participant_id: int):
    """A job for `at_once`: the caseworker corrects the person's recorded gender."""

    def job(session):
        person = session.get(Participant, participant_id)
        details = registration.ParticipantDetails(
            given_name=person.given_name,
            family_name=person.family_name,
            municipality_id=person.municipality_id,
            gender="man" if person.gender == "woman" else "woman",
            labour_market_status=person.labour_market_status,
            education_level=person.education_level,
        )
        registration.update(session, session.get(User, caseworker_id), person, details)

    return job


def test_a_gender_correction_racing_acceptance_leaves_every_copy_as_the_person(
    session, engine, world, draft, roomy, app
):
    """The referral and its offers carry a copy of the person's gender (3R counts by it):
    corrected while the offer is accepted and the consent withdrawn, each commits (the
    acceptance may come too late) and no copy is left behind."""
    for _ in range(ROUNDS):
        referral, (offer_id,) = offered(session, engine, world, draft, [roomy.id])
        outcomes = at_once(
            app,
            [
                accepting(engine, world.supervisor_user.id, offer_id),
                correcting_the_gender(world.caseworker.id, referral.participant_id),
                withdrawing_consent(engine, world.caseworker.id, referral.participant_id),
            ],
        )
        assert outcomes[0] in ("ok", 409) and outcomes[1:] == ["ok", "ok"], outcomes
        session.rollback()
        gender = session.scalar(select(Participant.gender).where(Participant.id == referral.participant_id))
        copies = session.scalars(select(Offer.participant_gender).where(Offer.referral_id == referral.id)).all()
        copies.append(session.scalar(select(Referral.participant_gender).where(Referral.id == referral.id)))
        assert set(copies) == {gender}, (gender, copies)
    assert problems(session) == []
