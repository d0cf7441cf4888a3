"""Enabling installed plugins per region, and what the admin pages list about plugins.

A plugin installed with pip does nothing in a region until its office (an admin, or the
region's coordinator) enables it there; the region-scoped hooks (`hookspecs.REGION_SCOPED`)
then reach it. Every change is audited. Core's built-ins are always on.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.domain import access, audit
from portal.domain.referrals.transitions import Refused
from portal.domain.region_plugins import enabled_plugins
from portal.domain.transactions import begin_write
from portal.models import PluginEnablement, Region, User
from portal.models.base import utcnow


@dataclass(frozen=True)
class PluginRow:
    """One installed plugin as the admin page and `portal plugins list` show it."""

    info: object  # `portal.plugins.PluginInfo`
    regions: frozenset[str]  # codes of the regions it is enabled for


def preview_workflow(session: Session, engine, region_code: str, plugin: str):
    """The workflow new referrals in the region would follow with `plugin` enabled too."""
    from portal.domain.referrals.actions import workflow_for_region
    from portal.plugins import region_hook

    info = engine.manager.portal_info.get(plugin)
    if info is None or info.builtin:
        raise Refused(_("No plugin called %(name)s is installed.", name=plugin), 404)
    hooks = region_hook(engine.manager, enabled_plugins(session, region_code) | {plugin})
    return workflow_for_region(session, engine, region_code, hooks=hooks)


def listing(session: Session, manager) -> list[PluginRow]:
    """Every installed plugin with the regions it is enabled for."""
    from portal.plugins import installed

    enabled: dict[str, set[str]] = {}
    for plugin, code in session.execute(select(PluginEnablement.plugin, Region.code).join(Region)):
        enabled.setdefault(plugin, set()).add(code)
    return [PluginRow(info, frozenset(enabled.get(info.name, ()))) for info in installed(manager)]


def administered_regions(session: Session, actor: User | None) -> list[Region]:
    """The regions whose plugins `actor` may switch (None: the command line, all)."""
    query = select(Region).order_by(Region.name)
    if actor is not None:
        query = query.where(access.regions_administered_by(actor))
    return list(session.scalars(query))


def enable(session: Session, manager, actor: User | None, plugin: str, region_code: str) -> bool:
    """Enable `plugin` for the region; False when it already was. Audited."""
    begin_write(session)
    region = _region(session, manager, actor, plugin, region_code)
    try:
        with session.begin_nested():
            session.add(
                PluginEnablement(
                    plugin=plugin, region=region, enabled_by_id=actor.id if actor else None, enabled_at=utcnow()
                )
            )
    except IntegrityError:  # already enabled, perhaps a moment ago by someone else
        return False
    _audit(session, actor, "plugin.enable", plugin, region_code)
    return True


def disable(session: Session, manager, actor: User | None, plugin: str, region_code: str) -> bool:
    """Disable `plugin` for the region; False when it was not enabled. Audited. A plugin
    no longer installed can be disabled too, so that reinstalling it does not switch it on."""
    begin_write(session)
    region = _region(session, manager, actor, plugin, region_code, installed=False)
    removed = session.execute(
        delete(PluginEnablement).where(PluginEnablement.plugin == plugin, PluginEnablement.region_id == region.id)
    ).rowcount
    if removed:
        _audit(session, actor, "plugin.disable", plugin, region_code)
    return bool(removed)


def _region(
    session: Session, manager, actor: User | None, plugin: str, region_code: str, installed: bool = True
) -> Region:
    info = manager.portal_info.get(plugin)
    if (info is None and installed) or (info is not None and info.builtin):
        raise Refused(_("No plugin called %(name)s is installed.", name=plugin), 404)
    region = session.scalar(select(Region).where(Region.code == region_code))
    if region is None:
        raise Refused(_("There is no region %(code)s.", code=region_code), 404)
    if actor is not None and not access.may_administer_region(actor, region):
        raise Refused(_("Only an administrator or the region's coordinator can change its plugins."), 403)
    return region


def _audit(session: Session, actor: User | None, action: str, plugin: str, region_code: str) -> None:
    audit.record_change(
        session, actor_id=actor.id if actor else None, action=action, detail=f"plugin={plugin} region={region_code}"
    )
