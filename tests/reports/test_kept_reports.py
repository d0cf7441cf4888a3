"""Reports kept in step (`reports.kept`, `reports.refresh`): a closed period's report, once
read, is built again in the background after a write touches its period, so that the next
read finds every stored statement's figures stored — the same figures a live build gives.
A write that commits while the refresh runs leaves the report stale, never stale figures
served.

The world is `report_data`'s (Q2 2026, closed)."""

from __future__ import annotations

import json
import re
import threading
import time
from datetime import date, timedelta

import pytest
import report_data
from conftest import sign_in
from figure_reads import PERIOD, STATEMENTS, computed, stored_statements_in, tables
from queries import counting_queries
from sqlalchemy import delete, event, func, select, update
from sqlalchemy.orm import Session

from portal.domain.reports import refresh, stored
from portal.domain.transactions import begin_write
from portal.extensions import db
from portal.models import KeptReport, Placement, Referral, StoredFigures, Supervisor

TODAY = date(2026, 11, 1)


@pytest.fixture
def data(session, world):
    made = report_data.build(session, world)
    session.commit()
    return made


def _refreshed(app, session) -> tuple[int, bool]:
    with app.app_context():
        return refresh.refresh(session, app.extensions["portal.reports"], TODAY, app.config["TIMEZONE"])


def _live(app, session):
    """The report built with every statement run: no stored figures to read."""
    begin_write(session)
    session.execute(delete(StoredFigures))
    session.commit()
    report, ran = computed(app, session)
    assert ran == set(STATEMENTS)
    return report


def _gender_of(session, made, name: str, gender: str) -> None:
    session.execute(update(Referral).where(Referral.id == made.referrals[name].id).values(participant_gender=gender))


WRITES = {
    "a participant's gender corrected": lambda session, made: _gender_of(session, made, "R1", "man"),
    "a placement ended": lambda session, made: session.execute(
        update(Placement).where(Placement.id == made.referrals["R2"].placement.id).values(end_date=date(2026, 5, 31))
    ),
}


@pytest.mark.parametrize("write", WRITES)
def test_after_a_write_the_refresh_builds_the_report_again_and_the_next_read_is_stored(
    app, runner, session, data, write
):
    first, ran = computed(app, session)
    assert ran == set(STATEMENTS)
    WRITES[write](session, data)
    session.commit()
    assert "Reports built again after a write: 1." in runner.invoke(args=["reports", "refresh"]).output
    assert _refreshed(app, session) == (0, False)  # no longer stale
    read, ran = computed(app, session)
    assert ran == set()
    assert tables(read) == tables(_live(app, session)) != tables(first)


def test_a_coordinators_report_is_built_again_held_to_their_region(app, client, session, data, world):
    """Read through the page (on SQLite its transaction holds the write lock, and the
    report is kept in it), built again with no one signed in, read again stored."""
    sign_in(client, world.coordinator.email)

    def page():
        with counting_queries(app) as statements:
            shown = client.get(f"/reports/3r?period={PERIOD}").get_data(as_text=True)
        return re.findall("<table.*?</table>", shown, re.S), stored_statements_in(statements)

    page()
    kept = session.scalars(select(KeptReport)).one()
    assert (kept.region_id, json.loads(kept.parameters)) == (
        world.region["fyrbodal"].id,
        {"period": PERIOD, "region": "fyrbodal"},
    )
    _gender_of(session, data, "R1", "man")
    session.commit()
    assert _refreshed(app, session) == (1, False)
    shown, ran = page()
    assert ran == set() and "<table" in shown[0]
    begin_write(session)
    session.execute(delete(StoredFigures))
    session.commit()
    live, ran = page()
    assert ran == set(STATEMENTS) and shown == live


def test_a_read_is_noted_once_a_day_and_a_report_not_read_for_30_days_is_let_go(app, session, data):
    computed(app, session)
    read_at = session.scalar(select(KeptReport.read_at))
    with counting_queries(app) as statements:
        computed(app, session)
    assert not [statement for statement in statements if "kept_report" in statement and "INSERT" in statement]
    session.execute(update(KeptReport).values(read_at=read_at - timedelta(days=31)))
    _gender_of(session, data, "R1", "man")
    session.commit()
    assert _refreshed(app, session) == (0, False)
    stored.compact(session)
    assert session.scalar(select(func.count()).select_from(KeptReport)) == 0


