"""Settings come from PORTAL_* variables; keys are generated once, never a fixed default."""

import os
import stat
from pathlib import Path

from portal import config, create_app


def test_secret_and_data_keys_are_generated_once_and_kept_private(tmp_path, monkeypatch):
    for name in ("PORTAL_SECRET_KEY", "PORTAL_DATA_KEY", "PORTAL_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path)})
    second = create_app({"INSTANCE_PATH": str(tmp_path)})
    other = create_app({"INSTANCE_PATH": str(tmp_path / "other")})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] != other.config["SECRET_KEY"]
    assert first.config["DATA_KEY"] == second.config["DATA_KEY"] != other.config["DATA_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 64
    for name in ("secret_key", "data_key"):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o600


def test_sqlite_in_the_instance_folder_is_the_default(tmp_path, monkeypatch):
    monkeypatch.delenv("PORTAL_DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'portal.sqlite3'}"


def test_environment_variables_override_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_DATABASE_URL", "postgresql+psycopg://someone@db.example/portal")
    monkeypatch.setenv("PORTAL_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("PORTAL_PAGE_SIZE", "50")
    monkeypatch.setenv("PORTAL_SESSION_COOKIE_SECURE", "true")
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "elsewhere"))
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://someone@db.example/portal"
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["PAGE_SIZE"] == 50
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.instance_path == str(tmp_path / "elsewhere")


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(app):
    from sqlalchemy import text

    from portal.extensions import db

    with app.app_context(), db.engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            assert connection.dialect.name == "postgresql"
            return
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 30000


def test_readme_documents_every_setting():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    missing = [setting.variable for setting in config.SETTINGS if setting.variable not in readme]
    assert missing == []
