"""`portal backup` and `portal restore` on both databases: back up, change, restore, and
find the data as it was (SQLite's online backup API; pg_dump/pg_restore on PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.models import Participant, User


def test_backup_change_restore_gives_the_data_back(app, runner, session, world, person, tmp_path):
    participant_id = person().id
    before = (session.scalar(select(func.count()).select_from(User)), "Kim")
    target = tmp_path / "portal.backup"

    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0

    session.get(Participant, participant_id).given_name = "Ändrad"
    session.delete(session.get(User, world.admin.id))
    session.commit()
    session.close()

    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert (
        session.scalar(select(func.count()).select_from(User)),
        session.get(Participant, participant_id).given_name,
    ) == before


def test_restore_refuses_a_missing_file_and_asks_first(runner, tmp_path):
    assert "does not exist" in runner.invoke(args=["restore", str(tmp_path / "none"), "--yes"]).output
    result = runner.invoke(args=["restore", str(tmp_path / "none")], input="n\n")
    assert result.exit_code != 0 and "Continue?" in result.output
