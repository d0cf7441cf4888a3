"""The regional plugins in the demo: every installed plugin made for particular regions
(its `PluginMetadata.regions`) is enabled there when the demo is first built, so that
`make demo` shows each region's own workflow, fields and reports, as an office would
after installing its plugin."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from portal.domain.plugins import enabling
from portal.domain.referrals.transitions import Refused
from portal.plugins import installed


def enable_regional_plugins(session: Session, manager) -> Iterator[tuple[str, str]]:
    """Enable each installed regional plugin in its own regions, yielding (plugin, region)
    for each one enabled; the caller commits after each, as every enabling is a write
    transaction of its own. A region whose workflow another plugin already chooses keeps
    that one (the demo leaves the choice to the office)."""
    for info in installed(manager):
        regions = info.metadata.regions if info.metadata is not None else ()
        for code in () if info.builtin else regions:
            try:
                if enabling.enable(session, manager, None, info.name, code):
                    yield info.name, code
            except Refused:
                session.rollback()
