"""The reports' figures recomputed for a generated dataset with SQL written here, in the
test (plain SQL on the tables, nothing from the report code), and compared: 3R
Representation and Resources, the ESF rows, the training figures and the lead-time
medians, on SQLite and PostgreSQL (issue 11, "Done when")."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import report_data
from report_data import build_report, rows
from sqlalchemy import text

from portal.domain.calendar import local_today
from portal.domain.reports.catalogue import Period

STOCKHOLM = ZoneInfo("Europe/Stockholm")
STARTED = ("active", "completed", "discontinued")
GENDERS = ("woman", "man", "not_stated")
CASES = [("2026-Q2", "fyrbodal"), ("2025-Q3", "skaraborg"), ("2026", "fyrbodal"), ("2025-H2", None)]


@pytest.fixture
def app(make_app):
    return make_app(DEFAULT_LOCALE="en")


@pytest.fixture
def data(session, world):
    made = report_data.build(session, world)
    report_data.generate(session, world, made, seed=23, count=80)
    report_data.generate_training(session, world, made, seed=29)
    return made


def _utc(moment):
    """A timestamp as read back by plain SQL (SQLite gives text, PostgreSQL naive datetimes)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _day(value):
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _bounds(code):
    period = Period.parse(code)
    starts = datetime.combine(period.start, time(), STOCKHOLM).astimezone(UTC).replace(tzinfo=None)
    ends = datetime.combine(period.end + timedelta(days=1), time(), STOCKHOLM).astimezone(UTC).replace(tzinfo=None)
    return period, {"starts": starts, "ends": ends, "first": period.start, "last": period.end}


def _region_id(session, code):
    return session.execute(text("SELECT id FROM region WHERE code = :code"), {"code": code}).scalar()


def _in_region(column, region_id):
    return f" AND {column} = {int(region_id)}" if region_id is not None else ""


def _people(session, sql, bounds, region_id, column="r.region_id"):
    """{gender: number of distinct ids} from rows of (id, gender)."""
    found = defaultdict(set)
    for key, gender in session.execute(text(sql + _in_region(column, region_id)), bounds):
        found[gender].add(key)
    return {gender: len(found[gender]) for gender in GENDERS}


def _representation(session, bounds, region_id):
    participants = "SELECT p.id, p.gender FROM referral r JOIN participant p ON p.id = r.participant_id"
    placements = participants + " JOIN placement pl ON pl.referral_id = r.id"
    trained = """
        SELECT s.id, s.gender FROM supervisor s JOIN cohort c ON c.id = s.cohort_id
        WHERE (SELECT count(*) FROM module m WHERE m.cohort_id = s.cohort_id) > 0
          AND (SELECT count(*) FROM module m WHERE m.cohort_id = s.cohort_id) = (
              SELECT count(*) FROM module_completion mc JOIN module m ON m.id = mc.module_id
              WHERE mc.supervisor_id = s.id AND m.cohort_id = s.cohort_id AND mc.completed_on <= :last)"""
    return {
        "Participants referred": _people(
            session, participants + " WHERE r.submitted_at >= :starts AND r.submitted_at < :ends", bounds, region_id
        ),
        "Participants placed": _people(
            session,
            placements + f" WHERE pl.state IN {STARTED} AND pl.start_date BETWEEN :first AND :last",
            bounds,
            region_id,
        ),
        "Participants who completed": _people(
            session,
            placements + " WHERE pl.state = 'completed' AND pl.end_date BETWEEN :first AND :last",
            bounds,
            region_id,
        ),
        "Supervisors trained": _people(session, trained, bounds, region_id, "c.region_id"),
        "Supervisors certified": _people(
            session,
            "SELECT s.id, s.gender FROM supervisor s JOIN cohort c ON c.id = s.cohort_id WHERE s.certified_on <= :last",
            bounds,
            region_id,
            "c.region_id",
        ),
        "Supervisors active": _people(
            session,
            "SELECT s.id, s.gender FROM placement pl JOIN supervisor s ON s.id = pl.supervisor_id "
            f"JOIN referral r ON r.id = pl.referral_id WHERE pl.state IN {STARTED} AND pl.start_date <= :last "
            "AND (pl.end_date IS NULL OR pl.end_date >= :first)",
            bounds,
            region_id,
        ),
        "Caseworkers referring": _people(
            session,
            "SELECT u.id, u.gender FROM referral r JOIN user_account u ON u.id = r.caseworker_id "
            "WHERE r.submitted_at >= :starts AND r.submitted_at < :ends",
            bounds,
            region_id,
        ),
    }


def _running(session, bounds, region_id):
    return session.execute(
        text(
            "SELECT p.gender, pl.start_date, pl.end_date, pl.hours_per_week FROM placement pl "
            "JOIN referral r ON r.id = pl.referral_id JOIN participant p ON p.id = r.participant_id "
            f"WHERE pl.state IN {STARTED} AND pl.start_date <= :last AND (pl.end_date IS NULL OR pl.end_date >= :first)"
            + _in_region("r.region_id", region_id)
        ),
        bounds,
    ).all()


def _band(born, day):
    if born is None:
        return "Not recorded"
    age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    return "Under 18" if age < 18 else "18–29" if age < 30 else "30–54" if age < 55 else "55 and over"


