"""Stored figures (`domain.reports.stored`, migration 0021): a closed period's 3R figures
are computed once and served again, the same to the digit, until a write touches a row
dated in the period, whatever way the write is made; a write outside the period, or to a
column no stored statement reads, leaves them stored.

The world is `report_data`'s (Q2 2026, closed), with an older case (2025) beside it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import report_data
from conftest import sign_in
from figure_reads import PERIOD, STATEMENTS, computed, stored_statements_in, tables
from queries import counting_queries
from report_data import at
from sqlalchemy import delete, func, select, text, update

from portal.builtin.reports import gender_equality
from portal.domain.calendar import local_today
from portal.domain.reports import stored
from portal.domain.reports.catalogue import Period
from portal.extensions import db
from portal.models import (
    AttendanceDay,
    FigureChange,
    KeptReport,
    Offer,
    Participant,
    Placement,
    Referral,
    StoredFigures,
    Supervisor,
    User,
)
from portal.models.base import utcnow


@pytest.fixture
def data(session, world):
    """`report_data`'s world, with a case of 2025 beside it (R9: submitted, offered, placed
    and attended in February) and a referral of 2025 that went no further (R10)."""
    made = report_data.build(session, world)
    made.world = world
    made.older = made.referral("R9", "woman", datetime(2025, 2, 1, 10, tzinfo=UTC), made.fyrbodal)
    made.older_offer = made.offer(made.older, made.supervisor_a, datetime(2025, 2, 3, 10, tzinfo=UTC), "accepted")
    made.older_placement = made.placement(
        made.older, made.older_offer, datetime(2025, 2, 10, 10, tzinfo=UTC), "completed", date(2025, 3, 10)
    )
    made.draft_2025 = made.referral("R10", "woman", datetime(2025, 1, 5, 10, tzinfo=UTC), made.fyrbodal)
    session.flush()
    session.add_all(
        [
            AttendanceDay(placement_id=made.older_placement.id, day=date(2025, 2, 12), hours=Decimal("6.50")),
            AttendanceDay(placement_id=_placement_of("R1")(made).id, day=date(2026, 5, 4), hours=Decimal(8)),
        ]
    )
    session.commit()
    return made


def test_a_second_build_reads_the_stored_figures_and_gives_the_same_ones(app, session, data):
    first, ran_first = computed(app, session)
    second, ran_second = computed(app, session)
    assert ran_first == set(STATEMENTS) and ran_second == set()
    assert tables(second) == tables(first)
    assert second.sums == first.sums
    assert session.scalar(select(func.count()).select_from(StoredFigures)) == 3


def test_the_report_page_stores_the_figures_and_serves_them_to_the_next_viewer(app, client, session, data, world):
    """Through the pages as well: on SQLite a page's transaction holds the write lock from
    its start, and the figures are stored in it; on PostgreSQL beside it."""
    sign_in(client, world.coordinator.email)
    pages = []
    for _ in range(2):
        with counting_queries(app) as statements:
            pages.append(client.get(f"/reports/3r?period={PERIOD}").get_data(as_text=True))
        pages.append(stored_statements_in(statements))
    assert pages[1] == set(STATEMENTS) and pages[3] == set()
    assert re.findall("<table.*?</table>", pages[0], re.S) == re.findall("<table.*?</table>", pages[2], re.S)
    assert "<table" in pages[0]
    assert session.scalar(select(func.count()).select_from(StoredFigures)) == 3


def test_a_period_that_includes_today_is_stored_for_that_day(app, session, data):
    """Its statement is written for today (a running placement's days end today): read
    again the same day, the same as computed live; the next day's is another."""
    period = Period.parse(PERIOD)
    dialect = session.get_bind().dialect.name
    found = []
    with app.app_context():
        for today in (date(2026, 5, 10), date(2026, 5, 11)):
            statements = {"placements": gender_equality._placements(period, None, today, dialect)}
            first = stored.results(session, period, today, statements)
            with counting_queries(app) as statements_run:
                again = stored.results(session, period, today, statements)
            assert stored_statements_in(statements_run) == set()
            assert again == first == {"placements": list(session.execute(statements["placements"]))}
            found.append(again)
    assert found[0] != found[1]  # a day more of every running placement
    assert session.scalar(select(func.count()).select_from(StoredFigures)) == 2
    assert session.scalar(select(func.count()).select_from(KeptReport)) == 0


def test_the_current_years_report_is_read_again_until_a_write_touches_it(app, session, data):
    """Read through the report as the pages read it; the worker does not keep it."""
    this_year = str(local_today().year)
    first, ran = computed(app, session, this_year)
    again, ran_again = computed(app, session, this_year)
    assert ran == set(STATEMENTS) and ran_again == set() and tables(again) == tables(first)
    _new_referral(utcnow())(session, data)
    session.commit()
    changed, ran = computed(app, session, this_year)
    assert ran == set(STATEMENTS)
    session.execute(delete(StoredFigures))
    session.commit()
    assert tables(changed) == tables(computed(app, session, this_year)[0])
    assert session.scalar(select(func.count()).select_from(KeptReport)) == 0


def test_statements_that_read_the_clock_are_computed_live(app, session, data):
    period = Period.parse(PERIOD)
    placements = select(func.count()).select_from(Placement)
    for statement in (
        placements.where(Placement.start_date <= func.current_date()),
        placements.where(Placement.start_date <= func.date("now")),
        placements.where(Placement.start_date <= func.now()),
    ):
        assert stored.reads(statement) is None
        with app.app_context():
            stored.results(session, period, date(2026, 11, 1), {"placements": statement})
    assert session.scalar(select(func.count()).select_from(StoredFigures)) == 0


def _set(model, row_id, **values):
    return lambda session, made: session.execute(update(model).where(model.id == row_id(made)).values(**values))


def _removed(model, row_id):
    return lambda session, made: session.execute(delete(model).where(model.id == row_id(made)))


def _orm(change):
    """A change made on ORM objects, flushed as the portal's pages make theirs."""

    def changed(session, made):
        change(session, made)
        session.flush()

    return changed


def _new_referral(submitted):
    return _orm(lambda session, made: made.referral("R8", "woman", submitted, made.fyrbodal))


def _new_offer(referral, offered):
    return _orm(lambda session, made: made.offer(referral(made), made.supervisor_b, offered, "open"))


def _new_day(placement, day):
    return lambda session, made: session.add(AttendanceDay(placement_id=placement(made).id, day=day, hours=4))


def _attr(getter, **values):
    def change(session, made):
        for name, value in values.items():
            setattr(getter(made), name, value)

    return _orm(change)


def _offer_of(name):
    return lambda made: made.referrals[name].offers[0]


def _referral_named(name):
    return lambda made: made.referrals[name]


def _placement_of(name):
    return lambda made: made.referrals[name].placement


def _older(made):
    return made.older


def _older_offer(made):
    return made.older_offer


def _older_placement(made):
    return made.older_placement


CHANGES = {  # what is written (and committed) between two builds: does the second compute anew?
    "referral inserted in the period": (_new_referral(at(5, 20)), True),
    "referral inserted before it": (_new_referral(datetime(2025, 3, 1, 10, tzinfo=UTC)), False),
    "referral's gender copy corrected": (_attr(_referral_named("R1"), participant_gender="man"), True),
    "older referral's gender copy corrected": (_attr(_older, participant_gender="man"), False),
    "referral's goal changed (no figure reads it)": (_attr(_referral_named("R1"), goal="Annat"), False),
    "referral's region changed by a bulk update": (
        _set(Referral, lambda made: made.referrals["R7"].id, region_id=Referral.region_id),
        True,
    ),
    "referral deleted": (_removed(Referral, lambda made: made.referrals["R7"].id), True),
    "older draft deleted": (_removed(Referral, lambda made: made.draft_2025.id), False),
    "offer made in the period": (_new_offer(_referral_named("R7"), at(6, 2)), True),
    "offer made before it": (_new_offer(_older, datetime(2025, 2, 20, 10, tzinfo=UTC)), False),
    "offer answered": (_attr(_offer_of("R6"), state="declined"), True),
    "older offer answered": (_attr(_older_offer, state="declined"), False),
    "offer reminded (no figure reads it)": (_attr(_offer_of("R6"), reminded_at=at(5, 8)), False),
    "offer deleted by a bulk delete": (_removed(Offer, lambda made: _offer_of("R6")(made).id), True),
    "placement ended by a bulk update": (
        _set(Placement, lambda made: _placement_of("R2")(made).id, end_date=date(2026, 6, 30)),
        True,
    ),
    "older placement's end moved by a bulk update": (
        _set(Placement, lambda made: made.older_placement.id, end_date=date(2025, 3, 12)),
        False,
    ),
    "placement's outcome note kept by retention (no figure reads it)": (
        _set(Placement, lambda made: _placement_of("R1")(made).id, outcome_note=None),
        False,
    ),
    "placement deleted by a bulk delete": (_removed(Placement, lambda made: _placement_of("R2")(made).id), True),
    "older placement deleted by a bulk delete": (_removed(Placement, lambda made: made.older_placement.id), False),
    "attendance day recorded in the period": (_new_day(_placement_of("R2"), date(2026, 5, 5)), True),
    "attendance day recorded before it": (_new_day(_older_placement, date(2025, 2, 13)), False),
    "attendance hours corrected by a bulk update": (
        lambda session, made: session.execute(
            update(AttendanceDay).where(AttendanceDay.day == date(2026, 5, 4)).values(hours=6)
        ),
        True,
    ),
    "older attendance hours corrected by a bulk update": (
        lambda session, made: session.execute(
            update(AttendanceDay).where(AttendanceDay.day == date(2025, 2, 12)).values(hours=6)
        ),
        False,
    ),
    "attendance day deleted by a bulk delete, as retention deletes absences": (
        lambda session, made: session.execute(delete(AttendanceDay).where(AttendanceDay.day == date(2026, 5, 4))),
        True,
    ),
    "older attendance day deleted by a bulk delete": (
        lambda session, made: session.execute(delete(AttendanceDay).where(AttendanceDay.day == date(2025, 2, 12))),
        False,
    ),
    "supervisor's gender corrected": (_set(Supervisor, lambda made: made.supervisor_b.id, gender="woman"), True),
    "supervisor's capacity changed (no figure reads it)": (
        _set(Supervisor, lambda made: made.supervisor_b.id, capacity=5),
        False,
    ),
    "caseworker's gender corrected": (_set(User, lambda made: made.world.caseworker.id, gender="man"), True),
    "caseworker signed in (no figure reads it)": (
        _set(User, lambda made: made.world.caseworker.id, last_login_at=utcnow()),
        False,
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_write_dated_in_the_period_makes_the_next_build_compute_anew_and_no_other_does(app, session, data, change):
    write, anew = CHANGES[change]
    computed(app, session)
    write(session, data)
    session.commit()
    report, ran = computed(app, session)
    assert ran == (set(STATEMENTS) if anew else set())
    _again, ran_again = computed(app, session)
    assert ran_again == set()
    session.execute(delete(StoredFigures))
    session.commit()
    live, _ran = computed(app, session)
    assert tables(report) == tables(live)


def test_a_write_committed_while_a_build_runs_leaves_what_it_stored_invalid(app, session, data):
    """The write logs its change before the build takes its mark, and commits after the
    build's statements ran, before it stores: on PostgreSQL the writing transaction was
    running in the build's snapshot, on SQLite its log id is above the build's mark."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    before, _ran = computed(app, session)
    session.execute(delete(StoredFigures))
    session.commit()
    with app.app_context():
        engine = db.engine
    writer = Session(engine)
    referral_id = data.referrals["R7"].id
    writer.execute(update(Referral).where(Referral.id == referral_id).values(participant_gender="man"))

    def commit_the_writer(connection, cursor, statement, *args):
        if statement.startswith("INSERT INTO stored_figures") and writer.in_transaction():
            writer.commit()

    event.listen(engine, "before_cursor_execute", commit_the_writer)
    try:
        raced, ran = computed(app, session)
    finally:
        event.remove(engine, "before_cursor_execute", commit_the_writer)
        writer.close()
    assert ran == set(STATEMENTS)
    assert tables(raced) == tables(before)  # the build did not see the write
    assert session.scalar(select(func.count()).select_from(StoredFigures)) == 3
    after, ran_after = computed(app, session)
    assert ran_after == set(STATEMENTS)
    assert tables(after) != tables(before)  # one woman fewer referred, one man more


def test_every_statement_the_3r_report_stores_reads_only_what_the_triggers_watch(world):
    period, today = Period.parse(PERIOD), date(2026, 11, 1)
    for dialect in ("sqlite", "postgresql"):
        for region in (None, world.region["fyrbodal"]):
            for statement in (
                gender_equality._placements(period, region, today, dialect),
                gender_equality._referred(period, region),
                gender_equality._offers(period, region),
            ):
                assert stored.covered(stored.reads(statement))


def test_what_a_statement_reads_beyond_the_triggers_is_computed_live(app, session, data):
    period = Period.parse(PERIOD)
    with app.app_context():
        statement = select(Participant.gender, func.count()).group_by(Participant.gender)
        found = stored.results(session, period, date(2026, 11, 1), {"people": statement})
        assert found["people"] and stored.reads(statement) and not stored.covered(stored.reads(statement))
        assert stored.reads(select(text("1 FROM referral"))) is None
        assert not stored.covered(stored.reads(select(Referral)))  # every column, the goal too
    assert session.scalar(select(func.count()).select_from(StoredFigures)) == 0


def test_the_triggers_watch_exactly_what_the_store_counts_on(app):
    with app.app_context(), db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            found = connection.execute(
                text(
                    "SELECT c.relname, a.attname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = ANY(t.tgattr) "
                    "WHERE t.tgname LIKE 'figure\\_change\\_%'"
                )
            ).all()
        else:
            found = []
            for table, sql in connection.execute(
                text("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_update'")
            ):
                columns = sql.split("UPDATE OF ", 1)[1].split(" ON ", 1)[0]
                found += [(table, column.strip()) for column in columns.split(",")]
    watched: dict[str, set] = {}
    for table, column in found:
        watched.setdefault(table, set()).add(column)
    assert watched == {table: set(columns) for table, columns in stored.COVERED.items()}


def test_stored_rows_keep_their_exact_types():
    shape = stored._shape(("a", "b", "c", "d", "e", "f", "g", "h"))
    rows = [
        shape(
            Decimal("12.50"),
            0.1 + 0.2,
            date(2026, 5, 4),
            datetime(2026, 5, 4, 10, 30, tzinfo=UTC),
            None,
            True,
            7,
            "woman",
        )
    ]
    restored = stored._decoded(stored._encoded(rows))
    assert restored == rows
    assert [type(value) for value in restored[0]] == [type(value) for value in rows[0]]
    assert str(restored[0].a) == "12.50"


def test_compaction_drops_what_is_no_longer_valid_and_the_log_no_build_can_need(app, session, data):
    computed(app, session)
    computed(app, session, "2025-Q1")
    _set(Referral, lambda made: made.referrals["R1"].id, participant_gender="man")(session, data)
    session.commit()
    assert session.scalar(select(func.count()).select_from(FigureChange)) > 0
    dropped, deleted = stored.compact(session, utcnow())  # the log is younger than an hour: kept
    assert (dropped, deleted) == (3, 0)
    assert computed(app, session, "2025-Q1")[1] == set()  # 2025's figures stay valid
    assert stored.compact(session, utcnow() + timedelta(hours=2))[0] == 0
    assert [kept.parameters for kept in stored.stale(session, date(2026, 11, 1)).values()] == ['{"period": "2026-Q2"}']
    computed(app, session)  # Q2's report read, or built again, kept no log row older
    dropped, _deleted = stored.compact(session, utcnow() + timedelta(hours=2))
    assert dropped == 0
    mark = session.scalar(select(func.min(StoredFigures.mark)))
    postgresql = session.get_bind().dialect.name == "postgresql"
    seen = FigureChange.xid < mark if postgresql else FigureChange.id <= mark
    assert session.scalar(select(func.count()).select_from(FigureChange).where(seen)) == 0
    assert computed(app, session, "2025-Q1")[1] == set()
    computed(app, session)
    assert computed(app, session)[1] == set()


def test_compaction_drops_a_running_periods_figures_stored_for_an_earlier_day(app, session, data):
    period = Period.parse(PERIOD)
    with app.app_context():
        stored.results(session, period, date(2026, 5, 10), {"offers": gender_equality._offers(period, None)})
    computed(app, session, "2025-Q1")
    in_may, later = datetime(2026, 5, 10, 10, tzinfo=UTC), datetime(2026, 5, 11, 10, tzinfo=UTC)
    session.execute(update(StoredFigures).values(built_at=in_may))
    session.commit()
    assert stored.compact(session, in_may)[0] == 0
    assert stored.compact(session, later)[0] == 1  # Q2's, stored on a day of Q2; 2025-Q1's stay
    assert session.scalar(select(func.count()).select_from(StoredFigures)) == 3
