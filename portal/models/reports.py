"""The coordinator's written 3R analysis (Realia) of a region's period, kept in versions;
and the figures of closed periods stored for reports, with the log that keeps them exact.

Each save adds a version; none is changed or removed, so the analysis a report was sent
with can always be read again beside the figures it discussed.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.accounts import User
from portal.models.base import UTCDateTime, utcnow
from portal.models.geography import Region


class RealiaAnalysis(db.Model):
    """One version of the analysis of `region` for `period` (a period code: "2026-Q2")."""

    __tablename__ = "realia_analysis"
    __table_args__ = (
        UniqueConstraint("region_id", "period", "version", name="uq_realia_analysis_region_period_version"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("length(text) > 0", name="text_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    period: Mapped[str] = mapped_column(String(10))
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    region: Mapped[Region] = relationship()
    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<RealiaAnalysis {self.region_id} {self.period} v{self.version}>"


class FigureChange(db.Model):
    """The days a write touched, in a table a stored report statement reads: written by the
    database's own triggers (migration 0021) on every insert, delete and update of a column
    those statements use, so that no write, ORM or Core or SQL by hand, can leave stored
    figures (`StoredFigures`) stale. Insert-only: writers never queue on a shared row.

    `first_day`..`last_day` (both included; 0001-01-01..9999-12-31 for a row with no
    date) is what the change can move: a referral's submission day, an offer's, a
    placement's start to its end, an attendance day. `xid` is the writing transaction's
    id on PostgreSQL (`pg_current_xact_id()`), where ids do not follow commit order; on
    SQLite, with one writer at a time, `id` does (it is never reused)."""

    __tablename__ = "figure_change"
    __table_args__ = (
        # Checking a closed period reads only the changes dated up to its end: most
        # writes are dated after it, and are not read however many there are.
        Index("ix_figure_change_first_day_xid", "first_day", "xid"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    xid: Mapped[int | None] = mapped_column(BigInteger)
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StoredFigures(db.Model):
    """The result rows of a report statement over a closed period, kept to be served again
    while no `FigureChange` since `mark` overlaps `first_day`..`last_day`
    (`domain.reports.stored`). `key` is a digest of the statement's SQL, its parameters
    and the viewer's scope; `rows` JSON that restores the exact types. Aggregates, but
    small counts among them: never shown without the report's suppression.

    `snapshot` (PostgreSQL) is the `pg_current_snapshot()` taken before the statement ran,
    `mark` its xmin; on SQLite `mark` is the highest `FigureChange.id` then."""

    __tablename__ = "stored_figures"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    snapshot: Mapped[str | None] = mapped_column(Text)
    mark: Mapped[int] = mapped_column(BigInteger)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rows: Mapped[str] = mapped_column(Text)


class KeptReport(db.Model):
    """A report read for a closed period, kept in step with the data by the worker
    (`domain.reports.refresh`): what rebuilds it with no one signed in — the report's
    `identifier`, its `parameters` as the codes a page's address carries (JSON), the
    reader's scope (`region_id`, `authority_id`) — and when it was last read (`read_at`).

    `snapshot` and `mark` say as of when its stored figures were all valid, as on
    `StoredFigures`: a `FigureChange` since then that overlaps `first_day`..`last_day`
    makes it stale, and the worker builds it again. `key` is a digest of the rest."""

    __tablename__ = "kept_report"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    identifier: Mapped[str] = mapped_column(String(60))
    parameters: Mapped[str] = mapped_column(Text)
    region_id: Mapped[int | None] = mapped_column(Integer)
    authority_id: Mapped[int | None] = mapped_column(Integer)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    snapshot: Mapped[str | None] = mapped_column(Text)
    mark: Mapped[int] = mapped_column(BigInteger)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime)
