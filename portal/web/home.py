"""The landing page: each role's first useful view."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from portal.domain import home as overview
from portal.domain.calendar import local_today
from portal.domain.follow_up import todo as follow_up_todo
from portal.extensions import db

from .forms import page_number

blueprint = Blueprint("home", __name__)


@blueprint.get("/")
@login_required
def index():
    build = overview.BY_ROLE[current_user.role]
    content = build(db.session, current_user, page_number(), current_app.config["PAGE_SIZE"])
    todo = follow_up_todo.items_for(db.session, current_app.extensions["portal.engine"], current_user, local_today())
    page = render_template(f"home/{current_user.role}.html", overview=content, todo=todo)
    db.session.commit()  # the audit rows of what was listed, once it has been rendered
    return page
