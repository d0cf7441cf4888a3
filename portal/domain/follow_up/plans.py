"""The plan (genomförandeplan): the supervisor drafts it after acceptance, the caseworker
approves it or sends it back with a comment; in the default workflow an approved plan is
a guard on *start* (`plan_approved`).

Every save is a new version; nothing is overwritten. Two people saving at once are put
one after the other by the referral's row lock (`domain.transactions`), and each save
names the version it was written on: when someone else saved in between, the second is
refused with a message to reload (`PlanChanged`), and nothing of theirs is lost silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.domain import access, audit
from portal.domain.access import FollowUpAction
from portal.domain.errors import InvalidInput
from portal.domain.notifications import inbox
from portal.domain.referrals import fields
from portal.domain.referrals.fields import ReferralField
from portal.domain.referrals.steps import count_rows, fixed_by
from portal.domain.referrals.transitions import Refused, TransitionContext
from portal.domain.transactions import begin_write, locked
from portal.i18n import lazy_gettext as _
from portal.models import RUNNING_PLACEMENT_STATES, PlacementState, PlanState, PlanVersion, Referral, User
from portal.models.base import utcnow

MAX_GOALS = 10


class PlanChanged(Refused):
    """Someone saved or decided the plan after the version the form was written on."""

    def __init__(self):
        super().__init__(
            _("Someone else changed the plan while you were working on it. Reload the page to see their version."),
            409,
        )


@dataclass(frozen=True)
class PlanDraft:
    """What the supervisor writes: concrete goals (one per line on the form), activities,
    hours per week (1-40) and the schedule."""

    goals: list[str]
    activities: str
    hours_per_week: int | None
    schedule: str = ""


@dataclass
class PlanPage:
    referral: Referral
    versions: list[PlanVersion]  # newest first
    may_write: bool
    may_decide: bool

    @property
    def latest(self) -> PlanVersion | None:
        return self.versions[0] if self.versions else None

    @property
    def version(self) -> int:
        """The number the forms carry back, to notice someone else's save (0: none yet)."""
        return self.latest.number if self.latest else 0


