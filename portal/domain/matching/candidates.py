"""What the factors compare, loaded for every candidate in two queries whatever their number.

The first query is the bare fetch (`matching.conditions`) with the scoring data added
as correlated subqueries, each an index lookup per row: the supervisor's planned and
active placements and unanswered offers, and the codes the supervisor and the
cooperative share with the participant (only those, far fewer than all). The second
counts the placements each candidate completed for the referral's authority.

That second count is the dearest part of ranking at national scale: it reads every
completed placement of the candidates (or of the authority), because a placement
knows its authority only through its referral. See `bench/README.md`.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from portal.domain.matching.factors import Candidate, Match
from portal.domain.matching.filters import MatchFilters, conditions, parameters, running_placements
from portal.models import (
    Cooperative,
    Municipality,
    Offer,
    OfferState,
    Placement,
    PlacementState,
    Referral,
    Supervisor,
    User,
)
from portal.models.directory import CooperativeAccessibility, CooperativeTrade, SupervisorLanguage, SupervisorSpecialty

COMPLETED_FOR_AUTHORITY = (
    select(Placement.supervisor_id, func.count())
    .join(Referral, Referral.id == Placement.referral_id)
    .where(
        Placement.supervisor_id.in_(bindparam("supervisor_ids", expanding=True)),
        Placement.state == PlacementState.COMPLETED,
        Referral.authority_id == bindparam("authority_id"),
    )
    .group_by(Placement.supervisor_id)
)


def _shared(model, owner_column, owner, codes: str):
    """The owner's codes among the participant's `codes`, comma-separated."""
    return (
        select(func.aggregate_strings(model.code, ","))
        .where(owner_column == owner, model.code.in_(bindparam(codes, expanding=True)))
        .scalar_subquery()
    )


@lru_cache(maxsize=16)
def _statement(region_wide: bool, shape: tuple[bool, bool, bool]) -> Select:
    open_offers = (
        select(func.count())
        .where(Offer.supervisor_id == Supervisor.id, Offer.state == OfferState.OPEN)
        .scalar_subquery()
    )
    return (
        select(
            Supervisor.id,
            User.name,
            Supervisor.gender,
            Supervisor.capacity,
            running_placements(),
            open_offers,
            Cooperative.id,
            Cooperative.name,
            Cooperative.municipality_id,
            Municipality.name,
            Municipality.region_id,
            _shared(SupervisorSpecialty, SupervisorSpecialty.supervisor_id, Supervisor.id, "needs"),
            _shared(SupervisorLanguage, SupervisorLanguage.supervisor_id, Supervisor.id, "languages"),
            _shared(CooperativeTrade, CooperativeTrade.cooperative_id, Cooperative.id, "interests"),
            _shared(
                CooperativeAccessibility, CooperativeAccessibility.cooperative_id, Cooperative.id, "accessibility_needs"
            ),
        )
        .join(User, User.id == Supervisor.user_id)
        .join(Cooperative, Cooperative.id == Supervisor.cooperative_id)
        .join(Municipality, Municipality.id == Cooperative.municipality_id)
        .where(*conditions(region_wide, shape))
    )


def load_candidates(
    session: Session, referral: Referral, match: Match, filters: MatchFilters = MatchFilters()
) -> list[Candidate]:
    values = {
        **parameters(referral, filters),
        "needs": sorted(match.needs),
        "languages": sorted(match.languages),
        "interests": sorted(match.interests),
        "accessibility_needs": sorted(match.accessibility_needs),
    }
    candidates = [
        Candidate(*columns, _codes(specialties), _codes(languages), _codes(trades), _codes(features))
        for *columns, specialties, languages, trades, features in session.execute(
            _statement(referral.region_wide, filters.shape), values
        )
    ]
    if candidates:
        completed = dict(
            session.execute(
                COMPLETED_FOR_AUTHORITY,
                {
                    "supervisor_ids": [candidate.supervisor_id for candidate in candidates],
                    "authority_id": match.authority_id,
                },
            ).all()
        )
        for candidate in candidates:
            candidate.completed_with_authority = completed.get(candidate.supervisor_id, 0)
    return candidates


def _codes(joined: str | None) -> frozenset[str]:
    return frozenset(joined.split(",")) if joined else frozenset()
