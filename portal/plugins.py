"""The plugin manager: core's built-in plugins first, then installed ones (entry points).

Settings (see `config.py`):
- `PORTAL_PLUGINS`: comma-separated entry-point names; only these installed plugins
  load (core's built-ins always do). Unset: all installed plugins load.
- `PORTAL_TRACE_PLUGINS=1`: log every hook call and its result (debugging).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib.metadata import entry_points

import pluggy

from . import hookspecs

log = logging.getLogger(__name__)

BUILTIN_MODULES = ("portal.builtin.default_workflow", "portal.builtin.notifications")
# What domain functions and hooks may read of the configuration, without an app context.
ENGINE_SETTINGS = ("OFFER_EXPIRY_WORKING_DAYS", "TIMEZONE", "BASE_URL", "DEFAULT_LOCALE", "MAIL_FROM")


class PluginError(RuntimeError):
    """A plugin cannot be used; the message names the plugin and the problem."""


@dataclass(frozen=True)
class PluginInfo:
    name: str
    distribution: str
    version: str
    builtin: bool


def build_plugin_manager(only: str | None = None, trace: bool = False) -> pluggy.PluginManager:
    """Register built-ins and installed plugins, then check every hook is a known one."""
    import importlib

    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    manager.portal_info = {}
    for module_name in BUILTIN_MODULES:
        module = importlib.import_module(module_name)
        manager.register(module, name=module_name)
        manager.portal_info[module_name] = PluginInfo(module_name, "handledarportalen", _core_version(), True)
    wanted = {name.strip() for name in (only or "").split(",") if name.strip()} or None
    for entry_point in entry_points(group=hookspecs.PROJECT):
        if wanted is not None and entry_point.name not in wanted:
            continue
        try:
            plugin = entry_point.load()
        except Exception as error:
            raise PluginError(f"plugin {entry_point.name!r} failed to import: {type(error).__name__}: {error}") from error
        try:
            manager.register(plugin, name=entry_point.name)
        except ValueError as error:
            raise PluginError(f"plugin {entry_point.name!r} could not be registered: {error}") from error
        dist = entry_point.dist
        manager.portal_info[entry_point.name] = PluginInfo(
            entry_point.name, dist.name if dist else "?", dist.version if dist else "?", False
        )
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as error:
        raise PluginError(f"plugin {error.plugin_name!r} implements an unknown hook: {error}") from error
    if trace:
        manager.trace.root.setwriter(log.info)
        manager.enable_tracing()
    return manager


def _core_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("handledarportalen")
    except PackageNotFoundError:
        return "0+source"


def init_app(app) -> pluggy.PluginManager:
    """Build the manager and the workflow engine from the app's settings; keep both on the app."""
    from .domain.transitions import Engine

    manager = build_plugin_manager(only=app.config["PLUGINS"], trace=app.config["TRACE_PLUGINS"])
    app.extensions["portal.plugins"] = manager
    app.extensions["portal.engine"] = Engine(
        registry=build_workflow_registry(manager),
        hook=manager.hook,
        settings={key: app.config[key] for key in ENGINE_SETTINGS},
    )
    return manager


def build_workflow_registry(manager: pluggy.PluginManager):
    """Collect and validate every plugin's workflows; an invalid one names its plugin."""
    from .domain.workflow import Registry, WorkflowInvalid

    workflows = []
    for implementation in manager.hook.portal_workflows.get_hookimpls():
        try:
            declared = list(implementation.function())
            for workflow in declared:
                workflow.validate()
        except WorkflowInvalid as error:
            raise PluginError(f"plugin {implementation.plugin_name!r} declares an invalid workflow: {error}") from error
        workflows.extend(declared)
    try:
        return Registry(workflows)
    except WorkflowInvalid as error:
        raise PluginError(f"plugins declare conflicting workflows: {error}") from error