def goal_lines(text: str) -> list[str]:
    """The goals of a textarea: one per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


HOURS = ReferralField("hours_per_week", _("Hours per week"), kind="number", required=True)


def _check(draft: PlanDraft) -> None:
    """`InvalidInput` naming every bad field; the hours are checked as every structured
    field is (`fields.value`), then held to 1-40."""
    errors: dict[str, object] = {}
    if not draft.goals:
        errors["goals"] = _("Write at least one goal, one per line.")
    elif len(draft.goals) > MAX_GOALS:
        errors["goals"] = _("At most %(count)d goals.", count=MAX_GOALS)
    elif any(len(goal) > 500 for goal in draft.goals):
        errors["goals"] = _("At most 500 characters per goal.")
    if not draft.activities.strip():
        errors["activities"] = _("Describe the activities.")
    elif len(draft.activities) > 4000:
        errors["activities"] = _("At most 4000 characters.")
    hours_message = _("Enter between 1 and 40 hours per week.")
    try:
        hours = fields.value(HOURS, draft.hours_per_week, message=hours_message)
        if not 1 <= hours <= 40:
            errors["hours_per_week"] = hours_message
    except ValueError as error:
        errors["hours_per_week"] = error.args[0]
    if len(draft.schedule or "") > 2000:
        errors["schedule"] = _("At most 2000 characters.")
    if errors:
        raise InvalidInput(errors)


def visible_referral(session: Session, actor: User, referral_id: int, *, lock: bool = False) -> Referral:
    """The referral whose follow-up `actor` sees (locked for a write when `lock`), or a 404
    refusal. A referral with no running or ended placement has no follow-up."""
    if lock:
        begin_write(session)
        referral = locked(session, Referral, referral_id)
    else:
        referral = session.get(Referral, referral_id)
    seen = referral is not None and session.scalar(
        select(func.count()).select_from(Referral).where(Referral.id == referral_id, access.follow_up_visible_to(actor))
    )
    if not seen or referral.placement is None or referral.placement.state == PlacementState.CANCELLED:
        raise Refused(_("There is no such placement, or you do not have access to it."), 404)
    return referral


def versions_of(session: Session, referral_id: int) -> list[PlanVersion]:
    return list(
        session.scalars(
            select(PlanVersion).where(PlanVersion.referral_id == referral_id).order_by(PlanVersion.number.desc())
        )
    )


def _may_write(actor: User, referral: Referral) -> bool:
    return (
        access.may_on_follow_up(actor, FollowUpAction.WRITE_PLAN)
        and referral.placement.state in RUNNING_PLACEMENT_STATES
        and referral.placement.supervisor.user_id == actor.id
    )


def load(session: Session, actor: User, referral_id: int) -> PlanPage:
    """The plan page's data; an audited read of the placement's follow-up."""
    referral = visible_referral(session, actor, referral_id)
    versions = versions_of(session, referral_id)
    audit.on_referral(session, actor, referral, "plan.view")
    latest = versions[0] if versions else None
    return PlanPage(
        referral=referral,
        versions=versions,
        may_write=_may_write(actor, referral),
        may_decide=access.may_on_follow_up(actor, FollowUpAction.DECIDE_PLAN)
        and latest is not None
        and latest.state == PlanState.SUBMITTED,
    )


def _latest_checked(session: Session, referral_id: int, seen_version: int) -> PlanVersion | None:
    versions = versions_of(session, referral_id)
    latest = versions[0] if versions else None
    if (latest.number if latest else 0) != seen_version:
        raise PlanChanged()
    return latest


def save(
    session: Session,
    settings,
    actor: User,
    referral_id: int,
    draft: PlanDraft,
    *,
    seen_version: int,
    submit: bool,
) -> PlanVersion:
    """Save the plan as a new version, written on `seen_version`; with `submit`, send it to
    the caseworker for approval (they are notified). The caller commits."""
    referral = visible_referral(session, actor, referral_id, lock=True)
    if not _may_write(actor, referral):
        raise Refused(_("Only the placement's own supervisor writes the plan, while it runs."), 403)
    _check(draft)
    latest = _latest_checked(session, referral_id, seen_version)
    version = PlanVersion(
        referral_id=referral_id,
        number=(latest.number if latest else 0) + 1,
        state=PlanState.SUBMITTED if submit else PlanState.DRAFT,
        goals=list(draft.goals),
        activities=draft.activities.strip(),
        hours_per_week=draft.hours_per_week,
        schedule=(draft.schedule or "").strip() or None,
        written_by_id=actor.id,
        written_at=utcnow(),
    )
    session.add(version)
    session.flush()
    audit.on_referral(session, actor, referral, "plan.submit" if submit else "plan.save", detail=str(version.number))
    if submit:
        inbox.notify(
            session, recipients=[referral.caseworker], kind="plan_submitted", referral_id=referral.id, settings=settings
        )
    return version


def decide(
    session: Session, settings, actor: User, referral_id: int, *, seen_version: int, approve: bool, comment: str = ""
) -> PlanVersion:
    """Approve the submitted version `seen_version`, or send it back with a comment
    (required then); the supervisor is notified. The caller commits."""
    referral = visible_referral(session, actor, referral_id, lock=True)
    if not access.may_on_follow_up(actor, FollowUpAction.DECIDE_PLAN):
        raise Refused(_("Only the referral's caseworkers approve the plan."), 403)
    comment = (comment or "").strip()
    if not approve and not comment:
        raise InvalidInput({"comment": _("Say what should change in the plan.")})
    if len(comment) > 2000:
        raise InvalidInput({"comment": _("At most 2000 characters.")})
    latest = _latest_checked(session, referral_id, seen_version)
    if latest is None or latest.state != PlanState.SUBMITTED:
        raise Refused(_("The plan has not been sent for approval."), 409)
    latest.state = PlanState.APPROVED if approve else PlanState.RETURNED
    latest.decided_by_id, latest.decided_at, latest.comment = actor.id, utcnow(), comment or None
    audit.on_referral(session, actor, referral, "plan.approve" if approve else "plan.return", detail=str(latest.number))
    inbox.notify(
        session,
        recipients=[referral.placement.supervisor.user],
        kind="plan_approved" if approve else "plan_returned",
        referral_id=referral.id,
        settings=settings,
    )
    return latest


@fixed_by("plan")
def plan_approved(ctx: TransitionContext):
    """Guard: the placement has an approved plan (any approved version counts: a later
    draft does not undo what the caseworker approved)."""
    approved = count_rows(
        ctx, PlanVersion, PlanVersion.referral_id == ctx.referral.id, PlanVersion.state == PlanState.APPROVED
    )
    if not approved:
        return _("The placement can start when the caseworker has approved its plan.")
    return None
