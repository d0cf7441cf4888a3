"""Settings read from the environment.

Every setting has a `PORTAL_` environment variable so that the same wheel runs on a
laptop (SQLite in the instance folder) and behind gunicorn on several hosts (PostgreSQL,
keys supplied by the operator).  `SETTINGS` is the single reference the README's
configuration table is written from; a test keeps the two in step.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy.exc import ArgumentError


class SettingError(ValueError):
    """A setting the portal cannot use; its message is the one line an operator reads."""


@dataclass(frozen=True)
class Setting:
    """One environment setting: its Flask config key, default and meaning."""

    key: str
    default: object
    help: str
    kind: type = str

    @property
    def variable(self) -> str:
        return f"PORTAL_{self.key}"

    def parse(self, raw: str) -> object:
        if self.kind is bool:
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if self.kind is int:
            try:
                return int(raw)
            except ValueError:
                raise SettingError(f"{self.variable} must be a whole number, not {raw!r}.") from None
        return raw


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        None,
        "SQLAlchemy URL. Default: SQLite file `portal.sqlite3` in the instance folder. "
        "PostgreSQL: `postgresql+psycopg://user@host:5432/name`.",
    ),
    Setting(
        "DATABASE_CONNECT_TIMEOUT",
        2,
        "Seconds to wait for a new PostgreSQL connection, and for a pooled one to answer its ping (at least 2).",
        int,
    ),
    Setting(
        "DATABASE_STATEMENT_TIMEOUT",
        30,
        "Seconds a PostgreSQL statement may run (the server's `statement_timeout`); 2 s later the portal gives "
        "up on a server that stopped answering, and the page answers 503.",
        int,
    ),
    Setting("DATABASE_POOL_TIMEOUT", 3, "Seconds a request waits for a free database connection before a 503.", int),
    Setting(
        "DATABASE_JIT",
        False,
        "Let PostgreSQL compile queries just in time. Off by default: for the portal's queries it costs more "
        "than it saves (bench/README.md).",
        bool,
    ),
    Setting(
        "SECRET_KEY",
        None,
        "Signs sessions and CSRF tokens. Default: generated once and kept in "
        "`instance/secret_key`. Set it (the same on every host) when running several hosts.",
    ),
    Setting(
        "DATA_KEY",
        None,
        "Encrypts personal identity numbers and keys their blind index (32 url-safe "
        "base64 bytes). Default: generated once and kept in `instance/data_key`. "
        "Losing it makes stored identity numbers unreadable.",
    ),
    Setting(
        "INSTANCE_PATH", None, "Folder for the SQLite database and generated keys. Default: Flask's instance folder."
    ),
    Setting("DEFAULT_LOCALE", "sv", "Interface language when the user has not chosen one (`sv` or `en`)."),
    Setting("TIMEZONE", "Europe/Stockholm", "Time zone dates and times are shown in."),
    Setting("SESSION_COOKIE_SECURE", False, "Send the session cookie over HTTPS only. Turn on behind TLS.", bool),
    Setting(
        "SESSION_IDLE_MINUTES",
        30,
        "Minutes without a request after which a session ends (the page warns two minutes before).",
        int,
    ),
    Setting("SESSION_LIFETIME_HOURS", 10, "Hours after sign-in after which a session ends however busy.", int),
    Setting(
        "REQUIRE_TWO_FACTOR",
        True,
        "Admins and coordinators must sign in with a code from an authenticator app (off in `portal demo`).",
        bool,
    ),
    Setting("BASE_URL", "http://127.0.0.1:5000", "Public address used in links in e-mails."),
    Setting("PAGE_SIZE", 25, "Rows per page in lists.", int),
    Setting(
        "RATELIMIT_STORAGE_URL",
        "memory://",
        "Where sign-in attempts are counted. Several hosts must share one: `redis://host:6379/0`.",
    ),
    Setting(
        "SIGN_IN_LIMIT",
        "10 per minute;100 per hour",
        "Failed sign-ins allowed per address and per account before a pause (answered with 429).",
    ),
    Setting(
        "PROXY_COUNT",
        0,
        "Number of trusted reverse proxies in front of the portal, whose X-Forwarded-* headers "
        "give the client's address (for the sign-in limit) and the scheme.",
        int,
    ),
    Setting(
        "PLUGINS", None, "Comma-separated entry-point names of the installed plugins to load. Default: all installed."
    ),
    Setting(
        "LOG_FORMAT",
        "text",
        "`json` writes one JSON object per log line (for a log collector), identity numbers still redacted.",
    ),
    Setting("TRACE_PLUGINS", False, "Log every plugin hook call and its result.", bool),
    Setting("OFFER_EXPIRY_WORKING_DAYS", 5, "Working days a supervisor has to answer an offer.", int),
    Setting(
        "NO_OFFER_ALERT_WORKING_DAYS",
        5,
        "Working days a submitted referral may wait without an offer before the region's coordinators are alerted.",
        int,
    ),
    Setting(
        "ABSENCE_DAYS_IN_A_ROW",
        3,
        "Working days of absence in a row (any reason) after which the caseworker is told of a deviation.",
        int,
    ),
    Setting(
        "RETENTION_DAYS",
        730,
        "Days after a participant's last referral ended before `portal retention run` anonymises them.",
        int,
    ),
    Setting(
        "MATCHING_WEIGHTS",
        None,
        "Weights of the matching factors, e.g. `language=2,travel=0.5` (0 switches a factor off). "
        "Default: the weights core and plugins declare.",
    ),
    Setting("SMTP_HOST", "127.0.0.1", "Mail server the outbox worker (`portal outbox send`) delivers e-mail through."),
    Setting("SMTP_PORT", 25, "Port of the mail server (587 with STARTTLS is usual for a submission server).", int),
    Setting("SMTP_USERNAME", None, "User name for SMTP authentication. Default: no authentication."),
    Setting("SMTP_PASSWORD", None, "Password for SMTP authentication."),
    Setting(
        "SMTP_STARTTLS",
        False,
        "Upgrade the SMTP connection with STARTTLS (certificate checked) before logging in or sending.",
        bool,
    ),
    Setting(
        "MAIL_FROM",
        "Handledarportalen <noreply@handledarportalen.se>",
        "Sender of e-mail notifications; its domain also names the messages' Message-IDs.",
    ),
    Setting(
        "REPORT_MIN_COUNT",
        5,
        "Counts from 1 up to one below this are shown as `<5` (with this number) in every downloaded report, "
        "and on screen to all but the offices.",
        int,
    ),
    Setting(
        "REPORT_DOWNLOAD_PERIOD",
        "quarter",
        "The one length of period reports are downloaded for (`quarter`, `half`, `year` or `month`), each for one "
        "region and only once it has ended, so that no download can be subtracted from another (see README).",
    ),
)


def _read_or_create_key(path: Path, make) -> str:
    """Return the key stored at `path`, creating it (mode 0600) on first use.

    Creation is atomic (`O_EXCL`), so two processes starting at once agree on one key.
    """
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(make())
    return path.read_text().strip()


BACKENDS = ("postgresql", "sqlite")


def check_database_url(url: str) -> None:
    """A `SettingError` unless `url` is a PostgreSQL or SQLite address; the message does
    not repeat the address, which may hold a password."""
    from sqlalchemy.engine import make_url

    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        backend = None
    if backend not in BACKENDS:
        raise SettingError(
            "PORTAL_DATABASE_URL is not a PostgreSQL or SQLite address "
            "(postgresql://user@host/database or sqlite:///path)."
        )


def create_private_sqlite_file(url: str) -> None:
    """Create the SQLite database file readable by its owner only (0600), like the keys,
    before SQLite creates it world-readable; its WAL and shared-memory files take the
    same mode from it. An existing file is left as it is; `:memory:` has no file."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return
    if parsed.database.startswith("file:") or parsed.query.get("mode") == "memory":
        return
    path = Path(parsed.database)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def new_data_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def load(instance_path: str, overrides: dict | None = None) -> dict:
    """Build the Flask config from defaults, the environment and `overrides` (tests)."""
    overrides = dict(overrides or {})
    config: dict = {}
    for setting in SETTINGS:
        raw = os.environ.get(setting.variable)
        config[setting.key] = setting.parse(raw) if raw not in (None, "") else setting.default
    config.update(overrides)

    instance = Path(config["INSTANCE_PATH"] or instance_path)
    config["INSTANCE_PATH"] = str(instance)
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance / 'portal.sqlite3'}"
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _read_or_create_key(instance / "secret_key", lambda: secrets.token_hex(32))
    if not config["DATA_KEY"]:
        config["DATA_KEY"] = _read_or_create_key(instance / "data_key", new_data_key)

    check_database_url(config["DATABASE_URL"])
    create_private_sqlite_file(config["DATABASE_URL"])
    config["SQLALCHEMY_DATABASE_URI"] = config["DATABASE_URL"]
    config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(config)
    config["RATELIMIT_STORAGE_URI"] = config["RATELIMIT_STORAGE_URL"]
    config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    config["BABEL_DEFAULT_LOCALE"] = config["DEFAULT_LOCALE"]
    config["BABEL_DEFAULT_TIMEZONE"] = config["TIMEZONE"]
    config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    config.setdefault("PERMANENT_SESSION_LIFETIME", timedelta(hours=config["SESSION_LIFETIME_HOURS"]))
    # The cookie is sent again when the session changes (the idle clock, `web.sessions`),
    # not on every response: the server, not the cookie's expiry, ends a session.
    config.setdefault("SESSION_REFRESH_EACH_REQUEST", False)
    return config


def engine_options(config: dict) -> dict:
    """Engine options per backend: SQLite waits for locks instead of failing at once;
    PostgreSQL gets the time limits of `portal.deadlines` (which pings on checkout)."""
    from portal import deadlines

    if config["DATABASE_URL"].startswith("sqlite"):
        return {"connect_args": {"timeout": 30, "check_same_thread": False}}
    return {"connect_args": deadlines.connect_args(config), "pool_timeout": config["DATABASE_POOL_TIMEOUT"]}
