"""What plugins add to the data: where each is enabled, and the answers to their fields.

Plugins are installed for the whole portal (pip) but enabled per region by its office;
region-scoped hooks only reach the plugins enabled for the region. A referral field a
plugin declares is answered once per referral and stored as text under the plugin's
name, so that answers survive the plugin being disabled or removed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.accounts import User
from portal.models.base import UTCDateTime, utcnow
from portal.models.geography import Region


class PluginEnablement(db.Model):
    """An installed plugin switched on for one region (absent: off)."""

    __tablename__ = "plugin_enablement"
    __table_args__ = (UniqueConstraint("plugin", "region_id", name="uq_plugin_enablement_plugin_region"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plugin: Mapped[str] = mapped_column(String(100))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    enabled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    enabled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    region: Mapped[Region] = relationship()
    enabled_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<PluginEnablement {self.plugin} region {self.region_id}>"


class ReferralFieldValue(db.Model):
    """One answer to a plugin's referral field (`domain.referrals.fields`), as text."""

    __tablename__ = "referral_field_value"
    __table_args__ = (
        UniqueConstraint("referral_id", "plugin", "name", name="uq_referral_field_value_referral_plugin_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    plugin: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<ReferralFieldValue {self.referral_id} {self.plugin}.{self.name}>"
