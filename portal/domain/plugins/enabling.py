"""Enabling installed plugins per region, and what the admin pages list about plugins.

A plugin installed with pip does nothing in a region until its office (an admin, or the
region's coordinator) enables it there; the region-scoped hooks (`hookspecs.REGION_SCOPED`)
then reach it. Every change is audited. Core's built-ins are always on.

Two rules keep one region from being changed by mistake: a plugin made for other regions
(its `PluginMetadata.regions`) is turned on only by an admin who has confirmed a warning,
and two plugins that both choose the region's workflow are never on in one region (the
first answer would silently win).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.domain import access, audit
from portal.domain.referrals.transitions import Refused
from portal.domain.region_plugins import enabled_plugins
from portal.domain.transactions import begin_write
from portal.i18n import lazy_gettext as _
from portal.models import PluginEnablement, Region, User
from portal.models.base import utcnow


class NeedsConfirmation(Refused):
    """Enabling is allowed, but only after the admin has read `message` and confirmed."""

    def __init__(self, message):
        super().__init__(message, 409)


@dataclass(frozen=True)
class PluginRow:
    """One installed plugin as the admin page and `portal plugins list` show it."""

    info: object  # `portal.plugins.PluginInfo`
    regions: frozenset[str]  # codes of the regions it is enabled for

    def intended_for(self, region_code: str) -> bool:
        """Whether the plugin is made for the region (a plugin that names none is made for any)."""
        return not self.info.intended_regions or region_code in self.info.intended_regions


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


def region_names(session: Session, codes) -> str:
    """The names of the regions `codes`, as the offices know them, joined by commas."""
    names = dict(session.execute(select(Region.code, Region.name).where(Region.code.in_(tuple(codes)))).all())
    return ", ".join(names.get(code, code) for code in codes)


def enable(
    session: Session, manager, actor: User | None, plugin: str, region_code: str, confirmed: bool = False
) -> bool:
    """Enable `plugin` for the region; False when it already was. Audited.

    Refused when another plugin enabled there chooses the region's workflow too, and for
    a region the plugin is not made for unless an admin (or the command line, `actor`
    None) has `confirmed` the warning (`NeedsConfirmation` carries it).
    """
    begin_write(session)
    region = _region(session, manager, actor, plugin, region_code)
    _check_intended(session, manager.portal_info[plugin], actor, region, confirmed)
    _check_one_workflow_chooser(session, manager, plugin, region)
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


def disable(
    session: Session, manager, actor: User | None, plugin: str, region_code: str, confirmed: bool = True
) -> bool:
    """Disable `plugin` for the region; False when it was not enabled. Audited. A plugin
    no longer installed can be disabled too, so that reinstalling it does not switch it on.
    Unless `confirmed`, raise `NeedsConfirmation` (after the checks of who may do it): the
    region's open referrals may run under its workflow."""
    begin_write(session)
    region = _region(session, manager, actor, plugin, region_code, installed=False)
    if not confirmed:
        raise NeedsConfirmation(
            _(
                "Turning it off changes the region's workflow for new referrals, its fields, reports and "
                "notifications. Referrals already under its workflow need a decision."
            )
        )
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


def _check_intended(session: Session, info, actor: User | None, region: Region, confirmed: bool) -> None:
    if not info.intended_regions or region.code in info.intended_regions:
        return
    intended = region_names(session, info.intended_regions)
    if actor is not None and not access.may_enable_outside_intended_regions(actor):
        raise Refused(
            _(
                "%(plugin)s is made for %(regions)s. Only an administrator can turn it on in %(region)s.",
                plugin=info.display_name,
                regions=intended,
                region=region.name,
            ),
            403,
        )
    if not confirmed:
        raise NeedsConfirmation(
            _(
                "%(plugin)s is made for %(regions)s, not for %(region)s. Turned on there, it changes how "
                "referrals in %(region)s are handled. Turn it on only if the region has asked for it.",
                plugin=info.display_name,
                regions=intended,
                region=region.name,
            )
        )


def _check_one_workflow_chooser(session: Session, manager, plugin: str, region: Region) -> None:
    """Two plugins that both choose the region's workflow cannot both be on there."""
    from portal.plugins import answer_of

    if answer_of(manager, plugin, "portal_region_workflow", region_code=region.code) is None:
        return
    for other in sorted(enabled_plugins(session, region.code) - {plugin}):
        chosen = answer_of(manager, other, "portal_region_workflow", region_code=region.code)
        if chosen is not None:
            other_info = manager.portal_info[other]
            raise Refused(
                _(
                    "%(plugin)s cannot be turned on in %(region)s: %(other)s already chooses the region's "
                    "workflow. Turn %(other)s off first.",
                    plugin=manager.portal_info[plugin].display_name,
                    region=region.name,
                    other=other_info.display_name,
                ),
                409,
            )


def _audit(session: Session, actor: User | None, action: str, plugin: str, region_code: str) -> None:
    audit.record_change(
        session, actor_id=actor.id if actor else None, action=action, detail=f"plugin={plugin} region={region_code}"
    )
