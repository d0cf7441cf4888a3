"""Pages against a minimal endpoint running the same SQL, under the same gunicorn settings.

`python -m bench.pages` (options: --seconds, --concurrency, --url):

1. builds the database once (PostgreSQL `portal_bench_pages`, the demo data);
2. requests each page once with the Flask test client and records every SQL statement
   it runs with its parameters;
3. starts gunicorn twice on free ports with `deploy/gunicorn.conf.py` and the same
   settings: the portal, and `bench/minimal.py`, which replays those statements;
4. loads each with the same number of keep-alive clients for the same time, interleaved
   in rounds (page, minimal, page, minimal, …: load from elsewhere on the machine falls
   on both alike), and prints requests per second, p50 and p95, the ratio
   page/minimal, and the CPU the servers' processes used per request (from /proc: the
   figure that load from elsewhere changes least, and the one the ratio follows).

The aim (issue 16) is a ratio of at least 0.5: the portal's own work per request (the
session and user, Babel, plugin hooks, the ORM, templates) at most as dear as the
database work of the page. The clients run in this process (threads), on the same
machine as the servers: both sides are measured the same way in one run.
"""

from __future__ import annotations

import argparse
import http.client
import pickle
import statistics
import threading
import time
from urllib.parse import urlsplit

from sqlalchemy import event

from bench import database
from bench.serve import Browser, Server

PAGES = {  # name (also the minimal endpoint's path): (demo login, path)
    "home-caseworker": ("handlaggare@demo.handledarportalen.se", "/"),
    "home-supervisor": ("handledare@demo.handledarportalen.se", "/"),
    "home-coordinator": ("samordnare@demo.handledarportalen.se", "/"),
    "referrals-caseworker": ("handlaggare@demo.handledarportalen.se", "/referrals"),
}


def build(url: str) -> None:
    """The demo data at `url`: made once, and brought up to the current schema when reused."""
    if database.exists(url):
        database.migrated_app(url)
        return
    from portal.demo import data as demo
    from portal.extensions import db

    database.create(url)
    app = database.migrated_app(url)
    with app.app_context():
        demo.load(db.session, app.extensions["portal.vault"])
        db.session.commit()
        db.engine.dispose()


def record(url: str, path) -> dict[str, list]:
    """Each page's SQL statements and parameters, as the portal runs them."""
    from portal.demo.data import DEMO_PASSWORD
    from portal.extensions import db

    app = database.bench_app(url)
    recorded: dict[str, list] = {}
    with app.app_context():
        engine = db.engine
    for name, (email, page) in PAGES.items():
        client = app.test_client()
        client.post("/sign-in", data={"email": email, "password": DEMO_PASSWORD})
        client.get(page)  # warm
        statements: list = []

        def keep(conn, cursor, statement, parameters, context, executemany, statements=statements):
            statements.append((statement, parameters))

        event.listen(engine, "before_cursor_execute", keep)
        assert client.get(page).status_code == 200
        event.remove(engine, "before_cursor_execute", keep)
        recorded[name] = statements
    with app.app_context():
        db.engine.dispose()
    with open(path, "wb") as file:
        pickle.dump(recorded, file)
    return recorded


def load(base: str, path: str, cookies: dict, concurrency: int, seconds: float) -> list[float]:
    """Latencies (s) of every request that `concurrency` keep-alive clients completed."""
    target = urlsplit(base)
    header = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client():
        mine = []
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        while time.monotonic() < stop:
            started = time.monotonic()
            connection.request("GET", path, headers=header)
            response = connection.getresponse()
            response.read()
            assert response.status == 200, response.status
            mine.append(time.monotonic() - started)
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def measured(server: Server, cpu: dict, path: str, cookies: dict, concurrency: int, seconds: float) -> list[float]:
    """`load` on `server`, adding the CPU the server used meanwhile to `cpu[server]`."""
    before = server.cpu_seconds()
    latencies = load(server.url, path, cookies, concurrency, seconds)
    cpu[server] += server.cpu_seconds() - before
    return latencies


def environment(url: str) -> dict[str, str]:
    """The portal's settings for a benchmark server on `url` (as production gets them)."""
    return {
        "PORTAL_DATABASE_URL": url,
        "PORTAL_SECRET_KEY": "bench-secret-key",
        "PORTAL_DATA_KEY": database.DATA_KEY,
        "PORTAL_INSTANCE_PATH": str(database.DATA_DIR / "instance"),
        "PORTAL_REQUIRE_TWO_FACTOR": "false",  # the pages are measured, not the second factor
        "GUNICORN_ACCESSLOG": "/dev/null",
    }


def summary(latencies: list[float], seconds: float) -> tuple[float, float, float]:
    cuts = statistics.quantiles(latencies, n=20)
    return len(latencies) / seconds, statistics.median(latencies) * 1000, cuts[18] * 1000


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=database.url_for("pages", "postgresql"))
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5, help="alternations of page and minimal (--seconds in all)")
    parser.add_argument("--pages", nargs="*", default=list(PAGES), help="which pages (default: all)")
    args = parser.parse_args(argv)
    from portal.demo.data import DEMO_PASSWORD

    build(args.url)
    statements = database.DATA_DIR / "pages-statements.pickle"
    database.DATA_DIR.mkdir(exist_ok=True)
    recorded = record(args.url, statements)
    env = {**environment(args.url), "BENCH_DATABASE_URL": args.url, "BENCH_STATEMENTS": str(statements)}
    rows = []
    with (
        Server(env, log=database.DATA_DIR / "portal.log") as portal,
        Server(env, app="bench.minimal:app", log=database.DATA_DIR / "minimal.log") as minimal,
    ):
        for name in args.pages:
            email, page = PAGES[name]
            browser = Browser(portal.url)
            browser.sign_in(email, DEMO_PASSWORD)
            load(portal.url, page, browser.cookies, args.concurrency, 2)  # warm both
            load(minimal.url, f"/page/{name}", {}, args.concurrency, 2)
            ours, bare, each = [], [], args.seconds / args.rounds
            cpu = {portal: 0.0, minimal: 0.0}
            for _ in range(args.rounds):
                ours += measured(portal, cpu, page, browser.cookies, args.concurrency, each)
                bare += measured(minimal, cpu, f"/page/{name}", {}, args.concurrency, each)
            rows.append(
                (
                    name,
                    len(recorded[name]),
                    summary(ours, args.seconds) + (cpu[portal] * 1000 / len(ours),),
                    summary(bare, args.seconds) + (cpu[minimal] * 1000 / len(bare),),
                )
            )
    print(
        "| page | statements | page req/s | minimal req/s | page / minimal | page p50 / p95 ms "
        "| minimal p50 / p95 ms | server CPU ms per request, page / minimal |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, count, ours, bare in rows:
        print(
            f"| {name} | {count} | {ours[0]:.0f} | {bare[0]:.0f} | {ours[0] / bare[0]:.2f} "
            f"| {ours[1]:.1f} / {ours[2]:.1f} | {bare[1]:.1f} / {bare[2]:.1f} | {ours[3]:.1f} / {bare[3]:.1f} |"
        )


if __name__ == "__main__":
    main()
