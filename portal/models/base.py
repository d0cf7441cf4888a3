"""Column types and helpers shared by every model module."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, TypeDecorator, event, inspect, select
from sqlalchemy.ext.associationproxy import association_proxy
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db

MAX_INTEGER = 2**31 - 1  # the largest INTEGER on PostgreSQL: an id or a number beyond it matches no row


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored as naive UTC and always returned timezone-aware.

    SQLite has no time zones; storing UTC everywhere and attaching it on the way out
    lets both backends compare and subtract timestamps the same way.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Gender(enum.StrEnum):
    """Recorded for the 3R gender-equality follow-up; "not stated" is always allowed."""

    WOMAN = "woman"
    MAN = "man"
    NOT_STATED = "not_stated"


def one_of(column: str, choices: type[enum.Enum], *, nullable: bool = False) -> CheckConstraint:
    """A CHECK constraint that keeps `column` within the values of an enum."""
    values = ", ".join(f"'{member.value}'" for member in choices)
    condition = f"{column} IN ({values})"
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return CheckConstraint(condition, name=f"{column}_valid")


def code_set_model(owner_table: str, name: str, model_name: str) -> type:
    """A table of vocabulary codes (languages, needs, trades …) attached to one owner row.

    Codes are short strings from `domain.vocabulary`; rows instead of a JSON column so
    that matching and reports can filter and count them in SQL on both backends:
    ``Owner.id.in_(Model.owners_with(code))`` is the owners that have `code`.
    """
    owner_column = f"{owner_table}_id"
    attributes = {
        "__tablename__": f"{owner_table}_{name}",
        "__annotations__": {owner_column: Mapped[int], "code": Mapped[str]},
        owner_column: mapped_column(ForeignKey(f"{owner_table}.id", ondelete="CASCADE"), primary_key=True),
        "code": mapped_column(String(32), primary_key=True, index=True),
        "__repr__": lambda self: f"<{model_name} {self.code}>",
        "owners_with": classmethod(lambda cls, code: select(getattr(cls, owner_column)).where(cls.code == code)),
    }
    return type(model_name, (db.Model,), attributes)


def code_set(model: type, rows_attribute: str):
    """The relationship and the set-of-codes proxy an owner uses for a `code_set_model`.

    Usage in a model: ``_language_rows, languages = code_set(SupervisorLanguage, "_language_rows")``;
    `languages` then reads and writes like a set of strings. Loaded on first access;
    lists that show codes load them with `selectinload` so that a page's query count
    does not grow with its rows.
    """
    rows = relationship(model, cascade="all, delete-orphan", collection_class=set)
    codes = association_proxy(rows_attribute, "code", creator=lambda code: model(code=code))
    return rows, codes


CODE_SEPARATOR = ","  # vocabulary codes are identifiers: none holds a comma


def joined_codes(codes: Iterable[str]) -> str | None:
    """A set of codes as a copy column holds it: sorted, comma-separated, None for none."""
    return CODE_SEPARATOR.join(sorted(codes)) or None


def keep_code_copies(owner: type, copies: dict[str, str]) -> None:
    """Keep a copy of each of the owner's code sets in a column of its own row, for
    matching, which then reads the codes with the row instead of probing one table per
    set and candidate (bench/README.md). `copies` maps a `code_set`'s rows attribute to
    its copy column.

    The copy is written when the row is flushed with that set changed, wherever the
    change was made; a set not loaded has not changed and is not loaded for it. Writes
    that bypass the ORM write the copies themselves: `bench.generate`'s bulk insert with
    `joined_codes`, migration 0020's fill in SQL (in any order: matching reads a set).
    """

    def copy(mapper, connection, target) -> None:
        state = inspect(target)
        for rows_attribute, column in copies.items():
            if state.attrs[rows_attribute].history.has_changes():
                setattr(target, column, joined_codes(row.code for row in getattr(target, rows_attribute)))

    event.listen(owner, "before_insert", copy)
    event.listen(owner, "before_update", copy)
