"""A started placement to follow: the FK caseworker's referral, accepted, its plan approved,
and started by the world's supervisor three weeks ago."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.domain.calendar import local_today
from portal.domain.follow_up import plans
from portal.domain.follow_up.attendance import week_of
from portal.domain.referrals import actions as referrals

GOALS = ("Arbeta i kafét",)  # the approved plan's one concrete goal


@pytest.fixture
def placement(session, engine, vault, world, certified):
    from flows import offered

    referral, offer = offered(session, engine, vault, world, certified)
    referrals.answer(session, engine, world.supervisor_user, offer.id, accept=True)
    draft = plans.PlanDraft(goals=list(GOALS), activities="Kafé", hours_per_week=20)
    plans.save(session, engine.settings, world.supervisor_user, referral.id, draft, seen_version=0, submit=True)
    session.commit()
    plans.decide(session, engine.settings, world.caseworker, referral.id, seen_version=1, approve=True)
    session.commit()
    referrals.act(session, engine, world.supervisor_user, referral.id, "start")
    session.commit()
    referral.placement.start_date = local_today() - timedelta(days=21)
    session.commit()
    return referral.placement


@pytest.fixture
def last_week():
    """The seven days of last week: all of them past, all after the placement's start."""
    return week_of(local_today() - timedelta(days=7))
