"""The referral's life: drafts, transitions fired by people, offers and their answers.

Every function that changes a referral starts a write transaction, locks the referral
row and checks access before asking the workflow engine; the caller commits. That
order makes two people acting at once (two acceptances, an acceptance and a
withdrawal) happen one after the other, each seeing the other's result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.interfaces import ORMOption

from portal.domain import access, audit
from portal.domain.errors import InvalidInput
from portal.domain.referrals import fields as referral_fields
from portal.domain.referrals.transitions import Engine, Refused, fire, found
from portal.domain.transactions import begin_write, locked, locked_all
from portal.i18n import lazy_gettext as _
from portal.models import DeclineReason, Offer, Outcome, Participant, Referral, Role, Transition, User
from portal.models.base import utcnow


@dataclass
class ReferralDetails:
    """What a caseworker writes in a referral (`create_draft`, `update_draft`).

    :param goal: the goal of the placement (required, at most 2000 characters).
    :param hours_per_week: 1 to 40.
    :param earliest_start: the earliest date the placement may start, or None.
    :param notes: anything else the supervisor should know (at most 4000 characters).
    :param region_wide: look for supervisors in the whole region, not only nearby.
    :param answers: the region's plugins' referral fields, keyed ``"<plugin>.<field>"``
        (`portal.domain.referrals.fields.DeclaredField.key`), as text or typed values.
    """

    goal: str
    hours_per_week: int | None
    earliest_start: date | None = None
    notes: str | None = None
    region_wide: bool = False
    answers: dict[str, object] = field(default_factory=dict)  # the region's extra fields, by `DeclaredField.key`


def _validate(details: ReferralDetails, extra_fields: list) -> dict[str, str | None]:
    """Raise `InvalidInput` for every field at once; answer the extra fields' stored texts."""
    errors: dict[str, object] = {}
    if not (details.goal or "").strip():
        errors["goal"] = _("Describe the goal of the placement.")
    elif len(details.goal) > 2000:
        errors["goal"] = _("At most 2000 characters.")
    if details.hours_per_week is None or not 1 <= details.hours_per_week <= 40:
        errors["hours_per_week"] = _("Enter between 1 and 40 hours per week.")
    if details.notes and len(details.notes) > 4000:
        errors["notes"] = _("At most 4000 characters.")
    return referral_fields.clean(extra_fields, details.answers, found=errors)


def workflow_for_region(session: Session, engine: Engine, region_code: str, hooks=None):
    """The latest version of the workflow new referrals in the region follow (`hooks`:
    the region's hooks, when the caller has them or previews other ones)."""
    hooks = hooks or engine.region_hook(session, region_code)
    name = hooks.portal_region_workflow(region_code=region_code)
    workflow = engine.registry.latest(name)
    if workflow is None:
        raise Refused(_("No workflow named %(name)s is installed.", name=name), 409)
    return workflow


def create_draft(
    session: Session, engine: Engine, actor: User, participant: Participant, details: ReferralDetails
) -> Referral:
    """A draft at the caseworker's authority, under the region's current workflow."""
    if actor.role != Role.CASEWORKER:
        raise Refused(_("Only caseworkers write referrals."), 403)
    region = participant.municipality.region
    extra_fields = referral_fields.for_region(session, engine, region.code)
    answers = _validate(details, extra_fields)
    workflow = workflow_for_region(session, engine, region.code)
    now = utcnow()
    referral = Referral(
        participant=participant,
        authority_id=actor.authority_id,
        caseworker=actor,
        region=region,
        workflow_name=workflow.name,
        workflow_version=workflow.version,
        state=workflow.initial,
        created_at=now,
    )
    _apply(referral, details)
    session.add(referral)
    session.add(
        Transition(
            referral=referral, name="create", from_state=None, to_state=workflow.initial, actor=actor, occurred_at=now
        )
    )
    session.flush()
    referral_fields.store(session, referral.id, extra_fields, answers)
    audit.record(
        session, actor_id=actor.id, action="referral.create", participant_ids=[participant.id], referral_id=referral.id
    )
    return referral


def update_draft(session: Session, engine: Engine, actor: User, referral_id: int, details: ReferralDetails) -> Referral:
    referral = lock_visible(session, actor, referral_id)
    if referral.state != engine.workflow_of(referral).initial or actor.role != Role.CASEWORKER:
        raise Refused(_("Only a draft can be edited, by a caseworker."), 409)
    extra_fields = referral_fields.for_region(session, engine, referral.region.code)
    answers = _validate(details, extra_fields)
    _apply(referral, details)
    referral_fields.store(session, referral.id, extra_fields, answers)
    audit.on_referral(session, actor, referral, "referral.update")
    return referral


