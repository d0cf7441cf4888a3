"""The `portal` command: Flask's commands plus the portal's own (also under `flask --app portal`)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from .extensions import db


def register_commands(app: Flask) -> None:
    app.cli.add_command(demo)
    app.cli.add_command(users)
    app.cli.add_command(geography)


def main() -> None:
    from . import create_app

    FlaskGroup(create_app=create_app, help="Handledarportalen: run, migrate and administer the portal.")()


@click.group()
def geography() -> None:
    """Regions and municipalities."""


@geography.command("load")
@with_appcontext
def geography_load() -> None:
    """Load or update the 43 municipalities and their regions (idempotent)."""
    from .domain import geography as reference

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
@click.option("--gender", default="not_stated", type=click.Choice(["woman", "man", "not_stated"]),
              help="For the 3R gender-equality follow-up.")
@click.password_option(help="At least 12 characters; asked for when left out.")
@with_appcontext
def users_create(email, name, role, authority_id, region_code, gender, password) -> None:
    """Create a user account."""
    from .domain.users import UserError, create_user

    try:
        user = create_user(db.session, email=email, name=name, role=role, password=password,
                           authority_id=authority_id, region_code=region_code, gender=gender)
        db.session.commit()
    except UserError as error:
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

    from .domain import demo as demo_data

    upgrade()
    logins = demo_data.load(db.session, current_app.extensions["portal.vault"])
    db.session.commit()
    click.echo(f"Handledarportalen demo: http://{host}:{port}/")
    click.echo(f"Sign in with password {demo_data.DEMO_PASSWORD!r} as:")
    for role, email in logins.items():
        click.echo(f"  {role:<12} {email}")
    if serve:
        current_app.run(host=host, port=port, debug=False, use_reloader=False)
