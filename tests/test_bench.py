"""The benchmark's data generator keeps working: a tiny scale, on both databases, ranked."""

from pathlib import Path

import pytest
from conftest import password_hash
from sqlalchemy import func, select

from portal.domain.matching.filters import candidates_query
from portal.domain.matching.page import referral_for_matching
from portal.domain.matching.ranking import rank
from portal.extensions import db
from portal.models import Placement, PlacementState, Referral, Supervisor, User

ROOT = Path(__file__).parents[1]


@pytest.fixture
def bench(monkeypatch):
    """The `bench` package, importable from the repository root."""
    monkeypatch.syspath_prepend(str(ROOT))
    import bench.generate

    return bench.generate


def test_the_generator_fills_a_database_that_keeps_the_portal_s_rules(app, bench):
    scale = bench.SCALES["tiny"]
    with app.app_context(), db.engine.begin() as connection:
        counts = bench.generate(connection, scale, password_hash=password_hash())
    assert counts["referral"] == scale.referrals and counts["supervisor"] == scale.supervisors
    assert counts["municipality"] == scale.municipalities and counts["region"] == scale.regions
    with app.app_context():
        session = db.session
        over_capacity = session.scalar(
            select(func.count()).select_from(
                select(Supervisor.id)
                .join(Placement, Placement.supervisor_id == Supervisor.id)
                .where(Placement.state.in_((PlacementState.PLANNED, PlacementState.ACTIVE)))
                .group_by(Supervisor.id, Supervisor.capacity)
                .having(func.count() > Supervisor.capacity)
                .subquery()
            )
        )
        assert over_capacity == 0
        elsewhere = (
            select(func.count())
            .select_from(Placement)
            .join(Referral, Referral.id == Placement.referral_id)
            .where(Placement.authority_id != Referral.authority_id)
        )
        assert session.scalar(elsewhere) == 0  # continuity counts from the placement's own authority
        assert session.scalar(select(func.count()).where(Referral.state == "matching")) > 0
        for supervisor in session.scalars(select(Supervisor)):  # the copies matching reads, written with the codes
            cooperative = supervisor.cooperative
            assert (_codes(supervisor.specialty_codes), _codes(supervisor.language_codes)) == (
                supervisor.specialties,
                supervisor.languages,
            )
            assert (_codes(cooperative.trade_codes), _codes(cooperative.accessibility_codes)) == (
                cooperative.trades,
                cooperative.accessibility,
            )
            assert supervisor.accessibility_codes is None and not supervisor.accessibility
        session.remove()


def _codes(copy: str | None) -> set[str]:
    return set(copy.split(",")) if copy else set()


def test_generated_referrals_can_be_ranked_and_the_next_run_inserts_after_them(app, bench):
    with app.app_context(), db.engine.begin() as connection:
        bench.generate(connection, bench.SCALES["tiny"], password_hash=password_hash())
    with app.app_context():
        session = db.session
        admin = session.scalar(select(User).where(User.role == "admin"))
        for referral_id in session.scalars(select(Referral.id).where(Referral.state == "matching")):
            referral = referral_for_matching(session, admin, referral_id)
            bare = session.execute(*candidates_query(referral)).all()
            assert len(rank(session, app.extensions["portal.engine"], referral)) == len(bare)
        session.add(User(email="after@bench.example", name="After", role="admin", password_hash="x"))
        session.commit()  # ids continue after the generated rows (PostgreSQL's sequences were moved on)
        session.remove()


def test_migration_0012_gives_existing_placements_their_referral_s_authority(tmp_path, bench):
    """An office upgrading with placements already made finds each one's authority filled in."""
    from conftest import make_settings
    from flask_migrate import downgrade, upgrade

    from portal import create_app

    app = create_app(make_settings(f"sqlite:///{tmp_path / 'backfill.sqlite3'}", tmp_path))
    with app.app_context():
        upgrade()
        with db.engine.begin() as connection:
            bench.generate(connection, bench.SCALES["tiny"], password_hash=password_hash())
        downgrade(revision="0011")
        upgrade()
        placements = db.session.execute(
            select(Placement.authority_id, Referral.authority_id).join(Referral, Referral.id == Placement.referral_id)
        ).all()
        db.session.remove()
        db.engine.dispose()
    assert placements and all(ours == theirs for ours, theirs in placements)


def test_the_matching_and_report_benchmarks_run_at_a_tiny_scale(app, database_url, bench):
    """`make bench` runs at national scale only by hand; here its modules at least run."""
    from werkzeug.security import generate_password_hash

    from bench import matching, reports

    signs_in = generate_password_hash(bench.BENCH_PASSWORD, method="pbkdf2:sha256:1000")  # as the match page's user
    with app.app_context(), db.engine.begin() as connection:
        bench.generate(connection, bench.SCALES["tiny"], password_hash=signs_in)
    measured, page = matching.measure(database_url, "tiny", "any", 1, 1, log=lambda message: None)
    assert measured and all(row.bare_ms > 0 and row.rank_ms > 0 for row in measured)
    assert page.queries > 0
    figures = reports.run(database_url, "2025", None, 1, log=lambda message: None)
    assert figures["referrals"] == bench.SCALES["tiny"].referrals and figures["queries"] > 0
    assert "3R report, every region" in reports.report(figures)


def test_the_mix_sends_every_kind_in_proportion_and_tells_errors(bench):
    from bench import mix

    requests = mix.plan(2_000, {"referral": 7, "matching": 8, "quarter": "2026-Q3"})
    kinds = {kind for kind, _role, _path in requests}
    assert len(requests) == 2_000 and kinds == set(mix.KINDS)
    assert ("referral", "caseworker", "/referrals/7") in requests
    shown = mix.table({"home": [0.01, 0.02, 0.03]}, {"home": 1}, 1.0)
    assert "| home | 3 | 1 | 20 / " in shown
