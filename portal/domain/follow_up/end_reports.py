"""The end report (slutrapport): per goal achieved, partly or not, what the person can do
now, the recommended next step, the result at exit and the region's own questions.

The supervisor writes it while the placement runs; in the default workflow it is a
guard on *complete* and *discontinue* (`end_report_written`), and its result at exit is
the placement's outcome, which the ESF report counts (`outcome_from_end_report`). The
goals reported on are the approved plan's (the referral's goal when there is none).
A region's plugins add questions through `portal_end_report_questions`, asked, checked
and stored like referral fields (`domain.referrals.fields`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain import access, audit
from portal.domain.access import FollowUpAction
from portal.domain.follow_up.plans import visible_referral
from portal.domain.referrals import fields as referral_fields
from portal.domain.referrals.steps import fixed_by
from portal.domain.referrals.transitions import Refused, TransitionContext
from portal.i18n import lazy_gettext as _
from portal.models import (
    EndReport,
    GoalResult,
    NextStep,
    Outcome,
    PlacementState,
    PlanState,
    PlanVersion,
    Referral,
    User,
)
from portal.models.base import utcnow


@dataclass(frozen=True)
class EndReportDraft:
    """What the supervisor writes: a result per goal (in the goals' order), what the person
    can do now, the recommended next step, the result at exit, and the answers to the
    region's questions keyed ``"<plugin>.<name>"``."""

    results: list[str | None]
    can_do_now: str
    next_step: str
    outcome: str
    answers: dict[str, object] = field(default_factory=dict)


@dataclass
class EndReportPage:
    referral: Referral
    goals: list[str]
    report: EndReport | None
    questions: list  # the region's `DeclaredField`s
    shown_answers: list  # `referral_fields.ShownAnswer`s of the stored answers
    may_write: bool


def questions(session: Session, engine, region_code: str) -> referral_fields.RegionFields:
    """The region's own end-report questions: enabled plugins' only."""
    return referral_fields.declared(engine.region_hook(session, region_code).portal_end_report_questions, region_code)


def goals_of(session: Session, referral: Referral) -> list[str]:
    """The approved plan's goals (its latest approved version), else the referral's goal."""
    approved = session.scalar(
        select(PlanVersion.goals)
        .where(PlanVersion.referral_id == referral.id, PlanVersion.state == PlanState.APPROVED)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    )
    return list(approved) if approved else [referral.goal]


def _may_write(actor: User, referral: Referral) -> bool:
    return (
        access.may_on_follow_up(actor, FollowUpAction.END_REPORT)
        and referral.placement.state == PlacementState.ACTIVE
        and referral.placement.supervisor.user_id == actor.id
    )


def load(session: Session, engine, actor: User, referral_id: int) -> EndReportPage:
    """The end report page's data; an audited read."""
    referral = visible_referral(session, actor, referral_id)
    report = session.scalar(select(EndReport).where(EndReport.referral_id == referral_id))
    asked = questions(session, engine, referral.region.code)
    audit.on_referral(session, actor, referral, "end_report.view")
    shown = []
    if report is not None:
        for item in asked:
            text = report.answers.get(item.key)
            if text is not None:
                shown.append(referral_fields.ShownAnswer(item.field.label, referral_fields.shown_value(item, text)))
    return EndReportPage(
        referral=referral,
        goals=report.goals if report else goals_of(session, referral),
        report=report,
        questions=asked,
        shown_answers=shown,
        may_write=_may_write(actor, referral),
    )


def _checked(draft: EndReportDraft, goals: list[str], asked) -> dict[str, str | None]:
    errors: dict[str, object] = {}
    for index in range(len(goals)):
        result = draft.results[index] if index < len(draft.results) else None
        if result not in set(GoalResult):
            errors[f"result_{index}"] = _("Say whether this goal was achieved.")
    if not draft.can_do_now.strip():
        errors["can_do_now"] = _("Describe what the person can do now.")
    elif len(draft.can_do_now) > 4000:
        errors["can_do_now"] = _("At most 4000 characters.")
    if draft.next_step not in set(NextStep):
        errors["next_step"] = _("Choose the recommended next step.")
    if draft.outcome not in set(Outcome):
        errors["outcome"] = _("Choose the result at exit.")
    return referral_fields.clean(asked, draft.answers, found=errors)


def write(session: Session, engine, actor: User, referral_id: int, draft: EndReportDraft) -> EndReport:
    """Write (or rewrite) the end report while the placement runs. The caller commits."""
    referral = visible_referral(session, actor, referral_id, lock=True)
    if not _may_write(actor, referral):
        raise Refused(_("Only the placement's own supervisor writes its end report, while it runs."), 403)
    report = session.scalar(select(EndReport).where(EndReport.referral_id == referral_id))
    goals = report.goals if report else goals_of(session, referral)
    answers = _checked(draft, goals, questions(session, engine, referral.region.code))
    if report is None:
        report = EndReport(referral_id=referral_id, goals=goals)
        session.add(report)
    report.results = [draft.results[index] for index in range(len(goals))]
    report.can_do_now = draft.can_do_now.strip()
    report.next_step, report.outcome = draft.next_step, draft.outcome
    report.answers = {key: text for key, text in answers.items() if text is not None}
    report.written_by_id, report.written_at = actor.id, utcnow()
    session.flush()
    audit.on_referral(session, actor, referral, "end_report.write")
    return report


def _report(ctx: TransitionContext) -> EndReport | None:
    return ctx.session.scalar(select(EndReport).where(EndReport.referral_id == ctx.referral.id))


@fixed_by("end_report")
def end_report_written(ctx: TransitionContext):
    """Guard: the placement's end report has been written."""
    if _report(ctx) is None:
        return _("The supervisor writes the end report before the placement ends.")
    return None


def outcome_from_end_report(ctx: TransitionContext) -> None:
    """Action: the end report's result at exit is the placement's outcome when the step is
    given none (put it before `steps.end_placement`)."""
    report = _report(ctx)
    if report is not None and not ctx.params.get("outcome"):
        ctx.params["outcome"] = report.outcome
