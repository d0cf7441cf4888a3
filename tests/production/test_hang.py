"""A PostgreSQL server that stops answering, without refusing, through a TCP forwarder the
test pauses: /health answers 503 within 2 s, a page answers a friendly 503 (not a 500,
not a hang), and both recover when the database answers again.

SQLite has no network to hang on (its readers never wait in WAL mode, its writers wait
for the write lock up to the busy timeout), so this runs on PostgreSQL only.
"""

from __future__ import annotations

import time

import pytest
from flask_migrate import upgrade
from sqlalchemy import make_url
from tcp_forwarder import Forwarder

from portal import create_app
from portal.extensions import db
from portal.testing import make_settings, sign_in


@pytest.fixture
def forwarded_app(postgres_url, tmp_path):
    url = make_url(postgres_url)
    forwarder = Forwarder(url.host or "127.0.0.1", url.port or 5432)
    through = url.set(host="127.0.0.1", port=forwarder.port).render_as_string(hide_password=False)
    app = create_app({**make_settings(through, tmp_path / "instance"), "DATABASE_STATEMENT_TIMEOUT": 3})
    with app.app_context():
        upgrade()
    yield app, forwarder
    forwarder.resume()
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:  # leave the shared test database empty
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        db.engine.dispose()
    forwarder.close()


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def test_health_and_pages_answer_503_at_once_while_the_database_hangs(forwarded_app, world_on):
    app, forwarder = forwarded_app
    client = app.test_client()
    balancer = app.test_client()  # a load balancer sends no session cookie
    world_on(app)
    assert sign_in(client, "admin@hang.example.se").status_code in (302, 303)
    assert client.get("/health").status_code == 200
    assert client.get("/").status_code == 200

    forwarder.pause()
    health, seconds = timed(lambda: balancer.get("/health"))
    assert health.status_code == 503 and seconds < 2.0, seconds
    page, seconds = timed(lambda: client.get("/"))
    assert page.status_code == 503 and seconds < 10, seconds
    assert "Try again in a minute" in page.get_data(as_text=True) or "Försök igen om en minut" in page.get_data(
        as_text=True
    )
    assert page.headers["Retry-After"] == "30"
    again, seconds = timed(lambda: balancer.get("/health"))
    assert again.status_code == 503 and seconds < 2.0, seconds

    forwarder.resume()
    deadline = time.monotonic() + 15
    while client.get("/health").status_code != 200:
        assert time.monotonic() < deadline, "the portal did not recover"
        time.sleep(0.2)
    assert client.get("/").status_code == 200


@pytest.fixture
def world_on():
    """An admin account on the app's database (the shared `world` fixture runs on the
    parametrised database, not on this forwarded one)."""
    from portal.models import User
    from portal.testing import password_hash

    def make(app):
        with app.app_context():
            db.session.add(
                User(email="admin@hang.example.se", name="Admin", role="admin", password_hash=password_hash())
            )
            db.session.commit()
            db.session.remove()

    yield make
