"""Matching reads the directory: a paused supervisor, or one of a deactivated cooperative,
is excluded by a hard filter that "why isn't X listed?" names."""

from datetime import timedelta

import pytest
from flows import submitted

from portal.domain.calendar import local_today
from portal.domain.matching.filters import eligible_supervisors, why_not_listed
from portal.domain.referrals import actions as referrals
from portal.domain.referrals.transitions import Refused


def test_a_paused_supervisor_is_not_a_candidate_and_the_reason_is_named(session, engine, vault, world, certified):
    referral = submitted(session, engine, vault, world)
    assert [s.id for s in eligible_supervisors(session, referral)] == [certified.id]
    certified.paused_until, certified.pause_reason = local_today() + timedelta(days=10), "Föräldraledig"
    session.commit()
    assert eligible_supervisors(session, referral) == []
    reasons = [str(reason) for reason in why_not_listed(session, referral, certified.id)]
    assert len(reasons) == 1 and "Paused" in reasons[0] and "Föräldraledig" in reasons[0]
    with pytest.raises(Refused):
        referrals.offer(session, engine, world.caseworker, referral.id, [certified.id])


def test_a_pause_that_has_ended_no_longer_excludes(session, engine, vault, world, certified):
    referral = submitted(session, engine, vault, world)
    certified.paused_until, certified.pause_reason = local_today() - timedelta(days=1), "Semester"
    session.commit()
    assert [s.id for s in eligible_supervisors(session, referral)] == [certified.id]


def test_a_deactivated_cooperatives_supervisor_is_not_a_candidate(session, engine, vault, world, certified):
    referral = submitted(session, engine, vault, world)
    world.cooperative.active = False
    session.commit()
    assert eligible_supervisors(session, referral) == []
    reasons = [str(reason) for reason in why_not_listed(session, referral, certified.id)]
    assert reasons == ["Their cooperative is deactivated in the directory."]
