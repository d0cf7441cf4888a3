"""Core's links in the main menu, through `portal_navigation_links` like a plugin's.

Registered first-called (`tryfirst`), so that core's links come before plugins' links.
"""

from __future__ import annotations

from flask import url_for

from portal.domain import access
from portal.hookspecs import hookimpl
from portal.i18n import lazy_gettext as _
from portal.models import Role


@hookimpl(tryfirst=True)
def portal_navigation_links(user):
    from portal.web import messages
    from portal.web.notifications import menu_label

    links = [(_("Start"), url_for("home.index"))]
    if user.role != Role.SUPERVISOR:
        links.append((_("Participants"), url_for("participants.index")))
    if user.role == Role.CASEWORKER:
        links.append((_("Register a participant"), url_for("participants.new")))
    if access.may_see_directory(user):
        links.append((_("Directory"), url_for("directory.cooperative_list")))
    if access.may_keep_directory(user):
        links.append((_("Training"), url_for("training.cohort_list")))
    if user.role == Role.SUPERVISOR:
        links.append((_("My profile"), url_for("directory.profile")))
    links.append((menu_label(), url_for("notifications.index")))
    if user.role in (Role.CASEWORKER, Role.SUPERVISOR, Role.COORDINATOR):
        links.append((messages.menu_label(), url_for("messages.index")))
    if access.may_see_workflows(user):
        links.append((_("Plugins"), url_for("admin.plugins")))
    return links
