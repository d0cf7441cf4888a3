"""The supervisor training report: cohorts and the modules completed in them, and the
supervisors trained and certified, by region and gender, against the programme's target.

A supervisor belongs to the region of their cohort (where they were trained). Trained:
as `domain.training.definitions` decides, by the end of the period (the target counts
these); certified: certified on or before its end. Both are running totals, declared as
such so that downloads leave them out (a quarter's total minus the previous one would
give the quarter's small counts away); the "in the period" columns count what happened
within it and add up across quarters.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, case, func, select

from portal.domain.reports.interface import BarChart, BuiltReport, ReportParameter, Sum, Table
from portal.domain.training.definitions import TARGET, TRAINED, trained_supervisors
from portal.i18n import lazy_gettext as _
from portal.models import Cohort, Module, ModuleCompletion, Region, Supervisor

from .common import GENDER_ORDER, PERIOD, REGION, covers, gender_label, share

TARGET_PARAMETER = ReportParameter("target", _("Target: trained supervisors"), "number", default=TARGET, minimum=1)


class TrainingReport:
    identifier = "training"
    title = _("Supervisor training")
    description = _(
        "Cohorts, modules completed, and supervisors trained and certified by region and gender, "
        "against the programme's target."
    )
    parameters = (PERIOD, REGION, TARGET_PARAMETER)

    def build(self, session, params) -> BuiltReport:
        period, region, target = params["period"], params.get("region"), params.get("target") or TARGET
        cohort_rows = session.execute(_cohorts(period, region)).all()
        people = session.execute(_supervisors(period, region)).all()
        by_region: dict[str, list] = {}
        for row in people:
            by_region.setdefault(row.region, [0, 0, 0])
            for index, value in enumerate((row.enrolled, row.trained, row.certified)):
                by_region[row.region][index] += value or 0
        total = [sum(values[i] for values in by_region.values()) for i in range(3)]
        tables = (
            Table(
                _("Cohorts"),
                (
                    _("Cohort"),
                    _("Region"),
                    _("Starts"),
                    _("Ends"),
                    _("Modules"),
                    _("Supervisors"),
                    _("Modules completed in the period"),
                    _("Certified by the end of the period"),
                ),
                tuple(
                    (
                        row.name,
                        row.region,
                        row.starts_on,
                        row.ends_on,
                        row.modules,
                        row.supervisors or 0,
                        row.completed or 0,
                        row.certified or 0,
                    )
                    for row in cohort_rows
                ),
                count_columns=frozenset({5, 6, 7}),
                running_columns=frozenset({7}),
            ),
            Table(
                _("Supervisors by region and gender"),
                (
                    _("Region"),
                    _("Gender"),
                    _("In training or trained"),
                    _("Trained (every module)"),
                    _("Certified"),
                    _("Trained in the period"),
                    _("Certified in the period"),
                ),
                tuple(
                    (
                        row.region,
                        gender_label(row.gender),
                        row.enrolled,
                        row.trained or 0,
                        row.certified or 0,
                        (row.trained or 0) - (row.trained_before or 0),
                        row.certified_in_period or 0,
                    )
                    for row in people
                ),
                count_columns=frozenset({2, 3, 4, 5, 6}),
                running_columns=frozenset({2, 3, 4}),
            ),
            Table(
                _("Against the target of %(target)d trained supervisors", target=target),
                (
                    _("Region"),
                    _("In training or trained"),
                    _("Trained"),
                    _("Trained, share of the target (%)"),
                    _("Certified"),
                ),
                tuple(
                    (name, values[0], values[1], share(values[1], target), values[2])
                    for name, values in by_region.items()
                )
                + ((_("Total"), total[0], total[1], share(total[1], target), total[2]),),
                count_columns=frozenset({1, 2, 4}),
                derived_columns=((3, 2),),
                running_columns=frozenset({2, 3, 4}),
                notes=(
                    TRAINED,
                    _("The target counts trained supervisors; certified is shown beside it."),
                    _("Trained and certified by the end of the period, whenever their training began."),
                ),
                chart=BarChart((2, 4), maximum=max(target, total[1], total[2])),
            ),
        )
        return BuiltReport(self.title, tables, subtitle=covers(params), sums=_sums(tables))


def _sums(tables) -> tuple[Sum, ...]:
    """A region's trained and certified are the sums over its genders (and its cohorts'
    certified); the total is the sum over the regions."""
    cohorts, people, target = (table.rows for table in tables)
    sums = []
    for position, (region, *_figures) in enumerate(target[:-1]):
        genders = [row for row, values in enumerate(people) if values[0] == region]
        in_region = [row for row, values in enumerate(cohorts) if values[1] == region]
        for column, by_gender in ((1, 2), (2, 3), (4, 4)):
            sums.append(Sum((2, position, column), tuple((1, row, by_gender) for row in genders)))
        for column, by_cohort in ((1, 5), (4, 7)):
            sums.append(Sum((2, position, column), tuple((0, row, by_cohort) for row in in_region)))
    sums += [Sum.down(2, column, len(target) - 1, range(len(target) - 1)) for column in (1, 2, 4)]
    return tuple(sums)


def _cohorts(period, region):
    """Cohorts begun by the end of the period, with their modules, supervisors, the
    modules completed in the period and the supervisors certified by its end."""
    modules = select(Module.cohort_id, func.count().label("modules")).group_by(Module.cohort_id).subquery()
    enrolled = (
        select(
            Supervisor.cohort_id,
            func.count().label("supervisors"),
            func.sum(case((Supervisor.certified_on <= period.end, 1), else_=0)).label("certified"),
        )
        .group_by(Supervisor.cohort_id)
        .subquery()
    )
    completed = (
        select(Module.cohort_id, func.count().label("completed"))
        .join(ModuleCompletion, ModuleCompletion.module_id == Module.id)
        .where(ModuleCompletion.completed_on.between(period.start, period.end))
        .group_by(Module.cohort_id)
        .subquery()
    )
    query = (
        select(
            Cohort.name,
            Region.name.label("region"),
            Cohort.starts_on,
            Cohort.ends_on,
            func.coalesce(modules.c.modules, 0).label("modules"),
            enrolled.c.supervisors,
            completed.c.completed,
            enrolled.c.certified,
        )
        .join(Region, Region.id == Cohort.region_id)
        .outerjoin(modules, modules.c.cohort_id == Cohort.id)
        .outerjoin(enrolled, enrolled.c.cohort_id == Cohort.id)
        .outerjoin(completed, completed.c.cohort_id == Cohort.id)
        .where(Cohort.starts_on <= period.end)
        .order_by(Region.name, Cohort.starts_on, Cohort.name)
    )
    return query.where(Cohort.region_id == region.id) if region is not None else query


def _supervisors(period, region):
    """Per region of training and gender: supervisors with a cohort, those who completed
    every module of it by the end of the period and by the day before it began (their
    difference: trained in the period), and those certified."""
    trained = trained_supervisors(period.end).subquery()
    trained_before = trained_supervisors(period.start - timedelta(days=1)).subquery()
    certified = and_(Supervisor.certified_on.is_not(None), Supervisor.certified_on <= period.end)
    gender_order = case(
        {code: position for position, code in enumerate(GENDER_ORDER)}, value=Supervisor.gender, else_=len(GENDER_ORDER)
    )
    query = (
        select(
            Region.name.label("region"),
            Supervisor.gender,
            func.count().label("enrolled"),
            func.count(trained.c.supervisor_id).label("trained"),
            func.count(trained_before.c.supervisor_id).label("trained_before"),
            func.sum(case((certified, 1), else_=0)).label("certified"),
            func.sum(case((Supervisor.certified_on.between(period.start, period.end), 1), else_=0)).label(
                "certified_in_period"
            ),
        )
        .select_from(Supervisor)
        .join(Cohort, Cohort.id == Supervisor.cohort_id)
        .join(Region, Region.id == Cohort.region_id)
        .outerjoin(trained, trained.c.supervisor_id == Supervisor.id)
        .outerjoin(trained_before, trained_before.c.supervisor_id == Supervisor.id)
        .where(Cohort.starts_on <= period.end)
        .group_by(Region.name, Supervisor.gender)
        .order_by(Region.name, func.min(gender_order))
    )
    return query.where(Cohort.region_id == region.id) if region is not None else query
