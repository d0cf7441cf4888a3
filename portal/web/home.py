"""The landing page: each role's first useful view."""

from __future__ import annotations

from flask import Blueprint, current_app
from flask_login import current_user, login_required

from portal.domain import home as overview
from portal.domain.calendar import local_today
from portal.domain.follow_up import todo as follow_up_todo
from portal.extensions import db

from .forms import page_number
from .pages import engine, read_page

blueprint = Blueprint("home", __name__)


@blueprint.get("/")
@login_required
def index():
    user = current_user._get_current_object()  # the domain reads it often: once through the proxy
    build = overview.BY_ROLE[user.role]
    content = build(db.session, user, page_number(), current_app.config["PAGE_SIZE"])
    todo = follow_up_todo.items_for(db.session, engine(), user, local_today())
    return read_page(f"home/{user.role}.html", overview=content, todo=todo)
