"""Which new passwords are accepted: long enough and not easily guessed.

Length alone let `password1234` and `Sommar2024!!` through. zxcvbn estimates how many
guesses a password takes against lists of common passwords, words, names, keyboard
patterns and dates; the person's own name and address and a few Swedish words that
zxcvbn's English lists lack count as known words too. Below a score of 3 ("safely
unguessable" for an online attack that is rate-limited, as ours is) the password is
refused with a message that says why.
"""

from __future__ import annotations

from collections.abc import Iterable

from zxcvbn import zxcvbn

from portal.i18n import lazy_gettext as _

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
MIN_SCORE = 3

# Swedish words people build passwords from, unknown to zxcvbn's lists.
SWEDISH_WORDS = (
    "lösenord losenord sommar vinter hösten host våren varen hemligt hemlig välkommen valkommen sverige "
    "stockholm göteborg goteborg malmö malmo kärlek karlek fotboll hejsan handledare handledarportalen "
    "portalen portal kooperativ fyrbodal skaraborg sjuhärad sjuharad försäkringskassan arbetsförmedlingen"
).split()


def problem(password: str, known: Iterable[str] = ()) -> str | None:
    """Why `password` is refused, in the current language, or None if it is good enough.

    `known` are words about the person (name, e-mail address) that make a guess easy."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        return str(_("The password must be at least %(count)d characters.", count=MIN_PASSWORD_LENGTH))
    if len(password) > MAX_PASSWORD_LENGTH:
        return str(_("The password can be at most %(count)d characters.", count=MAX_PASSWORD_LENGTH))
    if _made_of(password, known):
        return str(_("The password is too easy to guess: it is built on your name or e-mail address."))
    words = [*SWEDISH_WORDS]
    for text in known:
        words.extend(part for part in _parts(text) if len(part) >= 3)
    result = zxcvbn(password[:100], user_inputs=words)  # zxcvbn slows on very long input
    if result["score"] >= MIN_SCORE:
        return None
    patterns = {match["pattern"] for match in result["sequence"]}
    own = {word.lower() for word in words[len(SWEDISH_WORDS) :]}
    if any(match.get("matched_word", "").lower() in own for match in result["sequence"]):
        return str(_("The password is too easy to guess: it is built on your name or e-mail address."))
    if "spatial" in patterns or "sequence" in patterns or "repeat" in patterns:
        return str(
            _("The password is too easy to guess: it is built on a keyboard row, a sequence or repeated characters.")
        )
    if "date" in patterns:
        return str(_("The password is too easy to guess: dates and years are among the first things tried."))
    return str(
        _(
            "The password is too easy to guess: it is, or is built on, one of the most common passwords or words. "
            "A few unrelated words together make a good password."
        )
    )


def _parts(text: str) -> list[str]:
    cleaned = "".join(character if character.isalnum() else " " for character in (text or "").lower())
    return cleaned.split()


def _made_of(password: str, known: Iterable[str]) -> bool:
    """Whether the password's letters are (part of) the person's name or address."""
    letters = "".join(character for character in password.lower() if character.isalpha())
    return len(letters) >= 4 and any(letters in "".join(_parts(text)) for text in known)
