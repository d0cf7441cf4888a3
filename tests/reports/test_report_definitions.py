"""The definitions behind the reports' figures, each with the edge case that once gave a
figure a coordinator would call wrong (issue 11), built through the domain functions the
pages use, on SQLite and PostgreSQL. The world is `report_data`'s."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import report_data
from report_data import build_report as build
from report_data import rows
from sqlalchemy import select

from portal.domain.calendar import local_date, local_today
from portal.domain.errors import InvalidInput
from portal.domain.referrals import actions as referrals
from portal.domain.referrals.transitions import fire
from portal.domain.training.definitions import is_trained, trained_ids
from portal.models import Module, ModuleCompletion, Offer, Placement, Referral
from portal.testing import approve_plan, write_end_report


@pytest.fixture
def app(make_app):
    return make_app(DEFAULT_LOCALE="en")


@pytest.fixture
def data(session, world):
    return report_data.build(session, world)


# 1. Trained supervisor ------------------------------------------------------------------


def _complete_another_cohorts_module(session, data):
    """B (Fyrbodal, two of three modules) also completes a module of Skaraborg's cohort."""
    module = session.query(Module).filter(Module.cohort_id == data.supervisor_c.cohort_id).first()
    session.add(
        ModuleCompletion(supervisor_id=data.supervisor_b.id, module_id=module.id, completed_on=date(2026, 5, 2))
    )
    session.commit()


def test_a_module_of_another_cohort_does_not_make_a_supervisor_trained(session, data):
    _complete_another_cohorts_module(session, data)
    assert not is_trained(session, data.supervisor_b.id)
    assert trained_ids(session) == {data.supervisor_a.id, data.supervisor_c.id}
    assert trained_ids(session, date(2026, 5, 19)) == {data.supervisor_c.id}  # A's last module on 05-20


def test_the_training_report_and_3r_count_only_own_cohort_completions(app, session, data):
    _complete_another_cohorts_module(session, data)
    training = build(app, session, "training", period="2026-Q2", region="fyrbodal")
    assert rows(training.tables[2])[0] == ("Fyrbodal", 2, 1, 3.8, 1)
    three_r = build(app, session, "3r", period="2026-Q2", region="fyrbodal")
    trained = next(row for row in rows(three_r.tables[0]) if row[0] == "Supervisors trained")
    assert trained[1:5] == (1, 0, 0, 1)


def test_the_coordinators_overview_counts_trained_by_the_same_definition(client, session, data, world):
    _complete_another_cohorts_module(session, data)
    data.supervisor_b.active = True
    session.commit()
    from portal.domain import home

    overview = home.coordinator(session, world.coordinator, 1, 20)
    assert overview.extra["trained_supervisors"] == 1


# 2. The target --------------------------------------------------------------------------


def test_the_target_is_a_positive_number(app, session, data):
    from portal.domain import access
    from portal.domain.reports import catalogue as reports

    offered = app.extensions["portal.reports"].reports["training"]
    with app.test_request_context():
        for target in ("-10", "0"):
            _values, errors = reports.parse(
                session, offered.report, {"period": "2026", "target": target}, access.ReportScope(), date(2026, 11, 1)
            )
            assert "target" in errors


# 3. Placement days ----------------------------------------------------------------------


def _this_year():
    return str(local_today().year)


def _placement(session, referral):
    return session.scalar(select(Placement).where(Placement.referral_id == referral.id))


def test_a_start_without_a_date_is_today_not_the_planned_future_date(session, engine, world, accepted):
    referral = accepted()
    _placement(session, referral).start_date = local_today() + timedelta(days=30)  # planned a month ahead
    session.commit()
    approve_plan(session, engine, world, referral.id)
    referrals.act(session, engine, world.caseworker, referral.id, "start")
    session.commit()
    assert _placement(session, referral).start_date == local_today()


