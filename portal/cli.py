"""The `portal` command: Flask's commands plus the portal's own (also under `flask --app portal`)."""

from __future__ import annotations

import os

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from . import backup
from .config import SettingError
from .extensions import db
from .plugin_tools import commands as plugin_commands


def register_commands(app: Flask) -> None:
    app.cli.add_command(demo)
    app.cli.add_command(users)
    app.cli.add_command(geography)
    app.cli.add_command(offers)
    app.cli.add_command(worker)
    app.cli.add_command(retention)
    app.cli.add_command(reports)
    app.cli.add_command(outbox)
    app.cli.add_command(plugin_commands.plugins)
    app.cli.add_command(plugin_commands.plugin)
    app.cli.add_command(backup.backup_command)
    app.cli.add_command(backup.restore_command)


def main() -> None:
    from . import create_app

    group = FlaskGroup(create_app=create_app, help="Handledarportalen: run, migrate and administer the portal.")
    group.add_command(plugin_commands.plugin)  # the authors' tools need no database: no app is built for them
    try:
        group()
    except SettingError as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from None
    except DBAPIError as error:
        line = database_problem(error)
        if line is None:
            raise
        click.echo(line, err=True)
        raise SystemExit(1) from None


NOT_REACHED = (
    "Cannot reach the database at {where} (PORTAL_DATABASE_URL): start it or correct the setting, "
    "then run the command again."
)
NOT_UP_TO_DATE = (
    "The database is not up to date for this version: run `portal db upgrade` "
    "(on a new database then `portal geography load`)."
)


def database_problem(error: DBAPIError) -> str | None:
    """One line for an operator instead of a traceback, when a command meets a database
    that is down or not migrated; None for anything else (a real defect keeps its
    traceback). The address is shown without its password."""
    text = str(error.orig).lower()
    state = getattr(error.orig, "sqlstate", None)  # PostgreSQL's error code; None on SQLite
    if state in ("42P01", "42703") or text.startswith(("no such table", "no such column")):
        return NOT_UP_TO_DATE
    if isinstance(error, OperationalError) and (state is None or state.startswith("08")) and "locked" not in text:
        setting = os.environ.get("PORTAL_DATABASE_URL")
        where = (
            make_url(setting).render_as_string(hide_password=True) if setting else "the instance folder's SQLite file"
        )
        return NOT_REACHED.format(where=where)
    return None


@click.group()
def geography() -> None:
    """Regions and municipalities."""


@geography.command("load")
@with_appcontext
def geography_load() -> None:
    """Load or update the 43 municipalities and their regions (idempotent)."""
    from portal.domain import geography as reference

    count = reference.load(db.session)
    db.session.commit()
    click.echo(f"{count} municipalities loaded.")


@click.group()
def users() -> None:
    """Manage user accounts."""


@users.command("create")
@click.option("--email", required=True, help="Sign-in address.")
@click.option("--name", required=True, help="Full name.")
@click.option("--role", required=True, type=click.Choice(["caseworker", "supervisor", "coordinator", "admin"]))
@click.option("--authority-id", type=int, help="Authority of a caseworker (see the admin pages).")
@click.option("--region", "region_code", help="Region code of a coordinator, e.g. fyrbodal.")
@click.option(
    "--gender",
    default="not_stated",
    type=click.Choice(["woman", "man", "not_stated"]),
    help="For the 3R gender-equality follow-up.",
)
@click.password_option(help="At least 12 characters; asked for when left out.")
@with_appcontext
def users_create(email, name, role, authority_id, region_code, gender, password) -> None:
    """Create a user account."""
    from portal.domain.accounts.users import create_user
    from portal.domain.errors import InvalidInput

    try:
        user = create_user(
            db.session,
            email=email,
            name=name,
            role=role,
            password=password,
            authority_id=authority_id,
            region_code=region_code,
            gender=gender,
        )
        db.session.commit()
    except InvalidInput as error:
        db.session.rollback()
        for field, message in error.errors.items():
            click.echo(f"Error: {field}: {message}", err=True)
        raise SystemExit(2) from None
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--serve/--no-serve", default=True, help="Only build the database with --no-serve.")
@with_appcontext
def demo(host: str, port: int, serve: bool) -> None:
    """Build or upgrade the database, load demo data (once) and serve the portal."""
    from flask_migrate import upgrade

    from portal.demo import data as demo_data
    from portal.demo import regions

    upgrade()
    if not os.environ.get("PORTAL_REQUIRE_TWO_FACTOR"):
        current_app.config["REQUIRE_TWO_FACTOR"] = False  # the demo's shared password is the point
    fresh = not demo_data.loaded(db.session)
    workflows = [workflow.key for workflow in current_app.extensions["portal.engine"].registry]
    logins = demo_data.load(db.session, current_app.extensions["portal.vault"], workflows=workflows)
    db.session.commit()
    if fresh:
        for plugin, region in regions.enable_regional_plugins(db.session, current_app.extensions["portal.plugins"]):
            db.session.commit()
            click.echo(f"Enabled the plugin {plugin} in {region}.")
    click.echo(f"Handledarportalen demo: http://{host}:{port}/")
    click.echo(f"Sign in with password {demo_data.DEMO_PASSWORD!r} as:")
    for role, email in logins.items():
        click.echo(f"  {role:<12} {email}")
    numbers = demo_data.free_test_numbers(db.session, current_app.extensions["portal.vault"])
    click.echo(f"Test personnummer no demo participant has: {', '.join(numbers)}")
    if serve:  # Flask refuses app.run() inside its own CLI, so serve with werkzeug directly
        from werkzeug.serving import run_simple

        run_simple(host, port, current_app._get_current_object(), threaded=True)


