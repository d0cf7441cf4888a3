"""Swedish organisation numbers (organisationsnummer): NNNNNN-NNNN, the last digit a Luhn
check digit over the other nine, the third digit at least 2 (which tells them from
personal identity numbers, whose third digit is a month's first digit)."""

from __future__ import annotations

import re

from portal.domain.errors import InvalidInput
from portal.i18n import lazy_gettext as _

_FORMAT = re.compile(r"^(\d{6})-?(\d{4})$")


def check_digit(nine_digits: str) -> int:
    """The digit that completes `nine_digits` under the Luhn check (weights 2, 1, 2, … from the left)."""
    total = 0
    for position, char in enumerate(nine_digits):
        value = int(char) * (2 - position % 2)
        total += value - 9 if value > 9 else value
    return -total % 10


def parse(raw: str, field: str = "organisation_number") -> str:
    """`raw` normalised to NNNNNN-NNNN, or InvalidInput naming `field` and what is wrong."""
    match = _FORMAT.match((raw or "").strip().replace(" ", ""))
    if match is None:
        raise InvalidInput({field: _("Enter the organisation number as ten digits, like 769600-1234.")})
    digits = match.group(1) + match.group(2)
    if int(digits[2]) < 2:
        raise InvalidInput({field: _("This is not an organisation number (the third digit is at least 2).")})
    if check_digit(digits[:9]) != int(digits[9]):
        raise InvalidInput({field: _("The check digit does not match: check the number against the register.")})
    return f"{digits[:6]}-{digits[6:]}"
