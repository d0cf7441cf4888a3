"""The fixtures core exports to plugins' tests: the test's session sees what pages and
commands commit, the PostgreSQL database's name has a configurable prefix, and a failing
test that leaves a transaction open does not hold up the teardown."""

import os
import re
import subprocess
import sys
import textwrap

from portal.models import PluginEnablement
from portal.testing import sign_in


def test_the_session_sees_what_a_page_request_committed_without_calling_commit(client, session, world, draft):
    from flows import consent

    referral = draft()
    consent(session, world, referral)
    assert referral.state == "draft"  # loaded into the test's session
    sign_in(client, world.caseworker.email)
    assert client.post(f"/referrals/{referral.id}/act/submit").status_code == 303
    assert referral.state == "matching"  # submitted, then matching started automatically


def test_the_session_sees_what_a_command_committed(runner, session, world):
    from sqlalchemy import select

    assert session.scalars(select(PluginEnablement)).all() == []
    result = runner.invoke(args=["plugins", "enable", "fyrbodal", "fyrbodal"])
    assert result.exit_code == 0, result.output
    assert [row.plugin for row in session.scalars(select(PluginEnablement))] == ["fyrbodal"]


def test_changes_the_test_has_not_flushed_are_kept_across_a_request(client, session, world):
    world.admin.name = "Not yet saved"
    client.get("/")
    assert world.admin.name == "Not yet saved"


OUTSIDE_TESTS = """
import os

from sqlalchemy import make_url
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.models import Region


def test_the_database_name_has_the_prefix(database_url):
    if database_url.startswith("postgresql"):
        assert make_url(database_url).database.startswith("plugin_ci_")


def test_a_failing_test_with_an_open_write(app, world):
    with app.app_context():
        engine = db.engine
    writer = Session(engine)
    writer.add(Region(code="extra", name="Extra"))
    writer.flush()  # holds SQLite's write lock until the session is closed
    assert False, "this test fails on purpose"
"""


def test_a_failing_test_leaves_no_lock_behind_and_the_prefix_names_the_database(tmp_path):
    (tmp_path / "test_outside.py").write_text(textwrap.dedent(OUTSIDE_TESTS))
    environment = {**os.environ, "PORTAL_TEST_DATABASE_PREFIX": "plugin_ci_"}
    environment.pop("CI", None)  # the inner run's failure is the point
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--durations=0",
            "--durations-min=0",
            str(tmp_path),
        ],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    backends = len(os.environ.get("PORTAL_TEST_BACKENDS", "sqlite,postgresql").split(","))
    assert f"{backends} failed, {backends} passed in" in result.stdout, result.stdout + result.stderr
    assert "error" not in result.stdout.splitlines()[-1]
    teardowns = re.findall(r"^([\d.]+)s teardown .*test_a_failing_test_with_an_open_write", result.stdout, re.MULTILINE)
    assert len(teardowns) == backends and max(map(float, teardowns)) < 10, "the teardown waited for a lock"
