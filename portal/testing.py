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
- Each backend's database is built once per run by the Alembic migrations, and every
  table is emptied after each test.
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

POSTGRES_SERVER_URL = os.environ.get("PORTAL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = tuple(name.strip() for name in os.environ.get("PORTAL_TEST_BACKENDS", "sqlite,postgresql").split(","))
PASSWORD = "correct horse battery"
_TEST_DATA_KEY: list[str] = []
_PASSWORD_HASH: list[str] = []


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
    }


def password_hash() -> str:
    """scrypt is deliberately slow; hash the shared test password once per run."""
    if not _PASSWORD_HASH:
        from werkzeug.security import generate_password_hash

        _PASSWORD_HASH.append(generate_password_hash(PASSWORD, method="scrypt"))
    return _PASSWORD_HASH[0]


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post("/sign-in", data={"email": email, "password": password})


def _admin_connection():
    import psycopg
    from sqlalchemy import make_url

    url = make_url(POSTGRES_SERVER_URL)
    return psycopg.connect(
        host=url.host,
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        dbname=url.database,
        autocommit=True,
        connect_timeout=5,
    )


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    import psycopg
    from sqlalchemy import make_url

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

    from portal import create_app
    from portal.extensions import db

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'portal.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    app = create_app(make_settings(url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


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
                plugin_admin.enable(db.session, app.extensions["portal.plugins"], None, name, region_code)
                db.session.commit()
        db.session.remove()


def _empty_and_close(apps) -> None:
    from portal.extensions import db

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
    """A database session of the test's own, as domain functions take it."""
    from sqlalchemy.orm import Session

    from portal.extensions import db

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


@pytest.fixture
def engine(app):
    """The workflow engine (registry, hooks, settings) domain functions take."""
    return app.extensions["portal.engine"]


@pytest.fixture
def vault(app):
    return app.extensions["portal.vault"]


@pytest.fixture
def world(session):
    """A small, complete world: the 43 municipalities, two authorities in two regions,
    a cooperative with a supervisor, and one user per role (plus a second caseworker).
    Everyone's password is `PASSWORD`; sign in with `sign_in(client, world.admin.email)`."""
    from types import SimpleNamespace

    from sqlalchemy import select

    from portal.domain import geography
    from portal.models import Authority, Cooperative, Municipality, Region, Supervisor, User

    geography.load(session)
    municipality = {m.name: m for m in session.scalars(select(Municipality))}
    region = {r.code: r for r in session.scalars(select(Region))}
    fk = Authority(
        name="Försäkringskassan Trollhättan", kind="forsakringskassan", municipality=municipality["Trollhättan"]
    )
    social = Authority(name="Socialtjänsten Skövde", kind="social_services", municipality=municipality["Skövde"])
    cooperative = Cooperative(
        name="Kooperativet Vägen", organisation_number="769600-0001", municipality=municipality["Trollhättan"]
    )

    def user(email, role, **fields):
        account = User(
            email=email, name=email.split("@")[0].title(), role=role, password_hash=password_hash(), **fields
        )
        session.add(account)
        return account

    caseworker = user("handlaggare@fk.example.se", "caseworker", authority=fk)
    other_caseworker = user("handlaggare@skovde.example.se", "caseworker", authority=social)
    coordinator = user("samordnare@fyrbodal.example.se", "coordinator", region=region["fyrbodal"])
    admin = user("admin@example.se", "admin")
    supervisor_user = user("handledare@vagen.example.se", "supervisor")
    supervisor = Supervisor(
        user=supervisor_user,
        cooperative=cooperative,
        gender="woman",
        capacity=2,
        municipalities={municipality["Trollhättan"]},
    )
    session.add_all([fk, social, cooperative, supervisor])
    session.commit()
    return SimpleNamespace(
        municipality=municipality,
        region=region,
        fk=fk,
        social=social,
        cooperative=cooperative,
        caseworker=caseworker,
        other_caseworker=other_caseworker,
        coordinator=coordinator,
        admin=admin,
        supervisor_user=supervisor_user,
        supervisor=supervisor,
    )


@pytest.fixture
def certified(session, world):
    """The world's supervisor, certified, so that referrals can be offered to them."""
    from datetime import date

    world.supervisor.certified_on = date(2026, 1, 15)
    session.commit()
    return world.supervisor


@pytest.fixture
def home_municipality():
    """Where `person`, `draft` and `accepted` place the participant unless told otherwise;
    a regional plugin's conftest answers a municipality of its own region."""
    return "Trollhättan"


