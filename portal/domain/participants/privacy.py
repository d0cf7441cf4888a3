"""Personal identity numbers (personnummer and samordningsnummer): validation and storage.

A number is validated (format, real date, Luhn check digit), normalised to twelve
digits, encrypted with Fernet for storage and hashed with a keyed HMAC (the blind
index) so that the same person can be found again without decrypting every row.
Nothing here logs or formats a number into a message.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from base64 import urlsafe_b64decode
from dataclasses import dataclass
from datetime import date

from cryptography.fernet import Fernet

from portal.domain.calendar import local_today
from portal.i18n import lazy_gettext as _

_PATTERN = re.compile(
    r"^(?P<century>\d{2})?(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})(?P<sep>[-+]?)(?P<serial>\d{3})(?P<check>\d)$",
    re.ASCII,  # \d is 0-9 only: other scripts' digits would pass and give another blind index
)


class InvalidPersonnummer(ValueError):
    """Raised with a message that says what is wrong, never repeating the number."""


@dataclass(frozen=True)
class Personnummer:
    digits: str  # twelve digits, YYYYMMDDNNNC
    birth_date: date
    coordination_number: bool


def _luhn_ok(ten_digits: str) -> bool:
    total = 0
    for position, char in enumerate(ten_digits):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def normalised(raw: str | None) -> str:
    """The typed number in one form: NFKC turns full-width digits and signs (`１９１２`,
    `－`) into ASCII ones, and every kind of space goes. Digits of other scripts (Arabic-
    Indic …) stay as they are, and `parse` refuses them: the same person always gives the
    same twelve ASCII digits, so the same blind index."""
    return "".join(unicodedata.normalize("NFKC", raw or "").split())


def parse(raw: str, *, today: date | None = None) -> Personnummer:
    """Validate `raw` (10 or 12 digits, with or without `-`/`+`) and normalise it
    (`normalised` first: full-width digits are read as digits, other scripts' refused).

    Ten-digit numbers take the most recent century that is not in the future; a `+`
    separator means the person is 100 or older, as Skatteverket writes it.
    """
    today = today or local_today()
    text = normalised(raw)
    match = _PATTERN.match(text)
    if not match:
        raise InvalidPersonnummer(_("Enter 10 or 12 digits, e.g. YYYYMMDD-NNNN."))
    parts = match.groupdict()
    if parts["century"] and parts["sep"] == "+":
        raise InvalidPersonnummer(_("Use '+' only with the 10-digit form."))
    yy, month, day = int(parts["yy"]), int(parts["mm"]), int(parts["dd"])
    coordination = day > 60
    if coordination:
        day -= 60
    if parts["century"]:
        year = int(parts["century"]) * 100 + yy
    else:
        year = (today.year // 100) * 100 + yy
        if year > today.year:
            year -= 100
        if parts["sep"] == "+":
            year -= 100
    try:
        born = date(year, month, day)
    except ValueError:
        raise InvalidPersonnummer(_("The date of birth in the number does not exist.")) from None
    if born > today:
        raise InvalidPersonnummer(_("The date of birth in the number is in the future."))
    ten = parts["yy"] + parts["mm"] + parts["dd"] + parts["serial"] + parts["check"]
    if not _luhn_ok(ten):
        raise InvalidPersonnummer(_("The check digit is wrong; check the number for typing errors."))
    return Personnummer(digits=f"{year:04d}{ten[2:]}", birth_date=born, coordination_number=coordination)


class Vault:
    """Encrypts identity numbers and computes their blind index from one data key."""

    def __init__(self, data_key: str):
        self._fernet = Fernet(data_key)
        raw = urlsafe_b64decode(data_key)
        self._index_key = hmac.new(raw, b"personnummer blind index", hashlib.sha256).digest()

    def encrypt(self, number: Personnummer) -> bytes:
        return self._fernet.encrypt(number.digits.encode())

    def decrypt(self, ciphertext: bytes) -> str:
        return self._fernet.decrypt(ciphertext).decode()

    def blind_index(self, number: Personnummer) -> str:
        return hmac.new(self._index_key, number.digits.encode(), hashlib.sha256).hexdigest()
