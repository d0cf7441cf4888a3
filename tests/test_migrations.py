"""The migrations build exactly the schema the models describe, on both backends."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from portal.extensions import db


def test_autogenerate_finds_no_difference_after_upgrade(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_upgrade_builds_every_table_with_its_constraints(app):
    with app.app_context():
        inspector = inspect(db.engine)
        tables = set(inspector.get_table_names())
        checks = {check["name"] for check in inspector.get_check_constraints("referral")}
    assert set(db.metadata.tables) <= tables
    assert "ck_referral_hours_per_week_range" in checks


def test_downgrade_and_upgrade_again_round_trip(tmp_path):
    """Every revision can be undone, so an office can roll back a failed upgrade."""
    from conftest import make_settings
    from flask_migrate import downgrade, upgrade

    from portal import create_app

    app = create_app(make_settings(f"sqlite:///{tmp_path / 'roundtrip.sqlite3'}", tmp_path))
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]
        upgrade()
        assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()


def test_0019_fills_the_copies_of_the_participants_gender_and_undoes_them(app, session, world):
    """Downgraded to 0018 and upgraded again, every referral and offer holds its
    participant's gender, read from the participant (the copy was dropped in between)."""
    import report_data
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    report_data.build(session, world)
    session.close()
    copies = {
        "referral": "SELECT r.participant_gender, p.gender FROM referral r JOIN participant p ON p.id = r.participant_id",
        "offer": "SELECT o.participant_gender, p.gender FROM offer o JOIN referral r ON r.id = o.referral_id "
        "JOIN participant p ON p.id = r.participant_id",
    }
    with app.app_context():
        downgrade(revision="0018")
        assert not any(
            column["name"] == "participant_gender"
            for table in copies
            for column in inspect(db.engine).get_columns(table)
        )
        upgrade()
        with db.engine.connect() as connection:
            found = {table: connection.execute(text(sql)).all() for table, sql in copies.items()}
        db.engine.dispose()
    assert len(found["referral"]) == 7 and len(found["offer"]) == 7
    assert {copy for rows in found.values() for copy, _gender in rows} == {"woman", "man", "not_stated"}
    assert all(copy == gender for rows in found.values() for copy, gender in rows)


def test_0020_fills_the_copies_of_the_directory_s_codes_and_undoes_them(app, session, world):
    """Downgraded to 0019 and upgraded again, every supervisor and cooperative holds a copy
    of each of its code sets, read from the code tables (the copies were dropped in between)."""
    from flask_migrate import downgrade, upgrade
    from matching_world import add_supervisor
    from sqlalchemy import text

    add_supervisor(
        session,
        world,
        "Many codes",
        languages=("sv", "ar", "fi"),
        specialties=("mental_health", "substance_use"),
        trades=("cafe", "bakery"),
        accessibility=("step_free",),
    ).accessibility = {"flexible_hours", "quiet_room"}
    session.commit()
    add_supervisor(session, world, "Few codes", languages=())
    session.close()
    copies = (  # (owner table, copy column, code table)
        ("supervisor", "specialty_codes", "supervisor_specialty"),
        ("supervisor", "language_codes", "supervisor_language"),
        ("supervisor", "accessibility_codes", "supervisor_accessibility"),
        ("cooperative", "trade_codes", "cooperative_trade"),
        ("cooperative", "accessibility_codes", "cooperative_accessibility"),
    )

    def read(connection, owner, column, code_table):
        codes = {}
        for owner_id, code in connection.execute(text(f"SELECT {owner}_id, code FROM {code_table}")):
            codes.setdefault(owner_id, set()).add(code)
        copied = {
            owner_id: set(copy.split(",")) if copy else set()
            for owner_id, copy in connection.execute(text(f"SELECT id, {column} FROM {owner}"))
        }
        return copied, {owner_id: codes.get(owner_id, set()) for owner_id in copied}

    with app.app_context():
        downgrade(revision="0019")
        assert not any(
            column["name"] == copy for owner, copy, _table in copies for column in inspect(db.engine).get_columns(owner)
        )
        upgrade()
        with db.engine.connect() as connection:
            found = [read(connection, *copy) for copy in copies]
        db.engine.dispose()
    assert all(copied == recorded for copied, recorded in found)
    assert {"flexible_hours", "quiet_room"} in found[2][0].values() and set() in found[1][0].values()
    assert {"bakery", "cafe"} in found[3][0].values()
