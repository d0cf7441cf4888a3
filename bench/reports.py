"""The reports benchmark: the 3R report against the bare SQL aggregate it rests on.

On a benchmark database (`bench.generate`; national scale: 1,000,000 referrals in 21
regions), for one period:

- the bare aggregate: referrals submitted in the period counted by the participant's
  gender, one GROUP BY, rows fetched: the least any 3R report must do;
- the 3R report built (`build`: every query of Representation, Resources and Realia,
  the tables, sums and observations), for the whole country and for one region, cold
  (its stored figures emptied first, so every statement runs) and stored (read again: a
  closed period's figures come from `stored_figures`, `domain.reports.stored`);
- the 3R report read after a change dated in the period (a referral's gender copy
  written again: the triggers log it) once the worker's refresh ran
  (`domain.reports.refresh`, untimed but reported: it builds both reports again);
- the 3R report of this year (a running period: not built again by the worker), cold
  and read again the same day with no write between;
- the built report suppressed and rendered in every installed format;
- with `--writes N` (PostgreSQL): what migration 0021's triggers cost the writes: N
  referrals inserted, N offers' states and N placements' end dates updated, each with
  and without the triggers in turns, in transactions rolled back.

Each is repeated, the bare aggregate and the builds in turns, and the median kept; the
statements the report runs are counted and timed one by one, so that the slow one shows;
the load average before and after is printed, as the machine may be shared.

    python -m bench.reports                                # national, PostgreSQL, generated if missing
    python -m bench.reports --url sqlite:///bench/data/regional.sqlite3 --period 2025 --repeat 3
    python -m bench.reports --writes 20000

The period must have ended for the stored figures to be used (2025, the default).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date

from sqlalchemy import delete, func, select, text, update

from bench import database
from portal.domain import access
from portal.domain.reports import catalogue as reports
from portal.domain.reports import refresh, stored
from portal.domain.transactions import begin_write
from portal.extensions import db
from portal.models import Participant, Referral, Region, StoredFigures
from portal.models.base import utcnow

IDENTIFIER = "3r"


def bare_aggregate(session, period: reports.Period) -> list:
    return session.execute(
        select(Participant.gender, func.count())
        .select_from(Referral)
        .join(Participant, Participant.id == Referral.participant_id)
        .where(Referral.submitted_at >= period.starts_at, Referral.submitted_at < period.ends_before)
        .group_by(Participant.gender)
    ).all()


def median_ms(*works, repeat: int, before=None) -> list[float]:
    """The median time of each of `works`, run in turns (one of each per repeat), so that
    the load of a shared machine falls on all of them alike. `before` maps a work to what
    must run, untimed, before it each time."""
    times: list[list[float]] = [[] for _ in works]
    for _ in range(repeat):
        for work, taken in zip(works, times, strict=True):
            if before and work in before:
                before[work]()
            began = time.perf_counter()
            work()
            taken.append((time.perf_counter() - began) * 1000)
    return [statistics.median(taken) for taken in times]


def run(url: str, period_code: str, region_code: str | None, repeat: int, log=print) -> dict:
    app = database.migrated_app(url)  # brings an older benchmark database up to the current schema
    catalogue = app.extensions["portal.reports"]
    offered = catalogue.reports[IDENTIFIER]
    results: dict = {"url": url, "period": period_code}
    with app.test_request_context():
        session = db.session
        results["referrals"] = session.scalar(select(func.count()).select_from(Referral))
        # Generating wrote every row through the triggers: a log of millions of changes, all
        # younger than an hour, that checking the stored figures would read. A database in
        # use holds a day's at most, once the daily `portal retention run` compacted it.
        # Vacuumed then, as autovacuum would soon: checking reads no dead rows.
        results["log_deleted"] = stored.compact(session, utcnow() + stored.KEPT)[1]
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE figure_change")
        region = session.scalar(
            select(Region).where(Region.code == region_code) if region_code else select(Region).order_by(Region.code)
        )
        period = reports.Period.parse(period_code, app.config["TIMEZONE"])
        everywhere = {"period": period_code}
        one_region = {"period": period_code, "region": region.code}

        def build(raw):
            values, errors = reports.parse(
                session, offered.report, raw, access.ReportScope(), date.today(), app.config["TIMEZONE"]
            )
            assert not errors, errors
            return reports.build(session, offered, values)

        def emptied():
            begin_write(session)  # as the portal writes: on SQLite, not from a read older than the store's commit
            session.execute(delete(StoredFigures))
            session.commit()

        changed = session.scalar(
            select(func.min(Referral.id)).where(
                Referral.submitted_at >= period.starts_at, Referral.submitted_at < period.ends_before
            )
        )
        refreshes: list[tuple[float, int]] = []

        def changed_and_refreshed():
            """A change dated in the period, then the worker's round that builds again."""
            begin_write(session)
            session.execute(
                update(Referral).where(Referral.id == changed).values(participant_gender=Referral.participant_gender)
            )
            session.commit()
            began = time.perf_counter()
            built, _more = refresh.refresh(session, catalogue, date.today(), app.config["TIMEZONE"])
            refreshes.append(((time.perf_counter() - began) * 1000, built))

        def cold_all():
            build(everywhere)

        def refreshed_all():
            build(everywhere)

        this_year = {"period": str(date.today().year)}

        def cold_this_year():
            build(this_year)

        def cold_region():
            build(one_region)

        build(everywhere)  # warm the caches the way a second visitor finds them
        results["load"] = [os.getloadavg()[0]]
        timed_ms = median_ms(
            lambda: bare_aggregate(session, period),
            cold_all,
            lambda: build(everywhere),
            cold_region,
            lambda: build(one_region),
            refreshed_all,
            cold_this_year,
            lambda: build(this_year),
            repeat=repeat,
            before={
                cold_all: emptied,
                cold_region: emptied,
                refreshed_all: changed_and_refreshed,
                cold_this_year: emptied,
            },
        )
        results["bare_ms"], results["build_all_ms"], results["stored_all_ms"] = timed_ms[:3]
        results["build_region_ms"], results["stored_region_ms"], results["refreshed_all_ms"] = timed_ms[3:6]
        results["this_year"], (results["build_this_year_ms"], results["stored_this_year_ms"]) = this_year, timed_ms[6:]
        results["refresh_ms"] = statistics.median(ms for ms, _built in refreshes)
        results["refresh_built"] = max(built for _ms, built in refreshes)
        results["load"].append(os.getloadavg()[0])
        results["region"] = region.name
        emptied()
        with database.statements(db.engine) as timed:
            built = build(everywhere)
        with database.statements(db.engine) as timed_stored:
            build(everywhere)
        changed_and_refreshed()
        with database.statements(db.engine) as timed_refreshed:
            build(everywhere)
        results["queries_stored"] = len(timed_stored)
        results["queries_refreshed"] = len(timed_refreshed)
        results["queries"] = len(timed)
        results["slowest"] = sorted(((ms, statement.split("\n")[0][:70]) for statement, ms in timed), reverse=True)[:3]
        safe = reports.suppress(built, app.config["REPORT_MIN_COUNT"])
        results["formats_ms"] = {
            identifier: median_ms(lambda f=report_format: f.render(safe), repeat=repeat)[0]
            for identifier, report_format in catalogue.formats.items()
        }
        session.remove()
    with app.app_context():
        db.engine.dispose()
    return results


