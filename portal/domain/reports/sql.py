"""SQL pieces reports share, the same on SQLite and PostgreSQL.

Reports aggregate in the database: a report runs a fixed number of queries whatever the
data size and fetches one row per group, never a row per person. What the two backends
spell differently (day differences, least/greatest) is compiled per dialect here;
percentiles are computed with window functions both have (SQLite has no
``percentile_cont``), by the same linear interpolation as PostgreSQL's.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import DateTime, Float, Integer, case, cast, extract, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement
from sqlalchemy.sql.selectable import Subquery


def _spell(function: type[FunctionElement], sqlite: str, postgresql: str) -> None:
    """Compile `function` as each backend spells it: ``{0}``, ``{1}`` … stand for its
    arguments' SQL, ``{arguments}`` for all of them separated by commas."""

    def spelled(spelling: str):
        def compile_(element, compiler, **kw):
            arguments = [compiler.process(clause, **kw) for clause in element.clauses]
            return spelling.format(*arguments, arguments=", ".join(arguments))

        return compile_

    compiles(function)(spelled(sqlite))
    compiles(function, "postgresql")(spelled(postgresql))


class days_between(FunctionElement):
    """Days (with fractions) from the second timestamp or date to the first."""

    type = Float()
    inherit_cache = True
    name = "days_between"


_spell(
    days_between,
    sqlite="(julianday({0}) - julianday({1}))",
    postgresql="(EXTRACT(EPOCH FROM (CAST({0} AS TIMESTAMP) - CAST({1} AS TIMESTAMP))) / 86400.0)",
)


class days_between_dates(FunctionElement):
    """Whole days from the second date to the first: `days_between` for two dates, which
    PostgreSQL subtracts as integers rather than through timestamps."""

    type = Float()
    inherit_cache = True
    name = "days_between_dates"


_spell(
    days_between_dates,
    sqlite="(julianday({0}) - julianday({1}))",
    postgresql="(CAST({0} AS DATE) - CAST({1} AS DATE))",
)


class start_of_day(FunctionElement):
    """The UTC moment (a naive timestamp, as the portal stores them) at which a date
    begins in a time zone: ``start_of_day(Placement.start_date, "Europe/Stockholm")``.
    A step that ends at a date entered (a start) ends at this moment, so that it and the
    steps before it, measured between timestamps, add up."""

    type = DateTime()
    inherit_cache = True
    name = "start_of_day"

    def __init__(self, day, zone: str):
        super().__init__(day, literal(zone))


_spell(
    start_of_day,
    sqlite="portal_start_of_day({0}, {1})",
    postgresql="((CAST({0} AS TIMESTAMP) AT TIME ZONE {1}) AT TIME ZONE 'UTC')",
)


class least(FunctionElement):
    inherit_cache = True
    name = "least"


class greatest(FunctionElement):
    inherit_cache = True
    name = "greatest"


_spell(least, sqlite="min({arguments})", postgresql="LEAST({arguments})")
_spell(greatest, sqlite="max({arguments})", postgresql="GREATEST({arguments})")


def age_at(birth_date: ColumnElement, day: ColumnElement) -> ColumnElement:
    """Whole years from `birth_date` to `day` (both dates)."""

    def part(name, column):
        return cast(extract(name, column), Integer)

    before_birthday = case(
        (part("month", day) * 100 + part("day", day) < part("month", birth_date) * 100 + part("day", birth_date), 1),
        else_=0,
    )
    return part("year", day) - part("year", birth_date) - before_birthday


PERCENTS = (50, 90)


def percentiles(
    source: Subquery,
    keys: Sequence[str],
    value: str = "days",
    percents: Sequence[int] = PERCENTS,
    dialect: str | None = None,
):
    """A query answering, per group of `keys` in `source`: ``count``, ``mean`` and one
    column ``p<percent>`` per percent, interpolated as ``percentile_cont`` does.

    On PostgreSQL (`dialect`) that is ``percentile_cont`` itself, an aggregate that sorts
    each group once. Elsewhere each row is ranked within its group (row_number, count
    over the group), and only the one or two rows at each percentile's position are
    summed, weighted by how far the position lies between them; integer arithmetic finds
    the positions on both backends.
    """
    group = [source.c[key] for key in keys]
    if dialect == "postgresql":
        ordered = source.c[value]
        return select(
            *group,
            func.count().label("count"),
            func.avg(ordered).label("mean"),
            *(func.percentile_cont(percent / 100).within_group(ordered).label(f"p{percent}") for percent in percents),
        ).group_by(*group)
    ranked = select(
        *group,
        source.c[value].label("value"),
        (func.row_number().over(partition_by=group, order_by=source.c[value]) - 1).label("position"),
        func.count().over(partition_by=group).label("size"),
    ).subquery("ranked")
    columns = []
    for percent in percents:
        low = (ranked.c.size - 1) * percent // 100
        fraction = ((ranked.c.size - 1) * percent % 100) * literal(1.0) / 100
        columns.append(
            func.sum(
                case(
                    (ranked.c.position == low, ranked.c.value * (1 - fraction)),
                    (ranked.c.position == low + 1, ranked.c.value * fraction),
                    else_=0.0,
                )
            ).label(f"p{percent}")
        )
    keys_ranked = [ranked.c[key] for key in keys]
    return select(*keys_ranked, func.count().label("count"), func.avg(ranked.c.value).label("mean"), *columns).group_by(
        *keys_ranked
    )
