"""The Jinja environment the portal's templates render in: Flask's, with template
globals whose names are listed in one pass.

Every `{% from "…" import … %}` a page runs (four on a home page: the layout's, the
page's own, an included to-do list's) has Jinja ask whether the importing template has
globals the imported one lacks: a set of the importer's names less the imported
template's `globals.keys()`. Jinja keeps a template's globals as a `ChainMap` over the
environment's, whose keys view answers that with a Python call per name and map: about
150 calls an import, 5 % of a home page's Python calls (bench/README.md, pages).
`PortalGlobals` lists its names as a set in one pass instead; nothing else changes.
"""

from __future__ import annotations

from collections import ChainMap

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
