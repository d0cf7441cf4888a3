"""Start-up checks of what plugins declare for matching and regions, and of the settings
that name plugins' things: each mistake stops the portal with a message naming the
plugin or the setting and what to do, instead of failing in the first request that
meets it.

- every `portal_region_workflow` answer, for every region, is a declared workflow;
- every matching factor is a `Factor` with a label and an explanation, and scores in
  [0, 1] on a small sample of candidates (factors with a ``prepare`` step need the
  database and are checked when a ranking runs);
- every name in `PORTAL_MATCHING_WEIGHTS` is a factor some plugin declares.
"""

from __future__ import annotations

import math
from numbers import Real

from portal.domain.geography import region_codes
from portal.domain.matching.factors import Candidate, Factor, Match, parse_weights
from portal.plugins import PluginError, checked


def check_region_workflows(manager, registry) -> None:
    """Every workflow name a plugin chooses for a region is declared by some plugin."""
    declared = sorted({workflow.name for workflow in registry})
    for code in region_codes():
        for name, chosen in checked(manager.hook.portal_region_workflow, "region workflow", region_code=code):
            if registry.latest(chosen) is None:
                raise PluginError(
                    f"plugin {name!r} chooses the workflow {chosen!r} for region {code!r} (portal_region_workflow), "
                    f"but no installed plugin declares it (declared: {', '.join(declared)}): declare it in the "
                    "plugin's portal_workflows, or correct the name"
                )


def check_matching(manager, weights_setting: str | None) -> None:
    """Every plugin's factors in every region, and the operator's weights, before any ranking."""
    known: set[str] = set()
    for code in region_codes():
        for name, factors in checked(manager.hook.portal_matching_factors, "matching factors", region_code=code):
            for factor in factors:
                _check_factor(name, code, factor)
                known.add(factor.name)
    unknown = sorted(set(parse_weights(weights_setting)) - known)
    if unknown:
        raise PluginError(
            f"PORTAL_MATCHING_WEIGHTS names {', '.join(map(repr, unknown))}, which no installed plugin declares "
            f"as a matching factor (known: {', '.join(sorted(known))}): correct the setting"
        )


def _check_factor(plugin: str, region_code: str, factor) -> None:
    where = f"plugin {plugin!r} declares a matching factor for region {region_code!r}"
    if not isinstance(factor, Factor):
        raise PluginError(f"{where} that is not a portal.domain.matching.factors.Factor: {factor!r}")
    what = f"plugin {plugin!r}: matching factor {factor.name!r}"
    if not factor.label:
        raise PluginError(f"{what} has no label: give it a short name people see as its heading")
    if not callable(factor.explain):
        raise PluginError(f"{what} has no explanation: give it explain(candidate, match) returning one sentence")
    if not callable(factor.score):
        raise PluginError(f"{what} has no score(candidate, match) function")
    if not isinstance(factor.weight, Real) or not factor.weight >= 0 or math.isinf(factor.weight):
        raise PluginError(f"{what} has the weight {factor.weight!r}: give a number of 0 or more")
    if factor.prepare is not None:
        return
    for candidate, match in sample():
        try:
            value = factor.score(candidate, match)
            explanation = factor.explain(candidate, match)
        except Exception as error:
            raise PluginError(
                f"{what} failed on a sample candidate: {type(error).__name__}: {error} (it must work for any "
                "candidate; load data in prepare(session, match, candidates))"
            ) from error
        if isinstance(value, bool) or not isinstance(value, Real) or not 0.0 <= value <= 1.0:
            raise PluginError(f"{what} scored {value!r} for a sample candidate: a score must be a number in [0, 1]")
        if explanation is None or explanation == "":
            raise PluginError(f"{what} explained nothing for a sample candidate: explain must return a sentence")


def sample() -> list[tuple[Candidate, Match]]:
    """A few made-up candidates and referrals, from nothing in common to all in common,
    free and full: enough to catch a score on the wrong scale. Negative ids: no real
    supervisor, municipality or authority has them."""
    codes = frozenset({"sv", "mental_health", "cafe", "wheelchair"})
    matches = [
        Match(None, -1, "sample", -1, "Sample town", -1, "Sample authority", needs, needs, needs, needs)
        for needs in (frozenset(), codes)
    ]
    candidates = [
        Candidate(
            supervisor_id=-1 - index,
            name="Sample supervisor",
            gender="not_stated",
            capacity=capacity,
            running=running,
            open_offers=offers,
            cooperative_id=-1,
            cooperative_name="Sample cooperative",
            municipality_id=municipality,
            municipality_name="Sample town",
            region_id=-1,
            shared_specialties=shared,
            shared_languages=shared,
            shared_trades=shared,
            shared_accessibility=shared,
            completed_with_authority=completed,
        )
        for index, (capacity, running, offers, municipality, shared, completed) in enumerate(
            [(1, 0, 0, -1, frozenset(), 0), (3, 3, 1, -2, codes, 5), (0, 0, 0, -1, codes, 1)]
        )
    ]
    return [(candidate, match) for match in matches for candidate in candidates]