def report(results: dict) -> str:
    lines = [
        f"{results['url']}: {results['referrals']:,} referrals, period {results['period']}",
        f"  logged changes compacted first: {results['log_deleted']:,}",
        f"  bare aggregate (referred by gender)   {results['bare_ms']:9.1f} ms",
        f"  3R report, every region, cold         {results['build_all_ms']:9.1f} ms  "
        f"({results['build_all_ms'] / results['bare_ms']:.2f} × bare, {results['queries']} queries)",
        f"  3R report, every region, stored       {results['stored_all_ms']:9.1f} ms  "
        f"({results['stored_all_ms'] / results['bare_ms']:.2f} × bare, {results['queries_stored']} queries)",
        f"  3R report, every region, after a change and the refresh {results['refreshed_all_ms']:9.1f} ms  "
        f"({results['refreshed_all_ms'] / results['bare_ms']:.2f} × bare, {results['queries_refreshed']} queries; "
        f"the refresh {results['refresh_ms']:.1f} ms in the background, {results['refresh_built']} reports)",
        f"  3R report, {results['region']:<19} cold {results['build_region_ms']:9.1f} ms",
        f"  3R report, {results['region']:<17} stored {results['stored_region_ms']:9.1f} ms",
    ]
    this_year, bare = results["this_year"]["period"], results["bare_ms"]
    lines += [
        f"  3R report, every region, {this_year} (running), cold {results['build_this_year_ms']:9.1f} ms  "
        f"({results['build_this_year_ms'] / bare:.2f} × bare)",
        f"  3R report, every region, {this_year} (running), read again the same day with no write between "
        f"{results['stored_this_year_ms']:9.1f} ms  ({results['stored_this_year_ms'] / bare:.2f} × bare)",
    ]
    lines += [f"  render {name:<31}{ms:9.1f} ms" for name, ms in results["formats_ms"].items()]
    lines += [f"  slowest statement {ms:9.1f} ms  {text}" for ms, text in results["slowest"]]
    lines.append("  load average (1 min) before and after: {:.2f}, {:.2f}".format(*results["load"]))
    return "\n".join(lines)


