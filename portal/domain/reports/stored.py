"""Stored figures: the result rows of a report statement over a period, computed once
and served again until a write touches the period.

A closed period's figures do not depend on today (a running placement's days are clipped
at the period's end) and change only when rows dated in it change. Every write to a
table a stored statement reads is logged by the database's own triggers (migration
0021, `FigureChange`: the days the write touched), so stored rows are valid while no
change logged since they were computed overlaps their period:

- PostgreSQL: a transaction can take a lower log id and commit after a build read the
  highest, so the build takes `pg_current_snapshot()` before its statement and keeps it;
  the rows are valid while no overlapping change's transaction is invisible in it.
- SQLite writes one transaction at a time and never reuses a log id, so ids follow commit
  order: the build keeps the highest id it sees before its statement.

A statement is stored only if every table and column it reads (its own and the viewer's
scope limits, `reports.scope`) is one the triggers watch (`COVERED`), and it reads no
clock (`now()`, `CURRENT_DATE`, SQLite's 'now'): a new report or a changed statement
that reads anything else is computed live, never served stale. Nor is a build whose
transaction has written (its own changes are not committed, and may never be). The key
is a digest of the statement's SQL, its parameters, the scope's limits and the
database. A period that includes today is stored too, keyed with the day its statement
was written for (the 3R report's placement days end today, a parameter): read again
that day until a write touches the period, dropped by `compact` the day after. Rows are
JSON that restores their exact types (a Decimal with its digits, floats, dates), never
pickled; they hold small counts, so they stay in the database and suppression stays
where the report is shown.

A build that names the report it belongs to (`kept.reading`, as `catalogue.build` does)
stores that report too (`KeptReport`), valid as of the same mark as the rows stored with
it, if its period has ended: the worker finds it stale after a write touches its period
(`stale`) and builds it again (`reports.refresh`), so that the next reader finds it
stored. A running period's report is not built again in the background: writes dated
today touch it all day long, and building it after each would cost more than it saves.

`compact` (run by `portal retention run`) drops stored rows no longer valid, moves the
valid ones' marks forward (and the marks of the kept reports still valid), forgets the
reports not read for a while and deletes the log rows no stored build, build in
progress or stale kept report can need.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import namedtuple
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import Column, Date, Table, bindparam, case, delete, exc, func, inspect, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement, Select, visitors
from sqlalchemy.sql.elements import BindParameter, ColumnClause, TextClause
from sqlalchemy.sql.functions import FunctionElement

from portal.domain.calendar import local_date
from portal.domain.reports import kept, scope
from portal.domain.transactions import begin_write, upsert
from portal.models import FigureChange, KeptReport, StoredFigures
from portal.models.base import UTCDateTime, utcnow

# The columns migration 0021's triggers watch, by table (an insert and a delete of the
# dated tables' rows are watched too; tests/reports/test_stored_figures.py compares this
# with the triggers in the database).
COVERED = {
    "referral": frozenset(
        ("id", "participant_id", "participant_gender", "caseworker_id", "authority_id", "region_id", "submitted_at")
    ),
    "offer": frozenset(("id", "referral_id", "participant_gender", "state", "offered_at")),
    "placement": frozenset(("id", "referral_id", "supervisor_id", "state", "start_date", "end_date", "hours_per_week")),
    "attendance_day": frozenset(("id", "placement_id", "day", "hours")),
    "supervisor": frozenset(("id", "gender", "cooperative_id")),
    "user_account": frozenset(("id", "gender")),
    "cooperative": frozenset(("id", "municipality_id")),
    "municipality": frozenset(("id", "region_id")),
}
FORMAT = 1  # of the key and the rows' JSON: a change makes every stored row unreachable
LONGEST_BUILD = timedelta(minutes=10)  # a slower build is not stored: see KEPT
KEPT = timedelta(hours=1)  # log rows younger than this stay, for the builds still running

_stored, _changes, _kept = StoredFigures.__table__, FigureChange.__table__, KeptReport.__table__


def results(session: Session, period, today: date, statements: Mapping[str, object]) -> dict[str, list]:
    """The rows of each of `statements` (ORM selects over `period`, by name), as named
    tuples: stored ones while valid, else computed and stored. One statement looks them all
    up, one transaction stores those computed, and with them, for a period ended before
    `today`, the report being built (`kept.reading`) as valid as of the same mark, with
    the time it was read (written at most once a `kept.READ_NOTED`)."""
    keys = {name: _key(session, statement) for name, statement in statements.items()}
    build = session.info.get(kept.KEY) if period.end < today else None  # the worker keeps closed periods
    found: dict[str, object] = {}
    mark = read_at = None
    if any(keys.values()):
        lookup = {"keys": list(filter(None, keys.values())), "kept": build.key if build else None}
        looked_up = session.connection().execute(_lookup(session), lookup).all()
        found = {row.key: row for row in looked_up if row.key is not None and row.valid}
        mark = None if looked_up[0].wrote else (looked_up[0].snapshot, looked_up[0].mark)
        read_at = looked_up[0].read_at
    began, answered, computed = time.monotonic(), {}, {}
    for name, statement in statements.items():
        key = keys.get(name)
        if key in found:
            answered[name] = _decoded(found[key].rows)
        else:
            answered[name] = _named(session.execute(statement))
            if key is not None:
                computed[key] = answered[name]
    if mark is None or computed and time.monotonic() - began >= LONGEST_BUILD.total_seconds():
        return answered
    noted = build is not None and (
        computed or build.read_at is not None or read_at is None or read_at < utcnow() - kept.READ_NOTED
    )
    if computed or noted:
        _store(session, period, mark, computed, build if noted else None)
    return answered


def reads(statement) -> set[tuple[str, str]] | None:
    """(table, column) for every column `statement` reads, and (table, "*") for every table
    it reads rows of; None when it holds SQL the portal cannot see into (text)."""
    found: set[tuple[str, str]] = set()
    for element in visitors.iterate(statement):
        if isinstance(element, TextClause) or _reads_the_clock(element):
            return None
        if isinstance(element, Select):  # select(Referral) reads every column of the table
            found |= {(column.table.name, column.name) for column in element.selected_columns if _of_table(column)}
        if isinstance(element, Table):
            found.add((element.name, "*"))
        elif _of_table(element):
            found.add((element.table.name, element.name))
        elif isinstance(element, ColumnClause) and element.is_literal and element.name != "*":  # count(*) reads none
            return None
    return found


CLOCKS = frozenset(
    ("now", "current_date", "current_time", "current_timestamp", "localtime", "localtimestamp", "sysdate")
    + ("clock_timestamp", "statement_timestamp", "transaction_timestamp", "timeofday", "random")
)


def _reads_the_clock(element) -> bool:
    """A function whose value changes with no write: the time (or chance); SQLite's
    date functions read the clock given 'now'."""
    if isinstance(element, FunctionElement):
        return getattr(element, "name", "").lower() in CLOCKS
    return isinstance(element, BindParameter) and isinstance(element.value, str) and element.value.lower() == "now"


def _of_table(element) -> bool:
    return isinstance(element, Column) and isinstance(element.table, Table)


def covered(read: set[tuple[str, str]] | None) -> bool:
    """Whether migration 0021's triggers log every change to what `read` names."""
    return read is not None and all(
        table in COVERED and (column == "*" or column in COVERED[table]) for table, column in read
    )


