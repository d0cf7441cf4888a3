"""The guards and actions workflows are built from.

Core's default workflow and the regional plugins' workflows compose these same pieces;
a plugin may add its own. Guards return None to allow, or a message that says why not.
Actions change rows in the caller's transaction; they never commit.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.domain import eligibility
from portal.domain.calendar import ReadableDate, deadline_after, local_date
from portal.domain.errors import InvalidInput
from portal.domain.referrals.transitions import TransitionContext
from portal.domain.transactions import locked
from portal.i18n import lazy_gettext as _
from portal.models import (
    RUNNING_PLACEMENT_STATES,
    Consent,
    Offer,
    OfferState,
    Outcome,
    Participant,
    Placement,
    PlacementState,
    Referral,
    Supervisor,
)

EXPIRED_NOW = "portal.offers_expired_now"  # session.info key: offers expired by the step being fired


# Guards -----------------------------------------------------------------------------


def count_rows(ctx: TransitionContext, model, *conditions) -> int:
    """How many `model` rows meet all `conditions`, in the step's session: what most guards
    ask (is a consent, a meeting or a plan recorded; how many places or offers are open)."""
    return ctx.session.scalar(select(func.count()).select_from(model).where(*conditions))


def input_required(field_name: str):
    """Decorator for a guard that checks what the user enters with the step rather than the
    case: it names the form field (``"note"``) the step requires. Pages mark that field
    required and show the guard's refusal at it, and do not ask the guard before anything
    was entered (`transitions.blocked`)."""

    def mark(guard):
        guard.field = field_name
        return guard

    return mark


def fixed_by(fix: str):
    """Decorator for a guard whose refusal the user resolves elsewhere first: `fix` names
    what to do (``"consent"``: record the participant's consent), and the page that offers
    the step shows it disabled with the guard's reason and a link there."""

    def mark(guard):
        guard.fix = fix
        return guard

    return mark


@fixed_by("consent")
def consent_in_force(ctx: TransitionContext):
    """Guard: the participant has a consent in force today (given, not withdrawn)."""
    consents = count_rows(
        ctx,
        Consent,
        Consent.participant_id == ctx.referral.participant_id,
        Consent.withdrawn_on.is_(None),
        Consent.given_on <= ctx.today,
    )
    if not consents:
        return _("Record the participant's consent before submitting the referral.")
    return None


def no_other_open_referral(ctx: TransitionContext):
    """Guard: detect a second open referral for the same person, at any authority, by the blind
    index, without saying where the other one is."""
    index = ctx.session.scalar(
        select(Participant.personnummer_index).where(Participant.id == ctx.referral.participant_id)
    )
    if index is None:
        return None
    others = ctx.session.scalar(
        select(func.count())
        .select_from(Referral)
        .join(Participant)
        .where(
            Participant.personnummer_index == index,
            Referral.id != ctx.referral.id,
            Referral.closed_at.is_(None),
            Referral.submitted_at.is_not(None),
        )
    )
    if others:
        return _(
            "This person already has an open referral in the portal. Contact your region's coordinator "
            "before submitting a new one."
        )
    return None


def offer_still_open(ctx: TransitionContext):
    """Guard: the offer in ``ctx.params["offer"]`` is still open and has not expired."""
    offer: Offer = ctx.params["offer"]
    if offer.state != OfferState.OPEN:
        return _("The offer has already been answered or withdrawn.")
    if offer.expires_at <= ctx.now:
        return _("The offer expired on %(when)s.", when=ReadableDate(local_date(offer.expires_at)))
    return None


def supervisor_has_capacity(ctx: TransitionContext):
    """Guard: the supervisor of the offer has a free place among their running placements.

    Counted under the supervisor's row lock, so simultaneous acceptances of several
    offers by one supervisor are counted one after the other."""
    supervisor = locked(ctx.session, Supervisor, ctx.params["offer"].supervisor_id)
    running = count_rows(
        ctx, Placement, Placement.supervisor_id == supervisor.id, Placement.state.in_(RUNNING_PLACEMENT_STATES)
    )
    if running >= supervisor.capacity:
        return _(
            "You have no free place: %(running)d of %(capacity)d places are in use.",
            running=running,
            capacity=supervisor.capacity,
        )
    return None


def last_open_offer(ctx: TransitionContext):
    """Guard: allow only when the offer being answered is the referral's only open one."""
    if _other_open_offers(ctx):
        return _("Other offers for this referral are still open.")
    return None


def other_offers_open(ctx: TransitionContext):
    """Guard: another offer of the referral is still open (the opposite of `last_open_offer`),
    for steps that keep the referral in *offered* while others may still accept."""
    if not _other_open_offers(ctx):
        return _("No other offer for this referral is open.")
    return None


def _other_open_offers(ctx: TransitionContext) -> int:
    offer = ctx.params["offer"]
    return count_rows(
        ctx, Offer, Offer.referral_id == ctx.referral.id, Offer.state == OfferState.OPEN, Offer.id != offer.id
    )


def own_placement(ctx: TransitionContext):
    """Guard: a supervisor acts only on their own placement (caseworkers and others may act on any
    they see): for regional steps on a placement, such as a trial's confirmation."""
    placement = ctx.referral.placement
    if (
        ctx.actor is not None
        and ctx.actor.role == "supervisor"
        and (placement is None or placement.supervisor.user_id != ctx.actor.id)
    ):
        return _("Only the placement's own supervisor can do this.")
    return None


# Actions ----------------------------------------------------------------------------


def stamp_submitted(ctx: TransitionContext) -> None:
    """Action: record when the referral was submitted (`Referral.submitted_at`)."""
    ctx.referral.submitted_at = ctx.now


def create_offers(ctx: TransitionContext) -> None:
    """Action: offer the referral to the chosen supervisors (``ctx.params["supervisor_ids"]``),
    as many as the workflow allows,
    each with an expiry a number of working days ahead.

    Each chosen supervisor must pass every hard filter of matching (`domain.eligibility`,
    one query, the match page's very conditions): nobody is offered a person's needs
    around the filters. A refusal (409) names each filter that failed."""
    from portal.domain.referrals.transitions import Refused

    supervisor_ids = list(dict.fromkeys(ctx.params.get("supervisor_ids") or []))
    if not supervisor_ids:
        raise Refused(_("Choose a supervisor to offer the referral to."), 409)
    if len(supervisor_ids) > ctx.workflow.max_parallel_offers:
        raise Refused(
            _("At most %(count)d offers can be open at once in this workflow.", count=ctx.workflow.max_parallel_offers),
            409,
        )
    found = eligibility.reasons(ctx.session, ctx.referral, supervisor_ids)
    if len(found) != len(supervisor_ids):
        raise Refused(_("The chosen supervisor does not exist."), 409)
    for name, failed in found.values():
        if failed:
            raise Refused(
                _(
                    "%(name)s cannot be offered this referral: %(reasons)s",
                    name=name,
                    reasons=" ".join(str(reason) for reason in failed),
                ),
                409,
            )
    days = int(ctx.engine.settings.get("OFFER_EXPIRY_WORKING_DAYS", 5))
    expires = deadline_after(ctx.now, days, ctx.engine.settings.get("TIMEZONE", "Europe/Stockholm"))
    for supervisor_id in supervisor_ids:
        ctx.session.add(
            Offer(
                referral=ctx.referral,
                supervisor_id=supervisor_id,
                offered_by=ctx.actor,
                offered_at=ctx.now,
                expires_at=expires,
                state=OfferState.OPEN,
            )
        )


def accept_offer(ctx: TransitionContext) -> None:
    """Action: accept, plan the placement, and withdraw the referral's other open offers in the
    same transaction (first acceptance wins)."""
    offer: Offer = ctx.params["offer"]
    offer.state = OfferState.ACCEPTED
    offer.responded_at = ctx.now
    earliest = max(ctx.referral.earliest_start or ctx.today, ctx.today)
    start = ctx.params.get("start_date") or earliest
    if start < ctx.today:
        raise InvalidInput({"start_date": _("The planned start cannot be in the past.")})
    if start < earliest:
        raise InvalidInput(
            {"start_date": _("The referral may start %(date)s at the earliest.", date=ReadableDate(earliest))}
        )
    hours = ctx.params.get("hours_per_week") or ctx.referral.hours_per_week
    ctx.session.add(
        Placement(
            referral=ctx.referral,
            offer=offer,
            supervisor_id=offer.supervisor_id,
            authority_id=ctx.referral.authority_id,
            state=PlacementState.PLANNED,
            start_date=start,
            hours_per_week=hours,
        )
    )
    _close_open_offers(ctx, OfferState.WITHDRAWN, exclude=offer.id)


def decline_offer(ctx: TransitionContext) -> None:
    """Action: mark the offer declined, with ``ctx.params["reason"]`` and the note."""
    offer: Offer = ctx.params["offer"]
    offer.state = OfferState.DECLINED
    offer.responded_at = ctx.now
    offer.decline_reason = ctx.params["reason"]
    offer.decline_note = ctx.note


def expire_offer(ctx: TransitionContext) -> None:
    """Action: mark the offer expired (the portal fires it when the answer is overdue)."""
    offer: Offer = ctx.params["offer"]
    offer.state = OfferState.EXPIRED
    offer.responded_at = min(offer.expires_at, ctx.now)  # it ended at its deadline, not when noticed
    ctx.session.info.setdefault(EXPIRED_NOW, set()).add(offer.id)


def withdraw_open_offers(ctx: TransitionContext) -> None:
    """Action: withdraw every open offer of the referral (it was withdrawn)."""
    _close_open_offers(ctx, OfferState.WITHDRAWN)


def _close_open_offers(ctx: TransitionContext, state: str, exclude: int | None = None) -> None:
    for offer in ctx.referral.offers:
        if offer.state == OfferState.OPEN and offer.id != exclude:
            offer.state = state
            offer.responded_at = ctx.now


def start_placement(ctx: TransitionContext) -> None:
    """Action: the planned placement starts on ``ctx.params["start_date"]`` (the real start:
    not after today, not before the acceptance), else today; a planned date still in the
    future is no start. The participant's status and
    education are copied as they are at entry, for the ESF report."""
    placement = ctx.referral.placement
    start = ctx.params.get("start_date") or ctx.today
    if start > ctx.today:
        raise InvalidInput({"start_date": _("The start date cannot be after today.")})
    accepted = placement.offer.responded_at
    if accepted is not None and start < local_date(accepted):
        raise InvalidInput(
            {
                "start_date": _(
                    "The start date cannot be before the offer was accepted (%(date)s).",
                    date=ReadableDate(local_date(accepted)),
                )
            }
        )
    placement.state = PlacementState.ACTIVE
    placement.started_at = ctx.now
    placement.start_date = start
    participant = ctx.referral.participant
    placement.status_at_entry = participant.labour_market_status
    placement.education_at_entry = participant.education_level


def end_placement(state: str):
    """Action factory: an action that ends the running placement as `state` with the given outcome."""

    def action(ctx: TransitionContext) -> None:
        outcome = ctx.params.get("outcome")
        if outcome not in set(Outcome):
            raise InvalidInput({"outcome": _("Choose the outcome.")})
        placement = ctx.referral.placement
        placement.state = state
        placement.outcome = outcome
        placement.outcome_note = ctx.note
        end: date = ctx.params.get("end_date") or ctx.today
        if end < placement.start_date:
            raise InvalidInput(
                {
                    "end_date": _(
                        "The end date cannot be before the start (%(date)s).",
                        date=ReadableDate(placement.start_date),
                    )
                }
            )
        placement.end_date = end

    action.__name__ = f"end_placement_{state}"
    return action


def cancel_planned_placement(ctx: TransitionContext) -> None:
    """Action: withdrawing after acceptance but before the start frees the supervisor's
    place; the planned placement is *cancelled*: it never began, so no report counts it as
    placed, started, left or supervised."""
    placement = ctx.referral.placement
    if placement is not None and placement.state == PlacementState.PLANNED:
        placement.state = PlacementState.CANCELLED
        placement.outcome_note = ctx.note
