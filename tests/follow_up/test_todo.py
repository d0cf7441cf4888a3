"""Each role's to-do list: an item per thing to do, linked to where it is done, gone
once the person has acted."""

from __future__ import annotations

from datetime import timedelta

from conftest import sign_in

from portal.domain.calendar import local_today
from portal.domain.follow_up import attendance, messages, progress, todo


def items(session, engine, user):
    session.expire_all()
    return [(item.where, item.referral_id) for item in todo.items_for(session, engine, user, local_today())]


def test_the_supervisor_is_asked_for_this_weeks_attendance_until_it_is_recorded(session, engine, world, placement):
    number = placement.referral_id
    assert ("attendance", number) in items(session, engine, world.supervisor_user)
    today = local_today()
    attendance.save_week(
        session, engine, world.supervisor_user, number, attendance.week_of(today)[0], {today: ("6", "")}, 0, today
    )
    session.commit()
    assert ("attendance", number) not in items(session, engine, world.supervisor_user)


def test_an_overdue_report_is_on_both_home_pages_until_written(session, engine, world, placement):
    placement.start_date = local_today() - timedelta(weeks=5)
    session.commit()
    number = placement.referral_id
    assert ("progress", number) in items(session, engine, world.supervisor_user)
    assert ("progress", number) in items(session, engine, world.caseworker)
    assert ("progress", number) in items(session, engine, world.coordinator)
    progress.write(session, engine, world.supervisor_user, number, {0: ("on_track", "")}, period=1)
    session.commit()
    assert ("progress", number) not in items(session, engine, world.supervisor_user)
    assert ("progress", number) in items(session, engine, world.caseworker)  # now as a new report to read


def test_a_deviation_is_the_caseworkers_until_they_open_the_week(session, engine, world, placement):
    number, day = placement.referral_id, local_today() - timedelta(days=1)
    attendance.save_week(
        session,
        engine,
        world.supervisor_user,
        number,
        attendance.week_of(day)[0],
        {day: ("", "unexplained")},
        0,
        local_today(),
    )
    session.commit()
    assert ("attendance", number) in items(session, engine, world.caseworker)
    attendance.load_week(session, world.caseworker, number, day, local_today())
    session.commit()
    assert ("attendance", number) not in items(session, engine, world.caseworker)


def test_a_new_message_is_an_item_until_it_is_read(app, session, engine, world, placement):
    number = placement.referral_id
    messages.send(session, app.config, world.caseworker, number, "Hej")
    session.commit()
    assert ("messages", number) in items(session, engine, world.supervisor_user)
    assert ("messages", number) not in items(session, engine, world.caseworker)
    messages.open_conversation(session, world.supervisor_user, number)
    session.commit()
    assert ("messages", number) not in items(session, engine, world.supervisor_user)


def test_the_home_page_links_each_item_to_where_it_is_done(client, world, placement):
    sign_in(client, world.supervisor_user.email)
    page = client.get("/").get_data(as_text=True)
    assert f'href="/referrals/{placement.referral_id}/attendance"' in page


def test_the_plan_is_the_supervisors_to_write_and_the_caseworkers_to_decide(session, engine, vault, world, certified):
    from flows import offered

    from portal.domain.follow_up import plans
    from portal.domain.referrals import actions as referrals

    referral, offer = offered(session, engine, vault, world, certified)
    referrals.answer(session, engine, world.supervisor_user, offer.id, accept=True)
    session.commit()
    number = referral.id
    assert ("plan", number) in items(session, engine, world.supervisor_user)  # nothing drafted yet
    assert ("plan", number) not in items(session, engine, world.caseworker)
    draft = plans.PlanDraft(goals=["Arbeta i kafét"], activities="Kafé", hours_per_week=20)
    plans.save(session, engine.settings, world.supervisor_user, number, draft, seen_version=0, submit=True)
    session.commit()
    assert ("plan", number) not in items(session, engine, world.supervisor_user)
    assert ("plan", number) in items(session, engine, world.caseworker)
    plans.decide(session, engine.settings, world.caseworker, number, seen_version=1, approve=False, comment="Fler mål")
    session.commit()
    assert ("plan", number) in items(session, engine, world.supervisor_user)  # sent back: to write again
    assert ("plan", number) not in items(session, engine, world.caseworker)
    plans.save(session, engine.settings, world.supervisor_user, number, draft, seen_version=1, submit=True)
    session.commit()
    plans.decide(session, engine.settings, world.caseworker, number, seen_version=2, approve=True)
    session.commit()
    assert ("plan", number) not in items(session, engine, world.supervisor_user)
    assert ("plan", number) not in items(session, engine, world.caseworker)
    assert ("plan", number) not in items(session, engine, world.other_caseworker)


def test_a_referral_without_an_offer_is_the_coordinators_until_opened(client, session, engine, vault, world):
    from datetime import UTC, datetime

    from flows import submitted

    from portal.domain.referrals import no_offer

    referral = submitted(session, engine, vault, world)
    assert no_offer.alert_waiting(session, engine, now=datetime.now(UTC) + timedelta(days=30)) == 1
    assert ("referral", referral.id) in items(session, engine, world.coordinator)
    sign_in(client, world.coordinator.email)
    home = client.get("/").get_data(as_text=True)
    assert f"Inget erbjudande ännu på remiss {referral.id}: hitta en handledare" in home
    assert client.get(f"/referrals/{referral.id}").status_code == 200
    assert ("referral", referral.id) not in items(session, engine, world.coordinator)
