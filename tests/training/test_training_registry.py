"""The training registry through its pages: a coordinator records a cohort, its modules,
enrolment, attendance and completion, and certifies; each step audited, bad input refused."""

from datetime import timedelta

from conftest import sign_in
from sqlalchemy import select

from portal.domain.calendar import local_today
from portal.domain.training.definitions import is_trained
from portal.models import Attendance, AuditEvent, Cohort, ModuleCompletion


def actions(session):
    session.rollback()
    return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def record_cohort(client, world, modules=2):
    start = local_today() - timedelta(days=60)
    response = client.post(
        "/training/cohorts/new",
        data={
            "region_id": world.region["fyrbodal"].id,
            "name": "Handledarutbildning Fyrbodal",
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=50)).isoformat(),
        },
    )
    assert response.status_code == 303
    cohort_id = int(response.location.rsplit("/", 1)[1])
    for n in range(modules):
        assert (
            client.post(
                f"/training/cohorts/{cohort_id}/modules", data={"title": f"Moment {n}", "hours": "6"}
            ).status_code
            == 303
        )
    return cohort_id


def test_a_coordinator_trains_and_certifies_a_supervisor(client, session, world):
    sign_in(client, world.coordinator.email)
    cohort_id = record_cohort(client, world)
    assert (
        client.post(f"/training/cohorts/{cohort_id}/enrol", data={"supervisor_id": world.supervisor.id}).status_code
        == 303
    )
    session.rollback()
    cohort = session.get(Cohort, cohort_id)
    first, second = cohort.modules
    sid = str(world.supervisor.id)
    client.post(f"/training/modules/{first.id}/session", data={"attended": sid, "completed": sid})
    assert not is_trained(session, world.supervisor.id)
    refused = client.post(f"/training/supervisors/{sid}/certification", data={"grounds": "Klar"})
    assert refused.status_code == 400 and "genomfört alla moment" in refused.get_data(as_text=True)
    assert "ett moment kvar" in client.get("/training/cohorts").get_data(as_text=True).lower()
    client.post(f"/training/modules/{second.id}/session", data={"completed": sid})
    session.rollback()
    assert is_trained(session, world.supervisor.id)
    assert session.get(Attendance, (world.supervisor.id, second.id)).attended is False
    response = client.post(f"/training/supervisors/{sid}/certification", data={"grounds": "Alla moment genomförda"})
    assert response.status_code == 303
    session.rollback()
    supervisor = world.supervisor
    assert supervisor.certified_on == local_today() and supervisor.certified_by_id == world.coordinator.id
    assert supervisor.certification_grounds == "Alla moment genomförda"
    assert {"cohort.create", "cohort.module.add", "cohort.enrol", "training.session", "training.certify"} <= set(
        actions(session)
    )


def test_certification_needs_grounds(client, session, world):
    sign_in(client, world.coordinator.email)
    cohort_id = record_cohort(client, world, modules=1)
    client.post(f"/training/cohorts/{cohort_id}/enrol", data={"supervisor_id": world.supervisor.id})
    session.rollback()
    module = session.get(Cohort, cohort_id).modules[0]
    client.post(f"/training/modules/{module.id}/session", data={"completed": str(world.supervisor.id)})
    response = client.post(f"/training/supervisors/{world.supervisor.id}/certification", data={"grounds": " "})
    assert response.status_code == 400 and 'id="grounds-error"' in response.get_data(as_text=True)
    session.rollback()
    assert world.supervisor.certified_on is None


def test_a_cohort_ending_before_it_starts_is_refused_at_the_field(client, session, world):
    sign_in(client, world.coordinator.email)
    response = client.post(
        "/training/cohorts/new",
        data={
            "region_id": world.region["fyrbodal"].id,
            "name": "X",
            "starts_on": "2026-05-01",
            "ends_on": "2026-04-01",
        },
    )
    assert response.status_code == 400 and 'id="ends_on-error"' in response.get_data(as_text=True)
    session.rollback()
    assert session.scalar(select(Cohort.id)) is None


def test_a_coordinator_cannot_record_a_cohort_for_another_region(client, session, world):
    sign_in(client, world.coordinator.email)
    response = client.post(
        "/training/cohorts/new",
        data={
            "region_id": world.region["skaraborg"].id,
            "name": "X",
            "starts_on": "2026-05-01",
            "ends_on": "2026-06-01",
        },
    )
    assert response.status_code == 400
    session.rollback()
    assert session.scalar(select(Cohort.id)) is None


def test_a_module_with_no_hours_is_refused_and_nothing_is_added(client, session, world):
    sign_in(client, world.coordinator.email)
    cohort_id = record_cohort(client, world, modules=0)
    response = client.post(f"/training/cohorts/{cohort_id}/modules", data={"title": "Moment", "hours": "0"})
    assert response.status_code == 400 and 'id="hours-error"' in response.get_data(as_text=True)
    session.rollback()
    assert session.get(Cohort, cohort_id).modules == []


