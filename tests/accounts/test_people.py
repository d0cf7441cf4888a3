"""The offices' people and authority pages: who sees whom, invitations from the page,
deactivation and role changes that end sessions, every change audited."""

import pytest
from conftest import sign_in
from queries import counting_queries
from sqlalchemy import select

from portal.models import AuditEvent, Authority, OutboxMessage, Role


def _actions(session) -> set[str]:
    return set(session.scalars(select(AuditEvent.action)))


def test_an_admin_invites_a_caseworker_from_the_page(client, session, world):
    sign_in(client, world.admin.email)
    answer = client.post(
        "/admin/users/invite",
        data={"name": "Ny Person", "email": "ny@fk.example.se", "role": "caseworker", "authority_id": world.fk.id},
    )
    assert answer.status_code == 303
    assert session.scalar(select(OutboxMessage.recipient)) == "ny@fk.example.se"
    assert "user.invite" in _actions(session)


def test_bad_invitation_fields_are_named_and_nothing_is_sent(client, session, world):
    sign_in(client, world.admin.email)
    answer = client.post("/admin/users/invite", data={"name": "", "email": "nope", "role": "caseworker"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and page.count('aria-invalid="true"') >= 3
    assert session.scalar(select(OutboxMessage.id)) is None


def test_a_coordinator_sees_and_invites_only_their_region(client, session, world):
    sign_in(client, world.coordinator.email)
    page = client.get("/admin/users").get_data(as_text=True)
    assert world.caseworker.email in page and world.other_caseworker.email not in page
    assert world.admin.email not in page
    assert client.get(f"/admin/users/{world.other_caseworker.id}").status_code == 404
    answer = client.post(
        "/admin/users/invite",
        data={"name": "X", "email": "x@skovde.example.se", "role": "caseworker", "authority_id": world.social.id},
    )
    assert answer.status_code == 403
    assert session.scalar(select(OutboxMessage.id)) is None
    assert client.post(f"/admin/users/{world.caseworker.id}/role", data={"role": "admin"}).status_code == 403
    assert client.get("/admin/authorities").status_code == 403


def test_deactivation_ends_the_persons_session_and_reactivation_lets_them_in(app, client, session, world):
    victim = app.test_client()
    sign_in(victim, world.caseworker.email)
    sign_in(client, world.coordinator.email)
    assert client.post(f"/admin/users/{world.caseworker.id}/active", data={"active": "0"}).status_code == 303
    assert victim.get("/").status_code == 302
    assert sign_in(victim, world.caseworker.email).status_code == 401
    client.post(f"/admin/users/{world.caseworker.id}/active", data={"active": "1"})
    assert sign_in(victim, world.caseworker.email).status_code == 302
    assert {"user.deactivate", "user.reactivate"} <= _actions(session)


def test_a_role_change_is_audited_and_ends_the_persons_sessions(app, client, session, world):
    victim = app.test_client()
    sign_in(victim, world.caseworker.email)
    sign_in(client, world.admin.email)
    answer = client.post(
        f"/admin/users/{world.caseworker.id}/role",
        data={"role": "coordinator", "region_id": world.region["fyrbodal"].id},
    )
    assert answer.status_code == 303
    session.refresh(world.caseworker)
    assert world.caseworker.role == Role.COORDINATOR and world.caseworker.authority_id is None
    assert victim.get("/").status_code == 302
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "user.role"))
    assert event.detail.endswith(f"caseworker/{world.fk.id}/->coordinator/-/{world.region['fyrbodal'].id}")


def test_a_role_change_with_a_missing_authority_changes_nothing(client, session, world):
    sign_in(client, world.admin.email)
    answer = client.post(f"/admin/users/{world.coordinator.id}/role", data={"role": "caseworker"})
    assert answer.status_code == 400
    session.refresh(world.coordinator)
    assert world.coordinator.role == Role.COORDINATOR


def test_an_admin_adds_and_changes_an_authority(client, session, world):
    sign_in(client, world.admin.email)
    municipality = world.municipality["Uddevalla"]
    data = {"name": "Arbetsförmedlingen Uddevalla", "kind": "arbetsformedlingen", "municipality_id": municipality.id}
    assert client.post("/admin/authorities/new", data=data).status_code == 303
    authority = session.scalar(select(Authority).where(Authority.name == data["name"]))
    again = client.post("/admin/authorities/new", data=data)
    assert again.status_code == 400 and "redan en myndighet" in again.get_data(as_text=True)
    changed = {**data, "name": "Arbetsförmedlingen Norra Bohuslän"}
    assert client.post(f"/admin/authorities/{authority.id}", data=changed).status_code == 303
    session.refresh(authority)
    assert authority.name == "Arbetsförmedlingen Norra Bohuslän"
    assert {"authority.create", "authority.change"} <= _actions(session)
    assert "Arbetsförmedlingen Norra Bohuslän" in client.get("/admin/authorities?q=Norra").get_data(as_text=True)


def test_caseworkers_and_supervisors_reach_none_of_it(client, world):
    for email in (world.caseworker.email, world.supervisor_user.email):
        sign_in(client, email)
        for path in ("/admin/users", "/admin/users/invite", "/admin/authorities", "/admin/authorities/new", "/audit"):
            assert client.get(path).status_code == 403, (email, path)
        client.post("/sign-out")


def _add_caseworkers(session, world, count, start=0):
    from portal.models import User

    session.rollback()
    session.add_all(
        User(email=f"cw{n}@fk.example.se", name=f"Cw {n}", role="caseworker", authority=world.fk, password_hash="")
        for n in range(start, start + count)
    )
    session.commit()


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_the_people_page_runs_the_same_number_of_queries_at_any_size(app, client, session, world, role):
    sign_in(client, getattr(world, role).email)
    _add_caseworkers(session, world, 2)
    with counting_queries(app) as small:
        assert client.get("/admin/users").status_code == 200
    _add_caseworkers(session, world, 40, start=2)
    with counting_queries(app) as large:
        assert client.get("/admin/users").status_code == 200
    assert len(small) == len(large), "\n".join(large)


def test_a_supervisors_role_is_not_changed_here(client, session, world):
    sign_in(client, world.admin.email)
    answer = client.post(f"/admin/users/{world.supervisor_user.id}/role", data={"role": "admin"})
    assert answer.status_code == 400
    session.refresh(world.supervisor_user)
    assert world.supervisor_user.role == Role.SUPERVISOR
