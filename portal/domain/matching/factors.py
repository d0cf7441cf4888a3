"""Matching factors: the named reasons one supervisor ranks above another for a referral.

A `Factor` compares one `Candidate` (a supervisor who passed the hard filters) with the
referral's `Match` and answers a value in [0, 1]; the ranking multiplies it by the
factor's weight. Scoring is split from explaining on purpose: `score` runs for every
candidate (thousands at national scale, so it must be a few set operations), `explain`
only for the rows a person actually looks at.

Core's factors (`portal.builtin.matching_factors`) and plugins' factors are the same
kind of object, declared through the `portal_matching_factors` hook. Everything a
factor reads is loaded for all candidates at once before scoring, so that scoring runs
no queries; a factor that needs more data loads it in `prepare`, once per ranking.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from babel.lists import format_list
from flask_babel import get_locale

from portal.domain.vocabulary import label

EMPTY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Factor:
    """One named, weighted reason to prefer a supervisor.

    :param name: stable identifier: the key in `PORTAL_MATCHING_WEIGHTS`, and what a
        later declaration with the same name replaces.
    :param label: a short translatable name, shown as the factor's column heading.
    :param weight: the points a value of 1 adds to the score (0 switches the factor off).
    :param score: ``score(candidate, match) -> float`` in [0, 1]; called for every candidate.
    :param explain: ``explain(candidate, match) -> str``: one plain sentence saying why the
        value is what it is (a lazy translated string); called only for shown candidates.
    :param prepare: optional ``prepare(session, match, candidates) -> object``, called once
        per ranking before scoring; its result is in ``match.prepared[name]``. Load what
        `score` needs here, in one query for all candidates.
    """

    name: str
    label: object
    weight: float
    score: Callable[[Candidate, Match], float]
    explain: Callable[[Candidate, Match], object]
    prepare: Callable | None = None


@dataclass
class Match:
    """The referral's side of every comparison, computed once per ranking.

    :param referral: the `Referral`, for factors that need more of it (read it in
        ``prepare``, not in ``score``: attribute loads there would query per candidate).
    :param region_id: the referral's region (its id).
    :param region_code: the referral's region (its code, e.g. ``"fyrbodal"``).
    :param municipality_id: where the participant lives (its id).
    :param municipality_name: where the participant lives (its name).
    :param authority_id: the referring authority (its id).
    :param authority_name: the referring authority (its name).
    :param needs: the participant's support needs (codes of `portal.domain.vocabulary.NEEDS`).
    :param languages: the participant's languages (codes of ``LANGUAGES``).
    :param interests: the participant's interests (codes of ``TRADES``).
    :param accessibility_needs: the participant's accessibility needs (codes of ``ACCESSIBILITY``).
    :param prepared: each factor's ``prepare`` result, by factor name.
    """

    referral: object  # the `Referral`, for factors that need more of it
    region_id: int
    region_code: str
    municipality_id: int  # where the participant lives
    municipality_name: str
    authority_id: int
    authority_name: str
    needs: frozenset[str]
    languages: frozenset[str]
    interests: frozenset[str]
    accessibility_needs: frozenset[str]
    prepared: dict = field(default_factory=dict)

    @classmethod
    def of(cls, referral) -> Match:
        participant = referral.participant
        return cls(
            referral=referral,
            region_id=referral.region_id,
            region_code=referral.region.code,
            municipality_id=participant.municipality_id,
            municipality_name=participant.municipality.name,
            authority_id=referral.authority_id,
            authority_name=referral.authority.name,
            needs=frozenset(participant.needs),
            languages=frozenset(participant.languages),
            interests=frozenset(participant.interests),
            accessibility_needs=frozenset(participant.accessibility_needs),
        )


@dataclass(slots=True)
class Candidate:
    """A supervisor who passed the hard filters, with what the factors compare.

    The code sets hold only the codes the participant also has (the supervisor's
    specialties among the participant's needs, the cooperative's trades among the
    participant's interests, and so on): all a comparison needs, and far less to load.

    :param supervisor_id: the `Supervisor`'s id.
    :param name: the supervisor's name.
    :param gender: ``"woman"``, ``"man"`` or ``"not_stated"``.
    :param capacity: how many placements they take at once.
    :param running: their planned and active placements.
    :param open_offers: offers of other referrals waiting for their answer.
    :param cooperative_id: their cooperative (its id).
    :param cooperative_name: their cooperative (its name).
    :param municipality_id: the cooperative's municipality, where the placement happens.
    :param municipality_name: that municipality's name.
    :param region_id: the cooperative's region (its id).
    :param shared_specialties: their specialties among the participant's needs.
    :param shared_languages: their languages among the participant's.
    :param shared_trades: the cooperative's trades among the participant's interests.
    :param shared_accessibility: what the workplace offers among the participant's accessibility needs.
    :param completed_with_authority: placements they completed for the referral's authority.
    :param supervisor_accessibility: what the supervisor can offer themselves among the
        participant's accessibility needs (e.g. flexible hours), whatever the premises have.
    """

    supervisor_id: int
    name: str
    gender: str
    capacity: int
    running: int  # planned and active placements
    open_offers: int  # offers of other referrals waiting for the supervisor's answer
    cooperative_id: int
    cooperative_name: str
    municipality_id: int  # the cooperative's: where the placement happens
    municipality_name: str
    region_id: int
    shared_specialties: frozenset[str]
    shared_languages: frozenset[str]
    shared_trades: frozenset[str]
    shared_accessibility: frozenset[str]
    completed_with_authority: int = 0  # placements completed for the referral's authority
    supervisor_accessibility: frozenset[str] = frozenset()

    @property
    def free_places(self) -> int:
        return max(self.capacity - self.running - self.open_offers, 0)


class Labels:
    """Vocabulary codes as a list inside a sentence, formatted when the sentence is shown.

    Lazy so that the list follows the language the page is rendered in. Labels are
    written capitalised (they head form fields); inside a sentence they lose that
    capital, except language names in English ("Speaks Arabic", "Talar arabiska").
    """

    __slots__ = ("vocabulary", "codes", "proper_names")

    def __init__(self, vocabulary: Mapping, codes: Iterable[str], *, proper_names: bool = False):
        self.vocabulary = vocabulary
        self.codes = sorted(codes)
        self.proper_names = proper_names

    def __str__(self) -> str:
        locale = get_locale()
        keep_capitals = self.proper_names and (locale is None or locale.language == "en")
        names = [label(self.vocabulary, code) for code in self.codes]
        if not keep_capitals:
            names = [_lower_first(name) for name in names]
        return format_list(names, locale=locale or "en")


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[1].isupper():  # an abbreviation keeps its capitals
        return text
    return text[:1].lower() + text[1:]


class WeightsInvalid(ValueError):
    """`PORTAL_MATCHING_WEIGHTS` cannot be read; the message says where."""


@lru_cache(maxsize=8)
def parse_weights(text: str | None) -> Mapping[str, float]:
    """``"language=2, travel=0.5"`` → ``{"language": 2.0, "travel": 0.5}``.

    Cached: the setting is read on every ranking but changes only with a restart.
    """
    weights: dict[str, float] = {}
    for item in (text or "").split(","):
        if not item.strip():
            continue
        name, equals, number = item.partition("=")
        name = name.strip()
        try:
            weight = float(number)
        except ValueError:
            weight = None
        if not equals or not name or weight is None or weight < 0 or weight != weight or weight == float("inf"):
            raise WeightsInvalid(
                f"PORTAL_MATCHING_WEIGHTS: {item.strip()!r} is not name=weight with a weight of 0 or more"
            )
        weights[name] = weight
    return weights
