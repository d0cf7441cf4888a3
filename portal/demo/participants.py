"""The demo's participants: people registered under Skatteverket's test identity numbers
(they belong to nobody, so the demo may store them), with needs, languages, interests
and the details the ESF report asks for."""

from __future__ import annotations

import random
from datetime import datetime
from importlib import resources

from portal.demo.organisations import other_languages
from portal.demo.world import Demo, unique_name
from portal.domain.participants.privacy import Personnummer, parse
from portal.domain.vocabulary import ACCESSIBILITY, NEEDS, TRADES
from portal.models import Authority, EducationLevel, Gender, LabourMarketStatus, Municipality, Participant


def identity_numbers() -> list[str]:
    """Skatteverket's test numbers, in the order the file lists them."""
    text = resources.files("portal").joinpath("data/test-personnummer.txt").read_text(encoding="utf-8")
    return [line for line in map(str.strip, text.splitlines()) if line and not line.startswith("#")]


def shuffled_numbers(demo: Demo) -> list[Personnummer]:
    """The test numbers in the demo's random order."""
    numbers = [parse(line, today=demo.today) for line in identity_numbers()]
    demo.rng.shuffle(numbers)
    return numbers


def add(
    demo: Demo, number: Personnummer, municipality: Municipality, authority: Authority, registered_at: datetime
) -> Participant:
    """A participant whose gender follows the number's second-last digit; a few chose not to state it."""
    rng = demo.rng
    gender = Gender.MAN if int(number.digits[-2]) % 2 else Gender.WOMAN
    given, family = unique_name(demo, gender)
    needs = set(rng.sample(list(NEEDS), rng.randint(1, 3)))
    participant = Participant(
        personnummer_ciphertext=demo.vault.encrypt(number),
        personnummer_index=demo.vault.blind_index(number),
        birth_date=number.birth_date,
        given_name=given,
        family_name=family,
        gender=Gender.NOT_STATED if rng.random() < 0.08 else gender,
        municipality=municipality,
        registered_by_authority=authority,
        created_at=registered_at,
    )
    participant.needs = needs
    participant.languages = {"sv"} | other_languages(rng, 1.0 if "language_support" in needs else 0.2)
    participant.accessibility_needs = set(rng.sample(list(ACCESSIBILITY), rng.choice((0, 0, 1, 2))))
    participant.interests = set(rng.sample(list(TRADES), rng.randint(1, 3)))
    _add_esf_details(participant, number)
    demo.session.add(participant)
    return participant


def _add_esf_details(participant: Participant, number: Personnummer) -> None:
    """Labour-market status and education for the ESF report, mostly far from work; drawn
    from the person's own number so that the rest of the demo's draws stay as they were."""
    draw = random.Random(number.digits)
    participant.labour_market_status = draw.choice(
        (
            LabourMarketStatus.LONG_TERM_UNEMPLOYED,
            LabourMarketStatus.LONG_TERM_UNEMPLOYED,
            LabourMarketStatus.INACTIVE,
            LabourMarketStatus.INACTIVE,
            LabourMarketStatus.UNEMPLOYED,
            None,
        )
    )
    participant.education_level = draw.choice(
        (
            EducationLevel.ISCED_0_2,
            EducationLevel.ISCED_0_2,
            EducationLevel.ISCED_3_4,
            EducationLevel.ISCED_3_4,
            EducationLevel.ISCED_5_8,
            None,
        )
    )
