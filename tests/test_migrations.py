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
