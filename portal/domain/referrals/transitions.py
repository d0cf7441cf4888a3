"""Firing workflow transitions: check role, state and guards, run actions, record the
step on the timeline, tell plugins, then follow any automatic transitions.

Callers hold the referral's lock (`transactions.begin_write` + `transactions.locked`)
and commit afterwards; a refusal raises before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from portal.domain.calendar import local_date
from portal.domain.referrals import fields
from portal.domain.referrals.workflow import SYSTEM, Registry, Transition, Workflow
from portal.i18n import lazy_gettext as _
from portal.models import Referral, User
from portal.models import Transition as TimelineEntry
from portal.models.base import utcnow


class Refused(Exception):
    """An action that is not allowed; `status` is the HTTP status a web view answers with
    (403 wrong role, 404 unknown, 409 wrong state or a guard said no); `field` names the
    form field the refusal is about (a guard's ``field``), for the page to show it there."""

    def __init__(self, message, status: int = 409, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.status = status
        self.field = field


def found(row, message):
    """`row`, or Refused(`message`, 404) when it is None; a lookup scoped by access uses it
    too, so that what one may not see is refused as not existing and an id tells nothing."""
    if row is None:
        raise Refused(message, 404)
    return row


@dataclass(frozen=True)
class Engine:
    """What domain functions need from the running portal, without a request."""

    registry: Registry
    hook: object  # pluggy's hook relay, for the global hooks (every installed plugin)
    settings: Mapping = field(default_factory=dict)
    manager: object = None  # the pluggy PluginManager behind `hook`

    def region_hook(self, session: Session, region_code: str):
        """The hooks as `region_code` sees them: core's built-ins and the plugins enabled
        there (one query). Region-scoped hooks (`hookspecs.REGION_SCOPED`) go through here."""
        from portal.domain.region_plugins import enabled_plugins
        from portal.plugins import region_hook

        return region_hook(self.manager, enabled_plugins(session, region_code))

    def workflow_of(self, referral: Referral) -> Workflow:
        workflow = self.registry.get(referral.workflow_name, referral.workflow_version)
        if workflow is None:
            raise Refused(
                _(
                    "This referral runs under workflow %(name)s version %(version)s, which is no longer "
                    "installed. An administrator must move it to an installed workflow.",
                    name=referral.workflow_name,
                    version=referral.workflow_version,
                ),
                409,
            )
        return workflow


@dataclass
class TransitionContext:
    """What every guard and action of a transition is called with.

    :param session: the SQLAlchemy session of the change; actions add and change rows in
        it and never commit (the caller commits the whole step, or nothing).
    :param engine: the `Engine`: the workflow registry, the hooks and ``engine.settings``.
    :param referral: the `Referral`, locked for the change, still in its old state while
        guards and actions run.
    :param workflow: the `Workflow` the referral runs under (its name and version).
    :param transition: the `Transition` being fired.
    :param actor: the `User` firing it, or None when the portal does (expiry, automatic steps).
    :param note: the free-text note given with the step, or None.
    :param params: what the step was given: ``"offer"`` (the `Offer` answered) for
        accept/decline/expire, ``"supervisor_ids"`` for offer, ``"reason"`` for decline,
        ``"outcome"`` and ``"end_date"`` for complete/discontinue, ``"start_date"`` for start.
    :param now: the moment of the step (UTC), the same for every guard and action.
    :param answers: the answers to the step's `Transition.fields`, checked, by field name,
        typed (a `date`, an `int`, True/False, the text or a choice's code; None: none).
    """

    session: Session
    engine: Engine
    referral: Referral
    workflow: Workflow
    transition: Transition
    actor: User | None
    note: str | None
    params: dict
    now: datetime
    answers: dict = field(default_factory=dict)

    @property
    def today(self) -> date:
        """The date of `now` in the portal's time zone (`calendar.local_date`)."""
        return local_date(self.now, self.engine.settings.get("TIMEZONE"))


def allowed(engine: Engine, referral: Referral, actor: User | None) -> list[Transition]:
    """Transitions `actor` could try from the referral's state (guards not yet asked)."""
    role = actor.role if actor else SYSTEM
    workflow = engine.workflow_of(referral)
    return [t for t in workflow.outgoing(referral.state) if role in t.roles and not t.automatic]


@dataclass(frozen=True)
class Blocked:
    """A guard's refusal of a step not yet tried: its `message`, and `fix`, the name of
    what the user should do first (a guard's ``fix``, such as ``"consent"``), or None."""

    message: object
    fix: str | None = None


def blocked(session: Session, engine: Engine, referral: Referral, transition: Transition, actor: User | None):
    """Why `transition` would be refused now whatever the user enters, or None: the first
    message of its guards that do not read the step's input (a guard marked with
    `steps.input_required` checks what the form gives, so the form says it is required instead; one that
    needs a parameter, such as the offer answered, cannot be asked before). Reads only."""
    workflow = engine.workflow_of(referral)
    context = TransitionContext(session, engine, referral, workflow, transition, actor, None, {}, utcnow())
    for guard in transition.guards:
        if getattr(guard, "field", None):
            continue
        try:
            refusal = guard(context)
        except KeyError:  # it reads a parameter only the step itself is given
            continue
        if refusal:
            return Blocked(refusal, getattr(guard, "fix", None))
    return None


def fire(
    session: Session,
    engine: Engine,
    referral: Referral,
    name: str,
    *,
    actor: User | None,
    note: str | None = None,
    params: dict | None = None,
    answers: Mapping[str, object] | None = None,
    now: datetime | None = None,
) -> TimelineEntry:
    """Move `referral` along transition `name`; returns the timeline entry written.

    `answers` (by field name) answer the step's `Transition.fields`: checked before any
    guard, `InvalidInput` at the field when one is wrong, kept on the timeline entry."""
    workflow = engine.workflow_of(referral)
    transition = found(workflow.transition(name), _("The workflow has no step called %(name)s.", name=name))
    role = actor.role if actor else SYSTEM
    if role not in transition.roles:
        raise Refused(_("Your role may not do this: %(step)s.", step=transition.label), 403)
    if referral.state not in transition.sources:
        state = workflow.state(referral.state)
        raise Refused(
            _("This cannot be done while the referral is “%(state)s”.", state=state.label if state else referral.state),
            409,
        )
    stored = fields.clean_named(transition.fields, answers or {}) if transition.fields else {}
    asked = {item.name: item for item in transition.fields if isinstance(item, fields.ReferralField)}
    context = TransitionContext(
        session,
        engine,
        referral,
        workflow,
        transition,
        actor,
        note,
        dict(params or {}),
        now or utcnow(),
        {name: fields.typed(asked[name], text) for name, text in stored.items()},
    )
    for guard in transition.guards:
        refusal = guard(context)
        if refusal:
            raise Refused(refusal, 409, field=getattr(guard, "field", None))
    for action in transition.actions:
        action(context)
    entry = TimelineEntry(
        referral=referral,
        name=transition.name,
        from_state=referral.state,
        to_state=transition.target,
        actor=actor,
        occurred_at=context.now,
        note=note or None,
        answers={name: text for name, text in stored.items() if text is not None} or None,
    )
    referral.state = transition.target
    target = workflow.state(transition.target)
    if target.terminal or target.ended:
        referral.closed_at = referral.closed_at or context.now
    session.add(entry)
    session.flush()
    engine.region_hook(session, referral.region.code).portal_transition_done(
        session=session,
        engine=engine,
        referral=referral,
        transition=transition,
        actor=actor,
        note=note,
        answers=context.answers,
    )
    follow_automatic(session, engine, referral, workflow, context.now)
    return entry


def follow_automatic(session, engine, referral, workflow, now) -> None:
    """Fire the first automatic transition out of the referral's state that its guards allow."""
    for transition in workflow.outgoing(referral.state):
        if not transition.automatic:
            continue
        context = TransitionContext(session, engine, referral, workflow, transition, None, None, {}, now)
        if not any(guard(context) for guard in transition.guards):
            fire(session, engine, referral, transition.name, actor=None, now=now)
            return