def _apply(referral: Referral, details: ReferralDetails) -> None:
    referral.goal = details.goal.strip()
    referral.hours_per_week = details.hours_per_week
    referral.earliest_start = details.earliest_start
    referral.notes = (details.notes or "").strip() or None
    referral.region_wide = bool(details.region_wide)


def lock_visible(session: Session, actor: User | None, referral_id: int) -> Referral:
    """Begin a write, lock the referral, and refuse (404) one the actor may not see."""
    begin_write(session)
    referral = locked(session, Referral, referral_id)
    if referral is None or (actor is not None and not visible(session, actor, referral_id)):
        raise Refused(_("There is no such referral, or you do not have access to it."), 404)
    return referral


def shown(session: Session, actor: User, referral_id: int, *options: ORMOption) -> Referral:
    """The referral with its participant's profile, its authority and `options` loaded, for
    a page about it (the referral's own, its matching), or a 404 refusal if `actor` may not
    see it."""
    return found(
        session.scalar(
            select(Referral)
            .where(Referral.id == referral_id, access.referrals_visible_to(actor))
            .options(
                *Participant.profile_loaded(joinedload(Referral.participant)), joinedload(Referral.authority), *options
            )
        ),
        _("There is no such referral, or you do not have access to it."),
    )


def visible(session: Session, actor: User, referral_id: int) -> bool:
    return bool(
        session.scalar(
            select(func.count())
            .select_from(Referral)
            .where(Referral.id == referral_id, access.referrals_visible_to(actor))
        )
    )


def act(
    session: Session,
    engine: Engine,
    actor: User,
    referral_id: int,
    transition: str,
    *,
    note: str | None = None,
    params: dict | None = None,
    answers: dict | None = None,
) -> Referral:
    """Fire a transition that needs no offer (submit, withdraw, start, complete …).

    :param session: the caller's session; the caller commits (nothing is committed here).
    :param engine: the `Engine` (``app.extensions["portal.engine"]``; the ``engine`` fixture).
    :param actor: the `User` firing it; their role must be among the transition's roles
        and they must see the referral.
    :param referral_id: the referral's id.
    :param transition: the transition's name in the referral's workflow (``"submit"``).
    :param note: a free-text note, kept on the referral's timeline.
    :param params: what the transition's guards and actions read (`TransitionContext.params`):
        ``{"start_date": date}`` for start, ``{"outcome": code, "end_date": date}`` for
        complete and discontinue.
    :param answers: the answers to the step's own fields (`Transition.fields`), by field
        name; a wrong one raises `InvalidInput` keyed by that name.
    :return: the `Referral`, in its new state (automatic transitions that followed included).
    :raises Refused: the role, the state or a guard said no (its ``status``: 403, 404, 409).
    """
    referral = lock_visible(session, actor, referral_id)
    params = dict(params or {})
    if transition in ("complete", "discontinue"):
        _require_outcome(params)
    if transition in ("start", "complete", "discontinue") and actor.role == Role.SUPERVISOR:
        if referral.placement is None or referral.placement.supervisor.user_id != actor.id:
            raise Refused(_("Only the placement's own supervisor can do this."), 403)
    fire(session, engine, referral, transition, actor=actor, note=note, params=params, answers=answers)
    audit.on_referral(session, actor, referral, f"referral.{transition}")
    return referral


def _require_outcome(params: dict) -> None:
    """A given outcome must be one of ours; none is left to the workflow's actions (the
    end report's result at exit), and the step refuses when they find none either."""
    if params.get("outcome") and params["outcome"] not in set(Outcome):
        raise InvalidInput({"outcome": _("Choose the outcome.")})


def offer(
    session: Session, engine: Engine, actor: User, referral_id: int, supervisor_ids: list[int], note: str | None = None
) -> Referral:
    """Offer the referral to supervisors (the ``offer`` transition): as many at once as the
    workflow's ``max_parallel_offers``.

    :param supervisor_ids: ids of certified supervisors (`Supervisor.id`, not their users').
    :param note: a note shown to the supervisors with the offer.
    Otherwise as `act`.
    """
    return act(session, engine, actor, referral_id, "offer", note=note, params={"supervisor_ids": supervisor_ids})


