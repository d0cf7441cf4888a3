"""The portal's Flask application class: Flask, with two things every page does many
times made cheaper (bench/README.md, pages).

- Every `{% from "…" import … %}` a page runs (four on a home page: the layout's, the
  page's own, an included to-do list's) has Jinja ask whether the importing template has
  globals the imported one lacks: a set of the importer's names less the imported
  template's `globals.keys()`. Jinja keeps a template's globals as a `ChainMap` over the
  environment's, whose keys view answers that with a Python call per name and map: about
  150 calls an import, 5 % of a home page's Python calls. `PortalGlobals` lists its
  names as a set in one pass instead.
- A page builds thirty addresses or so (its menu, forms and a link a row), each through
  Werkzeug's URL map, about twenty Python calls apiece, and the same ones again on the
  next request. `Portal.url_for` remembers them.
- Flask asks of every hook and view on every request whether it is a coroutine function;
  `Portal.ensure_sync` keeps the answer.
"""

from __future__ import annotations

from collections import ChainMap

from flask import Flask
from flask.globals import _cv_request
from flask.templating import Environment

from portal.kept import kept


class PortalGlobals(ChainMap):
    """A template's globals over the environment's (Jinja's `ChainMap`), whose names are
    a set made in one pass, for the set difference each import takes of them."""

    def keys(self):
        return set(self)


class PortalEnvironment(Environment):
    """Flask's Jinja environment, making each template's globals a `PortalGlobals`."""

    def make_globals(self, d):
        return PortalGlobals({} if d is None else d, self.globals)


class Portal(Flask):
    """Flask, rendering in a `PortalEnvironment`, remembering the addresses it builds and
    which of its functions need running as coroutines."""

    jinja_environment = PortalEnvironment

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._addresses: dict[tuple, str] = {}
        self._synchronous: dict = {}

    def ensure_sync(self, func):
        """Flask's answer for `func` (itself, or for a coroutine function a wrapper that
        runs it), found once per function: Flask asks it of every hook and view on every
        request (ten or so a page), each time through `inspect` (fifteen calls)."""
        return kept(self._synchronous, func, lambda: Flask.ensure_sync(self, func))

    def url_for(self, /, endpoint: str, *, _anchor=None, _method=None, _scheme=None, _external=None, **values) -> str:
        """Flask's `url_for`, each address kept once built in a request. An address
        depends only on the endpoint, its values and the portal's root path, so it is kept
        under them; a call Flask answers with more than that (outside a request, an
        endpoint relative to the blueprint, an anchor, method, scheme or external address,
        a list of values, URL defaults a plugin registers) goes to Flask."""
        context = _cv_request.get(None)
        if (
            context is None
            or self.url_default_functions
            or endpoint[:1] == "."
            or not (_anchor is _method is _scheme is _external is None)
        ):
            return super().url_for(
                endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external, **values
            )
        key = (context.request.root_path, endpoint, *values.items())
        return kept(self._addresses, key, lambda: Flask.url_for(self, endpoint, **values))
