"""What every list does in SQL: pagination (one COUNT and one LIMIT/OFFSET query,
whatever the table size) and text search."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from math import ceil

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session


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


def paginate(session: Session, query: Select, number: int, per_page: int, row: Callable | None = None) -> Page:
    """Page `number` (1-based; out-of-range numbers give an empty page, never an error):
    the first column's objects, or with `row` each result row made into an item by
    ``row(*columns)`` (a list that joins what it shows)."""
    number = max(1, number)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    window = query.limit(per_page).offset((number - 1) * per_page)
    if row is None:
        items = list(session.scalars(window).unique().all())
    else:
        items = [row(*columns) for columns in session.execute(window).all()]
    return Page(items, number, per_page, total or 0)


SEARCH_LENGTH = 100


def searched(query: Select, text: str, *columns) -> Select:
    """`query` narrowed to the rows where any of `columns` contains `text`, ignoring case
    (its first 100 characters; `%` and `_` match themselves), or `query` as it was when
    `text` is blank: one search rule for every list."""
    text = text.strip()[:SEARCH_LENGTH]
    if not text:
        return query
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return query.where(or_(*(column.ilike(pattern, escape="\\") for column in columns)))