@pytest.fixture
def referral_answers():
    """The answers to regional referral fields that `draft` gives unless told otherwise;
    a regional plugin's conftest answers its own fields."""
    return {}


@pytest.fixture
def person(session, vault, world, home_municipality):
    """A participant registered by the world's caseworker, with consent in force:
    ``person()``, or ``person("Skövde", number=…, gender=…)``."""
    from datetime import date

    from portal.domain.participants import registration as participants
    from portal.domain.participants.registration import ParticipantDetails

    def register(municipality: str | None = None, number: str = "200001012384", gender: str = "woman"):
        participant = participants.register(
            session,
            vault,
            world.caseworker,
            number,
            ParticipantDetails(
                given_name="Kim",
                family_name="Andersson",
                gender=gender,
                municipality_id=world.municipality[municipality or home_municipality].id,
            ),
        )
        participants.record_consent(
            session, world.caseworker, participant, scope="referral", method="written", given_on=date.today()
        )
        session.commit()
        return participant

    return register


@pytest.fixture
def draft(session, engine, world, person, referral_answers):
    """A draft referral by the world's caseworker: ``draft()``, or
    ``draft("Skövde", answers={…}, number=…)``."""
    from portal.domain.referrals import actions as referrals
    from portal.domain.referrals.actions import ReferralDetails

    def write(municipality: str | None = None, answers: dict | None = None, **person_args):
        referral = referrals.create_draft(
            session,
            engine,
            world.caseworker,
            person(municipality, **person_args),
            ReferralDetails(
                goal="Arbetsträning i kafé", hours_per_week=20, answers=referral_answers if answers is None else answers
            ),
        )
        session.commit()
        return referral

    return write


@pytest.fixture
def accepted(session, engine, world, draft, certified):
    """A referral the world's (certified) supervisor has accepted: ``accepted()``."""
    from sqlalchemy import select

    from portal.domain.referrals import actions as referrals
    from portal.models import Offer

    def accept(municipality: str | None = None):
        referral = draft(municipality)
        referrals.act(session, engine, world.caseworker, referral.id, "submit")
        referrals.offer(session, engine, world.caseworker, referral.id, [certified.id])
        session.commit()
        offer_id = session.scalar(select(Offer.id).where(Offer.referral_id == referral.id))
        referrals.answer(session, engine, world.supervisor_user, offer_id, accept=True)
        session.commit()
        return referral

    return accept


def at_once(app, jobs) -> list:
    """Run each ``job(session)`` in a thread of its own, all released together at a barrier,
    each with its own session and connection; returns each outcome in job order: "ok",
    the status of a `Refused`, or the repr of anything unexpected (so a test shows it).
    The database decides the order: how tests prove that people acting at once leave
    one consistent state."""
    import threading

    from sqlalchemy.orm import Session

    from portal.domain.referrals.transitions import Refused
    from portal.extensions import db

    with app.app_context():
        engine = db.engine
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(index, job):
        with Session(engine) as session:
            barrier.wait()
            try:
                job(session)
                session.commit()
                outcomes[index] = "ok"
            except Refused as refusal:
                session.rollback()
                outcomes[index] = refusal.status
            except Exception as error:  # reported, so that the test shows what went wrong
                session.rollback()
                outcomes[index] = repr(error)

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def accepting(engine, user_id: int, offer_id: int):
    """A job for `at_once`: the user accepts the offer."""

    def job(session):
        from portal.domain.referrals import actions as referrals
        from portal.models import User

        referrals.answer(session, engine, session.get(User, user_id), offer_id, accept=True)

    return job


def offered_through_pages(client, world, participant, form: dict, supervisor_id: int) -> tuple[int, str]:
    """As the world's caseworker, through the pages: write a referral with `form`, submit it
    and offer it to the supervisor; signs out and answers (referral id, its address)."""
    sign_in(client, world.caseworker.email)
    location = client.post(f"/participants/{participant.id}/referrals/new", data=form).location
    referral_id = int(location.rsplit("/", 1)[1])
    assert client.post(f"/referrals/{referral_id}/act/submit").status_code == 303
    assert (
        client.post(f"/referrals/{referral_id}/offers", data={"supervisor_id": str(supervisor_id)}).status_code == 303
    )
    client.post("/sign-out")
    return referral_id, location


def accept_through_pages(client, email: str, location: str) -> None:
    """Sign in as the supervisor `email` and accept the offer shown on the referral page."""
    import re

    sign_in(client, email)
    offer_id = re.search(r"/offers/(\d+)/accept", client.get(location).get_data(as_text=True)).group(1)
    assert client.post(f"/offers/{offer_id}/accept").status_code == 303
