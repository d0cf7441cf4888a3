"""Fyrbodal's quarterly report: submitted, started and completed in the quarter, by gender."""

from datetime import UTC, date, datetime, time, timedelta

from portal_fyrbodal.report import QuarterlyReport, last_quarter
from sqlalchemy import select

from portal.domain.calendar import local_today
from portal.domain.referrals import actions as referrals
from portal.domain.reports.catalogue import Period
from portal.models import Offer
from portal.testing import approve_plan, sign_in, write_end_report

TODAY = local_today()
THIS_QUARTER = f"{TODAY.year}-Q{(TODAY.month - 1) // 3 + 1}"


def submitted(session, engine, world, referral):
    referrals.act(session, engine, world.caseworker, referral.id, "submit")
    if referral.workflow_name == "fyrbodal":
        referrals.act(session, engine, world.coordinator, referral.id, "approve")
    session.commit()
    return referral


def placed_and_completed(session, engine, world, referral, supervisor):
    referrals.offer(session, engine, world.caseworker, referral.id, [supervisor.id])
    session.commit()
    offer_id = session.scalar(select(Offer.id).where(Offer.referral_id == referral.id))
    referrals.answer(session, engine, world.supervisor_user, offer_id, accept=True, start_date=TODAY)
    approve_plan(session, engine, world, referral.id)
    referrals.act(session, engine, world.caseworker, referral.id, "start", params={"start_date": TODAY})
    write_end_report(session, engine, world, referral.id)
    referrals.act(
        session, engine, world.caseworker, referral.id, "complete", params={"outcome": "employment", "end_date": TODAY}
    )
    session.commit()


def test_the_quarter_counts_fyrbodals_referrals_and_placements_by_gender(app, session, engine, world, draft, certified):
    placed_and_completed(session, engine, world, submitted(session, engine, world, draft()), certified)
    submitted(session, engine, world, draft(number="200001011493", gender="man"))
    submitted(session, engine, world, draft("Skövde", number="200001012392", gender="man"))  # not Fyrbodal

    with app.app_context():
        built = QuarterlyReport().build(session, {"quarter": Period.parse(THIS_QUARTER)})
        genders = [str(row[0]) for row in built.tables[0].rows[:3]]
    assert genders == ["Kvinna", "Man", "Ej angivet"]
    assert [row[1:] for row in built.tables[0].rows] == [(1, 1, 1), (1, 0, 0), (0, 0, 0), (2, 1, 1)]

    with app.app_context():
        earlier = QuarterlyReport().build(session, {"quarter": Period.parse(f"{TODAY.year - 1}-Q4")})
    assert [row[1:] for row in earlier.tables[0].rows] == [(0, 0, 0)] * 4


def test_the_report_is_for_the_quarter_that_ended_last_unless_another_is_chosen():
    assert last_quarter(date(2026, 5, 12)).code == "2026-Q1"
    assert last_quarter(date(2026, 2, 1)).code == "2025-Q4"
    assert QuarterlyReport().parameters[0].default == last_quarter(TODAY)


def test_fyrbodals_coordinator_finds_the_report_and_downloads_it(client, session, engine, world, draft):
    referral = submitted(session, engine, world, draft())
    last = last_quarter(TODAY)
    referral.submitted_at = datetime.combine(last.start + timedelta(days=20), time(10), UTC)  # in the last quarter
    session.commit()
    sign_in(client, world.coordinator.email)
    assert "/reports/fyrbodal-quarterly" in client.get("/reports").get_data(as_text=True)
    assert client.get("/reports/fyrbodal-quarterly").status_code == 200  # the last quarter, by default
    page = client.get(f"/reports/fyrbodal-quarterly?quarter={THIS_QUARTER}")
    assert page.status_code == 200 and "Fyrbodals kvartalsrapport" in page.get_data(as_text=True)
    assert client.get(f"/reports/fyrbodal-quarterly/download/csv?quarter={THIS_QUARTER}").status_code == 303
    download = client.get(f"/reports/fyrbodal-quarterly/download/csv?quarter={last.code}")  # ended: on the grid
    assert download.status_code == 200 and "<5" in download.get_data(as_text=True)  # one referral: suppressed


def test_the_report_is_not_offered_where_the_plugin_is_off(client, session, world):
    from portal.models import Region, User
    from portal.testing import password_hash

    skaraborg = session.scalar(select(Region).where(Region.code == "skaraborg"))
    session.add(
        User(
            email="samordnare@skaraborg.example.se",
            name="Sam",
            role="coordinator",
            region=skaraborg,
            password_hash=password_hash(),
        )
    )
    session.commit()
    sign_in(client, "samordnare@skaraborg.example.se")
    assert "fyrbodal-quarterly" not in client.get("/reports").get_data(as_text=True)
    assert client.get("/reports/fyrbodal-quarterly").status_code == 404
