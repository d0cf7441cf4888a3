"""Correcting a participant's recorded details from their page: the caseworkers of the
authority that registered or refers the person only; the identity number is not among
what can be corrected; bad input is kept at the fields and nothing is written."""

import re

import pytest
from conftest import sign_in
from outsiders import outsiders  # noqa: F401 (a fixture, shared with tests/security)
from sqlalchemy import select

from portal.domain import audit
from portal.models import AuditEvent, Offer, Participant, Referral


@pytest.fixture
def case(session, engine, vault, world, certified):
    """Kim Andersson (a woman, registered by the FK caseworker), referred and offered to the
    world's supervisor: the referral and the offer carry a copy of her gender."""
    from flows import offered

    referral, offer = offered(session, engine, vault, world, certified)
    return referral.participant_id


def corrected(world, **changes) -> dict:
    return {
        "given_name": "Kimberly",
        "family_name": "Andersson",
        "municipality_id": str(world.municipality["Vänersborg"].id),
        "gender": "man",
        "needs": ["mental_health"],
        "languages": ["sv"],
        **changes,
    }


def recorded(session, participant_id) -> tuple:
    """What is stored about the person and the copies of their gender."""
    session.rollback()
    person = session.get(Participant, participant_id)
    return (
        person.given_name,
        person.family_name,
        person.municipality_id,
        person.gender,
        sorted(person.languages),
        sorted(session.scalars(select(Referral.participant_gender).where(Referral.participant_id == participant_id))),
        sorted(
            session.scalars(
                select(Offer.participant_gender).join(Referral).where(Referral.participant_id == participant_id)
            )
        ),
    )


def events(session, action) -> list:
    session.rollback()
    return session.scalars(select(AuditEvent.detail).where(AuditEvent.action == action)).all()


def test_the_correction_page_is_the_registration_form_filled_in_without_the_identity_number(client, world, case):
    sign_in(client, world.caseworker.email)
    page = client.get(f"/participants/{case}/edit")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'name="given_name"' in text and 'value="Kim"' in text and 'value="Andersson"' in text
    assert [tag for tag in re.findall(r"<input[^>]*>", text) if "checked" in tag and 'name="gender"' in tag] == [
        next(tag for tag in re.findall(r"<input[^>]*>", text) if 'value="woman"' in tag)
    ]
    assert 'name="personnummer"' not in text and "2384" not in text
    assert "Personnumret kan inte rättas" in text


def test_a_caseworker_corrects_the_details_and_the_gender_copies_move(client, session, world, case):
    sign_in(client, world.caseworker.email)
    assert "Rätta uppgifter" in client.get(f"/participants/{case}").get_data(as_text=True)
    response = client.post(f"/participants/{case}/edit", data=corrected(world))
    assert response.status_code == 302 and response.location == f"/participants/{case}"
    assert "Uppgifterna har rättats." in client.get(response.location).get_data(as_text=True)
    assert recorded(session, case) == (
        "Kimberly",
        "Andersson",
        world.municipality["Vänersborg"].id,
        "man",
        ["sv"],
        ["man"],
        ["man"],
    )
    assert session.scalar(select(AuditEvent.participant_id).where(AuditEvent.action == "participant.update")) == case


def test_bad_input_is_kept_at_the_fields_and_nothing_is_written(client, session, world, case):
    sign_in(client, world.caseworker.email)
    before = recorded(session, case)
    response = client.post(
        f"/participants/{case}/edit",
        data=corrected(world, given_name="  ", family_name="Anderzon", municipality_id="999999"),
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Skriv namnet." in text and "Välj kommunen personen bor i." in text
    assert 'value="Anderzon"' in text
    assert recorded(session, case) == before
    assert events(session, "participant.update") == []


def test_the_identity_number_cannot_be_posted_into_a_correction(client, session, vault, world, case):
    sign_in(client, world.caseworker.email)
    session.rollback()
    index = session.get(Participant, case).personnummer_index
    client.post(f"/participants/{case}/edit", data=corrected(world, personnummer="19121212-1212"))
    session.rollback()
    assert session.get(Participant, case).personnummer_index == index


@pytest.mark.parametrize("kind", ["other_authority", "other_cooperative", "other_region"])
def test_outsiders_get_404_and_nothing_changes(client, session, world, outsiders, case, kind):  # noqa: F811
    outsider = {
        "other_authority": world.other_caseworker,
        "other_cooperative": outsiders.supervisor_user,
        "other_region": outsiders.coordinator,
    }[kind]
    before = recorded(session, case)
    sign_in(client, outsider.email)
    assert client.get(f"/participants/{case}/edit").status_code == 404
    assert client.post(f"/participants/{case}/edit", data=corrected(world)).status_code == 404
    assert recorded(session, case) == before
    assert events(session, audit.REFUSED)[-2:] == [
        f"404 GET participants.edit participant_id={case}",
        f"404 POST participants.edit participant_id={case}",
    ]


@pytest.mark.parametrize("role", ["coordinator", "admin", "supervisor_user"])
def test_who_sees_the_person_but_refers_nobody_may_not_correct(client, session, world, case, role):
    before = recorded(session, case)
    sign_in(client, getattr(world, role).email)
    assert "Rätta uppgifter" not in client.get(f"/participants/{case}").get_data(as_text=True)
    assert client.get(f"/participants/{case}/edit").status_code == 403
    assert client.post(f"/participants/{case}/edit", data=corrected(world)).status_code == 403
    assert recorded(session, case) == before
    assert events(session, "participant.update") == []


def test_the_domain_refuses_a_correction_by_a_role_that_may_not(session, world, case):
    from portal.domain.participants import registration
    from portal.domain.referrals.transitions import Refused

    person = session.get(Participant, case)
    details = registration.ParticipantDetails(
        given_name="Kimberly", family_name=person.family_name, municipality_id=person.municipality_id, gender="man"
    )
    with pytest.raises(Refused) as refused:
        registration.update(session, world.coordinator, person, details)
    assert refused.value.status == 403
    assert recorded(session, case)[0] == "Kim"
