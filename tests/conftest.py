"""Fixtures: every database test runs on real SQLite and on real PostgreSQL.

Each backend gets one database per test session, built by the Alembic migrations (so
every run also proves the migrations), and every table is emptied after each test.
PostgreSQL is `PORTAL_TEST_POSTGRES_URL` (default: the local server, trust auth); a
database with a unique name is created for the run and dropped at the end.

Under CI=true a skipped test is reported as a failure: a missing service must not pass.
"""

from __future__ import annotations

import os
import uuid

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import make_url
from sqlalchemy.orm import Session

from portal import create_app
from portal.extensions import db

POSTGRES_SERVER_URL = os.environ.get("PORTAL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TEST_DATA_KEY = Fernet.generate_key().decode()
BACKENDS = ("sqlite", "postgresql")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if os.environ.get("CI") == "true" and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which must not happen: {report.longrepr}"
    return report


def _admin_connection():
    import psycopg

    url = make_url(POSTGRES_SERVER_URL)
    return psycopg.connect(
        host=url.host, port=url.port or 5432, user=url.username, password=url.password,
        dbname=url.database, autocommit=True, connect_timeout=5,
    )


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    import psycopg

    try:
        admin = _admin_connection()
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_SERVER_URL}: {error}")
    name = f"portal_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    yield make_url(POSTGRES_SERVER_URL).set(database=name).render_as_string(hide_password=False)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """The URL of a migrated database, once per backend."""
    from flask_migrate import upgrade

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'portal.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    app = create_app(make_settings(url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def make_settings(url: str, instance_path) -> dict:
    return {
        "DATABASE_URL": url,
        "INSTANCE_PATH": str(instance_path),
        "SECRET_KEY": "test-secret-key",
        "DATA_KEY": TEST_DATA_KEY,
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,  # one test turns it on and proves every form needs it
    }


@pytest.fixture
def settings(database_url, tmp_path):
    """Settings for `create_app`; a test may change them before asking for `app`."""
    return make_settings(database_url, tmp_path / "instance")


@pytest.fixture
def app(settings):
    """The application, with no context pushed: requests and tests each get their own."""
    app = create_app(settings)
    yield app
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def session(app):
    """A database session of the test's own, as domain functions take it."""
    with app.app_context():
        engine = db.engine
    with Session(engine) as session:
        yield session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


PASSWORD = "correct horse battery"
_PASSWORD_HASH: list[str] = []


def password_hash() -> str:
    """scrypt is deliberately slow; hash the shared test password once per run."""
    if not _PASSWORD_HASH:
        from werkzeug.security import generate_password_hash

        _PASSWORD_HASH.append(generate_password_hash(PASSWORD, method="scrypt"))
    return _PASSWORD_HASH[0]


@pytest.fixture
def world(session):
    """A small, complete world: the 43 municipalities, two authorities in two regions,
    a cooperative with a supervisor, and one user per role (plus a second caseworker)."""
    from types import SimpleNamespace

    from sqlalchemy import select

    from portal.domain import geography
    from portal.models import Authority, Cooperative, Municipality, Region, Supervisor, User

    geography.load(session)
    municipality = {m.name: m for m in session.scalars(select(Municipality))}
    region = {r.code: r for r in session.scalars(select(Region))}
    fk = Authority(name="Försäkringskassan Trollhättan", kind="forsakringskassan",
                   municipality=municipality["Trollhättan"])
    social = Authority(name="Socialtjänsten Skövde", kind="social_services", municipality=municipality["Skövde"])
    cooperative = Cooperative(name="Kooperativet Vägen", organisation_number="769600-0001",
                              municipality=municipality["Trollhättan"])

    def user(email, role, **fields):
        account = User(email=email, name=email.split("@")[0].title(), role=role, password_hash=password_hash(), **fields)
        session.add(account)
        return account

    caseworker = user("handlaggare@fk.example.se", "caseworker", authority=fk)
    other_caseworker = user("handlaggare@skovde.example.se", "caseworker", authority=social)
    coordinator = user("samordnare@fyrbodal.example.se", "coordinator", region=region["fyrbodal"])
    admin = user("admin@example.se", "admin")
    supervisor_user = user("handledare@vagen.example.se", "supervisor")
    supervisor = Supervisor(user=supervisor_user, cooperative=cooperative, gender="woman", capacity=2,
                            municipalities={municipality["Trollhättan"]})
    session.add_all([fk, social, cooperative, supervisor])
    session.commit()
    return SimpleNamespace(
        municipality=municipality, region=region, fk=fk, social=social, cooperative=cooperative,
        caseworker=caseworker, other_caseworker=other_caseworker, coordinator=coordinator, admin=admin,
        supervisor_user=supervisor_user, supervisor=supervisor,
    )


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post("/sign-in", data={"email": email, "password": password})


@pytest.fixture
def engine(app):
    """The workflow engine (registry, hooks, settings) domain functions take."""
    return app.extensions["portal.engine"]


@pytest.fixture
def vault(app):
    return app.extensions["portal.vault"]


@pytest.fixture
def certified(session, world):
    """The world's supervisor, certified, so that referrals can be offered to them."""
    from datetime import date

    world.supervisor.certified_on = date(2026, 1, 15)
    session.commit()
    return world.supervisor


@pytest.fixture
def mail_server():
    """A real SMTP server on 127.0.0.1; tests may stop and start it."""
    from mailserver import MailServer

    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailed_settings(settings, mail_server):
    """The app's settings, pointing at the test's mail server (ask for it before `app`)."""
    from mailserver import SENDER

    settings.update(SMTP_HOST="127.0.0.1", SMTP_PORT=mail_server.port, MAIL_FROM=SENDER)
    return settings