def test_a_start_date_after_today_is_refused(session, engine, world, accepted):
    referral = accepted()
    approve_plan(session, engine, world, referral.id)
    with pytest.raises(InvalidInput) as refused:  # at the field, since refusals show beside their form
        referrals.act(
            session, engine, world.caseworker, referral.id, "start", params={"start_date": local_today() + timedelta(1)}
        )
    assert "after today" in str(refused.value.errors["start_date"])


def test_placement_days_are_never_negative_nor_in_the_future(app, session, engine, world, accepted):
    referral = accepted()
    approve_plan(session, engine, world, referral.id)
    referrals.act(session, engine, world.caseworker, referral.id, "start")
    session.commit()
    report = build(app, session, "3r", period=_this_year())
    woman = rows(report.tables[1])[0]
    assert woman[1:3] == (1, 1)  # one placement, one day: today


# 4. Withdrawn after acceptance, before the start ---------------------------------------


def test_a_withdrawal_before_the_start_cancels_the_planned_placement_and_counts_nowhere(
    app, session, engine, world, accepted
):
    referral = accepted()
    referrals.act(session, engine, world.caseworker, referral.id, "withdraw", note="Flyttar")
    session.commit()
    assert _placement(session, referral).state == "cancelled"
    period = _this_year()
    three_r = build(app, session, "3r", period=period)
    represented = {row[0]: row[4] for row in rows(three_r.tables[0])}
    assert represented["Participants placed"] == 0 and represented["Supervisors active"] == 0
    assert rows(three_r.tables[1])[-1][1] == 0  # no placement running
    assert rows(three_r.tables[3])[-1][1] == 0  # no wait to a start
    esf = build(app, session, "esf-participants", period=period)
    assert rows(esf.tables[0])[-1] == ("Total", 0, 0)
    assert rows(build(app, session, "lead-times", period=period).tables[0])[-1][1] == 0


def test_a_placement_that_started_and_ended_early_stays_discontinued(session, engine, world, accepted):
    referral = accepted()
    approve_plan(session, engine, world, referral.id)
    referrals.act(session, engine, world.caseworker, referral.id, "start")
    write_end_report(session, engine, world, referral.id)
    referrals.act(session, engine, world.caseworker, referral.id, "discontinue", params={"outcome": "other"})
    session.commit()
    assert _placement(session, referral).state == "discontinued"


# 5. Waiting ends at the start date entered ----------------------------------------------


def test_lead_times_end_at_the_start_date_entered_not_at_the_click(app, session, engine, world, accepted):
    referral = accepted()
    placement = _placement(session, referral)
    accepted_on = local_date(placement.offer.responded_at)
    approve_plan(session, engine, world, referral.id)
    referrals.act(session, engine, world.caseworker, referral.id, "start", params={"start_date": accepted_on})
    session.commit()
    started = datetime.combine(accepted_on, time(), ZoneInfo("Europe/Stockholm"))
    expected = max(started.astimezone(UTC), placement.offer.responded_at) - referral.submitted_at
    report = build(app, session, "lead-times", period=_this_year())
    whole = rows(report.tables[0])[-1]
    assert whole[1] == 1 and whole[3] == round(expected.total_seconds() / 86400, 1)


# 7. Dates the portal fills in are Stockholm dates ----------------------------------------


def test_dates_the_portal_fills_in_are_stockholm_dates(session, engine, world, draft, certified):
    referral = draft()
    referral.earliest_start = None
    referrals.act(session, engine, world.caseworker, referral.id, "submit")
    referrals.offer(session, engine, world.caseworker, referral.id, [certified.id])
    session.commit()
    offer = session.scalar(select(Offer).where(Offer.referral_id == referral.id))
    half_past_midnight_2_october = datetime(2026, 10, 1, 22, 30, tzinfo=UTC)
    fire(
        session,
        engine,
        referral,
        "accept",
        actor=world.supervisor_user,
        params={"offer": offer},
        now=half_past_midnight_2_october,
    )
    assert referral.placement.start_date == date(2026, 10, 2)
    session.commit()
    approve_plan(session, engine, world, referral.id)
    fire(
        session,
        engine,
        referral,
        "start",
        actor=world.caseworker,
        params={"start_date": date(2026, 10, 5)},
        now=datetime(2026, 10, 5, 8, tzinfo=UTC),
    )
    write_end_report(session, engine, world, referral.id)
    half_past_midnight_new_year = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    fire(
        session,
        engine,
        referral,
        "complete",
        actor=world.caseworker,
        params={"outcome": "employment"},
        now=half_past_midnight_new_year,
    )
    assert referral.placement.end_date == date(2027, 1, 1)
    session.rollback()


