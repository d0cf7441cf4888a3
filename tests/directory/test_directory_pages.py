"""The directory's pages: the offices keep their region's cooperatives and supervisors,
caseworkers read their region's active ones, bad input changes nothing, every change is audited."""

from datetime import timedelta

import pytest
from conftest import sign_in
from sqlalchemy import func, select

from portal.domain.calendar import local_today
from portal.models import AuditEvent, Cooperative, OutboxMessage, Supervisor, User

NEW = {
    "name": "Kooperativet Ängen",
    "organisation_number": "769600-1234",
    "contact_name": "Eva Ek",
    "email": "kontakt@angen.example.se",
    "phone": "0520-123 45",
    "trades": ["cafe", "gardening"],
    "accessibility": ["step_free"],
}


def count(session, model, *conditions):
    session.rollback()  # a new snapshot: what the requests committed
    return session.scalar(select(func.count()).select_from(model).where(*conditions))


def actions(session):
    session.rollback()
    return [row for row in session.scalars(select(AuditEvent.action).order_by(AuditEvent.id))]


def test_a_coordinator_adds_a_cooperative_of_their_region_and_it_is_audited(client, session, world):
    sign_in(client, world.coordinator.email)
    response = client.post(
        "/directory/cooperatives/new", data={**NEW, "municipality_id": world.municipality["Uddevalla"].id}
    )
    assert response.status_code == 303
    session.rollback()
    cooperative = session.scalar(select(Cooperative).where(Cooperative.organisation_number == "769600-1234"))
    assert cooperative.trades == {"cafe", "gardening"} and cooperative.contact_name == "Eva Ek"
    assert "cooperative.create" in actions(session)
    assert "Kooperativet Ängen" in client.get(response.location).get_data(as_text=True)