def _key(session: Session, statement) -> str | None:
    """The digest that names the statement's rows for this viewer, or None if it cannot be stored."""
    read = reads(statement)
    if read is None:
        return None
    tables = {table for table, _column in read}
    dialect = session.get_bind().dialect
    parts: list = [FORMAT, dialect.name, *_compiled(statement, dialect)]
    for limit in session.info.get(scope.KEY) or ():
        criteria = limit.where_criteria
        if inspect(limit.root_entity or limit.entity).local_table.name not in tables:
            continue
        limited = reads(criteria) if isinstance(criteria, ClauseElement) else None
        if limited is None:
            return None
        read |= limited
        parts += _compiled(criteria, dialect)
    if not covered(read):
        return None
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _compiled(clause, dialect) -> list[str]:
    compiled = clause.compile(dialect=dialect)
    return [str(compiled), repr(sorted(compiled.params.items()))]


# Validity ---------------------------------------------------------------------------------


def _lookup(session: Session):
    """One row per key found (key, rows, valid), or one row of NULLs if none is, each with
    the mark a build starting now takes (snapshot, mark), whether this transaction has
    written (PostgreSQL; on SQLite its write lock keeps `_store` from storing), and when
    the report being built was last read (read_at, of `:kept`)."""
    return _checked("s.key IN :keys", session.get_bind().dialect.name).bindparams(bindparam("keys", expanding=True))


