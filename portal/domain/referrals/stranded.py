"""Referrals whose workflow is gone, and moving them to the region's current workflow.

A referral runs under the workflow name and version it started with; the registry keeps
every version installed plugins still declare, so enabling, disabling or upgrading a
plugin strands nothing by itself. A referral is stranded when its version is no longer
declared at all (the plugin was removed, or dropped an old version) or its state is not
in that version. It is still shown, with a warning, but nothing can be done with it
until an admin or the region's coordinator moves it to a state of the region's current
workflow, with a note: recorded on its timeline as "migrate" and audited.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, false, func, not_, or_, select
from sqlalchemy.orm import Session, contains_eager

from portal.domain import access, audit
from portal.domain.errors import InvalidInput
from portal.domain.referrals.actions import workflow_for_region
from portal.domain.referrals.transitions import Engine, Refused, follow_automatic
from portal.domain.referrals.workflow import Registry, Workflow
from portal.domain.transactions import begin_write, locked
from portal.i18n import lazy_gettext as _
from portal.models import Referral, User
from portal.models import Transition as TimelineEntry
from portal.models.base import utcnow

MIGRATE = "migrate"


def is_stranded(registry: Registry, referral: Referral) -> bool:
    workflow = registry.get(referral.workflow_name, referral.workflow_version)
    return workflow is None or workflow.state(referral.state) is None


def stand_in(referral: Referral) -> Workflow:
    """An empty workflow under the stranded referral's name, so that its page can show it."""
    return Workflow(
        name=referral.workflow_name,
        version=referral.workflow_version,
        title=referral.workflow_name,
        initial="",
        states=(),
        transitions=(),
    )


def stranded_query(registry: Registry, actor: User) -> Select:
    """Open referrals `actor` administers whose (workflow, version, state) is not installed."""
    runnable = [
        and_(
            Referral.workflow_name == w.name,
            Referral.workflow_version == w.version,
            Referral.state.in_([s.name for s in w.states]),
        )
        for w in registry
    ]
    return (
        select(Referral)
        .join(Referral.region)
        .where(Referral.closed_at.is_(None), not_(or_(false(), *runnable)), access.regions_administered_by(actor))
    )


def listing(session: Session, registry: Registry, actor: User) -> list[Referral]:
    query = stranded_query(registry, actor).options(contains_eager(Referral.region)).order_by(Referral.id)
    return list(session.scalars(query))


def count(session: Session, registry: Registry, actor: User) -> int:
    return session.scalar(select(func.count()).select_from(stranded_query(registry, actor).subquery()))


def require_administered(session: Session, actor: User, referral_id: int) -> Referral:
    """The referral, if it is in a region `actor` administers; else Refused(404), before
    anything else is looked at."""
    referral = session.get(Referral, referral_id)
    if referral is None or not access.may_administer_region(actor, referral.region):
        raise Refused(_("There is no such referral, or you do not have access to it."), 404)
    return referral


def move(session: Session, engine: Engine, actor: User, referral_id: int, state: str, note: str) -> Referral:
    """Move a stranded referral to `state` of its region's current workflow."""
    if not (note or "").strip():
        raise InvalidInput({"note": _("Say why the referral is moved to this step.")})
    begin_write(session)
    referral = locked(session, Referral, referral_id)
    if referral is None or not access.may_administer_region(actor, referral.region):
        raise Refused(_("There is no such referral, or you do not have access to it."), 404)
    if not is_stranded(engine.registry, referral):
        raise Refused(_("This referral's workflow is installed; it moves through its own steps."), 409)
    workflow = workflow_for_region(session, engine, referral.region.code)
    target = workflow.state(state)
    if target is None:
        raise InvalidInput({"state": _("Choose a step of the region's workflow.")})
    now = utcnow()
    before = f"{referral.workflow_name}/{referral.workflow_version}:{referral.state}"
    session.add(
        TimelineEntry(
            referral=referral,
            name=MIGRATE,
            from_state=referral.state,
            to_state=target.name,
            actor=actor,
            occurred_at=now,
            note=note.strip(),
        )
    )
    referral.workflow_name, referral.workflow_version, referral.state = workflow.name, workflow.version, target.name
    if target.terminal or target.ended:
        referral.closed_at = now
    session.flush()
    audit.on_referral(
        session,
        actor,
        referral,
        "referral.migrate",
        detail=f"from={before} to={workflow.name}/{workflow.version}:{target.name}"[:200],
    )
    follow_automatic(session, engine, referral, workflow, now)
    return referral