@pytest.mark.parametrize(
    "number, message",
    [("769600-1235", "Kontrollsiffran"), ("12345", "tio siffror"), ("769600-0001", "Kontrollsiffran")],
)
def test_a_wrong_organisation_number_is_shown_at_its_field_and_nothing_is_saved(
    client, session, world, number, message
):
    sign_in(client, world.coordinator.email)
    before = count(session, Cooperative)
    response = client.post(
        "/directory/cooperatives/new",
        data={**NEW, "organisation_number": number, "municipality_id": world.municipality["Uddevalla"].id},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="organisation_number-error"' in page and message in page
    assert count(session, Cooperative) == before
    assert "cooperative.create" not in actions(session)


def test_an_organisation_number_already_in_the_directory_is_refused(client, session, world):
    world.cooperative.organisation_number = "769600-1234"
    session.commit()
    sign_in(client, world.coordinator.email)
    response = client.post(
        "/directory/cooperatives/new", data={**NEW, "municipality_id": world.municipality["Uddevalla"].id}
    )
    assert response.status_code == 400
    assert "Ett annat kooperativ i katalogen har det här organisationsnumret" in response.get_data(as_text=True)


def test_a_coordinator_cannot_add_a_cooperative_in_another_region(client, session, world):
    sign_in(client, world.coordinator.email)
    response = client.post(
        "/directory/cooperatives/new", data={**NEW, "municipality_id": world.municipality["Skövde"].id}
    )
    assert response.status_code == 400
    assert count(session, Cooperative) == 1


def test_a_coordinator_cannot_edit_another_regions_cooperative(client, session, world):
    world.cooperative.municipality = world.municipality["Skövde"]
    session.commit()
    sign_in(client, world.coordinator.email)
    assert client.get(f"/directory/cooperatives/{world.cooperative.id}/edit").status_code == 403
    response = client.post(f"/directory/cooperatives/{world.cooperative.id}/active", data={"active": "0"})
    assert response.status_code == 403
    session.rollback()
    assert world.cooperative.active


@pytest.mark.parametrize("role", ["caseworker", "supervisor_user"])
def test_caseworkers_and_supervisors_cannot_reach_the_edit_pages(client, world, role):
    sign_in(client, getattr(world, role).email)
    for path in (
        "/directory/cooperatives/new",
        f"/directory/cooperatives/{world.cooperative.id}/edit",
        "/directory/supervisors/new",
        f"/directory/supervisors/{world.supervisor.id}/edit",
        "/training/cohorts",
    ):
        assert client.get(path).status_code == 403, path


def test_deactivating_a_cooperative_is_audited_and_hides_it_from_caseworkers(client, session, world):
    sign_in(client, world.caseworker.email)
    assert "Kooperativet Vägen" in client.get("/directory/cooperatives").get_data(as_text=True)
    client.post("/sign-out")
    sign_in(client, world.coordinator.email)
    assert (
        client.post(f"/directory/cooperatives/{world.cooperative.id}/active", data={"active": "0"}).status_code == 303
    )
    assert "cooperative.deactivate" in actions(session)
    client.post("/sign-out")
    sign_in(client, world.caseworker.email)
    assert "Kooperativet Vägen" not in client.get("/directory/cooperatives").get_data(as_text=True)
    assert world.supervisor_user.email not in client.get("/directory/supervisors").get_data(as_text=True)


def test_a_caseworker_reads_only_their_own_regions_directory(client, world):
    sign_in(client, world.other_caseworker.email)  # Skövde, in Skaraborg
    assert "Kooperativet Vägen" not in client.get("/directory/cooperatives").get_data(as_text=True)
    assert world.supervisor_user.email not in client.get("/directory/supervisors").get_data(as_text=True)
    client.post("/sign-out")
    sign_in(client, world.caseworker.email)  # Trollhättan, in Fyrbodal
    page = client.get("/directory/supervisors").get_data(as_text=True)
    assert world.supervisor_user.email in page and "/edit" not in page


def test_the_lists_search_and_filter(client, world):
    sign_in(client, world.admin.email)
    assert "Kooperativet Vägen" in client.get("/directory/cooperatives?text=vägen").get_data(as_text=True)
    assert "Kooperativet Vägen" not in client.get("/directory/cooperatives?text=ängen").get_data(as_text=True)
    assert "Kooperativet Vägen" not in client.get("/directory/cooperatives?trade=bakery").get_data(as_text=True)
    skovde = world.municipality["Skövde"].id
    assert world.supervisor_user.email not in client.get(f"/directory/supervisors?municipality={skovde}").get_data(
        as_text=True
    )
    assert world.supervisor_user.email in client.get("/directory/supervisors?text=vagen").get_data(as_text=True)
    for wildcard in ("%", "_", "V_gen"):  # a search matches the text itself, not SQL wildcards (pagination.searched)
        assert "Kooperativet Vägen" not in client.get(f"/directory/cooperatives?text={wildcard}").get_data(as_text=True)
        assert world.supervisor_user.email not in client.get(
            "/directory/supervisors", query_string={"text": wildcard}
        ).get_data(as_text=True)


def supervisor_form(world, **changes):
    return {
        "cooperative_id": world.cooperative.id,
        "gender": "man",
        "capacity": "3",
        "municipality_ids": [world.municipality["Trollhättan"].id, world.municipality["Vänersborg"].id],
        "languages": ["sv", "ar"],
        "specialties": ["mental_health"],
        "accessibility": ["quiet_room"],
        "active": "y",
        **changes,
    }


def test_a_coordinator_invites_a_supervisor_by_mail_as_an_account_without_a_password(client, session, world):
    sign_in(client, world.coordinator.email)
    data = supervisor_form(world, name="Omar Handledare", email="omar@vagen.example.se")
    assert client.post("/directory/supervisors/new", data=data).status_code == 303
    session.rollback()
    user = session.scalar(select(User).where(User.email == "omar@vagen.example.se"))
    supervisor = session.scalar(select(Supervisor).where(Supervisor.user_id == user.id))
    assert user.role == "supervisor" and not user.check_password("")
    assert (
        supervisor.capacity == 3 and supervisor.languages == {"sv", "ar"} and supervisor.accessibility == {"quiet_room"}
    )
    assert {m.name for m in supervisor.municipalities} == {"Trollhättan", "Vänersborg"}
    assert "supervisor.invite" in actions(session) and "user.invite" in actions(session)
    mail = session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "omar@vagen.example.se"))
    assert "/invitation/" in mail.body_text


@pytest.mark.parametrize("capacity", ["0", "1000", ""])
def test_a_capacity_out_of_range_is_shown_at_its_field_and_nothing_changes(client, session, world, capacity):
    sign_in(client, world.coordinator.email)
    response = client.post(
        f"/directory/supervisors/{world.supervisor.id}/edit", data=supervisor_form(world, capacity=capacity)
    )
    assert response.status_code == 400
    assert 'id="capacity-error"' in response.get_data(as_text=True)
    session.rollback()
    assert world.supervisor.capacity == 2 and world.supervisor.languages == set()
    assert "supervisor.change" not in actions(session)


def test_a_coordinator_changes_a_supervisors_record(client, session, world):
    sign_in(client, world.coordinator.email)
    response = client.post(f"/directory/supervisors/{world.supervisor.id}/edit", data=supervisor_form(world))
    assert response.status_code == 303
    session.rollback()
    assert world.supervisor.capacity == 3 and world.supervisor.specialties == {"mental_health"}
    assert "supervisor.change" in actions(session)