def _checked(which: str, dialect: str):
    if dialect == "postgresql":
        now = (
            "CAST(pg_current_snapshot() AS TEXT) AS snapshot, "
            "CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS TEXT) AS BIGINT) AS mark, "
            "pg_current_xact_id_if_assigned() IS NOT NULL AS wrote"
        )
    else:
        now = "NULL AS snapshot, COALESCE((SELECT max(id) FROM figure_change), 0) AS mark, 0 AS wrote"
    return text(
        f"SELECT {now}, (SELECT k.read_at FROM kept_report AS k WHERE k.key = :kept) AS read_at, s.key, s.built_at, "
        f"s.last_day, s.rows, NOT {changed('s', dialect)} AS valid FROM (SELECT 1 AS one) AS one LEFT JOIN stored_figures AS s "
        f"ON {which}"
    ).columns(built_at=UTCDateTime(), read_at=UTCDateTime(), last_day=Date())


def changed(row: str, dialect: str) -> str:
    """SQL: whether a change logged since the mark of `row` (a table or alias with days
    and a mark: stored figures, a kept report) overlaps its days."""
    if dialect == "postgresql":
        later = (
            f"c.xid >= {row}.mark AND NOT pg_visible_in_snapshot(CAST(CAST(c.xid AS TEXT) AS xid8), "
            f"CAST({row}.snapshot AS pg_snapshot))"
        )
    else:
        later = f"c.id > {row}.mark"
    return (
        f"EXISTS (SELECT 1 FROM figure_change AS c WHERE {later} "
        f"AND c.first_day <= {row}.last_day AND c.last_day >= {row}.first_day)"
    )


def _store(session: Session, period, mark: tuple[str | None, int], computed: dict[str, list], build) -> None:
    """Store the rows, and the report being built (`build`, or None) as valid as of the
    same mark, on a connection of their own, committed at once: the build's own
    transaction is read-only and may end in a rollback. Given up (the next build tries
    again) when SQLite's write lock is held by another writer, or when no pooled
    connection frees within the pool's timeout. On SQLite a page's transaction holds the
    write lock from its start (`web.transactions`): nothing can have been written since
    the build's mark, and the rows are stored in that transaction, committed with it.
    Only plain values are stored (`_value`)."""
    engine = session.get_bind()
    built_at = utcnow()
    days = {"first_day": period.start, "last_day": period.end, "snapshot": mark[0], "mark": mark[1]}
    try:
        values = [{"key": key, **days, "built_at": built_at, "rows": _encoded(rows)} for key, rows in computed.items()]
    except TypeError:  # rows of ORM objects, say: computed every time
        return
    writes = []
    if values:
        insert = upsert(engine, _stored)
        writes.append(
            (insert.on_conflict_do_update(index_elements=[_stored.c.key], set_=dict(insert.excluded)), values)
        )
    if build is not None:
        writes.append(_noted(engine, build, days, built_at))
    own = session.connection()
    if engine.dialect.name == "sqlite" and own.get_execution_options().get("sqlite_begin") == "IMMEDIATE":
        for statement, rows in writes:
            own.execute(statement, rows)
        return
    try:
        connection = engine.connect()
    except exc.TimeoutError:  # every pooled connection busy: a later build stores them
        return
    with connection:
        if engine.dialect.name == "sqlite":
            waited = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
            connection.exec_driver_sql("PRAGMA busy_timeout = 50")
        try:
            for statement, rows in writes:
                connection.execute(statement, rows)
            connection.commit()
        except exc.OperationalError:
            connection.rollback()
        finally:
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(waited)}")


def _noted(engine, build, days: dict, now: datetime):
    """The upsert of the kept report `build`, valid as of `days`' mark, read now (a
    reader's build) or when it last was (the worker's: a later reader's time stays)."""
    insert = upsert(engine, _kept)
    later = case((insert.excluded.read_at > _kept.c.read_at, insert.excluded.read_at), else_=_kept.c.read_at)
    row = {
        "key": build.key,
        "identifier": build.identifier,
        "parameters": build.parameters,
        "region_id": build.region_id,
        "authority_id": build.authority_id,
        **days,
        "read_at": build.read_at or now,
    }
    changes = {name: insert.excluded[name] for name in ("first_day", "last_day", "snapshot", "mark")}
    return insert.on_conflict_do_update(index_elements=[_kept.c.key], set_={**changes, "read_at": later}), row