def test_a_report_whose_parameters_no_longer_parse_is_forgotten(app, session, data):
    computed(app, session)
    session.execute(update(KeptReport).values(parameters=json.dumps({"period": "2026-Q5"})))
    _gender_of(session, data, "R1", "man")
    session.commit()
    assert _refreshed(app, session) == (0, False)
    assert session.scalar(select(func.count()).select_from(KeptReport)) == 0


def test_a_report_whose_build_fails_is_forgotten_and_the_refresh_goes_on(app, session, data, monkeypatch, caplog):
    """A report's own fault (a plugin's, say) is logged: it does not stop the worker."""
    from portal.builtin.reports.gender_equality import GenderEqualityReport

    computed(app, session)
    computed(app, session, "2025")
    session.execute(update(Supervisor).where(Supervisor.id == data.supervisor_b.id).values(gender="woman"))
    session.commit()  # a change with no date: both stale
    built = GenderEqualityReport.build

    def fails_for_2026(self, session, params):
        if params["period"].code == PERIOD:
            raise ValueError("a fault of the report's own")
        return built(self, session, params)

    monkeypatch.setattr(GenderEqualityReport, "build", fails_for_2026)
    assert _refreshed(app, session) == (1, False)
    assert "could not be built again" in caplog.text
    assert [json.loads(kept) for kept in session.scalars(select(KeptReport.parameters))] == [{"period": "2025"}]


def test_a_write_committed_while_the_refresh_runs_leaves_the_report_stale(app, session, data):
    """The write begins before the refresh takes its mark and commits after its statements
    ran, before it stores: what the refresh stores is stale, and so is the kept report."""
    computed(app, session)
    _gender_of(session, data, "R1", "man")
    session.commit()
    with app.app_context():
        engine = db.engine
    writer = Session(engine)
    begin_write(writer)
    _gender_of(writer, data, "R7", "man")

    def commit_the_writer(connection, cursor, statement, *args):
        if statement.startswith("INSERT INTO stored_figures") and writer.in_transaction():
            writer.commit()

    event.listen(engine, "before_cursor_execute", commit_the_writer)
    try:
        assert _refreshed(app, session) == (1, False)
    finally:
        event.remove(engine, "before_cursor_execute", commit_the_writer)
        writer.close()
    assert len(stored.stale(session, TODAY)) == 1  # the next round builds it again
    assert _refreshed(app, session) == (1, False)
    read, ran = computed(app, session)
    assert ran == set()
    assert tables(read) == tables(_live(app, session))


def test_writes_racing_the_refresh_never_leave_stale_figures_served(app, session, data):
    """A writer thread corrects a gender back and forth (an odd number of times a round)
    while another refreshes until it is done; after each round the report read (stored
    or not) is the one a live build gives, and once the refresh has caught up it is read
    stored."""
    computed(app, session)
    with app.app_context():
        engine = db.engine
    genders = ["man", "woman"]

    def write(writes: int):
        with Session(engine) as writer:
            for index in range(writes):
                begin_write(writer)
                _gender_of(writer, data, "R7", genders[index % 2])
                writer.commit()
                time.sleep(0.01)

    def refresh_while(writing: threading.Thread):
        with Session(engine) as refresher:
            while writing.is_alive():
                _refreshed(app, refresher)

    for _round in range(4):
        writing = threading.Thread(target=write, args=(7,))
        refreshing = threading.Thread(target=refresh_while, args=(writing,))
        writing.start()
        refreshing.start()
        for thread in (writing, refreshing):
            thread.join(timeout=120)
        genders.reverse()  # R7 ends as a man in one round, a woman in the next
        raced, _ran = computed(app, session)  # stored or not
        while _refreshed(app, session)[0]:
            pass
        read, ran = computed(app, session)
        assert ran == set()
        assert tables(raced) == tables(read) == tables(_live(app, session))
