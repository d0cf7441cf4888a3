"""Two portal instances as real processes (gunicorn, the shipped configuration) on two
ports, sharing one PostgreSQL database and one Redis: the first acceptance wins across
them, the sign-in limit counts across them, a session begun on one holds on the other, and
signing out on one ends the account's sessions on both (the accounts' session generation).
"""

from __future__ import annotations

import os
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.models import Placement
from portal.testing import PASSWORD, migrated

ROOT = Path(__file__).parents[2]
REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def database_url(postgres_url, tmp_path_factory):
    """PostgreSQL only: instances on several hosts share one server (SQLite is one host's)."""
    return migrated(postgres_url, tmp_path_factory.mktemp("instance"))


@pytest.fixture
def redis_url():
    """A Redis database of this test's own, emptied first (the sign-in counts live there)."""
    import redis

    url = REDIS_URL.rsplit("/", 1)[0] + "/11"
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    client.flushdb()
    client.close()
    return url


@pytest.fixture
def instances(monkeypatch, database_url, redis_url, settings, tmp_path):
    monkeypatch.syspath_prepend(str(ROOT))
    from bench.serve import Server

    env = {
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_SECRET_KEY": settings["SECRET_KEY"],
        "PORTAL_DATA_KEY": settings["DATA_KEY"],
        "PORTAL_RATELIMIT_STORAGE_URL": redis_url,
        "PORTAL_SIGN_IN_LIMIT": "3 per minute",
        "PORTAL_INSTANCE_PATH": str(tmp_path / "instance"),
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "8",
    }
    with Server(env, log=tmp_path / "a.log") as a, Server(env, log=tmp_path / "b.log") as b:
        yield a, b


def test_first_accept_wins_across_instances(instances, session, engine, world, draft, certified):
    from races import offered

    from bench.serve import Browser

    a, b = instances
    _, (offer_id,) = offered(session, engine, world, draft, [certified.id])
    browsers = []
    for server in (a, b) * 4:
        browser = Browser(server.url)
        assert browser.sign_in(world.supervisor_user.email, PASSWORD) == 302
        browsers.append(browser)
    referral_page = f"/offers/{offer_id}/accept"
    statuses = [None] * len(browsers)
    barrier = threading.Barrier(len(browsers))

    def accept(index, browser):
        token = browser.token("/")
        barrier.wait()
        statuses[index] = browser.request("POST", referral_page, {"csrf_token": token})[0]

    threads = [threading.Thread(target=accept, args=item) for item in enumerate(browsers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [303] + [409] * 7, statuses
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Placement)) == 1


def test_the_sign_in_limit_and_the_session_hold_across_instances(instances, world):
    from bench.serve import Browser

    a, b = instances
    browser = Browser(a.url)
    assert browser.sign_in(world.caseworker.email, PASSWORD) == 302
    status, html = browser.on(b.url).request("GET", "/")
    assert status == 200 and world.caseworker.name in html
    elsewhere = Browser(b.url)  # the same account signed in on another device, on the other instance
    assert elsewhere.sign_in(world.caseworker.email, PASSWORD) == 302
    assert browser.post_form("/", "/sign-out", {}) == 302  # signing out on one instance …
    assert elsewhere.request("GET", "/")[0] == 302  # … ends the account's sessions on the other too

    stranger = f"nobody-{uuid.uuid4().hex[:8]}@example.se"
    first = Browser(a.url)
    assert [first.sign_in(stranger, "wrong password!") for _ in range(2)] == [401, 401]
    second = Browser(b.url)
    assert second.sign_in(stranger, "wrong password!") == 401
    assert second.sign_in(stranger, "wrong password!") == 429  # the fourth, counted on both
    assert first.sign_in(stranger, "wrong password!") == 429