def test_the_day_an_offer_expired_is_the_stockholm_day(app):
    assert local_date(datetime(2026, 10, 1, 22, 30, tzinfo=UTC)) == date(2026, 10, 2)
    assert local_date(datetime(2026, 10, 1, 22, 30, tzinfo=UTC), "UTC") == date(2026, 10, 1)
    with app.app_context():
        app.config["TIMEZONE"] = "America/New_York"  # PORTAL_TIMEZONE decides
        assert local_date(datetime(2026, 10, 2, 2, 0, tzinfo=UTC)) == date(2026, 10, 1)


# 8. ESF+: persons, age bands, status and education at entry ------------------------------


def test_esf_counts_a_person_placed_twice_once_in_the_esf_plus_age_band_at_entry(app, session, data, world):
    first = data.referrals["R1"]  # a woman of 35, completed 06-19
    again = Referral(
        participant=first.participant,
        authority=first.authority,
        caseworker=first.caseworker,
        region=first.region,
        workflow_name="default",
        workflow_version=1,
        state="active",
        goal="Arbetsträning igen",
        hours_per_week=20,
        submitted_at=datetime(2026, 6, 20, 10, tzinfo=UTC),
    )
    offer = Offer(
        referral=again,
        supervisor=data.supervisor_a,
        offered_by=world.caseworker,
        state="accepted",
        offered_at=datetime(2026, 6, 21, 10, tzinfo=UTC),
        expires_at=datetime(2026, 6, 28, 10, tzinfo=UTC),
        responded_at=datetime(2026, 6, 22, 10, tzinfo=UTC),
    )
    session.add(
        Placement(
            referral=again,
            offer=offer,
            supervisor=data.supervisor_a,
            state="active",
            start_date=date(2026, 6, 25),
            hours_per_week=20,
        )
    )
    session.commit()
    report = build(app, session, "esf-participants", period="2026-Q2", region="fyrbodal")
    assert rows(report.tables[0])[0] == ("Woman", 2, 2)  # R1's person and R3's, not three
    started = {(row[0], row[1]): row[2:] for row in rows(report.tables[1])}
    assert started[("Age at entry", "30–54")] == (1, 0, 1, 2)
    assert started[("Age at entry", "18–29")] == (0, 1, 0, 1)  # R2, 23: "under 25" in the old bands


def test_esf_takes_status_and_education_at_entry_not_todays(app, session, data):
    participant = data.referrals["R2"].participant  # unemployed, ISCED 3–4 when the placement started
    participant.labour_market_status, participant.education_level = "employed", "isced_5_8"
    session.commit()
    report = build(app, session, "esf-participants", period="2026-Q2", region="fyrbodal")
    started = {(row[0], row[1]): row[2:] for row in rows(report.tables[1])}
    assert started[("Labour-market status at entry", "Unemployed")] == (0, 1, 0, 1)
    assert started[("Labour-market status at entry", "Employed (including self-employed)")][1] == 0


def test_starting_a_placement_stores_status_and_education_at_entry(session, engine, world, accepted):
    referral = accepted()
    referral.participant.labour_market_status, referral.participant.education_level = "inactive", "isced_0_2"
    session.commit()
    approve_plan(session, engine, world, referral.id)
    referrals.act(session, engine, world.caseworker, referral.id, "start")
    session.commit()
    referral.participant.labour_market_status = "employed"
    session.commit()
    placement = _placement(session, referral)
    assert (placement.status_at_entry, placement.education_at_entry) == ("inactive", "isced_0_2")