WRITES = {  # kind: (the triggered table, the write; :n rows, in a transaction rolled back)
    "insert referrals": (
        "referral",
        "INSERT INTO referral (participant_id, participant_gender, authority_id, caseworker_id, region_id, "
        "workflow_name, workflow_version, state, goal, hours_per_week, region_wide, created_at, submitted_at) "
        "SELECT participant_id, participant_gender, authority_id, caseworker_id, region_id, workflow_name, "
        "workflow_version, state, goal, hours_per_week, region_wide, created_at, submitted_at "
        "FROM referral ORDER BY id LIMIT :n",
    ),
    "update offers' state": (
        "offer",
        "UPDATE offer SET state = state WHERE id IN (SELECT id FROM offer ORDER BY id LIMIT :n)",
    ),
    "update placements' end date": (
        "placement",
        "UPDATE placement SET end_date = end_date WHERE id IN (SELECT id FROM placement ORDER BY id LIMIT :n)",
    ),
}


def write_cost(url: str, rows: int, repeat: int) -> dict:
    """{kind: (ms with the triggers, ms without)}: medians of `repeat` turns, each write
    in a transaction rolled back; without, the table's trigger is disabled inside it."""
    app = database.migrated_app(url)
    results: dict = {"load": [os.getloadavg()[0]]}
    with app.app_context():
        assert db.engine.dialect.name == "postgresql", "the write cost is measured on PostgreSQL"

        def write(table: str, sql: str, triggered: bool):
            def work():
                with db.engine.connect() as connection:
                    if not triggered:
                        connection.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER figure_change_{table}"))
                    began = time.perf_counter()
                    connection.execute(text(sql), {"n": rows})
                    written[work] = (time.perf_counter() - began) * 1000
                    connection.rollback()

            return work

        for kind, (table, sql) in WRITES.items():
            written: dict = {}
            works = (write(table, sql, True), write(table, sql, False))
            times: list[list[float]] = [[], []]
            for _ in range(repeat):
                for work, taken in zip(works, times, strict=True):
                    work()
                    taken.append(written[work])
            results[kind] = tuple(statistics.median(taken) for taken in times)
        db.engine.dispose()
    results["load"].append(os.getloadavg()[0])
    return results


def write_report(results: dict, rows: int) -> str:
    lines = [f"  writes of {rows:,} rows, with and without the triggers (medians):"]
    for kind in WRITES:
        with_, without = results[kind]
        lines.append(
            f"    {kind:<28} {with_:8.1f} against {without:8.1f} ms: "
            f"{(with_ - without) * 1000 / rows:6.1f} µs more a row ({with_ / without:.2f} ×)"
        )
    lines.append("  load average (1 min) before and after: {:.2f}, {:.2f}".format(*results["load"]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="database URL (default: the national PostgreSQL benchmark database)")
    parser.add_argument("--period", default="2025", help="period code, e.g. 2025 or 2025-Q2")
    parser.add_argument("--region", help="region code for the one-region run (default: the first)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--writes", type=int, help="also time N writes of each kind with and without the triggers")
    args = parser.parse_args(argv)
    url = args.url
    if url is None:
        from bench.matching import prepare

        url = prepare("national", "postgresql", fresh=False, log=print)
    print(report(run(url, args.period, args.region, args.repeat)))
    if args.writes:
        print(write_report(write_cost(url, args.writes, args.repeat), args.writes))


if __name__ == "__main__":
    main()
