"""Which installed plugins a region has enabled: the one fact the workflow engine, the
reports and the offices' plugin pages all read, kept apart from the pages that change it
(`plugins.enabling`) so that the referral loop does not depend on them."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from portal.domain import reads
from portal.models import PluginEnablement, Region

# Built once: every page with a to-do list asks (a statement built per call is compiled
# and keyed anew each time; bench/README.md, pages).
_ENABLED = select(PluginEnablement.plugin).join(Region).where(Region.code == bindparam("region_code"))


def enabled_plugins(session: Session, region_code: str) -> frozenset[str]:
    """Names of the plugins enabled for the region (one query, for names, not objects)."""
    return frozenset(reads.columns(session, _ENABLED, {"region_code": region_code}).scalars())
