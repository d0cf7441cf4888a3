"""The coordinator's written 3R analysis (Realia) of a region's period, kept in versions.

Each save adds a version; none is changed or removed, so the analysis a report was sent
with can always be read again beside the figures it discussed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
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
