"""The matching benchmark: ranking versus the bare fetch, and the match page's query count.

For each scale and database it builds the data once (`bench.generate`; reused on the
next run unless --fresh), then, in one run on that database, for referrals in matching
of both kinds (the participant's municipality only, and open to the whole region):

- the bare fetch: the hard-filter query (`candidates_query`) executed, rows fetched;
- ranking: `rank()`, all the match page needs to order and explain the candidates (the
  region's factors, the scoring data in one query, scoring, sorting);

each repeated, interleaved, with the median kept; the ratio rank / bare is the figure to
watch. Then it requests the match page through the Flask test client, signed in as the
region's coordinator, counting SQL statements: per database, the count must not depend
on the scale (the exit status says whether it did).

    make bench                       # regional (SQLite, PostgreSQL) and national (PostgreSQL)
    python -m bench.matching --scales regional --backends sqlite --repeat 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from dataclasses import dataclass

from sqlalchemy import func, select

from bench import database
from bench.generate import BENCH_PASSWORD, SCALES, generate
from portal.domain.matching.filters import candidates_query
from portal.domain.matching.page import referral_for_matching
from portal.domain.matching.ranking import rank
from portal.extensions import db
from portal.models import Referral, Supervisor, User

RUNS = {"regional": ("sqlite", "postgresql"), "national": ("postgresql",)}


@dataclass
class Measured:
    """Medians over the sampled referrals of one kind (municipality only, or region-wide)."""

    scale: str
    backend: str
    kind: str
    referrals: int
    candidates: float
    bare_ms: float
    rank_ms: float
    ratio: float  # median of the per-referral ratios rank / bare
    worst_ratio: float


@dataclass
class Page:
    scale: str
    backend: str
    queries: int
    ms: float


def prepare(scale: str, backend: str, fresh: bool, log) -> str:
    """The database for (scale, backend): reused when it holds that scale, else built."""
    url = database.url_for(scale, backend)
    if not fresh and database.exists(url) and _holds(url, scale):
        log(f"{scale}/{backend}: reusing {url}, brought up to the current schema")
        database.migrated_app(url)
        return url
    from werkzeug.security import generate_password_hash

    log(f"{scale}/{backend}: generating into {url}")
    began = time.perf_counter()
    database.create(url)
    app = database.migrated_app(url)
    with app.app_context(), db.engine.begin() as connection:
        generate(
            connection, SCALES[scale], password_hash=generate_password_hash(BENCH_PASSWORD, method="scrypt"), log=log
        )
    with app.app_context():
        db.engine.dispose()
    database.vacuum_analyze(url)
    log(f"{scale}/{backend}: generated in {time.perf_counter() - began:.0f} s")
    return url


def _holds(url: str, scale: str) -> bool:
    app = database.bench_app(url)
    with app.app_context():
        try:
            counts = (
                db.session.scalar(select(func.count()).select_from(Referral)),
                db.session.scalar(select(func.count()).select_from(Supervisor)),
            )
        except Exception:
            return False
        finally:
            db.session.remove()
            db.engine.dispose()
    return counts == (SCALES[scale].referrals, SCALES[scale].supervisors)


def sample(session, count: int) -> dict[str, list[int]]:
    """Referrals in matching spread evenly by id: `count` of each kind."""
    chosen = {}
    for kind, region_wide in KINDS.items():
        ids = session.scalars(
            select(Referral.id)
            .where(Referral.state == "matching", Referral.region_wide.is_(region_wide))
            .order_by(Referral.id)
        ).all()
        chosen[kind] = ids[:: max(1, len(ids) // count)][:count]
    return chosen


KINDS = {"municipality": False, "region-wide": True}


def measure(url: str, scale: str, backend: str, referrals: int, repeat: int, log) -> tuple[list[Measured], Page]:
    app = database.bench_app(url)
    engine = app.extensions["portal.engine"]
    results = []
    with app.app_context():
        session = db.session
        admin = session.scalar(select(User).where(User.role == "admin"))
        samples = sample(session, referrals)
        for kind, ids in samples.items():
            rows = [
                _one(session, engine, referral_for_matching(session, admin, referral_id), repeat, log)
                for referral_id in ids
            ]
            if rows:
                sizes, bare, ranked = zip(*rows, strict=False)
                ratios = [r / b for r, b in zip(ranked, bare, strict=False)]
                results.append(
                    Measured(
                        scale,
                        backend,
                        kind,
                        len(rows),
                        statistics.median(sizes),
                        statistics.median(bare),
                        statistics.median(ranked),
                        statistics.median(ratios),
                        max(ratios),
                    )
                )
        page = _page(app, session, samples["municipality"][0], repeat)
        session.remove()
        db.engine.dispose()
    return results, Page(scale, backend, *page)


def _one(session, engine, referral, repeat: int, log) -> tuple[int, float, float]:
    """Bare fetch and ranking of one referral, interleaved; medians in ms (the first round warms up)."""
    connection = session.connection()
    bare, ranked = [], []
    for attempt in range(repeat + 1):
        began = time.perf_counter()
        rows = connection.execute(*candidates_query(referral)).all()
        middle = time.perf_counter()
        ranking = rank(session, engine, referral)
        ended = time.perf_counter()
        if attempt:
            bare.append((middle - began) * 1000)
            ranked.append((ended - middle) * 1000)
    assert len(rows) == len(ranking), (referral.id, len(rows), len(ranking))
    result = (len(rows), statistics.median(bare), statistics.median(ranked))
    log(
        f"  referral {referral.id:>7} region_wide={referral.region_wide!s:5} candidates={result[0]:>5} "
        f"bare={result[1]:7.2f} ms rank={result[2]:7.2f} ms ratio={result[2] / result[1]:.2f}"
    )
    return result


def _page(app, session, referral_id: int, repeat: int) -> tuple[int, float]:
    """The match page as the region's coordinator sees it: its statements and its time."""
    referral = session.get(Referral, referral_id)
    coordinator = session.scalar(select(User).where(User.role == "coordinator", User.region_id == referral.region_id))
    session.rollback()
    client = app.test_client()
    client.post("/sign-in", data={"email": coordinator.email, "password": BENCH_PASSWORD})
    path = f"/referrals/{referral_id}/match"
    assert client.get(path).status_code == 200
    with database.statements(db.engine) as statements:
        assert client.get(path).status_code == 200
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - began)
    return len(statements), statistics.median(times) * 1000