def stale(session: Session, today: date, now: datetime | None = None, limit: int = 10) -> dict[str, kept.Build]:
    """The kept reports read within `kept.KEPT_FOR`, of periods ended before `today`, that
    a change logged since their mark made stale, by key: last read first, at most `limit`."""
    dialect = session.get_bind().dialect.name
    found = session.execute(
        select(_kept.c["key", "identifier", "parameters", "region_id", "authority_id", "read_at"])
        .where(
            _kept.c.read_at >= (now or utcnow()) - kept.KEPT_FOR,
            _kept.c.last_day < today,
            text(changed("kept_report", dialect)),
        )
        .order_by(_kept.c.read_at.desc())
        .limit(limit)
    )
    return {key: kept.Build(*build) for key, *build in found}


def compact(session: Session, now: datetime | None = None) -> tuple[int, int]:
    """Drop the stored rows no longer valid, and those of a period still running stored
    for an earlier day (never read again); move the valid ones' marks to now (so that
    checking them reads only the changes logged after), and the marks of the kept
    reports still valid; forget the kept reports not read within `kept.KEPT_FOR`; and
    delete the log rows older than `KEPT` below every stored mark and every stale kept
    report's (which the worker needs to see that it is stale); commits. Returns (stored
    rows dropped, log rows deleted). A build still running took its mark less than
    `LONGEST_BUILD` ago, so the log rows it may need are younger than `KEPT` — unless a
    writing transaction stayed open for most of `KEPT` after it wrote, which the
    portal's transactions (seconds long) never do."""
    now = now or utcnow()
    begin_write(session)
    connection = session.connection()
    dialect = connection.dialect.name
    checked = connection.execute(_checked("true", dialect), {"kept": None}).all()
    snapshot, mark = checked[0].snapshot, checked[0].mark
    dropped = 0
    today = local_date(now)
    for found in checked:
        if found.key is None:
            continue
        same = (_stored.c.key == found.key) & (_stored.c.built_at == found.built_at)
        built_on = local_date(found.built_at)
        if found.valid and not built_on < today <= found.last_day:
            connection.execute(update(_stored).where(same).values(snapshot=snapshot, mark=mark))
        else:
            dropped += connection.execute(delete(_stored).where(same)).rowcount
    connection.execute(delete(_kept).where(_kept.c.read_at < now - kept.KEPT_FOR))
    connection.execute(
        update(_kept).where(text(f"NOT {changed('kept_report', dialect)}")).values(snapshot=snapshot, mark=mark)
    )
    needed = min(mark, connection.scalar(select(func.min(_kept.c.mark))) or mark)
    seen = _changes.c.xid < needed if snapshot is not None else _changes.c.id <= needed
    deleted = connection.execute(delete(_changes).where(seen, _changes.c.logged_at < now - KEPT))
    session.commit()
    return dropped, deleted.rowcount


# Rows as JSON -----------------------------------------------------------------------------


def _named(result) -> list:
    shape = _shape(tuple(result.keys()))
    return [shape(*row) for row in result]


@lru_cache(maxsize=64)
def _shape(keys: tuple[str, ...]):
    return namedtuple("StoredRow", keys)


def _encoded(computed: list) -> str:
    keys = list(computed[0]._fields) if computed else []
    return json.dumps({"keys": keys, "rows": [[_value(value) for value in row] for row in computed]})


def _value(value):
    """A value as JSON that `_restored` turns back into the same type and value."""
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if value is None or isinstance(value, bool | int | float | str):
        return value  # JSON keeps these (a float by its shortest exact digits)
    raise TypeError(f"a stored figure cannot be {type(value).__name__}")


def _restored(value):
    if not isinstance(value, dict):
        return value
    ((kind, spelled),) = value.items()
    return {"decimal": Decimal, "datetime": datetime.fromisoformat, "date": date.fromisoformat}[kind](spelled)


def _decoded(stored: str) -> list:
    found = json.loads(stored)
    shape = _shape(tuple(found["keys"]))
    return [shape(*(_restored(value) for value in row)) for row in found["rows"]]
