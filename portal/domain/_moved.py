"""The import paths of release 0.1, kept working for one release with a DeprecationWarning.

Release 0.2 split the flat `portal.domain` into one package per capability
(CHANGELOG.md lists every move). Plugins outside this repository may still import the
old paths: `portal.domain.referral_fields` is answered by `portal.domain.referrals.fields`
(a finder on `sys.meta_path`), and names of an old module whose path is now a package
(`from portal.domain.referrals import workflow_for_region`) are forwarded by the
package's `__getattr__`. Both warn; both go in the next release.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import pkgutil
import sys
import warnings

PREFIX = "portal.domain."
MOVED = {
    "referrals": "referrals.actions",
    "workflow": "referrals.workflow",
    "transitions": "referrals.transitions",
    "steps": "referrals.steps",
    "workflow_diagram": "referrals.diagram",
    "referral_fields": "referrals.fields",
    "referral_page": "referrals.page",
    "stranded": "referrals.stranded",
    "offer_timers": "referrals.offer_timers",
    "matching": "matching.filters",
    "candidates": "matching.candidates",
    "factors": "matching.factors",
    "ranking": "matching.ranking",
    "match_page": "matching.page",
    "reporting": "reports.interface",
    "reports": "reports.catalogue",
    "report_sql": "reports.sql",
    "charts": "reports.charts",
    "realia": "reports.realia",
    "participants": "participants.registration",
    "privacy": "participants.privacy",
    "retention": "participants.retention",
    "notifications": "notifications.inbox",
    "outbox": "notifications.outbox",
    "plugin_admin": "plugins.enabling",
    "users": "accounts.users",
    "demo": "portal.demo.data",
    "demo_names": "portal.demo.names",
    "overview": "home",
}


def _new_path(old: str) -> str:
    target = MOVED[old]
    return target if target.startswith("portal.") else PREFIX + target


def _warn(old: str, new: str) -> None:
    warnings.warn(
        f"{old} moved to {new} in release 0.2; the old path goes in 0.3 (see CHANGELOG.md)",
        DeprecationWarning,
        stacklevel=3,
    )


class _OldPaths(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Answers an old module path with the module at its new path (the same object)."""

    def find_spec(self, fullname, path=None, target=None):
        old = fullname.removeprefix(PREFIX)
        if fullname.startswith(PREFIX) and old in MOVED and not MOVED[old].startswith(old + "."):
            return importlib.util.spec_from_loader(fullname, self)
        return None  # unknown here, or an old path that is now a package (see `forwarder`)

    def create_module(self, spec):
        """A placeholder; `exec_module` puts the module at the new path in its place."""
        return None

    def exec_module(self, module) -> None:
        new = _new_path(module.__name__.removeprefix(PREFIX))
        _warn(module.__name__, new)
        sys.modules[module.__name__] = importlib.import_module(new)


def install() -> None:
    """Put the finder for old paths on `sys.meta_path` (once)."""
    if not any(isinstance(finder, _OldPaths) for finder in sys.meta_path):
        sys.meta_path.append(_OldPaths())


def forwarder(package: str, module: str):
    """A module `__getattr__` for `package` (an old module's path, now a package) that
    forwards the old module's public names to `package.module`, with a warning. Names
    of the package's own modules are left to the import system."""
    modules = None

    def __getattr__(name: str):
        nonlocal modules
        if modules is None:
            modules = {info.name for info in pkgutil.iter_modules(sys.modules[package].__path__)}
        if name.startswith("_") or name in modules:
            raise AttributeError(name)
        target = importlib.import_module(f"{package}.{module}")
        try:
            value = getattr(target, name)
        except AttributeError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        _warn(f"{package}.{name}", f"{package}.{module}.{name}")
        return value

    return __getattr__