def test_a_coordinators_save_keeps_the_municipalities_served_in_another_region(client, session, world):
    """An admin let the supervisor serve Skövde, in the neighbouring region: the
    coordinator sees it (read-only, not a box they could untick) and their save keeps it;
    a municipality outside their region cannot be added by them either."""
    world.supervisor.municipalities = {world.municipality["Uddevalla"], world.municipality["Skövde"]}
    session.commit()
    sign_in(client, world.coordinator.email)
    page = client.get(f"/directory/supervisors/{world.supervisor.id}/edit").get_data(as_text=True)
    assert 'id="served-elsewhere"' in page and "Skövde" in page
    assert f'value="{world.municipality["Skövde"].id}"' not in page
    assert (
        client.post(f"/directory/supervisors/{world.supervisor.id}/edit", data=supervisor_form(world)).status_code
        == 303
    )
    session.rollback()
    assert {m.name for m in world.supervisor.municipalities} == {"Trollhättan", "Vänersborg", "Skövde"}
    outside = supervisor_form(
        world, municipality_ids=[world.municipality["Skövde"].id, world.municipality["Lidköping"].id]
    )
    response = client.post(f"/directory/supervisors/{world.supervisor.id}/edit", data=outside)
    assert response.status_code == 400 and 'id="municipality_ids-error"' in response.get_data(as_text=True)
    session.rollback()
    assert {m.name for m in world.supervisor.municipalities} == {"Trollhättan", "Vänersborg", "Skövde"}


def test_a_supervisor_pauses_themselves_from_their_profile(client, session, world):
    sign_in(client, world.supervisor_user.email)
    until = local_today() + timedelta(days=30)
    response = client.post("/directory/profile/pause", data={"until": until.isoformat(), "reason": "Föräldraledig"})
    assert response.status_code == 303
    session.rollback()
    assert world.supervisor.paused_until == until and world.supervisor.pause_reason == "Föräldraledig"
    assert "supervisor.pause" in actions(session)
    assert client.post("/directory/profile/pause", data={"end": "1"}).status_code == 303
    session.rollback()
    assert world.supervisor.paused_until is None


def test_a_pause_ending_in_the_past_is_shown_at_its_field_and_nothing_changes(client, session, world):
    sign_in(client, world.supervisor_user.email)
    yesterday = local_today() - timedelta(days=2)
    response = client.post("/directory/profile/pause", data={"until": yesterday.isoformat(), "reason": "Semester"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="until-error"' in page and "kan inte sluta bakåt i tiden" in page
    session.rollback()
    assert world.supervisor.paused_until is None
    assert "supervisor.pause" not in actions(session)


def test_a_supervisor_cannot_pause_another_supervisor(client, world):
    sign_in(client, world.supervisor_user.email)
    until = (local_today() + timedelta(days=3)).isoformat()
    response = client.post(f"/directory/supervisors/{world.supervisor.id}/pause", data={"until": until, "reason": "x"})
    assert response.status_code == 403


def test_a_coordinator_cannot_invite_a_supervisor_into_another_regions_cooperative(client, session, world):
    world.cooperative.municipality = world.municipality["Skövde"]
    session.commit()
    sign_in(client, world.coordinator.email)
    data = supervisor_form(world, name="Omar Handledare", email="omar@vagen.example.se")
    response = client.post("/directory/supervisors/new", data=data)
    assert response.status_code == 400 and 'id="cooperative_id-error"' in response.get_data(as_text=True)
    assert count(session, User, User.email == "omar@vagen.example.se") == 0
    assert count(session, OutboxMessage) == 0


def add_supervisors(session, world, numbers):
    """A cooperative with trades and a supervisor with languages for each number."""
    for n in numbers:
        cooperative = Cooperative(
            name=f"Kooperativ {n}", organisation_number=f"769{n:03d}-0000", municipality=world.municipality["Uddevalla"]
        )
        cooperative.trades, cooperative.accessibility = {"cafe", "bakery"}, {"step_free"}
        user = User(email=f"h{n}@example.se", name=f"Handledare {n}", role="supervisor", password_hash="")
        supervisor = Supervisor(user=user, cooperative=cooperative, municipalities={world.municipality["Uddevalla"]})
        supervisor.languages = {"sv", "en"}
        session.add(supervisor)
    session.commit()


def test_the_lists_cost_the_same_number_of_queries_whatever_their_length(app, client, session, world):
    from queries import counting_queries

    sign_in(client, world.coordinator.email)
    costs = []
    for numbers in (range(1), range(1, 8)):
        add_supervisors(session, world, numbers)
        with counting_queries(app) as statements:
            assert client.get("/directory/cooperatives").status_code == 200
            assert client.get("/directory/supervisors").status_code == 200
        costs.append(len(statements))
    assert costs[0] == costs[1]
