"""`portal backup FILE` and `portal restore FILE`: a copy of the whole database, taken while
the portal runs, and put back.

- SQLite: SQLite's online backup API copies the database page by page into FILE (a
  consistent snapshot even while others write); restore copies FILE back the same way,
  so open connections see the restored data on their next transaction.
- PostgreSQL: `pg_dump --format=custom` (a consistent snapshot in one transaction) and
  `pg_restore --clean --if-exists --single-transaction`. Both must be installed and of
  the server's major version or newer; the commands say so when they are missing.

The copy holds personal data, encrypted identity numbers included: keep it where the
database is allowed to be, with the same access rules, and keep `PORTAL_DATA_KEY`
(elsewhere) to read those numbers after a restore. How often and where: README.md.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import make_url


class BackupError(click.ClickException):
    """A backup or restore that could not be made, with what to do about it."""


def backup(url: str, target: Path) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _sqlite_copy(Path(parsed.database), target)
    elif parsed.get_backend_name() == "postgresql":
        _run("pg_dump", ["--format=custom", "--no-owner", f"--file={target}", _libpq(parsed)])
    else:
        raise BackupError(f"No backup method for {parsed.get_backend_name()}.")


def restore(url: str, source: Path) -> None:
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _sqlite_copy(source, Path(parsed.database))
    elif parsed.get_backend_name() == "postgresql":
        _run(
            "pg_restore",
            ["--clean", "--if-exists", "--no-owner", "--single-transaction", f"--dbname={_libpq(parsed)}", str(source)],
        )
    else:
        raise BackupError(f"No restore method for {parsed.get_backend_name()}.")


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup from one file to another (pages copied under SQLite's locks)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target, timeout=30) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _libpq(parsed) -> str:
    """The URL as libpq reads it (no SQLAlchemy driver name)."""
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(program: str, arguments: list[str]) -> None:
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(f"{program} is not installed; install PostgreSQL's client programs (postgresql-client).")
    done = subprocess.run([executable, *arguments], capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{program} failed: {done.stderr.strip()[-500:]}")


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(target: Path) -> None:
    """Copy the whole database to TARGET while the portal runs."""
    backup(current_app.config["DATABASE_URL"], target)
    click.echo(f"Backed up to {target}.")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database's contents without asking.")
@with_appcontext
def restore_command(source: Path, yes: bool) -> None:
    """Replace the whole database with the copy in SOURCE (made by `portal backup`)."""
    if not yes:
        click.confirm("This replaces everything in the database. Continue?", abort=True)
    from portal.extensions import db

    db.engine.dispose()  # PostgreSQL: no pooled connection holds locks the restore needs
    restore(current_app.config["DATABASE_URL"], source)
    click.echo(f"Restored from {source}.")
