"""Pytest fixtures for the portal's tests and for plugins' own tests.

Installed as a pytest plugin (entry point ``pytest11: portal``), so a plugin's test
suite gets these fixtures by having the portal installed; core's `tests/conftest.py`
uses the same ones.

- Every database test runs on real SQLite and on real PostgreSQL (``database_url`` is
  parametrized). PostgreSQL is `PORTAL_TEST_POSTGRES_URL` (default: the local server,
  trust auth); a database with a unique name is created for the run and dropped at the
  end; when the server cannot be reached the PostgreSQL half is skipped.
  `PORTAL_TEST_BACKENDS=sqlite` runs SQLite only. Under ``CI=true`` a skipped test is
  reported as a failure: a missing service must not pass unnoticed.
  The database's name starts with `PORTAL_TEST_DATABASE_PREFIX` (default
  ``portal_test_``), so that runs on a shared server can be told apart and cleaned up.
- Each backend's database is built once per run by the Alembic migrations, and every
  table is emptied after each test.
- The transaction model: nothing is rolled back for you. Everything a test, a page
  request or a CLI call commits is in the database for the rest of the test, and every
  table is emptied afterwards. ``session`` is a session of the test's own, on its own
  connection: commit what you set up before a request or a command reads it (they use
  their own sessions). After each request or command the test's ``session`` ends its
  transaction if it only read (never when it holds changes of the test's own), so the
  objects it holds show what the request or command committed without the test calling
  ``commit()``. After
  the test, failing or not, every session is closed before the tables are emptied, so
  that an open transaction never leaves the teardown waiting for a lock.
- ``app`` is ``make_app()``; a plugin's conftest overrides it to register and enable the
  plugin, and every other fixture (``client``, ``session``, ``engine``, ``world`` …)
  follows::

      @pytest.fixture
      def app(make_app):
          return make_app(plugins={"example": portal_example}, enabled={"fyrbodal": ["example"]})
"""

from __future__ import annotations

import os
import uuid

import pytest

from portal.testing.helpers import (
    PASSWORD,
    accept_through_pages,
    accepting,
    approve_plan,
    at_once,
    hold_meeting,
    offered_through_pages,
    password_hash,
    sign_in,
    write_end_report,
)
from portal.testing.referrals import accepted, certified, draft, home_municipality, person, referral_answers, world

__all__ = [  # the helpers, and the fixtures of `portal.testing.referrals`, which pytest finds here
    "PASSWORD",
    "accepted",
    "certified",
    "draft",
    "home_municipality",
    "person",
    "referral_answers",
    "world",
    "accept_through_pages",
    "accepting",
    "approve_plan",
    "at_once",
    "hold_meeting",
    "make_settings",
    "offered_through_pages",
    "password_hash",
    "sign_in",
    "write_end_report",
]

