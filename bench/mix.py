"""A mix of the portal's pages under load: 20,000 requests at concurrency 32, p50 and p95 per kind.

`python -m bench.mix` (options: --requests, --concurrency, --url) starts the portal under
gunicorn with the shipped `deploy/gunicorn.conf.py` on the demo data (PostgreSQL
`portal_bench_pages`, built by `bench.pages` when missing), signs in a caseworker, a
supervisor and a coordinator, and sends the requests, drawn with a fixed seed, from
`--concurrency` keep-alive clients in this process. Every answer must be 200: the table
counts the others as errors, and the exit status is 1 if there was any.
"""

from __future__ import annotations

import argparse
import http.client
import random
import statistics
import threading
import time
from collections import defaultdict
from urllib.parse import urlsplit

from bench import database, pages
from bench.serve import Browser, Server

SEED = 2026
# kind: (role, path, weight); {referral} and {matching} are filled in from the demo data
KINDS = {
    "home": ("caseworker", "/", 6),
    "home (supervisor)": ("supervisor", "/", 3),
    "home (coordinator)": ("coordinator", "/", 3),
    "referral list": ("caseworker", "/referrals", 4),
    "referral": ("caseworker", "/referrals/{referral}", 4),
    "match page": ("coordinator", "/referrals/{matching}/match", 2),
    "notifications": ("caseworker", "/notifications", 2),
    "supervisors": ("coordinator", "/directory/supervisors", 1),
    "report: lead times": ("coordinator", "/reports/lead-times?period={quarter}", 1),
    "report: 3R": ("coordinator", "/reports/3r?period={quarter}", 1),
}
LOGINS = {
    "caseworker": "handlaggare@demo.handledarportalen.se",
    "supervisor": "handledare@demo.handledarportalen.se",
    "coordinator": "samordnare@demo.handledarportalen.se",
}


def demo_values(url: str) -> dict[str, object]:
    """A referral of the demo caseworker's, one in matching in the coordinator's region, and
    the last ended quarter."""
    from sqlalchemy import select

    from portal.domain.calendar import local_today
    from portal.extensions import db
    from portal.models import Referral, User

    app = database.bench_app(url)
    with app.app_context():
        session = db.session
        caseworker = session.scalar(select(User).where(User.email == LOGINS["caseworker"]))
        coordinator = session.scalar(select(User).where(User.email == LOGINS["coordinator"]))
        values = {
            "referral": session.scalar(
                select(Referral.id).where(Referral.caseworker_id == caseworker.id).order_by(Referral.id)
            ),
            "matching": session.scalar(
                select(Referral.id)
                .where(Referral.state == "matching", Referral.region_id == coordinator.region_id)
                .order_by(Referral.id)
            ),
        }
        session.remove()
        db.engine.dispose()
    today = local_today()
    year, quarter = (today.year, (today.month - 1) // 3) if today.month > 3 else (today.year - 1, 4)
    return {**values, "quarter": f"{year}-Q{quarter}"}


def plan(count: int, values: dict) -> list[tuple[str, str, str]]:
    """`count` requests (kind, role, path) drawn in the kinds' proportions with a fixed seed."""
    requests = [(kind, role, path.format(**values)) for kind, (role, path, _weight) in KINDS.items()]
    weights = [weight for _role, _path, weight in KINDS.values()]
    return random.Random(SEED).choices(requests, weights, k=count)


def run(base: str, requests: list[tuple[str, str, str]], cookies: dict[str, dict], concurrency: int):
    """Latencies (s) by kind, the non-200 answers by kind, and the seconds it all took."""
    target = urlsplit(base)
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    queue = iter(requests)
    headers = {role: {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())} for role, jar in cookies.items()}

    def client():
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
        while True:
            with lock:
                item = next(queue, None)
            if item is None:
                break
            kind, role, path = item
            started = time.monotonic()
            connection.request("GET", path, headers=headers[role])
            response = connection.getresponse()
            response.read()
            elapsed = time.monotonic() - started
            with lock:
                latencies[kind].append(elapsed)
                if response.status != 200:
                    errors[kind] += 1
        connection.close()

    began = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.monotonic() - began


def table(latencies: dict[str, list[float]], errors: dict[str, int], seconds: float) -> str:
    def cut(values: list[float]) -> str:
        if len(values) < 2:
            return f"{values[0] * 1000:.0f} / {values[0] * 1000:.0f}"
        return f"{statistics.median(values) * 1000:.0f} / {statistics.quantiles(values, n=20)[18] * 1000:.0f}"

    lines = ["| page kind | requests | not 200 | p50 / p95 ms |", "|---|---:|---:|---:|"]
    for kind in KINDS:
        if kind in latencies:
            lines.append(f"| {kind} | {len(latencies[kind])} | {errors.get(kind, 0)} | {cut(latencies[kind])} |")
    everything = [value for values in latencies.values() for value in values]
    lines.append(f"| all | {len(everything)} | {sum(errors.values())} | {cut(everything)} |")
    lines.append(f"\n{len(everything)} requests in {seconds:.1f} s: {len(everything) / seconds:.0f} per second")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=database.url_for("pages", "postgresql"))
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args(argv)
    from portal.demo.data import DEMO_PASSWORD

    pages.build(args.url)
    values = demo_values(args.url)
    database.DATA_DIR.mkdir(exist_ok=True)
    with Server(pages.environment(args.url), log=database.DATA_DIR / "mix.log") as portal:
        cookies = {}
        for role, email in LOGINS.items():
            browser = Browser(portal.url)
            browser.sign_in(email, DEMO_PASSWORD)
            cookies[role] = browser.cookies
        latencies, errors, seconds = run(portal.url, plan(args.requests, values), cookies, args.concurrency)
    print(table(latencies, errors, seconds))
    return 1 if any(errors.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
