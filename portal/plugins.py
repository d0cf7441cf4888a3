"""The plugin manager: core's built-in plugins first, then installed ones (entry points).

Settings (see `config.py`):
- `PORTAL_PLUGINS`: comma-separated entry-point names; only these installed plugins
  load (core's built-ins always do). Unset: all installed plugins load. A name that is
  not installed stops start-up.
- `PORTAL_TRACE_PLUGINS=1`: log every hook call and its result (debugging).

Everything a plugin declares is checked while the app is created (hook names and
arguments here; workflows and referral fields in `portal.domain.plugins.startup`), so
that a broken plugin stops the portal with a message naming it instead of failing
mid-request. This module knows nothing of the domain: the domain calls hooks through it.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from importlib.metadata import entry_points
from pathlib import Path

import pluggy

from portal import hookspecs

log = logging.getLogger(__name__)

BUILTIN_MODULES = (
    "portal.builtin.default_workflow",
    "portal.builtin.notifications",
    "portal.builtin.navigation",
    "portal.builtin.matching_factors",
    "portal.builtin.report_formats",
    "portal.builtin.reports",
)


class PluginError(RuntimeError):
    """A plugin cannot be used; the message names the plugin and the problem."""


@dataclass(frozen=True)
class PluginInfo:
    """One registered plugin: its entry-point name (its identifier everywhere), where it
    comes from, the hooks it implements and what its `hookspecs.PluginMetadata` says."""

    name: str
    distribution: str
    version: str
    builtin: bool
    hooks: tuple[str, ...] = ()
    metadata: hookspecs.PluginMetadata | None = None

    @property
    def display_name(self) -> object:
        return self.metadata.display_name if self.metadata else self.name

    @property
    def description(self) -> object:
        return self.metadata.description if self.metadata else ""

    @property
    def intended_regions(self) -> tuple[str, ...]:
        """The region codes it is made for; empty: any region."""
        return self.metadata.regions if self.metadata else ()

    def scope(self, hook: str) -> str:
        """``"region"`` for a region-scoped hook, ``"global"`` for the others."""
        return "region" if hook in hookspecs.REGION_SCOPED else "global"


def build_plugin_manager(
    only: str | None = None, trace: bool = False, extra: Mapping[str, object] | None = None
) -> pluggy.PluginManager:
    """Register built-ins, installed plugins and `extra` ({name: plugin object}, as if
    installed under that entry-point name: a plugin's own tests), then check every hook
    is a known one."""
    import importlib

    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    manager.portal_info = {}
    for module_name in BUILTIN_MODULES:
        _register(
            manager,
            importlib.import_module(module_name),
            module_name,
            "handledarportalen",
            _core_version(),
            builtin=True,
        )
    extra = dict(extra or {})
    wanted = {name.strip() for name in (only or "").split(",") if name.strip()} or None
    found = entry_points(group=hookspecs.PROJECT)
    unknown = sorted((wanted or set()) - set(found.names) - set(extra))
    if unknown:
        raise PluginError(
            f"PORTAL_PLUGINS names {', '.join(map(repr, unknown))}, which no installed plugin is called "
            f"(installed: {', '.join(sorted(set(found.names) | set(extra))) or 'none'}): "
            "correct the setting, or install the plugin with pip"
        )
    for entry_point in found:
        if entry_point.name in extra or (wanted is not None and entry_point.name not in wanted):
            continue
        try:
            plugin = entry_point.load()
        except Exception as error:
            raise PluginError(
                f"plugin {entry_point.name!r} failed to import: {type(error).__name__}: {error}"
            ) from error
        dist = entry_point.dist
        _register(manager, plugin, entry_point.name, dist.name if dist else "?", dist.version if dist else "?")
    for name, plugin in extra.items():
        _register(manager, plugin, name, getattr(plugin, "__name__", "?"), getattr(plugin, "__version__", "?"))
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as error:
        name = manager.get_name(error.plugin)
        raise PluginError(f"plugin {name!r} implements an unknown hook: {error}") from error
    for name, info in manager.portal_info.items():
        hooks = sorted(caller.name for caller in manager.get_hookcallers(manager.get_plugin(name)) or ())
        manager.portal_info[name] = replace(info, hooks=tuple(hooks))
    if trace:
        manager.trace.root.setwriter(log.info)
        manager.enable_tracing()
    return manager


def _register(manager, plugin, name: str, distribution: str, version: str, builtin: bool = False) -> None:
    metadata = None if builtin else _metadata(plugin, name)
    try:
        manager.register(plugin, name=name)
    except (ValueError, pluggy.PluginValidationError) as error:
        raise PluginError(f"plugin {name!r} could not be registered: {error}") from error
    manager.portal_info[name] = PluginInfo(name, distribution, version, builtin, metadata=metadata)


def _metadata(plugin, name: str) -> hookspecs.PluginMetadata | None:
    """The plugin's `PORTAL_PLUGIN`, checked: the right type and an API version it accepts."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    metadata = getattr(plugin, "PORTAL_PLUGIN", None)
    if metadata is None:
        return None
    if not isinstance(metadata, hookspecs.PluginMetadata):
        raise PluginError(f"plugin {name!r}: PORTAL_PLUGIN must be a portal.hookspecs.PluginMetadata")
    if metadata.requires_api is not None:
        try:
            accepted = SpecifierSet(metadata.requires_api)
        except InvalidSpecifier:
            raise PluginError(
                f"plugin {name!r}: requires_api {metadata.requires_api!r} is not a version range like '>=1.1,<2'"
            ) from None
        if hookspecs.API_VERSION not in accepted:
            raise PluginError(
                f"plugin {name!r} requires plugin API {metadata.requires_api}, but this portal offers "
                f"{hookspecs.API_VERSION}: install a version of the plugin made for {hookspecs.API_VERSION}, "
                "or a portal whose API it accepts"
            )
    return metadata


def _core_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("handledarportalen")
    except PackageNotFoundError:
        return "0+source"


def installed(manager: pluggy.PluginManager) -> list[PluginInfo]:
    """Every registered plugin, built-ins first, then by name."""
    return sorted(manager.portal_info.values(), key=lambda info: (not info.builtin, info.name))


class RegionHooks:
    """The hook relay as one region sees it: `relay.portal_referral_fields(region_code=…)`
    reaches core's built-ins and only the installed plugins enabled for the region."""

    def __init__(self, manager: pluggy.PluginManager, removed: list):
        self._manager = manager
        self._removed = removed

    def __getattr__(self, name: str):
        if not name.startswith(hookspecs.PROJECT + "_"):
            raise AttributeError(name)
        return self._manager.subset_hook_caller(name, remove_plugins=self._removed)


def region_hook(manager: pluggy.PluginManager, enabled: Collection[str]) -> RegionHooks:
    """The ONE way region-scoped hooks are called: `enabled` names the installed plugins
    enabled for the region (see `portal.domain.region_plugins.enabled_plugins`)."""
    removed = [
        manager.get_plugin(info.name)
        for info in manager.portal_info.values()
        if not info.builtin and info.name not in enabled
    ]
    return RegionHooks(manager, removed)


def call_each(caller, **kwargs) -> list[tuple[str, object]]:
    """Call every implementation of a hook in pluggy's order, one at a time, and answer
    (plugin name, result) pairs, for results that must be attributed to their plugin
    (stored referral fields). Tracing does not see these calls."""
    results = [(implementation.plugin_name, _call(implementation, kwargs)) for implementation in _in_order(caller)]
    return [(name, result) for name, result in results if result is not None]


def _in_order(caller) -> list:
    """A hook's implementations in the order pluggy calls them, wrappers left out."""
    return [impl for impl in reversed(caller.get_hookimpls()) if not (impl.wrapper or impl.hookwrapper)]


def _call(implementation, kwargs: dict):
    return implementation.function(**{name: kwargs[name] for name in implementation.argnames})


def answer_of(manager: pluggy.PluginManager, plugin: str, hook: str, **kwargs):
    """What one plugin alone answers to a hook (None when it does not implement it)."""
    plugin_object = manager.get_plugin(plugin)
    for implementation in getattr(manager.hook, hook).get_hookimpls():
        if implementation.plugin is plugin_object:
            return _call(implementation, kwargs)
    return None


def add_translations(app, directory) -> None:
    """Let catalogs (``<directory>/<locale>/LC_MESSAGES/messages.mo``) translate a plugin's
    texts. Core adds each plugin's ``translations`` folder itself (API 1.5.0); a plugin
    calls this only for catalogs elsewhere. Adding a folder twice changes nothing."""
    directories = app.extensions["babel"].translation_directories
    if str(directory) not in directories:
        directories.append(str(directory))


def start(app) -> None:
    """Add every plugin's own catalogs (the ``translations`` folder beside its module, as
    `portal plugin new` writes it), then let each attach its blueprints, commands and
    templates (`portal_startup`)."""
    manager = app.extensions["portal.plugins"]
    for _name, plugin in reversed(manager.list_name_plugin()):  # in the order pluggy calls them
        module = getattr(plugin, "__file__", None)
        if module and (Path(module).parent / "translations").is_dir():
            add_translations(app, Path(module).parent / "translations")
    checked(manager.hook.portal_startup, "start-up", app=app)


def checked(caller, what: str, **kwargs) -> list[tuple[str, object]]:
    """`call_each`, turning a plugin's exception into a PluginError that names it."""
    results = []
    for implementation in _in_order(caller):
        try:
            result = _call(implementation, kwargs)
        except Exception as error:
            raise PluginError(
                f"plugin {implementation.plugin_name!r} failed in its {what} hook "
                f"({caller.name}): {type(error).__name__}: {error}"
            ) from error
        if result is not None:
            results.append((implementation.plugin_name, result))
    return results
