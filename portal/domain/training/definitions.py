"""What "trained" means, once for the pages and the reports alike.

A supervisor is trained when they have completed every module of their own cohort (a
cohort with no modules trains nobody). `as_of` counts only completions on or before a
day, as the reports do for the end of their period.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from portal.models import Module, ModuleCompletion, Supervisor


def modules_in_cohort():
    """Correlated count of the modules of the supervisor's cohort."""
    return select(func.count()).where(Module.cohort_id == Supervisor.cohort_id).correlate(Supervisor).scalar_subquery()


def modules_completed(as_of: date | None = None):
    """Correlated count of the modules of their own cohort the supervisor has completed."""
    query = (
        select(func.count())
        .select_from(ModuleCompletion)
        .join(Module, Module.id == ModuleCompletion.module_id)
        .where(ModuleCompletion.supervisor_id == Supervisor.id, Module.cohort_id == Supervisor.cohort_id)
    )
    if as_of is not None:
        query = query.where(ModuleCompletion.completed_on <= as_of)
    return query.correlate(Supervisor).scalar_subquery()


def trained_supervisors_condition(as_of: date | None = None) -> ColumnElement[bool]:
    """Condition on `Supervisor`: completed every module of their cohort (by `as_of`)."""
    total = modules_in_cohort()
    return Supervisor.cohort_id.is_not(None) & (total > 0) & (modules_completed(as_of) >= total)


def is_trained(session: Session, supervisor_id: int, as_of: date | None = None) -> bool:
    return bool(
        session.scalar(
            select(Supervisor.id).where(Supervisor.id == supervisor_id, trained_supervisors_condition(as_of))
        )
    )
