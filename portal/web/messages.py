"""A referral's conversation, and the list of one's conversations with unread counts."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import TextAreaField

from portal.domain.follow_up import messages
from portal.extensions import db
from portal.i18n import lazy_gettext as _l

from .forms import saved
from .notifications import unread_count
from .pages import read_page

blueprint = Blueprint("messages", __name__)


class MessageForm(FlaskForm):
    body = TextAreaField(
        _l("New message"),
        description=_l("Seen by the referral's caseworker, its supervisor and the region's coordinator."),
    )


def menu_label():
    """ "Messages (N)" with the unread count of the conversations one takes part in."""
    unread = unread_count("messages", messages.unread_count)
    return _l("Messages") if not unread else _l("Messages (%(count)d unread)", count=unread)


@blueprint.get("/messages")
@login_required
def index():
    return render_template("follow_up/messages_list.html", conversations=messages.summaries(db.session, current_user))


def _render(referral_id: int, form: MessageForm, status: int = 200):
    conversation = messages.open_conversation(db.session, current_user, referral_id)
    return read_page("follow_up/messages_conversation.html", status, conversation=conversation, form=form)


@blueprint.route("/referrals/<int:referral_id>/messages", methods=["GET", "POST"])
@login_required
def conversation(referral_id: int):
    """The conversation (GET), or a message sent to it (POST)."""
    form = MessageForm()
    if saved(form, lambda: messages.send(db.session, current_app.config, current_user, referral_id, form.body.data)):
        flash(_l("The message has been sent."), "success")
        return redirect(url_for(".conversation", referral_id=referral_id), 303)
    return _render(referral_id, form, 400 if form.is_submitted() else 200)
