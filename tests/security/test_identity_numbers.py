"""Issue 10.11 and 10.12: the same person gives the same blind index however the number is
typed, and registering a known person again is caught by that index."""

import pytest

from portal.domain.participants.privacy import InvalidPersonnummer, Vault, parse

ASCII = "19121212-1212"
FULL_WIDTH = "１９１２１２１２－１２１２"
ARABIC_INDIC = "١٩١٢١٢١٢-١٢١٢"
EXTENDED_ARABIC_INDIC = "۱۹۱۲۱۲۱۲-۱۲۱۲"


def test_full_width_digits_are_read_as_the_same_number():
    assert parse(FULL_WIDTH) == parse(ASCII)
    assert parse(" １９１２１２１２\u3000１２１２ ") == parse(ASCII)


@pytest.mark.parametrize("typed", [ARABIC_INDIC, EXTENDED_ARABIC_INDIC, "19121212-١٢١٢"])
def test_digits_of_other_scripts_are_refused(typed):
    with pytest.raises(InvalidPersonnummer):
        parse(typed)


def test_the_same_person_gives_the_same_blind_index_however_typed():
    from cryptography.fernet import Fernet

    vault = Vault(Fernet.generate_key().decode())
    assert vault.blind_index(parse(FULL_WIDTH)) == vault.blind_index(parse(ASCII))
    assert parse(FULL_WIDTH).digits.isascii()


def form(world, number):
    return {
        "personnummer": number,
        "given_name": "Kim",
        "family_name": "Andersson",
        "municipality_id": str(world.municipality["Trollhättan"].id),
        "gender": "woman",
    }


def participants(session):
    from sqlalchemy import select

    from portal.models import Participant

    session.rollback()
    return session.scalars(select(Participant).order_by(Participant.id)).all()


@pytest.mark.parametrize("again", [ASCII, "191212121212", FULL_WIDTH])
def test_registering_a_person_again_at_the_same_authority_leads_to_the_existing_one(client, session, world, again):
    from conftest import sign_in

    sign_in(client, world.caseworker.email)
    first = client.post("/participants/new", data=form(world, ASCII))
    assert first.status_code == 302
    [existing] = participants(session)
    second = client.post("/participants/new", data=form(world, again))
    assert second.status_code == 303 and second.headers["Location"] == f"/participants/{existing.id}"
    assert len(participants(session)) == 1
    assert "redan registrerat" in client.get(second.headers["Location"]).get_data(as_text=True)


def test_another_authority_is_told_the_person_is_known_but_not_where(client, session, world, outsiders):
    from conftest import sign_in

    sign_in(client, world.caseworker.email)
    client.post("/participants/new", data=form(world, ASCII))
    client.post("/sign-out")
    sign_in(client, world.other_caseworker.email)
    response = client.post("/participants/new", data=form(world, FULL_WIDTH), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "redan känd i portalen" in page
    assert world.fk.name not in page
    first, second = participants(session)
    assert first.personnummer_index == second.personnummer_index
    assert (first.registered_by_authority_id, second.registered_by_authority_id) == (world.fk.id, world.social.id)

    client.post("/sign-out")
    sign_in(client, world.coordinator.email)
    page = client.get("/participants/known-twice").get_data(as_text=True)
    assert f"/participants/{first.id}" in page and f"/participants/{second.id}" in page
    assert world.fk.name in page and world.social.name in page
    client.post("/sign-out")
    sign_in(client, outsiders.coordinator.email)  # Skaraborg's: the person lives in Fyrbodal
    assert f"/participants/{first.id}" not in client.get("/participants/known-twice").get_data(as_text=True)
    client.post("/sign-out")
    sign_in(client, world.caseworker.email)
    assert client.get("/participants/known-twice").status_code == 403