def report(results: list[Measured], pages: list[Page]) -> str:
    lines = [
        "| scale | database | referrals | sampled | candidates (median) | bare fetch (ms) | rank (ms) "
        "| rank / bare (median) | rank / bare (worst) |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.scale} | {r.backend} | {r.kind} | {r.referrals} | {r.candidates:.0f} | {r.bare_ms:.2f} | "
            f"{r.rank_ms:.2f} | {r.ratio:.2f} | {r.worst_ratio:.2f} |"
        )
    lines += ["", "| scale | database | match page queries | match page (ms) |", "|---|---|---:|---:|"]
    lines += [f"| {p.scale} | {p.backend} | {p.queries} | {p.ms:.1f} |" for p in pages]
    lines.append("")
    for backend in sorted({p.backend for p in pages}):
        counts = {p.scale: p.queries for p in pages if p.backend == backend}
        same = len(set(counts.values())) == 1
        lines.append(
            f"Match page queries on {backend}: "
            + (f"{next(iter(counts.values()))} at every scale." if same else f"DIFFER between scales: {counts}")
        )
    return "\n".join(lines)


def same_counts(pages: list[Page]) -> bool:
    return all(len({p.queries for p in pages if p.backend == backend}) == 1 for backend in {p.backend for p in pages})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="regional,national", help="comma-separated: tiny, regional, national")
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--referrals", type=int, default=6, help="referrals of each kind to rank per run")
    parser.add_argument("--repeat", type=int, default=7, help="timed repetitions per referral")
    parser.add_argument("--fresh", action="store_true", help="generate the data again even if it is there")
    args = parser.parse_args(argv)
    backends = args.backends.split(",")
    results, pages = [], []
    load_before = os.getloadavg()[0]
    for scale in args.scales.split(","):
        for backend in RUNS.get(scale, ("sqlite", "postgresql")):
            if backend not in backends:
                continue
            url = prepare(scale, backend, args.fresh, print)
            measured, page = measure(url, scale, backend, args.referrals, args.repeat, print)
            results += measured
            pages.append(page)
    print()
    print(report(results, pages))
    print(
        f"\nLoad average (1 min) before and after: {load_before:.2f}, {os.getloadavg()[0]:.2f} "
        f"on {os.cpu_count()} cores; PGOPTIONS={os.environ.get('PGOPTIONS', '')!r}"
    )
    return 0 if same_counts(pages) else 1


if __name__ == "__main__":
    raise SystemExit(main())
