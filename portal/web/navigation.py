"""The main menu: the links every plugin (core's built-in one first) adds through
`portal_navigation_links`, collected once per page."""

from __future__ import annotations

from typing import NamedTuple

from flask import Flask, current_app, g
from flask_login import current_user


class NavigationLink(NamedTuple):
    label: object
    url: str


def register(app: Flask) -> None:
    app.context_processor(lambda: {"navigation_links": navigation_links})


def navigation_links() -> list[NavigationLink]:
    if not current_user.is_authenticated:
        return []
    if "navigation_links" not in g:
        user = current_user._get_current_object()  # the user, not the proxy: the hooks read it often
        answers = current_app.extensions["portal.plugins"].hook.portal_navigation_links(user=user)
        g.navigation_links = [NavigationLink(*link) for links in answers for link in links or ()]
    return g.navigation_links
