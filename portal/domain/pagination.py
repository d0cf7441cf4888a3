"""What every list does in SQL: pagination (one COUNT and one LIMIT/OFFSET query,
whatever the table size) and text search."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from math import ceil

from sqlalchemy import ColumnElement, Select, bindparam, func, or_, select
from sqlalchemy.orm import Session

from portal.domain import reads


@dataclass
class Page:
    items: list
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


@dataclass(frozen=True)
class Paged:
    """A list's two statements, its COUNT and its window, with the page's limit and offset
    as bind parameters: made once from a query built once (a landing page's, for a role)
    and run with each request's values, so that neither is built again per request.

    With `row`, the window's rows are columns, read on the session's connection
    (`reads.columns`) and each made into an item by ``row(*columns)``: no entities for a
    list that shows a few columns (`referral_rows`)."""

    count: Select
    window: Select
    row: Callable | None = None

    @classmethod
    def of(cls, query: Select) -> Paged:
        return cls(
            select(func.count()).select_from(query.order_by(None).subquery()),
            query.limit(bindparam("page_limit")).offset(bindparam("page_offset")),
        )


def paginate(
    session: Session,
    query: Select | Paged,
    number: int,
    per_page: int,
    row: Callable | None = None,
    params: dict | None = None,
) -> Page:
    """Page `number` (1-based; out-of-range numbers give an empty page, never an error):
    the first column's objects, or with `row` each result row made into an item by
    ``row(*columns)`` (a list that joins what it shows). `params` are the values of the
    query's own bind parameters (a `Viewer`'s)."""
    number = max(1, number)
    paged = query if isinstance(query, Paged) else Paged.of(query)
    params = params or {}
    total = reads.columns(session, paged.count, params).scalar()
    window = {**params, "page_limit": per_page, "page_offset": (number - 1) * per_page}
    if paged.row is not None:
        items = [paged.row(*columns) for columns in reads.columns(session, paged.window, window)]
    elif row is None:
        items = list(session.scalars(paged.window, window).unique().all())
    else:
        items = [row(*columns) for columns in session.execute(paged.window, window).all()]
    return Page(items, number, per_page, total or 0)


SEARCH_LENGTH = 100


def search_pattern(text: str) -> str | None:
    """The LIKE pattern that finds `text` (its first 100 characters; `%` and `_` match
    themselves), or None when `text` is blank: one search rule for every list."""
    text = text.strip()[:SEARCH_LENGTH]
    if not text:
        return None
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def contains(pattern, *columns) -> ColumnElement[bool]:
    """Any of `columns` matches `pattern` (a `search_pattern`, or a bind parameter that
    will hold one), ignoring case."""
    return or_(*(column.ilike(pattern, escape="\\") for column in columns))


def searched(query: Select, text: str, *columns) -> Select:
    """`query` narrowed to the rows where any of `columns` contains `text`, ignoring case,
    or `query` as it was when `text` is blank (`search_pattern`)."""
    pattern = search_pattern(text)
    return query if pattern is None else query.where(contains(pattern, *columns))
