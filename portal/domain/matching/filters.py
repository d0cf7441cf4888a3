"""Which supervisors a referral can be offered to: the hard filters (`domain.eligibility`,
shared with the offer action, which refuses anyone they exclude) and the page's filters,
in SQL.

Active and not paused, certified, in a cooperative that is active in the directory,
with a free place now, serving the participant's municipality (or
any municipality of the region when the referral allows it), and not already offered
this referral (declined, expired or open). Each filter is one named SQL condition, so
that the list of candidates, the answer to "why isn't X listed?" and the offer's
refusal come from the very same definitions.

The conditions take the referral's values as bound parameters (`parameters`), so each
statement is built once per shape (region-wide or not, which page filters are on) and
reused: building a statement costs more Python time than running it does at regional
scale. Ranking the candidates by named factors is `domain.matching.ranking`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import ColumnElement, Select, bindparam, select
from sqlalchemy.orm import Session, joinedload

from portal.domain import eligibility
from portal.domain.eligibility import hard_filters, running_placements, why_not_listed
from portal.domain.matching.factors import Factor
from portal.models import Cooperative, Referral, Supervisor
from portal.models.directory import CooperativeTrade, SupervisorLanguage

__all__ = [
    "Factor",
    "MatchFilters",
    "candidates_query",
    "eligible_supervisors",
    "hard_filters",
    "parameters",
    "running_placements",
    "why_not_listed",
]


@dataclass(frozen=True)
class MatchFilters:
    """What a person narrows the ranking to: codes and ids only, never personal data."""

    municipality_id: int | None = None  # the cooperative's municipality
    language: str | None = None  # the supervisor speaks it
    trade: str | None = None  # the cooperative works in it

    @property
    def shape(self) -> tuple[bool, bool, bool]:
        return bool(self.municipality_id), bool(self.language), bool(self.trade)

    def __bool__(self) -> bool:
        return any(self.shape)


def parameters(referral: Referral, filters: MatchFilters = MatchFilters()) -> dict:
    """The values the hard filters' (and page filters') bound parameters take for a referral."""
    return {
        **eligibility.parameters(referral),
        "filter_municipality_id": filters.municipality_id,
        "filter_language": filters.language,
        "filter_trade": filters.trade,
    }


@lru_cache(maxsize=32)
def conditions(
    region_wide: bool, shape: tuple[bool, bool, bool], but: tuple[str, ...] = ()
) -> tuple[ColumnElement[bool], ...]:
    """The hard filters and the page's filters that are on; without the hard filters named
    in `but`, for a statement that applies those itself."""
    municipality, language, trade = shape
    extra = []
    if municipality:
        extra.append(
            Supervisor.cooperative_id.in_(
                select(Cooperative.id).where(Cooperative.municipality_id == bindparam("filter_municipality_id"))
            )
        )
    if language:
        extra.append(
            Supervisor.id.in_(
                select(SupervisorLanguage.supervisor_id).where(SupervisorLanguage.code == bindparam("filter_language"))
            )
        )
    if trade:
        extra.append(
            Supervisor.cooperative_id.in_(
                select(CooperativeTrade.cooperative_id).where(CooperativeTrade.code == bindparam("filter_trade"))
            )
        )
    return (*(condition for name, condition in hard_filters(region_wide).items() if name not in but), *extra)


@lru_cache(maxsize=16)
def _candidates_statement(region_wide: bool, shape: tuple[bool, bool, bool]) -> Select:
    return select(Supervisor).where(*conditions(region_wide, shape)).order_by(Supervisor.id)


def candidates_query(referral: Referral, filters: MatchFilters = MatchFilters()) -> tuple[Select, dict]:
    """The supervisors who pass every hard filter (and the page's filters), and the values
    to run it with: the bare fetch the ranking is measured against."""
    return _candidates_statement(referral.region_wide, filters.shape), parameters(referral, filters)


def eligible_supervisors(session: Session, referral: Referral) -> list[Supervisor]:
    query, values = candidates_query(referral)
    query = query.options(joinedload(Supervisor.user), joinedload(Supervisor.cooperative))
    return list(session.scalars(query, values).unique())
