"""Which supervisors a referral may be offered to: the hard filters, in SQL, shared by the
match page (`domain.matching`) and the offer itself (`domain.referrals.steps.create_offers`).

Active and not paused, certified, in a cooperative that is active in the directory,
with a free place now, serving the participant's municipality (or
any municipality of the region when the referral allows it), and not already offered
this referral (declined, expired or open). Each filter is one named SQL condition, so
that the list of candidates, the answer to "why isn't X listed?" and the refusal of an
offer made around the list all come from the very same definitions: nothing can be
offered that matching would not list.

The conditions take the referral's values as bound parameters (`parameters`), so each
statement is built once per shape and reused.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import ColumnElement, Select, bindparam, func, or_, select
from sqlalchemy.orm import Session

from portal.domain import calendar
from portal.i18n import lazy_gettext as _
from portal.models import (
    RUNNING_PLACEMENT_STATES,
    Cooperative,
    Municipality,
    Offer,
    OfferState,
    Placement,
    Referral,
    Supervisor,
    User,
)
from portal.models.directory import supervisor_municipality


def running_placements():
    """A correlated count of a supervisor's planned and active placements."""
    return (
        select(func.count())  # not count(id): an index-only scan of (supervisor_id, state) answers it
        .where(Placement.supervisor_id == Supervisor.id, Placement.state.in_(RUNNING_PLACEMENT_STATES))
        .correlate(Supervisor)
        .scalar_subquery()
    )


def has_free_place(running, capacity) -> ColumnElement[bool]:
    """The free-place filter on a running count and a capacity: the hard filter below,
    and the ranking's statement, which counts the running placements once for both the
    filter and the factors (`domain.matching.candidates`)."""
    return running < capacity


def parameters(referral: Referral) -> dict:
    """The values the hard filters' bound parameters take for a referral."""
    return {
        "participant_municipality_id": referral.participant.municipality_id,
        "region_id": referral.region_id,
        "referral_id": referral.id,
        "today": calendar.today(),
    }


def serving_the_participant() -> Select:
    """The ids of the supervisors who serve the participant's municipality: the area filter
    of a referral that is not region-wide, as a set a statement may also test otherwise
    (`domain.matching.candidates`)."""
    serves = supervisor_municipality.c
    return select(serves.supervisor_id).where(serves.municipality_id == bindparam("participant_municipality_id"))


@lru_cache(maxsize=4)
def hard_filters(region_wide: bool) -> dict[str, ColumnElement[bool]]:
    """Every hard filter by name, as a condition on `Supervisor` (names used by `reasons`)."""
    serves = supervisor_municipality.c
    area = Supervisor.id.in_(serving_the_participant())
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
        "free_place": has_free_place(running_placements(), Supervisor.capacity),
        "area": area,
        "not_offered": Supervisor.id.not_in(
            select(Offer.supervisor_id).where(Offer.referral_id == bindparam("referral_id"))
        ),
    }


@lru_cache(maxsize=4)
def _reasons_statement(region_wide: bool) -> Select:
    return (
        select(
            Supervisor.id,
            select(User.name).where(User.id == Supervisor.user_id).scalar_subquery().label("name"),
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
        .where(Supervisor.id.in_(bindparam("supervisor_ids", expanding=True)))
    )


def reasons(session: Session, referral: Referral, supervisor_ids) -> dict[int, tuple[str, list]]:
    """{supervisor id: (name, each hard filter they fail for this referral, in plain
    language)}: one query, with the very conditions that build the candidate list. An
    empty list means the supervisor passes every filter; an unknown id is left out."""
    ids = list(dict.fromkeys(supervisor_ids))
    if not ids:
        return {}
    rows = session.execute(_reasons_statement(referral.region_wide), {**parameters(referral), "supervisor_ids": ids})
    return {row.id: (row.name, _explained(row, referral)) for row in rows}


def why_not_listed(session: Session, referral: Referral, supervisor_id: int) -> list | None:
    """Each hard filter the supervisor fails for this referral; None: no such supervisor."""
    found = reasons(session, referral, [supervisor_id]).get(supervisor_id)
    return None if found is None else found[1]


def _explained(row, referral: Referral) -> list:
    """In plain language, each hard filter the row fails: (passes, why not) in the filters' order."""
    home = referral.participant.municipality.name
    filters = (
        (row.active, _("Not active in the portal right now (for example on leave).")),
        (
            row.not_paused,
            _(
                "Paused: takes no offers up to and including %(day)s (%(reason)s).",
                day=row.paused_until,
                reason=row.pause_reason,
            ),
        ),
        (row.certified, _("Has not completed the supervisor training.")),
        (row.cooperative_active, _("Their cooperative is deactivated in the directory.")),
        (
            row.free_place,
            _(
                "No free place: %(running)d of %(capacity)d places are in use.",
                running=row.running,
                capacity=row.capacity,
            ),
        ),
        (
            row.area,
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
            ),
        ),
        (row.not_offered, _offered_before(row.offer_state, row.answered_at)),
    )
    return [reason for passes, reason in filters if not passes]


def _offered_before(state: str, answered_at) -> object:
    day = calendar.ReadableDate(calendar.local_date(answered_at)) if answered_at else ""
    return {
        OfferState.OPEN: _("Has an unanswered offer of this referral."),
        OfferState.DECLINED: _("Declined this referral on %(date)s.", date=day),
        OfferState.EXPIRED: _("Let the offer of this referral expire on %(date)s.", date=day),
        OfferState.ACCEPTED: _("Has already accepted this referral."),
    }.get(state, _("Was offered this referral before; the offer was withdrawn on %(date)s.", date=day))


def in_region(region_id: int) -> ColumnElement[bool]:
    """Condition on `Supervisor`: works at a cooperative in the region, or serves one of
    its municipalities (the region's supervisors, for the match page and "why none")."""
    municipalities = select(Municipality.id).where(Municipality.region_id == region_id)
    return or_(
        Supervisor.cooperative_id.in_(select(Cooperative.id).where(Cooperative.municipality_id.in_(municipalities))),
        Supervisor.id.in_(
            select(supervisor_municipality.c.supervisor_id).where(
                supervisor_municipality.c.municipality_id.in_(municipalities)
            )
        ),
    )
