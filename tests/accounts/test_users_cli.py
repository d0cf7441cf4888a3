"""`portal users create`: admins create accounts; bad input is named and nothing is written."""

import pytest
from sqlalchemy import func, select

from portal.models import User


def create(runner, *arguments):
    return runner.invoke(args=["users", "create", *arguments])


def count_users(session):
    session.rollback()
    return session.scalar(select(func.count()).select_from(User))


def test_creates_an_admin_who_can_sign_in(runner, client, session):
    result = create(
        runner,
        "--email",
        "Ny.Admin@Example.se",
        "--name",
        "Ny Admin",
        "--role",
        "admin",
        "--password",
        "a long enough password",
    )
    assert result.exit_code == 0, result.output
    assert "Created admin ny.admin@example.se" in result.output
    response = client.post("/sign-in", data={"email": "ny.admin@example.se", "password": "a long enough password"})
    assert response.status_code == 302


def test_password_is_stored_hashed_with_scrypt(runner, session):
    create(runner, "--email", "a@example.se", "--name", "A", "--role", "admin", "--password", "a long enough password")
    stored = session.scalar(select(User.password_hash))
    assert stored.startswith("scrypt:") and "a long enough password" not in stored


def test_caseworker_needs_an_existing_authority(runner, session, world):
    before = count_users(session)
    result = create(
        runner,
        "--email",
        "c@example.se",
        "--name",
        "C",
        "--role",
        "caseworker",
        "--authority-id",
        "999999",
        "--password",
        "a long enough password",
    )
    assert result.exit_code == 2
    assert "authority" in result.output
    assert count_users(session) == before


def test_caseworker_is_created_at_their_authority(runner, session, world):
    result = create(
        runner,
        "--email",
        "c@example.se",
        "--name",
        "C",
        "--role",
        "caseworker",
        "--authority-id",
        str(world.fk.id),
        "--password",
        "a long enough password",
    )
    assert result.exit_code == 0, result.output
    session.rollback()
    assert session.scalar(select(User.authority_id).where(User.email == "c@example.se")) == world.fk.id


def test_coordinator_needs_a_known_region(runner, session, world):
    result = create(
        runner,
        "--email",
        "s@example.se",
        "--name",
        "S",
        "--role",
        "coordinator",
        "--region",
        "atlantis",
        "--password",
        "a long enough password",
    )
    assert result.exit_code == 2 and "region" in result.output
    ok = create(
        runner,
        "--email",
        "s@example.se",
        "--name",
        "S",
        "--role",
        "coordinator",
        "--region",
        "skaraborg",
        "--password",
        "a long enough password",
    )
    assert ok.exit_code == 0, ok.output


@pytest.mark.parametrize(
    "arguments, field",
    [
        (["--email", "not-an-address"], "email"),
        (["--password", "short"], "password"),
        (["--name", "   "], "name"),
    ],
)
def test_bad_fields_are_named_and_nothing_is_written(runner, session, arguments, field):
    base = {"--email": "x@example.se", "--name": "X", "--password": "a long enough password"}
    base.update(dict(zip(arguments[::2], arguments[1::2], strict=False)))
    flat = [item for pair in base.items() for item in pair]
    result = create(runner, *flat, "--role", "admin")
    assert result.exit_code == 2
    assert f"Error: {field}:" in result.output
    assert count_users(session) == 0


def test_duplicate_address_is_refused(runner, session):
    arguments = ["--email", "d@example.se", "--name", "D", "--role", "admin", "--password", "a long enough password"]
    assert create(runner, *arguments).exit_code == 0
    result = create(runner, *arguments[:1], "D@EXAMPLE.SE", *arguments[2:])
    assert result.exit_code == 2 and "Det finns redan en användare" in result.output
    assert count_users(session) == 1


def test_unknown_role_is_refused_by_the_command_line(runner):
    result = create(runner, "--email", "r@example.se", "--name", "R", "--role", "king", "--password", "x" * 12)
    assert result.exit_code == 2 and "king" in result.output
