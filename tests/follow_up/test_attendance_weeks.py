"""Recording a week of attendance: kept whole or not at all, deviations told to the
caseworker the same day, and only the placement's own supervisor may write it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.domain.calendar import is_working_day, local_today
from portal.domain.errors import InvalidInput
from portal.domain.follow_up import attendance, deviations
from portal.domain.referrals.transitions import Refused
from portal.models import Notification, OutboxMessage
from portal.models.follow_up_records import AttendanceDay, AttendanceWeek
from portal.testing import at_once


def save(session, engine, user, placement, days, entries, version=0):
    result = attendance.save_week(
        session, engine, user, placement.referral_id, days[0], entries, version, local_today()
    )
    session.commit()
    return result


def recorded(session, placement):
    """{day: hours or absence reason} as stored."""
    session.expire_all()
    rows = session.execute(
        select(AttendanceDay.day, AttendanceDay.hours, AttendanceDay.absence_reason).where(
            AttendanceDay.placement_id == placement.id
        )
    )
    return {day: reason or hours for day, hours, reason in rows}


def deviations_told(session, world):
    return session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == world.caseworker.id, Notification.kind == deviations.KIND)
    )


def test_a_saved_week_is_read_back_with_its_next_version(session, engine, world, placement, last_week):
    save(
        session,
        engine,
        world.supervisor_user,
        placement,
        last_week,
        {last_week[0]: ("7,5", ""), last_week[1]: ("", "ill")},
    )
    week = attendance.load_week(session, world.supervisor_user, placement.referral_id, last_week[3], local_today())
    assert week.version == 1 and week.can_record
    assert {day: (row.hours, row.absence_reason) for day, row in week.recorded.items()} == {
        last_week[0]: (Decimal("7.50"), None),
        last_week[1]: (None, "ill"),
    }
    save(session, engine, world.supervisor_user, placement, last_week, {last_week[0]: ("6", "")}, version=1)
    assert recorded(session, placement) == {last_week[0]: Decimal("6.00")}


def test_a_bad_day_keeps_the_whole_week_unsaved(session, engine, world, placement, last_week):
    future = local_today() + timedelta(days=1)
    with pytest.raises(InvalidInput) as refused:
        save(
            session,
            engine,
            world.supervisor_user,
            placement,
            last_week,
            {last_week[0]: ("7", ""), last_week[1]: ("25", "")},
        )
    assert set(refused.value.errors) == {f"hours-{last_week[1]}"}
    session.rollback()
    with pytest.raises(InvalidInput):
        save(session, engine, world.supervisor_user, placement, attendance.week_of(future), {future: ("7", "")})
    session.rollback()
    before_start = attendance.week_of(placement.start_date - timedelta(days=7))
    with pytest.raises(InvalidInput) as refused:
        save(session, engine, world.supervisor_user, placement, before_start, {before_start[0]: ("7", "")})
    assert set(refused.value.errors) == {f"hours-{before_start[0]}"}
    session.rollback()
    assert recorded(session, placement) == {}
    assert session.scalar(select(func.count()).select_from(AttendanceWeek)) == 0


def test_unexplained_absence_tells_the_caseworker_once_without_names(session, engine, world, placement, last_week):
    entries = {last_week[2]: ("", "unexplained")}
    save(session, engine, world.supervisor_user, placement, last_week, entries)
    assert deviations_told(session, world) == 1
    mail = session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == world.caseworker.email))
    assert str(placement.referral_id) in mail.subject
    assert "Kim" not in mail.body_text and "Andersson" not in mail.body_text
    save(session, engine, world.supervisor_user, placement, last_week, {**entries, last_week[0]: ("6", "")}, version=1)
    assert deviations_told(session, world) == 1  # the same absence is not told twice


def test_absence_beyond_the_days_in_a_row_is_a_deviation(session, engine, world, placement, last_week):
    workdays = [day for day in last_week if is_working_day(day)]
    threshold = engine.settings.get("ABSENCE_DAYS_IN_A_ROW", 3)
    ill = {day: ("", "ill") for day in workdays[:threshold]}
    save(session, engine, world.supervisor_user, placement, last_week, ill)
    assert deviations_told(session, world) == 0
    save(session, engine, world.supervisor_user, placement, last_week, {**ill, workdays[threshold]: ("", "ill")}, 1)
    assert deviations_told(session, world) == 1


def test_runs_of_absence_go_on_over_a_weekend_but_not_over_a_working_day():
    friday, monday, tuesday = date(2026, 11, 20), date(2026, 11, 23), date(2026, 11, 24)
    assert deviations.absence_runs([monday, friday]) == [[friday, monday]]
    assert deviations.absence_runs([friday, tuesday]) == [[friday], [tuesday]]


def test_a_save_from_a_week_read_before_another_save_is_refused(session, engine, world, placement, last_week):
    save(session, engine, world.supervisor_user, placement, last_week, {last_week[0]: ("7", "")})
    with pytest.raises(attendance.WeekChanged):
        save(session, engine, world.supervisor_user, placement, last_week, {last_week[0]: ("3", "")}, version=0)
    session.rollback()
    assert recorded(session, placement) == {last_week[0]: Decimal("7.00")}


@pytest.mark.parametrize(("role", "status"), [("caseworker", 403), ("coordinator", 403), ("other_caseworker", 404)])
def test_only_the_placements_supervisor_records(session, engine, world, placement, last_week, role, status):
    with pytest.raises(Refused) as refused:
        save(session, engine, getattr(world, role), placement, last_week, {last_week[0]: ("7", "")})
    assert refused.value.status == status
    session.rollback()
    assert recorded(session, placement) == {}


def test_two_saving_the_same_week_at_once_lose_nothing(app, session, engine, world, placement, last_week):
    """Both start from the empty week; one wins, the other is told to reload, and the
    week holds exactly the winner's days, never a mix."""
    supervisor_id, referral_id = world.supervisor_user.id, placement.referral_id
    inputs = [{last_week[0]: ("7", ""), last_week[1]: ("7", "")}, {last_week[0]: ("", "ill"), last_week[2]: ("4", "")}]

    def saving(entries):
        def job(job_session):
            from portal.models import User

            actor = job_session.get(User, supervisor_id)
            attendance.save_week(job_session, engine, actor, referral_id, last_week[0], entries, 0, local_today())

        return job

    outcomes = at_once(app, [saving(entries) for entries in inputs])
    assert sorted(map(str, outcomes)) == ["409", "ok"]
    winner = inputs[outcomes.index("ok")]
    expected = {day: (Decimal(hours) if hours else reason) for day, (hours, reason) in winner.items()}
    assert recorded(session, placement) == expected
    assert session.scalar(select(AttendanceWeek.version)) == 1
