"""A referral keeps the workflow it started under: enabling, disabling or upgrading a
plugin strands nothing; removing one leaves referrals an office moves, with a note."""

import pytest
from flows import submitted
from sample_plugins import Review, with_review
from sqlalchemy import select

from portal.domain.plugins import enabling as plugin_admin
from portal.domain.referrals import actions as referrals
from portal.domain.referrals import stranded
from portal.domain.referrals.transitions import Refused
from portal.hookspecs import hookimpl
from portal.models import AuditEvent, Referral, Transition
from portal.testing import sign_in


def run(make_app, **kwargs):
    app = make_app(**kwargs, DEFAULT_LOCALE="en")
    return app, app.extensions["portal.engine"]


def open_referral(session, engine, vault, world):
    referral = submitted(session, engine, vault, world)
    session.rollback()
    return session.get(Referral, referral.id)


def test_enabling_a_plugin_strands_no_referral_running_under_the_default_workflow(
    make_app, session, vault, world, certified
):
    app, engine = run(make_app, plugins={"review": Review})
    referral = open_referral(session, engine, vault, world)
    assert (referral.workflow_name, referral.state) == ("default", "matching")
    plugin_admin.enable(session, app.extensions["portal.plugins"], world.admin, "review", "fyrbodal")
    session.commit()
    assert stranded.listing(session, engine.registry, world.admin) == []
    referrals.offer(session, engine, world.caseworker, referral.id, [certified.id])  # it runs on as before
    session.commit()
    assert referral.state == "offered"
    newer = submitted(session, engine, vault, world, number="200001011493", caseworker=world.caseworker)
    assert (newer.workflow_name, newer.state) == ("review", "review")


def test_disabling_a_plugin_lets_its_referrals_run_to_their_end_under_its_workflow(make_app, session, vault, world):
    app, engine = run(make_app, plugins={"review": Review}, enabled={"fyrbodal": ["review"]})
    referral = open_referral(session, engine, vault, world)
    plugin_admin.disable(session, app.extensions["portal.plugins"], world.admin, "review", "fyrbodal")
    session.commit()
    referrals.act(session, engine, world.coordinator, referral.id, "approve")
    session.commit()
    assert (referral.workflow_name, referral.state) == ("review", "matching")
    assert stranded.listing(session, engine.registry, world.admin) == []


class Upgraded:
    """Review, upgraded: version 2 for new referrals, version 1 still declared."""

    @staticmethod
    @hookimpl
    def portal_workflows():
        return [with_review(1), with_review(2)]

    portal_region_workflow = staticmethod(Review.portal_region_workflow)


def test_after_an_upgrade_old_referrals_keep_their_version_and_new_ones_take_the_latest(
    make_app, session, vault, world
):
    _before, engine = run(make_app, plugins={"review": Review}, enabled={"fyrbodal": ["review"]})
    old = open_referral(session, engine, vault, world)
    _after, engine = run(make_app, plugins={"review": Upgraded}, enabled={"fyrbodal": ["review"]})
    new = submitted(session, engine, vault, world, number="200001011493")
    assert (old.workflow_version, new.workflow_version) == (1, 2)
    referrals.act(session, engine, world.coordinator, old.id, "approve")
    session.commit()
    assert old.state == "matching"


@pytest.fixture
def orphan(make_app, session, vault, world):
    """A referral under the review workflow, in a portal where the plugin has been removed."""
    app, engine = run(make_app, plugins={"review": Review}, enabled={"fyrbodal": ["review"]})
    referral = open_referral(session, engine, vault, world)
    app, engine = run(make_app)
    return app, engine, referral


def test_removing_a_plugin_lists_its_open_referrals_for_a_decision(orphan, session, world):
    app, engine, referral = orphan
    assert [r.id for r in stranded.listing(session, engine.registry, world.admin)] == [referral.id]
    assert [r.id for r in stranded.listing(session, engine.registry, world.coordinator)] == [referral.id]
    assert stranded.listing(session, engine.registry, world.caseworker) == []
    client = app.test_client()
    sign_in(client, world.admin.email)
    page = client.get("/admin/referrals/stranded").get_data(as_text=True)
    assert f"Referral {referral.id}" in page and "review, version 1" in page
    assert "1 referral runs under a workflow that is no longer installed" in client.get("/admin/plugins").get_data(
        as_text=True
    )


def test_a_stranded_referral_still_shows_with_a_warning_and_offers_no_step(orphan, world):
    app, _engine, referral = orphan
    client = app.test_client()
    sign_in(client, world.coordinator.email)
    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "which is no longer installed" in page and 'action="/referrals/' not in page
    assert client.post(f"/referrals/{referral.id}/act/approve").status_code == 409


def test_an_office_moves_a_stranded_referral_with_a_note_on_its_timeline(orphan, session, world):
    app, engine, referral = orphan
    client = app.test_client()
    sign_in(client, world.coordinator.email)
    prefix = f"r{referral.id}-"
    response = client.post(f"/admin/referrals/{referral.id}/migrate", data={prefix + "state": "matching"})
    assert response.status_code == 303 and stranded.is_stranded(engine.registry, _reload(session, referral))
    client.post(
        f"/admin/referrals/{referral.id}/migrate",
        data={prefix + "state": "matching", prefix + "note": "Granskningen görs inte längre."},
    )
    moved = _reload(session, referral)
    assert (moved.workflow_name, moved.workflow_version, moved.state) == ("default", 1, "matching")
    step = session.scalars(
        select(Transition).where(Transition.referral_id == referral.id).order_by(Transition.id.desc())
    ).first()
    assert (step.name, step.from_state, step.to_state, step.actor_id, step.note) == (
        "migrate",
        "review",
        "matching",
        world.coordinator.id,
        "Granskningen görs inte längre.",
    )
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "referral.migrate")).one()
    assert audit.detail == "from=review/1:review to=default/1:matching"
    assert "Moved to another workflow" in client.get(f"/referrals/{referral.id}").get_data(as_text=True)


def test_moving_to_a_step_the_portal_leaves_at_once_follows_it(orphan, session, world):
    _app, engine, referral = orphan
    stranded.move(session, engine, world.admin, referral.id, "submitted", "Åter till början.")
    session.commit()
    assert referral.state == "matching"  # the default workflow starts matching by itself


def test_only_stranded_referrals_move_and_only_to_a_step_of_the_regions_workflow(orphan, session, world):
    from portal.domain.errors import InvalidInput

    _app, engine, referral = orphan
    with pytest.raises(InvalidInput):
        stranded.move(session, engine, world.admin, referral.id, "review", "Finns inte.")
    session.rollback()
    stranded.move(session, engine, world.admin, referral.id, "matching", "Flyttad.")
    session.commit()
    with pytest.raises(Refused) as refused:
        stranded.move(session, engine, world.admin, referral.id, "draft", "Igen.")
    assert refused.value.status == 409
    session.rollback()
    with pytest.raises(Refused) as refused:
        stranded.move(session, engine, world.caseworker, referral.id, "draft", "Inte min.")
    assert refused.value.status == 404


def test_a_referral_in_a_state_its_workflow_does_not_have_is_stranded(make_app, session, vault, world):
    _app, engine = run(make_app)
    referral = open_referral(session, engine, vault, world)
    referral.state = "review"
    session.commit()
    assert [r.id for r in stranded.listing(session, engine.registry, world.admin)] == [referral.id]


def _reload(session, referral):
    session.rollback()
    return session.get(Referral, referral.id)
