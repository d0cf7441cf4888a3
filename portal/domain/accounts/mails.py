"""The e-mails that carry a one-time link: an invitation and a forgotten password.

They go through the outbox in the caller's transaction, so a mail is sent only if the
account change it belongs to is committed. They name no other account and nothing about
the person but the role they were invited as; the link is the only secret.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.domain import vocabulary
from portal.domain.accounts import tokens
from portal.domain.notifications import outbox
from portal.models import TokenPurpose, User


def settings_or_app(settings: Mapping | None) -> Mapping:
    """The given settings, or the running app's config (BASE_URL, MAIL_FROM, DEFAULT_LOCALE)."""
    if settings is not None:
        return settings
    from flask import current_app

    return current_app.config


def send_link(session: Session, user: User, purpose: TokenPurpose, settings: Mapping | None = None) -> None:
    """Issue a token for `user` and queue the mail with its link."""
    settings = settings_or_app(settings)
    token = tokens.issue(session, user, purpose)
    link = settings["BASE_URL"].rstrip("/") + tokens.link_path(purpose, token)
    with force_locale(user.locale or settings["DEFAULT_LOCALE"]):
        if purpose == TokenPurpose.INVITATION:
            subject = _("Invitation to Handledarportalen")
            paragraphs = [
                _(
                    "You have been invited to Handledarportalen as %(role)s.",
                    role=vocabulary.label(vocabulary.ROLES, user.role).lower(),
                ),
                _("Choose your password here; the link works once and for 48 hours:"),
                link,
                _("If you did not expect this invitation, you can ignore this message."),
            ]
        else:
            subject = _("Choose a new password for Handledarportalen")
            paragraphs = [
                _("A new password was asked for on Handledarportalen with this e-mail address."),
                _("Choose your new password here; the link works once and for one hour:"),
                link,
                _("If you did not ask for this, you can ignore this message; your password stays as it is."),
            ]
    outbox.queue(
        session,
        recipient=user.email,
        subject=str(subject),
        body_text="\n\n".join(str(paragraph) for paragraph in paragraphs) + "\n",
        sender=settings["MAIL_FROM"],
    )
