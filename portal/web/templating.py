"""The Jinja environment the portal's templates render in: Flask's, with two calls every
page makes many times made cheaper (bench/README.md, pages).

- Every `{% from "…" import … %}` a page runs (four on a home page: the layout's, the
  page's own, an included to-do list's) has Jinja ask whether the importing template has
  globals the imported one lacks: a set of the importer's names less the imported
  template's `globals.keys()`. Jinja keeps a template's globals as a `ChainMap` over the
  environment's, whose keys view answers that with a Python call per name and map: about
  150 calls an import, 5 % of a home page's Python calls. `PortalGlobals` lists its
  names as a set in one pass instead.
- `url_for` in a template remembers the addresses it has built (`remembered_url_for`).
"""

from __future__ import annotations

from collections import ChainMap

from flask import Flask, request
from flask.templating import Environment


class PortalGlobals(ChainMap):
    """A template's globals over the environment's (Jinja's `ChainMap`), whose names are
    a set made in one pass, for the set difference each import takes of them."""

    def keys(self):
        return set(self)


class PortalEnvironment(Environment):
    """Flask's Jinja environment, making each template's globals a `PortalGlobals`."""

    def make_globals(self, d):
        return PortalGlobals({} if d is None else d, self.globals)


REMEMBERED = 4096  # addresses the templates' url_for keeps before it starts again


def remembered_url_for(app: Flask):
    """The templates' `url_for`: Flask's, remembering each address once built.

    A page builds thirty addresses or so (its menu, forms and a link a row), each of them
    through Werkzeug's URL map, about twenty Python calls apiece, and builds the same ones
    on the next request. An address depends only on the endpoint, its values and the
    portal's root path, so it is kept under them; a call Flask would answer with more than
    that (an endpoint relative to the blueprint, `_external`, `_anchor`, `_method` or
    `_scheme`, a list of values, URL defaults a plugin registers) goes to Flask each time."""
    built: dict[tuple, str] = {}

    def url_for(endpoint: str, **values) -> str:
        if app.url_default_functions or endpoint[:1] == "." or any(name[:1] == "_" for name in values):
            return app.url_for(endpoint, **values)
        key = (request.root_path, endpoint, *values.items())
        try:
            return built[key]
        except KeyError:
            pass
        except TypeError:  # a value that is no key: a list of values for one argument
            return app.url_for(endpoint, **values)
        if len(built) >= REMEMBERED:
            built.clear()
        address = built[key] = app.url_for(endpoint, **values)
        return address

    return url_for


def install(app: Flask) -> None:
    app.jinja_env.globals["url_for"] = remembered_url_for(app)
