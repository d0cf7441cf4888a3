"""The Flask extensions, created unbound and attached in `create_app()`."""

from __future__ import annotations

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine

# Deterministic constraint names, so that migrations can drop and alter them on both
# SQLite (batch mode) and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record):
    """Foreign keys on, WAL journal and a busy timeout for every SQLite connection.

    The driver's own transaction handling is switched off and SQLAlchemy's `begin`
    event below issues BEGIN, so that SAVEPOINT and locking behave as documented.
    """
    import sqlite3

    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    dbapi_connection.create_function("portal_start_of_day", 2, start_of_day_utc, deterministic=True)


def start_of_day_utc(day: str | None, zone: str) -> str | None:
    """SQLite has no time zones: the UTC moment ('YYYY-MM-DD HH:MM:SS') at which `day`
    begins in `zone`, for `domain.reports.sql.start_of_day` (PostgreSQL uses AT TIME ZONE)."""
    from datetime import UTC, date, datetime, time
    from zoneinfo import ZoneInfo

    if day is None:
        return None
    midnight = datetime.combine(date.fromisoformat(str(day)[:10]), time(), ZoneInfo(zone))
    return midnight.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection):
    """BEGIN, or BEGIN IMMEDIATE for a write transaction (see `domain.transactions`)."""
    if connection.dialect.name == "sqlite":
        mode = connection.get_execution_options().get("sqlite_begin", "")
        connection.exec_driver_sql(f"BEGIN {mode}".strip())