def titles(session, cohort_id):
    session.rollback()
    return [module.title for module in session.get(Cohort, cohort_id).modules]


def test_a_coordinator_moves_modules_up_and_down_and_each_move_is_audited(client, session, world):
    """Modules are taught in an order that is sometimes decided after they are added."""
    sign_in(client, world.coordinator.email)
    cohort_id = record_cohort(client, world, modules=3)
    first, second, third = session.get(Cohort, cohort_id).modules
    assert client.post(f"/training/modules/{third.id}/move", data={"direction": "up"}).status_code == 303
    assert titles(session, cohort_id) == ["Moment 0", "Moment 2", "Moment 1"]
    client.post(f"/training/modules/{first.id}/move", data={"direction": "down"})
    assert titles(session, cohort_id) == ["Moment 2", "Moment 0", "Moment 1"]
    assert [m.position for m in session.get(Cohort, cohort_id).modules] == [1, 2, 3]
    assert actions(session).count("cohort.module.move") == 2
    page = client.get(f"/training/cohorts/{cohort_id}").get_data(as_text=True)
    assert "Flytta ned Moment 2" in page and "Flytta upp Moment 1" in page
    assert "Flytta upp Moment 2" not in page and "Flytta ned Moment 1" not in page  # first and last: one way only


def test_a_module_that_cannot_move_stays_and_nothing_is_audited(client, session, world):
    sign_in(client, world.coordinator.email)
    cohort_id = record_cohort(client, world, modules=2)
    first, second = session.get(Cohort, cohort_id).modules
    for module_id, direction in ((first.id, "up"), (second.id, "down"), (first.id, "sideways"), (first.id, "")):
        assert client.post(f"/training/modules/{module_id}/move", data={"direction": direction}).status_code == 303
    assert titles(session, cohort_id) == ["Moment 0", "Moment 1"]
    assert "cohort.module.move" not in actions(session)


def test_a_caseworker_cannot_move_a_module(client, session, world):
    sign_in(client, world.coordinator.email)
    cohort_id = record_cohort(client, world, modules=2)
    second = session.get(Cohort, cohort_id).modules[1]
    client.post("/sign-out")
    sign_in(client, world.caseworker.email)
    assert client.post(f"/training/modules/{second.id}/move", data={"direction": "up"}).status_code in (403, 404)
    assert titles(session, cohort_id) == ["Moment 0", "Moment 1"]


def test_the_evaluation_note_is_saved_and_audited(client, session, world):
    sign_in(client, world.coordinator.email)
    cohort_id = record_cohort(client, world, modules=0)
    client.post(f"/training/cohorts/{cohort_id}/evaluation", data={"note": "Bra omgång."})
    session.rollback()
    assert session.get(Cohort, cohort_id).evaluation_note == "Bra omgång."
    assert "cohort.evaluation" in actions(session)


def test_completion_is_dated_the_session_day(client, session, world):
    sign_in(client, world.coordinator.email)
    cohort_id = record_cohort(client, world, modules=0)
    day = local_today() - timedelta(days=40)
    client.post(f"/training/cohorts/{cohort_id}/modules", data={"title": "M", "hours": "4", "held_on": day.isoformat()})
    client.post(f"/training/cohorts/{cohort_id}/enrol", data={"supervisor_id": world.supervisor.id})
    session.rollback()
    module = session.get(Cohort, cohort_id).modules[0]
    client.post(f"/training/modules/{module.id}/session", data={"completed": str(world.supervisor.id)})
    session.rollback()
    assert session.get(ModuleCompletion, (world.supervisor.id, module.id)).completed_on == day


def test_a_future_supervisor_is_enrolled_before_their_record_is_active(client, session, world):
    world.supervisor.active = False
    session.commit()
    sign_in(client, world.coordinator.email)
    cohort_id = record_cohort(client, world, modules=1)
    assert f'<option value="{world.supervisor.id}">' in client.get(f"/training/cohorts/{cohort_id}").get_data(
        as_text=True
    )
    assert (
        client.post(f"/training/cohorts/{cohort_id}/enrol", data={"supervisor_id": world.supervisor.id}).status_code
        == 303
    )
    session.rollback()
    assert world.supervisor.cohort_id == cohort_id and not world.supervisor.active


def test_a_coordinator_cannot_enrol_another_regions_supervisor(client, session, world):
    world.cooperative.municipality = world.municipality["Skövde"]
    session.commit()
    sign_in(client, world.coordinator.email)
    cohort_id = record_cohort(client, world, modules=0)
    response = client.post(f"/training/cohorts/{cohort_id}/enrol", data={"supervisor_id": world.supervisor.id})
    assert response.status_code == 400 and 'id="supervisor_id-error"' in response.get_data(as_text=True)
    session.rollback()
    assert world.supervisor.cohort_id is None
