"""The benchmark's databases: a PostgreSQL database of their own per scale (created,
reused, or dropped and made again) and an SQLite file under `bench/data/`; and the
timing of the statements a benchmark runs on them."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, make_url

from portal.testing import psycopg_connection

BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / "data"
SERVER_URL = os.environ.get("PORTAL_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
DATA_KEY = "YmVuY2gtZGF0YS1rZXktbm90LWZvci1yZWFsLWRhdGE="  # Fernet key; bench rows hold no identity numbers


def url_for(scale: str, backend: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{DATA_DIR / f'{scale}.sqlite3'}"
    return make_url(SERVER_URL).set(database=f"portal_bench_{scale}").render_as_string(hide_password=False)


def _admin(url: str):
    return psycopg_connection(url, "postgres")


def exists(url: str) -> bool:
    if url.startswith("sqlite"):
        return Path(make_url(url).database).exists()
    with _admin(url) as admin:
        return (
            admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (make_url(url).database,)).fetchone()
            is not None
        )


def create(url: str) -> None:
    """An empty database at `url`, replacing any there."""
    if url.startswith("sqlite"):
        path = Path(make_url(url).database)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = make_url(url).database
    with _admin(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def vacuum_analyze(url: str) -> None:
    """Fresh statistics and visibility maps after a bulk load, as autovacuum would give in time."""
    if url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(make_url(url).database) as connection:
            connection.execute("ANALYZE")
        return
    with psycopg_connection(url) as connection:
        connection.execute("VACUUM ANALYZE")


def bench_app(url: str):
    """The portal on the benchmark database, configured like a test run (no CSRF)."""
    from portal import create_app

    return create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(DATA_DIR / "instance"),
            "SECRET_KEY": "bench-secret-key",
            "DATA_KEY": DATA_KEY,
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "REQUIRE_TWO_FACTOR": False,  # the offices' pages are measured, not their sign-in
        }
    )


def migrated_app(url: str):
    from flask_migrate import upgrade

    from portal.extensions import db

    app = bench_app(url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return app


@contextmanager
def statements(engine):
    """Every statement run inside the block, with its time in ms."""
    timed: list[tuple[str, float]] = []
    started: dict[int, float] = {}

    def before(conn, cursor, statement, parameters, context, executemany):
        started[id(cursor)] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        timed.append((statement, (time.perf_counter() - started.pop(id(cursor))) * 1000))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield timed
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
