"""The 3R gender-equality follow-up of a region's period: Representation (who takes part),
Resources (who gets what: placement days and hours, supervision, waiting, offers turned
down), Realia (why: observations the portal finds, beside the coordinator's analysis).

Every figure is by gender (women, men, not stated). Each part is one query, whatever
the data size; observations are drawn from the tables already built, and each carries
the sizes of the groups it compares, so that it is left out of an export when a group
is small.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, func, literal, null, or_, select, true, union_all

from portal.domain.calendar import local_today
from portal.domain.reports import realia
from portal.domain.reports.interface import BarChart, BuiltReport, Paragraph, Sum, Table, Text
from portal.domain.reports.sql import days_between, greatest, least, percentiles, start_of_day
from portal.domain.training.definitions import trained_supervisors
from portal.i18n import lazy_gettext as _
from portal.models import Cohort, Offer, Participant, Placement, Referral, Supervisor, User

from .common import GENDER_ORDER, PERIOD, REGION, STARTED_STATES, covers, gender_label, in_words, rounded, share

REPRESENTATION, RESOURCES, REALIA = _("Representation"), _("Resources"), _("Realia")
GENDER_COLUMNS = tuple(gender_label(code) for code in GENDER_ORDER)
GROUPS = {
    "referred": _("Participants referred"),
    "placed": _("Participants placed"),
    "completed": _("Participants who completed"),
    "trained": _("Supervisors trained"),
    "certified": _("Supervisors certified"),
    "active": _("Supervisors active"),
    "caseworkers": _("Caseworkers referring"),
}
NOTABLE = 10  # per cent (relative) or percentage points: a difference worth a sentence
WOMAN, MAN = GENDER_ORDER[0], GENDER_ORDER[1]


class GenderEqualityReport:
    identifier = "3r"
    title = _("Gender equality (3R)")
    description = _(
        "Representation, Resources and Realia: women, men and not stated among participants, "
        "supervisors and caseworkers; placement days, supervision, waiting and offers by gender; "
        "observations and the region's written analysis."
    )
    parameters = (PERIOD, REGION)
    writes_realia = True  # the report page offers the region's coordinators to write the analysis

    def build(self, session, params) -> BuiltReport:
        period, region = params["period"], params.get("region")
        today = local_today()
        represented = _by_group(session.execute(_participants(period, region)), session.execute(_staff(period, region)))
        placements = _by_gender(session.execute(_placements(period, region, today)))
        supervision = _by_gender(session.execute(_supervision(period, region, today)))
        waiting = _by_gender(session.execute(_waiting(period, region)))
        waiting_all = waiting.pop(None, None)
        offers = _by_gender(session.execute(_offers(period, region)))
        tables = (
            _representation_table(represented),
            _placements_table(placements),
            _supervision_table(supervision),
            _waiting_table(waiting, waiting_all),
            _offers_table(offers),
        )
        texts = (Text(_("Observations"), _observations(tables, params), section=REALIA),)
        if region is not None:
            texts += (_analysis(session, region, period),)
        return BuiltReport(
            self.title, tables, subtitle=covers(params), texts=texts, sums=_sums(tables), notes=DEFINITIONS
        )


DEFINITIONS = (
    _(
        "Referred: participants with a referral submitted in the period. Placed: whose placement began in it. "
        "Completed: whose placement was completed in it."
    ),
    _(
        "Supervisors trained: every module of their cohort completed by the end of the period; certified: by its "
        "end; both counted in the region of their cohort. Active: supervised a placement of the region running in "
        "the period."
    ),
    _(
        "Placement days: calendar days of the period a placement ran, from its start date to its end date, the "
        "period's end or today, whichever comes first (never negative); hours: days × hours per week ÷ 7. Waiting: "
        "days from submission to the start date entered, for placements begun in the period; a referral withdrawn "
        "before the start is no placement. Offers: made in the period, and how they were answered."
    ),
)


# Queries ---------------------------------------------------------------------------------


def _in_region(query, region, column=Referral.region_id):
    return query.where(column == region.id) if region is not None else query


def _participants(period, region):
    """(gender, referred, placed, completed): participants by gender, in one pass."""
    submitted = and_(Referral.submitted_at >= period.starts_at, Referral.submitted_at < period.ends_before)
    started = and_(Placement.state.in_(STARTED_STATES), Placement.start_date.between(period.start, period.end))
    completed = and_(Placement.state == "completed", Placement.end_date.between(period.start, period.end))

    def people(condition):
        return func.count(func.distinct(case((condition, Participant.id))))

    query = (
        select(
            Participant.gender.label("gender"),
            people(submitted).label("referred"),
            people(started).label("placed"),
            people(completed).label("completed"),
        )
        .select_from(Referral)
        .join(Participant, Participant.id == Referral.participant_id)
        .outerjoin(Placement, Placement.referral_id == Referral.id)
        .where(or_(submitted, started, completed))
    )
    return _in_region(query, region).group_by(Participant.gender)


def _staff(period, region):
    """(group, gender, people) for the supervisors' and caseworkers' groups, in one query."""
    submitted = and_(Referral.submitted_at >= period.starts_at, Referral.submitted_at < period.ends_before)
    trained = trained_supervisors(period.end).subquery()

    def trained_or_certified(group, condition, *joins):
        query = (
            select(literal(group).label("grp"), Supervisor.gender.label("gender"), func.count().label("people"))
            .select_from(Supervisor)
            .join(Cohort, Cohort.id == Supervisor.cohort_id)
        )
        for target, on in joins:
            query = query.join(target, on)
        return _in_region(query.where(condition), region, Cohort.region_id).group_by(Supervisor.gender)

    active = (
        select(
            literal("active").label("grp"),
            Supervisor.gender.label("gender"),
            func.count(func.distinct(Supervisor.id)).label("people"),
        )
        .select_from(Placement)
        .join(Supervisor, Supervisor.id == Placement.supervisor_id)
        .join(Referral, Referral.id == Placement.referral_id)
        .where(*_running(period))
    )
    caseworkers = (
        select(
            literal("caseworkers").label("grp"),
            User.gender.label("gender"),
            func.count(func.distinct(User.id)).label("people"),
        )
        .select_from(Referral)
        .join(User, User.id == Referral.caseworker_id)
        .where(submitted)
    )
    return union_all(
        trained_or_certified("trained", true(), (trained, trained.c.supervisor_id == Supervisor.id)),
        trained_or_certified("certified", Supervisor.certified_on <= period.end),
        _in_region(active, region).group_by(Supervisor.gender),
        _in_region(caseworkers, region).group_by(User.gender),
    )


def _running(period):
    return (
        Placement.state.in_(STARTED_STATES),
        Placement.start_date <= period.end,
        or_(Placement.end_date.is_(None), Placement.end_date >= period.start),
    )


def _days_in_period(period, today: date):
    """Calendar days of the period a placement ran: from the start date recorded (or the
    period's start) to the earliest of its end date, the period's end and today; never
    negative, never in the future."""
    last = least(func.coalesce(Placement.end_date, today), period.end, today)
    return greatest(days_between(last, greatest(Placement.start_date, period.start)) + 1, 0)


def _placements(period, region, today):
    days = _days_in_period(period, today)
    query = (
        select(
            Participant.gender.label("gender"),
            func.count().label("placements"),
            func.sum(days).label("days"),
            func.sum(days * Placement.hours_per_week / 7.0).label("hours"),
        )
        .select_from(Placement)
        .join(Referral, Referral.id == Placement.referral_id)
        .join(Participant, Participant.id == Referral.participant_id)
        .where(*_running(period))
    )
    return _in_region(query, region).group_by(Participant.gender)


def _supervision(period, region, today):
    days = _days_in_period(period, today)
    query = (
        select(
            Supervisor.gender.label("gender"),
            func.count(func.distinct(Supervisor.id)).label("supervisors"),
            func.count().label("placements"),
            func.sum(days * Placement.hours_per_week / 7.0).label("hours"),
        )
        .select_from(Placement)
        .join(Supervisor, Supervisor.id == Placement.supervisor_id)
        .join(Referral, Referral.id == Placement.referral_id)
        .where(*_running(period))
    )
    return _in_region(query, region).group_by(Supervisor.gender)


def _waits(period, region):
    """Days from submission to the start date entered (from the start of that day, as in
    the lead-time report), for placements begun in the period."""
    start = greatest(start_of_day(Placement.start_date, period.zone), Referral.submitted_at)
    query = (
        select(Participant.gender.label("gender"), days_between(start, Referral.submitted_at).label("days"))
        .select_from(Placement)
        .join(Referral, Referral.id == Placement.referral_id)
        .join(Participant, Participant.id == Referral.participant_id)
        .where(
            Placement.state.in_(STARTED_STATES),
            Placement.start_date.between(period.start, period.end),
            Referral.submitted_at.is_not(None),
        )
    )
    return _in_region(query, region).cte("waits")


def _waiting(period, region):
    """Count, mean and median of the waits by gender, and (gender None) for everyone: one
    statement, the waits read once."""
    waits = _waits(period, region)
    everyone = percentiles(waits, [], percents=(50,)).subquery("everyone")
    return union_all(
        percentiles(waits, ["gender"], percents=(50,)),
        select(null().label("gender"), everyone.c["count"], everyone.c.mean, everyone.c.p50),
    )


def _offers(period, region):
    query = (
        select(
            Participant.gender.label("gender"),
            func.count().label("offers"),
            func.sum(case((Offer.state == "declined", 1), else_=0)).label("declined"),
            func.sum(case((Offer.state == "expired", 1), else_=0)).label("expired"),
        )
        .select_from(Offer)
        .join(Referral, Referral.id == Offer.referral_id)
        .join(Participant, Participant.id == Referral.participant_id)
        .where(Offer.offered_at >= period.starts_at, Offer.offered_at < period.ends_before)
    )
    return _in_region(query, region).group_by(Participant.gender)


def _by_group(participants, staff) -> dict[str, dict[str, int]]:
    """{group: {gender: people}} from the participants' wide rows and the staff's long ones."""
    found: dict[str, dict[str, int]] = {group: {} for group in GROUPS}
    for row in participants:
        for group in ("referred", "placed", "completed"):
            found[group][row.gender] = getattr(row, group)
    for row in staff:
        found[row.grp][row.gender] = row.people
    return found


def _by_gender(rows) -> dict[str, object]:
    return {row.gender: row for row in rows}


# Tables ----------------------------------------------------------------------------------


def _representation_table(represented) -> Table:
    rows = []
    for group, label in GROUPS.items():
        counts = [represented[group].get(gender, 0) for gender in GENDER_ORDER]
        total = sum(counts)
        rows.append((label, *counts, total, *(share(count, total) for count in counts)))
    columns = (_("Group"), *GENDER_COLUMNS, _("Total"), *(_("%(gender)s (%%)", gender=g) for g in GENDER_COLUMNS))
    return Table(
        _("Women, men and not stated"),
        columns,
        tuple(rows),
        count_columns=frozenset({1, 2, 3, 4}),
        derived_columns=((5, 1), (6, 2), (7, 3)),
        section=REPRESENTATION,
        chart=BarChart((5, 6, 7), unit="%", maximum=100),
    )


def _gender_rows(found: dict, figures) -> tuple[tuple, ...]:
    """One row per gender (women, men, not stated), from `figures(row or None) -> tuple`."""
    return tuple((gender_label(gender), *figures(found.get(gender))) for gender in GENDER_ORDER)


def _placements_table(found) -> Table:
    total_days = sum(float(row.days or 0) for row in found.values())

    def figures(row):
        if row is None:
            return (0, 0, 0, None, None)
        return (
            row.placements,
            rounded(row.days, 0),
            rounded(row.hours, 0),
            rounded(float(row.days) / row.placements),
            share(row.days, total_days),
        )

    rows = _gender_rows(found, figures)
    placements = sum(row[1] for row in rows)
    total_hours = sum(float(row.hours or 0) for row in found.values())
    rows += (
        (
            _("Total"),
            placements,
            rounded(total_days, 0),
            rounded(total_hours, 0),
            rounded(total_days / placements) if placements else None,
            100.0 if total_days else None,
        ),
    )
    return Table(
        _("Placements by participant's gender"),
        (
            _("Gender"),
            _("Placements running"),
            _("Placement days"),
            _("Placement hours"),
            _("Days per placement"),
            _("Share of placement days (%)"),
        ),
        rows,
        count_columns=frozenset({1}),
        derived_columns=((2, 1), (3, 1), (4, 2), (5, 2)),
        section=RESOURCES,
        chart=BarChart((5,), unit="%", maximum=100),
    )


def _supervision_table(found) -> Table:
    total_hours = sum(float(row.hours or 0) for row in found.values())

    def figures(row):
        if row is None:
            return (0, 0, 0, None)
        return (row.supervisors, row.placements, rounded(row.hours, 0), share(row.hours, total_hours))

    rows = _gender_rows(found, figures)
    rows += (
        (
            _("Total"),
            sum(r[1] for r in rows),
            sum(r[2] for r in rows),
            rounded(total_hours, 0),
            100.0 if total_hours else None,
        ),
    )
    return Table(
        _("Supervision by supervisor's gender"),
        (
            _("Gender"),
            _("Supervisors"),
            _("Placements supervised"),
            _("Supervision hours"),
            _("Share of supervision hours (%)"),
        ),
        rows,
        count_columns=frozenset({1, 2}),
        derived_columns=((3, 1), (4, 3)),
        section=RESOURCES,
        chart=BarChart((4,), unit="%", maximum=100),
    )


def _waiting_table(found, overall) -> Table:
    def figures(row):
        if row is None:
            return (0, None, None)
        return (row.count, rounded(row.mean), rounded(row.p50))

    rows = _gender_rows(found, figures) + ((_("Total"), *figures(overall if overall and overall.count else None)),)
    return Table(
        _("Waiting from submission to start"),
        (_("Gender"), _("Placements begun"), _("Average (days)"), _("Median (days)")),
        rows,
        count_columns=frozenset({1}),
        derived_columns=((2, 1), (3, 1)),
        section=RESOURCES,
        chart=BarChart((2, 3), unit=_("days")),
    )


def _offers_table(found) -> Table:
    def figures(row):
        if row is None:
            return (0, 0, 0, None, None)
        return (
            row.offers,
            row.declined or 0,
            row.expired or 0,
            share(row.declined, row.offers),
            share(row.expired, row.offers),
        )

    rows = _gender_rows(found, figures)
    offers, declined, expired = (sum(r[i] for r in rows) for i in (1, 2, 3))
    rows += ((_("Total"), offers, declined, expired, share(declined, offers), share(expired, offers)),)
    return Table(
        _("Offers by participant's gender"),
        (
            _("Gender"),
            _("Offers made"),
            _("Offers declined"),
            _("Offers expired"),
            _("Offers declined (%)"),
            _("Offers expired (%)"),
        ),
        rows,
        count_columns=frozenset({1, 2, 3}),
        derived_columns=((4, 2), (5, 3)),
        section=RESOURCES,
        chart=BarChart((4, 5), unit="%", maximum=100),
    )


def _sums(tables) -> tuple[Sum, ...]:
    """Women, men and not stated add up to the total, in every row of Representation and
    in every summed column of Resources."""
    representation = [Sum.across(0, row, 4, (1, 2, 3)) for row in range(len(GROUPS))]
    resources = [
        Sum.down(table, column, 3, range(3))
        for table, columns in ((1, (1, 2, 3)), (2, (1, 2, 3)), (3, (1,)), (4, (1, 2, 3)))
        for column in columns
    ]
    return tuple(representation + resources)


# Realia ----------------------------------------------------------------------------------


def _observations(tables, params) -> tuple[Paragraph, ...]:
    """Sentences on the differences of `NOTABLE` or more between women and men, each with
    the group sizes it compares."""
    place = params["region"].name if params.get("region") is not None else str(_("all regions"))
    when = str(params["period"])
    representation, placements, supervision, waiting, offers = (table.rows for table in tables)
    found = []

    women, men = waiting[0], waiting[1]
    if women[2] is not None and men[2] is not None and min(women[2], men[2]) > 0:
        longer, shorter = (women, men) if women[2] >= men[2] else (men, women)
        percent = round((longer[2] / shorter[2] - 1) * 100)
        if percent >= NOTABLE:
            sentence = (
                _(
                    "Women waited %(percent)d%% longer for a placement than men in %(place)s in %(period)s "
                    "(%(women)s against %(men)s days on average).",
                    percent=percent,
                    place=place,
                    period=when,
                    women=in_words(women[2]),
                    men=in_words(men[2]),
                )
                if longer is women
                else _(
                    "Men waited %(percent)d%% longer for a placement than women in %(place)s in %(period)s "
                    "(%(men)s against %(women)s days on average).",
                    percent=percent,
                    place=place,
                    period=when,
                    women=in_words(women[2]),
                    men=in_words(men[2]),
                )
            )
            found.append(Paragraph(sentence, (women[1], men[1])))

    women, men = placements[0], placements[1]
    if women[4] and men[4]:
        longer, shorter = (women, men) if women[4] >= men[4] else (men, women)
        percent = round((longer[4] / shorter[4] - 1) * 100)
        if percent >= NOTABLE:
            sentence = (
                _(
                    "Women's placements ran %(percent)d%% more days in the period than men's (%(women)s "
                    "against %(men)s days per placement).",
                    percent=percent,
                    women=in_words(women[4]),
                    men=in_words(men[4]),
                )
                if longer is women
                else _(
                    "Men's placements ran %(percent)d%% more days in the period than women's (%(men)s "
                    "against %(women)s days per placement).",
                    percent=percent,
                    women=in_words(women[4]),
                    men=in_words(men[4]),
                )
            )
            found.append(Paragraph(sentence, (women[1], men[1])))

    referred, placed = representation[0], representation[1]
    if referred[5] is not None and placed[5] is not None and abs(referred[5] - placed[5]) >= NOTABLE:
        found.append(
            Paragraph(
                _(
                    "Women were %(referred)s%% of the participants referred but %(placed)s%% of those placed.",
                    referred=in_words(referred[5], 0),
                    placed=in_words(placed[5], 0),
                ),
                (referred[1], referred[2], placed[1], placed[2]),
            )
        )

    active = representation[5]
    if active[5] is not None and placed[5] is not None and abs(active[5] - placed[5]) >= NOTABLE:
        found.append(
            Paragraph(
                _(
                    "Women were %(supervisors)s%% of the active supervisors and %(participants)s%% of the participants "
                    "placed.",
                    supervisors=in_words(active[5], 0),
                    participants=in_words(placed[5], 0),
                ),
                (active[1], active[2], placed[1], placed[2]),
            )
        )

    women, men = offers[0], offers[1]
    if women[4] is not None and men[4] is not None and abs(women[4] - men[4]) >= NOTABLE:
        found.append(
            Paragraph(
                _(
                    "Offers for women were declined in %(women)s%% of cases, offers for men in %(men)s%%.",
                    women=in_words(women[4], 0),
                    men=in_words(men[4], 0),
                ),
                (women[1], men[1], women[2], men[2]),
            )
        )

    if not found:
        found.append(
            Paragraph(
                _(
                    "No difference of %(notable)d%% or more between women and men was found in "
                    "%(place)s in %(period)s.",
                    notable=NOTABLE,
                    place=place,
                    period=when,
                )
            )
        )
    return tuple(found)


def _analysis(session, region, period) -> Text:
    """The latest version of the coordinator's written analysis of the region's period."""
    from flask_babel import format_date

    current = realia.latest(session, region.id, period.code)
    if current is None:
        paragraphs = (Paragraph(_("The regional office has not written an analysis for this period yet.")),)
    else:
        paragraphs = (
            Paragraph(current.text),
            Paragraph(
                _(
                    "Version %(version)d, written by %(author)s on %(date)s.",
                    version=current.version,
                    author=current.author.name if current.author else "–",
                    date=format_date(current.written_at),
                )
            ),
        )
    return Text(_("The regional office's analysis"), paragraphs, section=REALIA)