def answer(
    session: Session,
    engine: Engine,
    actor: User,
    offer_id: int,
    *,
    accept: bool,
    reason: str | None = None,
    note: str | None = None,
    start_date: date | None = None,
) -> Referral:
    """The supervisor accepts or declines an offer made to them.

    :param actor: the supervisor's `User` (the offer's supervisor's user).
    :param offer_id: the `Offer`'s id.
    :param accept: True to accept (``accept`` transition), False to decline (``decline``).
    :param reason: when declining: a `portal.models.DeclineReason` value (required then).
    :param note: a note with the answer.
    :param start_date: when accepting: the planned start of the placement.
    :return: the `Referral`, in its new state.
    :raises Refused: the offer is not theirs, no longer open, or a guard said no.
    """
    begin_write(session)
    referral, the_offer = lock_offer(session, offer_id)
    if the_offer is None:
        raise Refused(_("There is no such offer."), 404)
    if actor.role != Role.SUPERVISOR or the_offer.supervisor.user_id != actor.id:
        raise Refused(_("Only the supervisor the offer was made to can answer it."), 403)
    params = {"offer": the_offer, "start_date": start_date}
    if accept:
        fire(session, engine, referral, "accept", actor=actor, note=note, params=params)
    else:
        if reason not in set(DeclineReason):
            raise InvalidInput({"reason": _("Choose a reason for declining.")})
        params["reason"] = reason
        fire_first(session, engine, referral, ("decline", "decline_one"), actor, note, params)
    audit.on_referral(session, actor, referral, "offer.accept" if accept else "offer.decline")
    return referral


def lock_offer(session: Session, offer_id: int) -> tuple[Referral | None, Offer | None]:
    """Lock an offer's referral, then the offer (the order of `domain.transactions`), both
    re-read; (None, None) when there is no such offer. The caller has begun a write."""
    referral_id = session.scalar(select(Offer.referral_id).where(Offer.id == offer_id))
    if referral_id is None:
        return None, None
    return locked(session, Referral, referral_id), locked(session, Offer, offer_id)


def fire_first(session, engine, referral, names, actor, note, params, now=None):
    """Fire the first of `names` the workflow has and allows (e.g. "decline" when this
    was the last open offer, "decline_one" when others are still open)."""
    workflow = engine.workflow_of(referral)
    refusal = None
    for name in names:
        if workflow.transition(name) is None:
            continue
        try:
            return fire(session, engine, referral, name, actor=actor, note=note, params=params, now=now)
        except Refused as error:
            refusal = error
    raise refusal or Refused(_("The workflow does not allow this."), 409)


def withdraw_after_consent_withdrawn(session: Session, engine: Engine, actor: User, participant_id: int) -> int:
    """Withdrawn consent stops every open referral of the person (in the same transaction).

    The referrals are locked in ascending id order and their state checked after the
    lock, so an acceptance that committed while this waited is seen (its planned
    placement is then cancelled by the withdrawal), never overwritten."""
    open_ids = session.scalars(
        select(Referral.id).where(Referral.participant_id == participant_id, Referral.closed_at.is_(None))
    ).all()
    count = 0
    for referral in locked_all(session, Referral, open_ids):
        if referral.closed_at is not None:
            continue
        workflow = engine.workflow_of(referral)
        transition = workflow.transition("withdraw")
        if transition is not None and referral.state in transition.sources:
            fire(session, engine, referral, "withdraw", actor=None, note=str(_("Consent withdrawn.")))
            count += 1
    return count


LEAD_TIME_STEPS = (("submitted", "offered"), ("offered", "accepted"), ("accepted", "active"))


def lead_times(referral: Referral) -> dict[str, object]:
    """When each milestone was first reached and the days between them; the figure to
    watch is submission → start."""
    reached: dict[str, datetime] = {}
    for entry in referral.transitions:
        reached.setdefault(entry.to_state, entry.occurred_at)
        if entry.name == "start":  # the placement began, whatever a workflow calls the state it leads to
            reached.setdefault("active", entry.occurred_at)
    if referral.submitted_at:
        reached.setdefault("submitted", referral.submitted_at)
    steps = {f"{a}_{b}": _days(reached.get(a), reached.get(b)) for a, b in LEAD_TIME_STEPS}
    steps["submitted_active"] = _days(reached.get("submitted"), reached.get("active"))
    steps["waiting_since_submission"] = _days(reached.get("submitted"), utcnow()) if "active" not in reached else None
    return {"reached": reached, "days": steps}


def _days(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 86400, 1)
