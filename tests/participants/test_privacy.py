"""Personal identity numbers: validation, encryption and the blind index."""

from datetime import date

import pytest
from cryptography.fernet import Fernet

from portal.domain.participants.privacy import InvalidPersonnummer, Vault, parse

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize("raw", ["200001012384", "20000101-2384", "0001012384", "000101-2384"])
def test_accepts_ten_and_twelve_digit_forms_with_or_without_separator(raw):
    number = parse(raw, today=TODAY)
    assert number.digits == "200001012384"
    assert number.birth_date == date(2000, 1, 1)
    assert not number.coordination_number


def test_plus_separator_means_a_hundred_years_older():
    assert parse("000101+2384", today=TODAY).birth_date == date(1900, 1, 1)


def test_ten_digits_take_the_latest_century_not_in_the_future():
    assert parse("500101-0007", today=TODAY).birth_date == date(1950, 1, 1)
    assert parse("5001010007", today=date(1949, 6, 1)).birth_date == date(1850, 1, 1)


def test_samordningsnummer_has_sixty_added_to_the_day():
    number = parse("701063-2391", today=TODAY)  # born 1970-10-03
    assert number.coordination_number
    assert number.birth_date == date(1970, 10, 3)


@pytest.mark.parametrize(
    "raw, message",
    [
        ("200001012385", "check digit"),
        ("20000132-1234", "does not exist"),
        ("20991231-0000", "future"),
        ("12345", "10 or 12 digits"),
        ("", "10 or 12 digits"),
        ("20000101+2384", "'+'"),
        ("abcdefghij", "10 or 12 digits"),
    ],
)
def test_invalid_numbers_say_what_is_wrong_without_repeating_the_number(raw, message):
    with pytest.raises(InvalidPersonnummer) as error:
        parse(raw, today=TODAY)
    assert message in str(error.value)
    if raw:
        assert raw not in str(error.value)


def test_vault_round_trips_and_never_stores_clear_text():
    vault = Vault(Fernet.generate_key().decode())
    number = parse("200001012384", today=TODAY)
    ciphertext = vault.encrypt(number)
    assert b"200001012384" not in ciphertext
    assert vault.decrypt(ciphertext) == "200001012384"


def test_blind_index_finds_the_same_person_whatever_the_written_form():
    vault = Vault(Fernet.generate_key().decode())
    assert vault.blind_index(parse("000101-2384", today=TODAY)) == vault.blind_index(parse("200001012384", today=TODAY))
    assert vault.blind_index(parse("200001012384")) != vault.blind_index(parse("200001011493"))


def test_blind_index_depends_on_the_key():
    number = parse("200001012384", today=TODAY)
    assert Vault(Fernet.generate_key().decode()).blind_index(number) != Vault(
        Fernet.generate_key().decode()
    ).blind_index(number)
