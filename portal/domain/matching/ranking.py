"""Ranking a referral's candidates by named, weighted factors, with the reasons shown.

The hard filters (`domain.matching.filters`) decide who may be offered the referral; the
factors declared through the `portal_matching_factors` hook decide the order. Core
declares its factors through that same hook (`portal.builtin.matching_factors`); a
plugin adds factors or replaces one by declaring its name again, and an operator
changes weights with `PORTAL_MATCHING_WEIGHTS`, which has the last word.

Everything is loaded in a fixed number of queries (`domain.matching.candidates`) and scored
column by column with set operations, about a millisecond for five hundred candidates;
explanation sentences are written only for the rows a person looks at.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from portal.domain.matching.candidates import load_candidates
from portal.domain.matching.factors import Candidate, Factor, Match, parse_weights
from portal.domain.matching.filters import MatchFilters
from portal.domain.referrals.transitions import Engine
from portal.models import Referral
from portal.plugins import BUILTIN_MODULES, call_each

CORE_NAME = "Handledarportalen"  # how core's own factors are credited in explanations


class FactorInvalid(RuntimeError):
    """A factor answered a value outside [0, 1]; the message names the factor and its plugin."""


@dataclass(frozen=True)
class DeclaredFactor:
    """A factor as it takes part in a ranking: who declared it and its weight in force."""

    factor: Factor
    plugin: str
    weight: float
    plugin_display_name: object = None  # the plugin's `PluginMetadata.display_name`, if it has one

    @property
    def name(self) -> str:
        return self.factor.name

    @property
    def label(self) -> object:
        return self.factor.label


@dataclass(frozen=True)
class Contribution:
    factor: DeclaredFactor
    value: float
    points: float
    explanation: object


@dataclass(slots=True)
class Ranked:
    """One candidate's place in a ranking; explanations are built only when asked for."""

    rank: int
    candidate: Candidate
    score: float
    values: tuple[float, ...]
    ranking: Ranking

    @property
    def points(self) -> list[float]:
        return [factor.weight * value for factor, value in zip(self.ranking.factors, self.values, strict=False)]

    @property
    def contributions(self) -> list[Contribution]:
        match = self.ranking.match
        return [
            Contribution(factor, value, factor.weight * value, factor.factor.explain(self.candidate, match))
            for factor, value in zip(self.ranking.factors, self.values, strict=False)
        ]

    def explanation(self) -> list[tuple[str, list[Contribution]]]:
        """The contributions grouped under the display name of the plugin that declared each factor."""
        groups: dict[str, list[Contribution]] = {}
        names: dict[str, object] = {}
        for contribution in self.contributions:
            declared = contribution.factor
            groups.setdefault(declared.plugin, []).append(contribution)
            names.setdefault(declared.plugin, declared.plugin_display_name or declared.plugin)
        return [(names[plugin], contributions) for plugin, contributions in groups.items()]


@dataclass
class Ranking:
    match: Match
    factors: list[DeclaredFactor]
    entries: list[Ranked]

    @property
    def best_possible(self) -> float:
        return sum(factor.weight for factor in self.factors)

    def top(self, count: int) -> list[Ranked]:
        return self.entries[:count]

    def find(self, supervisor_id: int) -> Ranked | None:
        return next((entry for entry in self.entries if entry.candidate.supervisor_id == supervisor_id), None)

    def __len__(self) -> int:
        return len(self.entries)


def factors_for_region(session: Session, engine: Engine, region_code: str) -> list[tuple[str, list[Factor]]]:
    """Each plugin's declared factors for a region, with the plugin's name, core first.

    The one place the `portal_matching_factors` hook is called: through the region's
    hooks (core's built-ins and the plugins enabled there), one implementation at a
    time so that every factor is credited to its plugin, and in declaration order (the
    reverse of pluggy's calling order), so that a later declaration of a name replaces
    an earlier one and core's, declared `trylast`, come first. When no installed plugin
    declares factors, the region's choice of plugins cannot matter and is not looked up.
    """
    caller = engine.hook.portal_matching_factors
    if any(implementation.plugin_name not in BUILTIN_MODULES for implementation in caller.get_hookimpls()):
        caller = engine.region_hook(session, region_code).portal_matching_factors  # a query: only when it matters
    return [(plugin, list(factors)) for plugin, factors in reversed(call_each(caller, region_code=region_code))]


def weighted_factors(session: Session, engine: Engine, region_code: str) -> list[DeclaredFactor]:
    """The factors in force: a later declaration of a name replaces the earlier one in its
    place, the operator's weights override, and a weight of 0 leaves the factor out."""
    by_name: dict[str, tuple[Factor, str]] = {}
    for plugin_name, factors in factors_for_region(session, engine, region_code):
        for factor in factors:
            by_name[factor.name] = (factor, CORE_NAME if plugin_name in BUILTIN_MODULES else plugin_name)
    weights = parse_weights(engine.settings.get("MATCHING_WEIGHTS"))
    info = engine.manager.portal_info if engine.manager is not None else {}
    in_force = [
        DeclaredFactor(
            factor,
            plugin,
            float(weights.get(name, factor.weight)),
            info[plugin].display_name if plugin in info else None,
        )
        for name, (factor, plugin) in by_name.items()
    ]
    return [factor for factor in in_force if factor.weight > 0]


def rank(session: Session, engine: Engine, referral: Referral, filters: MatchFilters = MatchFilters()) -> Ranking:
    """The referral's candidates, best first; ties go to the lower supervisor id (the
    longer-registered supervisor), so the same data always gives the same order."""
    match = Match.of(referral)
    factors = weighted_factors(session, engine, match.region_code)
    candidates = load_candidates(session, referral, match, filters)
    for declared in factors:
        if declared.factor.prepare is not None:
            match.prepared[declared.name] = declared.factor.prepare(session, match, candidates)
    ranking = Ranking(match, factors, [])
    ranking.entries = _scored(ranking, candidates)
    return ranking


def _scored(ranking: Ranking, candidates: list[Candidate]) -> list[Ranked]:
    match, totals, columns = ranking.match, [0.0] * len(candidates), []
    for declared in ranking.factors:
        score = declared.factor.score
        values = [score(candidate, match) for candidate in candidates]
        if values and not 0.0 <= min(values) <= max(values) <= 1.0:
            wrong = next(value for value in values if not 0.0 <= value <= 1.0)
            raise FactorInvalid(
                f"factor {declared.name!r} of plugin {declared.plugin!r} scored {wrong!r}, outside [0, 1]"
            )
        weight = declared.weight
        totals = [total + weight * value for total, value in zip(totals, values, strict=False)]
        columns.append(values)
    rows = list(zip(*columns, strict=False)) if columns else [()] * len(candidates)
    order = sorted(range(len(candidates)), key=lambda i: (-round(totals[i], 9), candidates[i].supervisor_id))
    return [Ranked(position, candidates[i], totals[i], rows[i], ranking) for position, i in enumerate(order, start=1)]