@click.group()
def outbox() -> None:
    """The e-mail outbox of notifications."""


def _interval_option(help: str):
    """The loop's pause, the same for the outbox worker and the combined worker."""
    return click.option("--interval", default=10.0, show_default=True, type=click.FloatRange(min=0.01), help=help)


@outbox.command("send")
@click.option("--loop", is_flag=True, help="Keep sending until stopped (SIGTERM or Ctrl-C): run as the worker.")
@_interval_option("Seconds to wait between rounds with --loop.")
@click.option(
    "--batch", default=50, show_default=True, type=click.IntRange(min=1), help="At most this many messages per round."
)
@with_appcontext
def outbox_send(loop: bool, interval: float, batch: int) -> None:
    """Send the e-mails that are due: once, or with --loop as a worker.

    A stop signal lets the message being sent finish; nothing is lost either way.
    """
    task = _outbox_task(batch)
    if not loop:
        click.echo(task().line)
        return
    _loop([task], interval, "Outbox worker")


@click.group()
def offers() -> None:
    """Offers to supervisors."""


@offers.command("expire")
@with_appcontext
def offers_expire() -> None:
    """Expire overdue offers and remind supervisors a day before expiry (once; see `portal worker`)."""
    for task in _offer_tasks():
        click.echo(task().line)


@click.group()
def retention() -> None:
    """Retention (gallring) of closed cases."""


@retention.command("run")
@with_appcontext
def retention_run() -> None:
    """Anonymise participants whose last referral ended more than PORTAL_RETENTION_DAYS ago
    (run daily, e.g. from cron); then drop the stored report figures no longer valid and
    the log of changes no stored figure needs (`reports.stored.compact`), which would
    otherwise grow with every write."""
    from portal.domain.participants import retention as rules
    from portal.domain.reports import stored

    count = rules.run(db.session, current_app.config["RETENTION_DAYS"])
    click.echo(f"Anonymised {count} participants.")
    dropped, deleted = stored.compact(db.session)
    click.echo(f"Stored report figures: {dropped} no longer valid dropped, {deleted} logged changes deleted.")


@click.group()
def reports() -> None:
    """Reports."""


@reports.command("refresh")
@with_appcontext
def reports_refresh() -> None:
    """Build again every closed period's report read in the last 30 days whose figures a
    write made stale, so that its next reader finds them stored (once; see `portal worker`)."""
    task = _refresh_task()
    while (outcome := task()).more:
        click.echo(outcome.line)
    click.echo(outcome.line)


@click.command()
@_interval_option("Seconds to wait between rounds.")
@with_appcontext
def worker(interval: float) -> None:
    """Run the background work in a loop: expire offers, send reminders and e-mails, and
    build again the reports whose figures a write made stale."""
    _loop([*_offer_tasks(), _outbox_task(50), _refresh_task()], interval, "Worker")


def _offer_tasks():
    from portal.domain.referrals import no_offer, offer_timers

    from .worker import Outcome

    engine = current_app.extensions["portal.engine"]

    def expire():
        count = offer_timers.expire_overdue(db.session, engine)
        return Outcome(f"Expired {count} offers.", changed=bool(count))

    def remind():
        count = offer_timers.remind_expiring(db.session, engine)
        return Outcome(f"Reminded {count} supervisors.", changed=bool(count))

    def alert():
        count = no_offer.alert_waiting(db.session, engine)
        return Outcome(f"Alerted coordinators about {count} referrals without an offer.", changed=bool(count))

    return [expire, remind, alert]


def _refresh_task():
    from portal.domain.calendar import local_today
    from portal.domain.reports.refresh import refresh

    from .worker import Outcome

    catalogue, zone = current_app.extensions["portal.reports"], current_app.config["TIMEZONE"]

    def rebuild():
        built, more = refresh(db.session, catalogue, local_today(), zone)
        return Outcome(f"Reports built again after a write: {built}.", changed=bool(built), more=more)

    return rebuild


def _outbox_task(batch: int):
    from portal.domain.notifications.outbox import MailerSettings, send_due

    from .worker import Outcome

    mailer = MailerSettings.from_config(current_app.config)

    def send():
        report = send_due(db.session, mailer, batch=batch)
        return Outcome(
            f"Sent {report.sent}, failed {report.failed}, remaining {report.remaining}.",
            changed=bool(report.sent or report.failed),
            more=report.sent + report.failed >= batch,
        )

    return send


def _loop(tasks, interval: float, name: str) -> None:
    from . import worker as loop

    click.echo(f"{name} started: every {interval:g} s.")
    loop.run(tasks, interval=interval, echo=click.echo, on_database_error=db.session.rollback)
    click.echo(f"{name} stopped.")
