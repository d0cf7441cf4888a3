"""Matching reads the directory: a paused supervisor, or one of a deactivated cooperative,
is excluded by a hard filter that "why isn't X listed?" names; codes changed in the
directory are the ones the next ranking compares."""

from datetime import timedelta

import pytest
from flows import submitted

from portal.domain.calendar import local_today
from portal.domain.directory import cooperatives, supervisors
from portal.domain.matching.candidates import load_candidates
from portal.domain.matching.factors import Match
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


def _save_codes(session, world, supervisor, specialties, languages, features, trades, premises):
    """The coordinator saves the supervisor's and the cooperative's codes through the directory."""
    cooperative = world.cooperative
    supervisors.save(
        session,
        world.coordinator,
        supervisor,
        supervisors.SupervisorDetails(
            cooperative_id=cooperative.id,
            gender=supervisor.gender,
            capacity=supervisor.capacity,
            municipality_ids={m.id for m in supervisor.municipalities},
            specialties=specialties,
            languages=languages,
            accessibility=features,
        ),
    )
    session.commit()  # each save is a unit of work of its own (it locks its record), as on the pages
    cooperatives.save(
        session,
        world.coordinator,
        cooperatives.CooperativeDetails(
            name=cooperative.name,
            organisation_number="769600-1234",  # the world's own has no valid check digit
            municipality_id=cooperative.municipality_id,
            trades=trades,
            accessibility=premises,
        ),
        cooperative,
    )
    session.commit()


def _shared(session, referral):
    [candidate] = load_candidates(session, referral, Match.of(referral))
    return (
        candidate.shared_specialties,
        candidate.shared_languages,
        candidate.supervisor_accessibility,
        candidate.shared_trades,
        candidate.shared_accessibility,
    )


def test_codes_saved_in_the_directory_are_the_ones_the_next_ranking_compares(session, engine, vault, world, certified):
    """Matching reads the codes from copies on the supervisor's and the cooperative's rows:
    each save changes the copies with the codes, and emptied sets leave nothing shared."""
    referral = submitted(session, engine, vault, world)
    referral.participant.accessibility_needs = {"step_free", "flexible_hours"}
    session.commit()
    _save_codes(
        session,
        world,
        certified,
        {"mental_health", "substance_use"},
        {"sv", "ar", "fi"},
        {"flexible_hours", "quiet_room"},
        {"cafe", "bakery"},
        {"step_free", "hearing_loop"},
    )
    assert _shared(session, referral) == (
        {"mental_health"},
        {"sv", "ar"},
        {"flexible_hours"},
        {"cafe"},
        {"step_free"},
    )
    assert (certified.language_codes, world.cooperative.trade_codes) == ("ar,fi,sv", "bakery,cafe")
    _save_codes(session, world, certified, {"substance_use"}, {"sv"}, set(), set(), {"hearing_loop"})
    assert _shared(session, referral) == (set(), {"sv"}, set(), set(), set())
    assert (certified.accessibility_codes, world.cooperative.trade_codes) == (None, None)
