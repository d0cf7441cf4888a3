"""The reports benchmark: the 3R report against the bare SQL aggregate it rests on.

On a benchmark database (`bench.generate`; national scale: 1,000,000 referrals in 21
regions), for one period:

- the bare aggregate: referrals submitted in the period counted by the participant's
  gender, one GROUP BY, rows fetched: the least any 3R report must do;
- the 3R report built (`build`: every query of Representation, Resources and Realia,
  the tables, sums and observations), for the whole country and for one region;
- the built report suppressed and rendered in every installed format.

Each is repeated, the bare aggregate and the builds in turns, and the median kept; the
statements the report runs are counted and timed one by one, so that the slow one shows;
the load average before and after is printed, as the machine may be shared.

    python -m bench.reports                                # national, PostgreSQL, generated if missing
    python -m bench.reports --url sqlite:///bench/data/regional.sqlite3 --period 2025 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date

from sqlalchemy import func, select

from bench import database
from portal.domain import access
from portal.domain.reports import catalogue as reports
from portal.extensions import db
from portal.models import Participant, Referral, Region

IDENTIFIER = "3r"


def bare_aggregate(session, period: reports.Period) -> list:
    return session.execute(
        select(Participant.gender, func.count())
        .select_from(Referral)
        .join(Participant, Participant.id == Referral.participant_id)
        .where(Referral.submitted_at >= period.starts_at, Referral.submitted_at < period.ends_before)
        .group_by(Participant.gender)
    ).all()


def median_ms(*works, repeat: int) -> list[float]:
    """The median time of each of `works`, run in turns (one of each per repeat), so that
    the load of a shared machine falls on all of them alike."""
    times: list[list[float]] = [[] for _ in works]
    for _ in range(repeat):
        for work, taken in zip(works, times, strict=True):
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

        build(everywhere)  # warm the caches the way a second visitor finds them
        results["load"] = [os.getloadavg()[0]]
        results["bare_ms"], results["build_all_ms"], results["build_region_ms"] = median_ms(
            lambda: bare_aggregate(session, period), lambda: build(everywhere), lambda: build(one_region), repeat=repeat
        )
        results["load"].append(os.getloadavg()[0])
        results["region"] = region.name
        with database.statements(db.engine) as timed:
            built = build(everywhere)
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
        f"  bare aggregate (referred by gender)   {results['bare_ms']:9.1f} ms",
        f"  3R report, every region               {results['build_all_ms']:9.1f} ms  "
        f"({results['build_all_ms'] / results['bare_ms']:.1f} × bare, {results['queries']} queries)",
        f"  3R report, {results['region']:<26} {results['build_region_ms']:9.1f} ms",
    ]
    lines += [f"  render {name:<31}{ms:9.1f} ms" for name, ms in results["formats_ms"].items()]
    lines += [f"  slowest statement {ms:9.1f} ms  {text}" for ms, text in results["slowest"]]
    lines.append("  load average (1 min) before and after: {:.2f}, {:.2f}".format(*results["load"]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="database URL (default: the national PostgreSQL benchmark database)")
    parser.add_argument("--period", default="2025", help="period code, e.g. 2025 or 2025-Q2")
    parser.add_argument("--region", help="region code for the one-region run (default: the first)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    url = args.url
    if url is None:
        from bench.matching import prepare

        url = prepare("national", "postgresql", fresh=False, log=print)
    print(report(run(url, args.period, args.region, args.repeat)))


if __name__ == "__main__":
    main()
