"""Issue 10.14: the database file is private, and every answer carries the hardening headers."""

import os
import stat

import pytest
from conftest import sign_in

from portal import create_app
from portal.domain.calendar import local_today
from portal.testing import make_settings


def test_the_sqlite_database_file_is_created_readable_by_its_owner_only(tmp_path):
    settings = make_settings(None, tmp_path / "instance")
    settings.pop("DATABASE_URL")
    app = create_app(settings)
    with app.app_context():
        from portal.extensions import db

        db.session.execute(db.text("CREATE TABLE t (x INTEGER)"))
        db.session.commit()
        db.engine.dispose()
    database = tmp_path / "instance" / "portal.sqlite3"
    assert stat.S_IMODE(os.stat(database).st_mode) == 0o600
    for companion in ("portal.sqlite3-wal", "portal.sqlite3-shm"):
        path = tmp_path / "instance" / companion
        if path.exists():
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_every_answer_has_a_permissions_policy_and_no_hsts_without_tls(client):
    response = client.get("/sign-in")
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_when_the_session_cookie_is_secure(make_app):
    response = make_app(SESSION_COOKIE_SECURE=True).test_client().get("/sign-in")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("format_id", ["csv", "html"])
def test_report_downloads_are_not_kept_in_a_cache(client, world, format_id):
    sign_in(client, world.admin.email)
    today = local_today()  # downloads are for one ended quarter and one region
    quarter = (today.month - 1) // 3
    ended = f"{today.year}-Q{quarter}" if quarter else f"{today.year - 1}-Q4"
    response = client.get(f"/reports/lead-times/download/{format_id}?period={ended}&region=fyrbodal")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached(client):
    response = client.get("/static/portal.css")
    response.close()
    assert response.headers.get("Cache-Control") != "no-store"
