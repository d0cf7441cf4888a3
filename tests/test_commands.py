"""A command that cannot work says why in one line, with what to do, and never a
traceback: a database not migrated or down (`cli.database_problem`), a setting the portal
cannot use (`config.SettingError`). No password is repeated."""

from __future__ import annotations

import pytest
from commands import portal


@pytest.mark.parametrize(
    "command",
    [("plugins", "list"), ("users", "create", "--email=a@b.se", "--name=A", "--role=admin", "--password=" + "x" * 14)],
)
def test_a_command_on_a_database_not_yet_migrated_says_what_to_run(tmp_path, command):
    """cli.database_problem: one line, not a traceback, whichever command meets it."""
    done = portal(*command, cwd=tmp_path, env={"PORTAL_INSTANCE_PATH": str(tmp_path / "instance")})
    assert done.returncode == 1
    assert done.stderr == (
        "The database is not up to date for this version: run `portal db upgrade` "
        "(on a new database then `portal geography load`).\n"
    )
    assert done.stdout == ""


@pytest.mark.parametrize("command", [("plugins", "list"), ("db", "upgrade"), ("geography", "load")])
def test_a_command_meeting_a_database_that_is_down_says_so_in_one_line(tmp_path, command):
    url = "postgresql://portal:hemligt@127.0.0.1:1/portal"  # nothing listens on port 1
    done = portal(*command, cwd=tmp_path, env={"PORTAL_DATABASE_URL": url, "PORTAL_INSTANCE_PATH": str(tmp_path)})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr == (
        "Cannot reach the database at postgresql://portal:***@127.0.0.1:1/portal (PORTAL_DATABASE_URL): "
        "start it or correct the setting, then run the command again.\n"
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("PORTAL_PAGE_SIZE", "tjugo", "PORTAL_PAGE_SIZE must be a whole number, not 'tjugo'."),
        (
            "PORTAL_DATABASE_URL",
            "mysql://portal:hemligt@db/portal",
            "PORTAL_DATABASE_URL is not a PostgreSQL or SQLite address "
            "(postgresql://user@host/database or sqlite:///path).",
        ),
        (
            "PORTAL_DATABASE_URL",
            "hemligt",
            "PORTAL_DATABASE_URL is not a PostgreSQL or SQLite address "
            "(postgresql://user@host/database or sqlite:///path).",
        ),
    ],
)
def test_a_setting_the_portal_cannot_use_is_named_in_one_line(tmp_path, variable, value, message):
    done = portal("plugins", "list", cwd=tmp_path, env={variable: value, "PORTAL_INSTANCE_PATH": str(tmp_path)})
    assert done.returncode == 1
    assert done.stderr == message + "\n"
