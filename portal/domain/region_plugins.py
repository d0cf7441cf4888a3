"""Which installed plugins a region has enabled: the one fact the workflow engine, the
reports and the offices' plugin pages all read, kept apart from the pages that change it
(`plugins.enabling`) so that the referral loop does not depend on them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import PluginEnablement, Region


def enabled_plugins(session: Session, region_code: str) -> frozenset[str]:
    """Names of the plugins enabled for the region (one query)."""
    query = select(PluginEnablement.plugin).join(Region).where(Region.code == region_code)
    return frozenset(session.scalars(query))
