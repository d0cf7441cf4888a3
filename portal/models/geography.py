"""Regions (delregioner) and their municipalities, keyed by SCB's municipality codes."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db


class Region(db.Model):
    """A sub-region served by one regional office; the unit plugins are enabled for."""

    __tablename__ = "region"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)

    municipalities: Mapped[list[Municipality]] = relationship(back_populates="region", order_by="Municipality.name")

    def __repr__(self) -> str:
        return f"<Region {self.code}>"


class Municipality(db.Model):
    """A kommun, identified by its four-digit SCB code, in exactly one region."""

    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    scb_code: Mapped[str] = mapped_column(String(4), unique=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)

    region: Mapped[Region] = relationship(back_populates="municipalities")

    def __repr__(self) -> str:
        return f"<Municipality {self.scb_code} {self.name}>"