@pytest.mark.parametrize(("code", "region"), CASES)
def test_3r_representation_and_resources_agree_with_independent_sql(app, session, data, code, region):
    period, bounds = _bounds(code)
    region_id = _region_id(session, region) if region else None
    report = build_report(app, session, "3r", period=code, **({"region": region} if region else {}))
    shown = {row[0]: row[1:4] for row in rows(report.tables[0])}
    for group, by_gender in _representation(session, bounds, region_id).items():
        assert shown[group] == tuple(by_gender[g] for g in GENDERS), group

    today = local_today()
    placements, days, hours = Counter(), Counter(), Counter()
    for gender, start, end, per_week in _running(session, bounds, region_id):
        start, end = _day(start), _day(end)
        last = min(end or today, period.end, today)
        ran = max(0, (last - max(start, period.start)).days + 1)
        placements[gender] += 1
        days[gender] += ran
        hours[gender] += ran * per_week / 7
    resources = rows(report.tables[1])
    for position, gender in enumerate(GENDERS):
        assert resources[position][1] == placements[gender]
        assert resources[position][2] == round(days[gender]) if placements[gender] else resources[position][2] == 0
        if placements[gender]:
            assert resources[position][3] == round(hours[gender])


@pytest.mark.parametrize(("code", "region"), CASES)
def test_esf_rows_agree_with_independent_sql(app, session, data, code, region):
    period, bounds = _bounds(code)
    region_id = _region_id(session, region) if region else None
    first_start = {}
    for person, gender, born, start, placement_id, status in session.execute(
        text(
            "SELECT p.id, p.gender, p.birth_date, pl.start_date, pl.id, pl.status_at_entry FROM placement pl "
            "JOIN referral r ON r.id = pl.referral_id JOIN participant p ON p.id = r.participant_id "
            f"WHERE pl.state IN {STARTED} AND pl.start_date BETWEEN :first AND :last"
            + _in_region("r.region_id", region_id)
        ),
        bounds,
    ):
        entry = (_day(start), placement_id, gender, _day(born), status)
        first_start[person] = min(first_start.get(person, entry), entry)
    report = build_report(app, session, "esf-participants", period=code, **({"region": region} if region else {}))
    by_gender = Counter(entry[2] for entry in first_start.values())
    assert [row[1] for row in rows(report.tables[0])[:3]] == [by_gender[g] for g in GENDERS]
    started = {(row[0], row[1]): row[2:5] for row in rows(report.tables[1])}
    bands = Counter((_band(entry[3], entry[0]), entry[2]) for entry in first_start.values())
    for band in ("Under 18", "18–29", "30–54", "55 and over"):
        assert started[("Age at entry", band)] == tuple(bands[(band, g)] for g in GENDERS), band
    statuses = Counter((entry[4], entry[2]) for entry in first_start.values())
    assert started[("Labour-market status at entry", "Unemployed")] == tuple(
        statuses[("unemployed", g)] for g in GENDERS
    )


@pytest.mark.parametrize(("code", "region"), CASES)
def test_training_figures_agree_with_independent_sql(app, session, data, code, region):
    period, bounds = _bounds(code)
    region_id = _region_id(session, region) if region else None
    trained = _representation(session, bounds, region_id)["Supervisors trained"]
    report = build_report(app, session, "training", period=code, **({"region": region} if region else {}))
    total = rows(report.tables[2])[-1]
    enrolled = session.execute(
        text(
            "SELECT count(*) FROM supervisor s JOIN cohort c ON c.id = s.cohort_id WHERE c.starts_on <= :last"
            + _in_region("c.region_id", region_id)
        ),
        bounds,
    ).scalar()
    assert (total[1], total[2]) == (enrolled, sum(trained.values()))
    before = _representation(session, {**bounds, "last": period.start - timedelta(days=1)}, region_id)
    in_period = {gender: trained[gender] - before["Supervisors trained"][gender] for gender in GENDERS}
    shown = Counter()
    for row in rows(report.tables[1]):
        shown[{"Woman": "woman", "Man": "man", "Not stated": "not_stated"}[str(row[1])]] += row[5]
    assert {gender: shown[gender] for gender in GENDERS} == in_period


@pytest.mark.parametrize(("code", "region"), CASES)
def test_lead_time_medians_agree_with_independent_sql(app, session, data, code, region):
    period, bounds = _bounds(code)
    region_id = _region_id(session, region) if region else None
    whole, first = [], []
    for submitted, start, accepted, offered_first in session.execute(
        text(
            "SELECT r.submitted_at, pl.start_date, o.responded_at, "
            "(SELECT min(f.offered_at) FROM offer f WHERE f.referral_id = r.id) FROM placement pl "
            "JOIN referral r ON r.id = pl.referral_id JOIN offer o ON o.id = pl.offer_id "
            f"WHERE pl.state IN {STARTED} AND pl.start_date BETWEEN :first AND :last"
            + _in_region("r.region_id", region_id)
        ),
        bounds,
    ):
        begins = datetime.combine(_day(start), time(), STOCKHOLM).astimezone(UTC)
        moment = max(begins, _utc(accepted))
        whole.append((moment - _utc(submitted)).total_seconds() / 86400)
        first.append((_utc(offered_first) - _utc(submitted)).total_seconds() / 86400)
    report = build_report(app, session, "lead-times", period=code, **({"region": region} if region else {}))
    steps = {row[0]: row for row in rows(report.tables[0])}
    overall = steps["Submission → start (whole lead time)"]
    assert overall[1] == len(whole)
    if whole:
        assert overall[3] == round(statistics.median(whole), 1)
        assert steps["Submission → first offer"][3] == round(statistics.median(first), 1)