DATABASE_PREFIX = os.environ.get("PORTAL_TEST_DATABASE_PREFIX", "portal_test_")
POSTGRES_SERVER_URL = os.environ.get("PORTAL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = tuple(name.strip() for name in os.environ.get("PORTAL_TEST_BACKENDS", "sqlite,postgresql").split(","))
_TEST_DATA_KEY: list[str] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if os.environ.get("CI") == "true" and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which must not happen: {report.longrepr}"
    return report


def make_settings(url: str, instance_path) -> dict:
    """Settings for `create_app` on the database at `url`, with fixed test keys."""
    if not _TEST_DATA_KEY:
        from cryptography.fernet import Fernet

        _TEST_DATA_KEY.append(Fernet.generate_key().decode())
    return {
        "DATABASE_URL": url,
        "INSTANCE_PATH": str(instance_path),
        "SECRET_KEY": "test-secret-key",
        "DATA_KEY": _TEST_DATA_KEY[0],
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,  # a test turns it on to prove every form needs it
        "REQUIRE_TWO_FACTOR": False,  # a test turns it on to prove admins and coordinators need it
    }


def psycopg_connection(url: str, database: str | None = None):
    """An autocommit psycopg connection to the PostgreSQL server of the SQLAlchemy `url`,
    to its database or to `database`: for what runs outside a transaction (CREATE and
    DROP DATABASE, VACUUM)."""
    import psycopg
    from sqlalchemy import make_url

    server = make_url(url)
    return psycopg.connect(
        host=server.host,
        port=server.port or 5432,
        user=server.username,
        password=server.password,
        dbname=database or server.database,
        autocommit=True,
        connect_timeout=5,
    )


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    import psycopg
    from sqlalchemy import make_url

    try:
        admin = psycopg_connection(POSTGRES_SERVER_URL)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_SERVER_URL}: {error}")
    name = f"{DATABASE_PREFIX}{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    yield make_url(POSTGRES_SERVER_URL).set(database=name).render_as_string(hide_password=False)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def migrated(url: str, instance_path) -> str:
    """`url`, its schema brought up to date by the portal's migrations (an app is made
    for the purpose, its connections closed afterwards)."""
    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db

    app = create_app(make_settings(url, instance_path))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """The URL of a migrated database, once per backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'portal.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    return migrated(url, tmp_path_factory.mktemp("instance"))


@pytest.fixture
def settings(database_url, tmp_path):
    """Settings for `create_app`; a test may change them before asking for `app`."""
    return make_settings(database_url, tmp_path / "instance")


@pytest.fixture
def make_app(settings):
    """Build apps on the test's database: ``make_app(plugins={name: module},
    enabled={region_code: [name, …]}, **changed_settings)``. `plugins` are registered
    as if installed under those names; `enabled` switches them on (regions are loaded
    first). Every table is emptied and every connection closed afterwards."""
    from portal import create_app

    built = []

    def make(plugins: dict | None = None, enabled: dict | None = None, **changes):
        app = create_app({**settings, **changes}, plugins=plugins)
        built.append(app)
        if enabled:
            _enable(app, enabled)
        return app

    yield make
    _empty_and_close(built)


def _enable(app, enabled: dict) -> None:
    from portal.domain import geography
    from portal.domain.plugins import enabling as plugin_admin
    from portal.extensions import db

    with app.app_context():
        geography.load(db.session)
        db.session.commit()
        for region_code, names in enabled.items():
            for name in names:
                plugin_admin.enable(
                    db.session, app.extensions["portal.plugins"], None, name, region_code, confirmed=True
                )
                db.session.commit()
        db.session.remove()


def _empty_and_close(apps) -> None:
    from sqlalchemy.orm import close_all_sessions

    from portal.extensions import db

    close_all_sessions()  # a failed test's open transaction must not hold a lock on the tables

    for index, app in enumerate(apps):
        with app.app_context():
            db.session.remove()
            if index == 0:
                with db.engine.begin() as connection:
                    for table in reversed(db.metadata.sorted_tables):
                        connection.execute(table.delete())
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    """The application, with no context pushed: requests and tests each get their own."""
    return make_app()


@pytest.fixture
def session(app):
    """A database session of the test's own, as domain functions take it; it sees what
    requests and commands commit (see the transaction model above)."""
    import threading

    from flask import appcontext_tearing_down
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from portal.extensions import db

    with app.app_context():
        engine = db.engine
    with Session(engine) as session:
        thread, wrote = threading.get_ident(), []
        event.listen(session, "after_begin", lambda *args: wrote.clear())
        event.listen(session, "after_flush", lambda *args: wrote.append(True))

        def see_committed(sender, **extra):
            # A read-only transaction is ended, so that the next read sees what was
            # committed meanwhile (and loaded objects reload); one holding the test's own
            # changes is left alone. Only in the test's own thread: a browser test's
            # server answers requests in others.
            pending = wrote or session.new or session.dirty or session.deleted
            if threading.get_ident() == thread and session.in_transaction() and not pending:
                session.rollback()

        appcontext_tearing_down.connect(see_committed, app)
        try:
            yield session
        finally:
            appcontext_tearing_down.disconnect(see_committed, app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def engine(app):
    """The workflow engine (registry, hooks, settings) domain functions take."""
    return app.extensions["portal.engine"]


@pytest.fixture
def vault(app):
    return app.extensions["portal.vault"]
