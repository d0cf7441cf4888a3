"""Which supervisors a referral can be offered to: the hard filters, in SQL.

Active and not paused, certified, in a cooperative that is active in the directory,
with a free place now, serving the participant's municipality (or
any municipality of the region when the referral allows it), and not already offered
this referral (declined, expired or open). Each filter is one named SQL condition, so
that the list of candidates and the answer to "why isn't X listed?" come from the very
same definitions.

The conditions take the referral's values as bound parameters (`parameters`), so each
statement is built once per shape (region-wide or not, which page filters are on) and
reused: building a statement costs more Python time than running it does at regional
scale. Ranking the candidates by named factors is `domain.matching.ranking`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import ColumnElement, Select, bindparam, func, or_, select
from sqlalchemy.orm import Session, joinedload

from portal.domain import calendar
from portal.domain.matching.factors import Factor
from portal.i18n import lazy_gettext as _
from portal.models import Cooperative, Municipality, Offer, OfferState, Placement, PlacementState, Referral, Supervisor
from portal.models.directory import CooperativeTrade, SupervisorLanguage, supervisor_municipality

__all__ = [
    "Factor",
    "MatchFilters",
    "candidates_query",
    "eligible_supervisors",
    "hard_filters",
    "parameters",
    "why_not_listed",
]

RUNNING = (PlacementState.PLANNED, PlacementState.ACTIVE)


def running_placements():
    """A correlated count of a supervisor's planned and active placements."""
    return (
        select(func.count())  # not count(id): an index-only scan of (supervisor_id, state) answers it
        .where(Placement.supervisor_id == Supervisor.id, Placement.state.in_(RUNNING))
        .correlate(Supervisor)
        .scalar_subquery()
    )


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
        "participant_municipality_id": referral.participant.municipality_id,
        "region_id": referral.region_id,
        "referral_id": referral.id,
        "today": calendar.today(),
        "filter_municipality_id": filters.municipality_id,
        "filter_language": filters.language,
        "filter_trade": filters.trade,
    }


@lru_cache(maxsize=4)
def hard_filters(region_wide: bool) -> dict[str, ColumnElement[bool]]:
    """Every hard filter by name, as a condition on `Supervisor` (names used by `why_not_listed`)."""
    serves = supervisor_municipality.c
    area = Supervisor.id.in_(
        select(serves.supervisor_id).where(serves.municipality_id == bindparam("participant_municipality_id"))
    )
    if region_wide:
        in_region = (
            select(serves.supervisor_id)
            .join(Municipality, Municipality.id == serves.municipality_id)
            .where(Municipality.region_id == bindparam("region_id"))
        )
        area = or_(area, Supervisor.id.in_(in_region))
    return {
        "active": Supervisor.active.is_(True),
        "not_paused": Supervisor.paused_until.is_(None) | (Supervisor.paused_until < bindparam("today")),
        "certified": Supervisor.certified_on.is_not(None),
        "cooperative_active": Supervisor.cooperative_id.in_(select(Cooperative.id).where(Cooperative.active.is_(True))),
        "free_place": running_placements() < Supervisor.capacity,
        "area": area,
        "not_offered": Supervisor.id.not_in(
            select(Offer.supervisor_id).where(Offer.referral_id == bindparam("referral_id"))
        ),
    }


@lru_cache(maxsize=16)
def conditions(region_wide: bool, shape: tuple[bool, bool, bool]) -> tuple[ColumnElement[bool], ...]:
    """The hard filters and the page's filters that are on."""
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
    return (*hard_filters(region_wide).values(), *extra)


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


@lru_cache(maxsize=4)
def _why_statement(region_wide: bool) -> Select:
    return (
        select(
            *(condition.label(name) for name, condition in hard_filters(region_wide).items()),
            Supervisor.capacity,
            Supervisor.paused_until,
            Supervisor.pause_reason,
            running_placements().label("running"),
            Offer.state.label("offer_state"),
            func.coalesce(Offer.responded_at, Offer.expires_at).label("answered_at"),
        )
        .select_from(Supervisor)
        .outerjoin(Offer, (Offer.supervisor_id == Supervisor.id) & (Offer.referral_id == bindparam("referral_id")))
        .where(Supervisor.id == bindparam("supervisor_id"))
    )


def why_not_listed(session: Session, referral: Referral, supervisor_id: int) -> list | None:
    """Each hard filter the supervisor fails for this referral, in plain language.

    An empty list means the supervisor passes every filter (is a candidate); None
    means there is no such supervisor. One query, with the very conditions that build
    the candidate list.
    """
    row = session.execute(
        _why_statement(referral.region_wide), {**parameters(referral), "supervisor_id": supervisor_id}
    ).first()
    if row is None:
        return None
    reasons = []
    if not row.active:
        reasons.append(_("Not active in the portal right now (for example on leave)."))
    if not row.not_paused:
        reasons.append(
            _(
                "Paused: takes no offers up to and including %(day)s (%(reason)s).",
                day=row.paused_until,
                reason=row.pause_reason,
            )
        )
    if not row.certified:
        reasons.append(_("Has not completed the supervisor training."))
    if not row.cooperative_active:
        reasons.append(_("Their cooperative is deactivated in the directory."))
    if not row.free_place:
        reasons.append(
            _(
                "No free place: %(running)d of %(capacity)d places are in use.",
                running=row.running,
                capacity=row.capacity,
            )
        )
    if not row.area:
        home = referral.participant.municipality.name
        reasons.append(
            _(
                "Serves neither %(municipality)s nor any other municipality in %(region)s.",
                municipality=home,
                region=referral.region.name,
            )
            if referral.region_wide
            else _(
                "Does not serve %(municipality)s, where the participant lives, and the referral is not open to "
                "the whole region.",
                municipality=home,
            )
        )
    if not row.not_offered:
        reasons.append(_offered_before(row.offer_state, row.answered_at))
    return reasons


def _offered_before(state: str, answered_at) -> object:
    day = answered_at.date().isoformat() if answered_at else ""
    return {
        OfferState.OPEN: _("Has an unanswered offer of this referral."),
        OfferState.DECLINED: _("Declined this referral on %(date)s.", date=day),
        OfferState.EXPIRED: _("Let the offer of this referral expire on %(date)s.", date=day),
        OfferState.ACCEPTED: _("Has already accepted this referral."),
    }.get(state, _("Was offered this referral before; the offer was withdrawn on %(date)s.", date=day))
