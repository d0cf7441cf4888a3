"""The organisations people work for: referring authorities and social cooperatives."""

from __future__ import annotations

import enum

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import code_set, code_set_model, one_of
from .geography import Municipality


class AuthorityKind(enum.StrEnum):
    FORSAKRINGSKASSAN = "forsakringskassan"
    ARBETSFORMEDLINGEN = "arbetsformedlingen"
    SOCIAL_SERVICES = "social_services"
    LABOUR_MARKET_UNIT = "labour_market_unit"
    HEALTH_CARE = "health_care"


class Authority(db.Model):
    """An office of a referring authority (huvudman); caseworkers belong to one."""

    __tablename__ = "authority"
    __table_args__ = (
        UniqueConstraint("name", "municipality_id", name="uq_authority_name_municipality"),
        one_of("kind", AuthorityKind),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)

    municipality: Mapped[Municipality] = relationship()

    def __repr__(self) -> str:
        return f"<Authority {self.name}>"


CooperativeTrade = code_set_model("cooperative", "trade", "CooperativeTrade")
CooperativeAccessibility = code_set_model("cooperative", "accessibility", "CooperativeAccessibility")


class Cooperative(db.Model):
    """A social work cooperative where placements happen."""

    __tablename__ = "cooperative"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation_number: Mapped[str] = mapped_column(String(11), unique=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    municipality: Mapped[Municipality] = relationship()
    _trade_rows, trades = code_set(CooperativeTrade, "_trade_rows")
    _accessibility_rows, accessibility = code_set(CooperativeAccessibility, "_accessibility_rows")

    def __repr__(self) -> str:
        return f"<Cooperative {self.organisation_number} {self.name}>"
