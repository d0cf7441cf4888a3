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
