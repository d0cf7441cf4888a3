"""Progress reports: one state per goal, the caseworker told and marking it read, bad
input refused at the field, and an overdue report shown until it is written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import sign_in
from sqlalchemy import delete, func, select

from portal.domain import access
from portal.domain.calendar import local_today
from portal.domain.errors import InvalidInput
from portal.domain.follow_up import progress
from portal.domain.referrals.transitions import Refused
from portal.models import Notification, PlanVersion
from portal.models.follow_up_records import ProgressReport
from portal.testing import at_once


def test_goals_are_the_approved_plans_else_the_lines_of_the_referrals_goal(session, world, placement):
    assert progress.goals_of(session, placement.referral) == ["Arbeta i kafét"]  # the plan's (conftest)
    session.execute(delete(PlanVersion))
    placement.referral.goal = "Komma i tid\n- Arbeta fyra timmar\n\n"
    assert progress.goals_of(session, placement.referral) == ["Komma i tid", "Arbeta fyra timmar"]


def test_a_report_tells_the_caseworker_who_marks_it_read(session, engine, world, placement):
    report = progress.write(
        session, engine, world.supervisor_user, placement.referral_id, {0: ("some_progress", "Bra")}, period=1
    )
    session.commit()
    assert report.period == 1 and [(g.progress, g.note) for g in report.goals] == [("some_progress", "Bra")]
    told = session.scalar(
        select(Notification).where(Notification.user_id == world.caseworker.id, Notification.kind == progress.KIND)
    )
    assert told is not None and told.read_at is None
    progress.mark_read(session, world.caseworker, placement.referral_id, report.id)
    session.commit()
    session.refresh(report)
    session.refresh(told)
    assert report.read_by_id == world.caseworker.id and told.read_at is not None


def test_opening_the_reports_page_marks_the_notification_read(session, engine, world, placement):
    """Issue 12, point 12: the bell's "new report" is read once the caseworker has opened
    the reports, before they mark the report itself read (which stays their to-do)."""
    progress.write(session, engine, world.supervisor_user, placement.referral_id, {0: ("on_track", "")}, period=1)
    session.commit()
    told = session.scalar(
        select(Notification).where(Notification.user_id == world.caseworker.id, Notification.kind == progress.KIND)
    )
    page = progress.load(session, engine, world.caseworker, placement.referral_id)
    session.commit()
    session.refresh(told)
    assert told.read_at is not None and page.reports[0].read_at is None


def test_a_goal_without_its_state_is_refused_and_nothing_written(session, engine, world, placement):
    with pytest.raises(InvalidInput) as refused:
        progress.write(session, engine, world.supervisor_user, placement.referral_id, {0: ("", "Bra")}, period=1)
    assert set(refused.value.errors) == {"progress-0"}
    session.rollback()
    assert session.scalar(select(func.count()).select_from(ProgressReport)) == 0


@pytest.mark.parametrize(("role", "status"), [("caseworker", 403), ("other_caseworker", 404)])
def test_only_the_placements_supervisor_writes_a_report(session, engine, world, placement, role, status):
    with pytest.raises(Refused) as refused:
        progress.write(session, engine, getattr(world, role), placement.referral_id, {0: ("on_track", "")}, period=1)
    assert refused.value.status == status


def test_an_overdue_report_is_listed_until_it_is_written(session, engine, world, placement):
    placement.start_date = local_today() - timedelta(weeks=5)
    session.commit()
    mine = progress.overdue_statement(access.follow_up_visible_to(world.supervisor_user))
    assert [d.referral_id for d in progress.overdue(session, engine, mine, local_today())] == [placement.referral_id]
    assert (
        progress.overdue(
            session,
            engine,
            progress.overdue_statement(access.follow_up_visible_to(world.other_caseworker)),
            local_today(),
        )
        == []
    )
    progress.write(session, engine, world.supervisor_user, placement.referral_id, {0: ("on_track", "")}, period=1)
    session.commit()
    assert progress.overdue(session, engine, mine, local_today()) == []


def test_the_report_pages_for_supervisor_and_caseworker(client, session, world, placement):
    path = f"/referrals/{placement.referral_id}/progress"
    sign_in(client, world.supervisor_user.email)
    response = client.post(path, data={"note-0": "Bra"})
    assert response.status_code == 400 and 'id="progress-0-error"' in response.get_data(as_text=True)
    assert "Bra</textarea>" in response.get_data(as_text=True)
    assert 'name="period" value="1"' in response.get_data(as_text=True)
    assert client.post(path, data={"progress-0": "on_track", "note-0": "Bra", "period": "1"}).status_code == 303
    stale = client.post(path, data={"progress-0": "not_yet", "note-0": "Från en annan flik", "period": "1"})
    assert stale.status_code == 409 and "Ladda om sidan" in stale.get_data(as_text=True)
    assert session.scalars(select(ProgressReport.period)).all() == [1]
    client.post("/sign-out")
    sign_in(client, world.caseworker.email)
    page = client.get(path).get_data(as_text=True)
    assert "Enligt plan" in page and "Markera som läst" in page
    report_id = session.scalar(select(ProgressReport.id))
    assert client.post(f"{path}/{report_id}/read").status_code == 303
    assert "Markera som läst" not in client.get(path).get_data(as_text=True)
    client.post("/sign-out")
    sign_in(client, world.other_caseworker.email)
    assert client.get(path).status_code == 404


def test_two_reports_for_the_same_period_at_once_keep_one_and_ask_the_other_to_reload(
    app, session, engine, world, placement
):
    """Two tabs send the first report at once: one is period 1, the other is told to
    reload (409), and no second report or half-written goal is left."""
    supervisor_id, referral_id = world.supervisor_user.id, placement.referral_id

    def writing(note):
        def job(job_session):
            from portal.models import User

            progress.write(
                job_session,
                engine,
                job_session.get(User, supervisor_id),
                referral_id,
                {0: ("on_track", note)},
                period=1,
            )

        return job

    outcomes = at_once(app, [writing("Först"), writing("Sedan")])
    assert sorted(map(str, outcomes)) == ["409", "ok"]
    session.expire_all()
    [report] = session.scalars(select(ProgressReport)).all()
    assert report.period == 1 and [goal.note for goal in report.goals] == [("Först", "Sedan")[outcomes.index("ok")]]
    told = select(func.count()).select_from(Notification).where(Notification.kind == progress.KIND)
    assert session.scalar(told) == 1
