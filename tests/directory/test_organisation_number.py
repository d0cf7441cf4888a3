"""Organisation numbers: format, the third digit, and the Luhn check digit."""

import pytest

from portal.domain.directory.organisation_number import check_digit, parse
from portal.domain.errors import InvalidInput


def test_a_valid_number_is_normalised_with_its_hyphen():
    assert parse(" 7696001234 ") == "769600-1234"
    assert parse("556036-0793") == "556036-0793"  # a real limited company's number


@pytest.mark.parametrize("raw", ["", "76960-1234", "769600-12345", "abcdef-ghij", "769600/1235"])
def test_a_number_of_the_wrong_shape_is_refused_at_its_field(raw):
    with pytest.raises(InvalidInput) as refused:
        parse(raw)
    assert "ten digits" in refused.value.errors["organisation_number"]


def test_a_wrong_check_digit_is_refused():
    with pytest.raises(InvalidInput) as refused:
        parse("769600-1235")
    assert "check digit" in refused.value.errors["organisation_number"]


def test_a_personal_identity_number_is_not_an_organisation_number():
    with pytest.raises(InvalidInput) as refused:
        parse("850412-1230")
    assert "third digit" in refused.value.errors["organisation_number"]


def test_the_check_digit_completes_the_luhn_sum():
    assert check_digit("769600123") == 4
