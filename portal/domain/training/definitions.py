"""What "trained" means, once for the pages and the reports alike.

A supervisor is trained when they have completed every module of their own cohort (a
cohort with no modules trains nobody). `as_of` counts only completions on or before a
day, as the reports do for the end of their period. The training report, the 3R report
and the coordinator's overview ask `trained_supervisors`; before this was one definition,
a completion in any cohort counted, so a region showed more trained supervisors than it
had trained. The programme's target (26) counts trained supervisors, whatever the
certification says; certified is shown beside it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from portal.i18n import lazy_gettext as _
from portal.models import Module, ModuleCompletion, Supervisor

TARGET = 26  # trained supervisors the ESF project set out to reach (seed document)
TRAINED = _("Trained: every module of the supervisor's own cohort completed (by the end of the period).")


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


def trained_supervisors(as_of: date | None = None):
    """A query of ``supervisor_id`` for every supervisor trained by `as_of` (any time when
    None), to join as a subquery: ``trained_supervisors(day).subquery()``."""
    return select(Supervisor.id.label("supervisor_id")).where(trained_supervisors_condition(as_of))


def trained_ids(session: Session, as_of: date | None = None) -> set[int]:
    """The ids of every supervisor trained (by `as_of`)."""
    return set(session.scalars(trained_supervisors(as_of)))
