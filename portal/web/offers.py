"""The supervisor's answers to offers: accept with a start date, or decline with a reason."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from portal.domain import vocabulary
from portal.domain.errors import InvalidInput
from portal.domain.referrals import actions as referrals
from portal.extensions import db
from portal.i18n import lazy_gettext as _l
from portal.models import Offer

from .forms import choices, flash_errors

blueprint = Blueprint("offers", __name__, url_prefix="/offers")


class AcceptForm(FlaskForm):
    start_date = DateField(_l("Planned start"), validators=[Optional()])
    note = TextAreaField(_l("Note (optional)"), validators=[Length(max=2000)])


class DeclineForm(FlaskForm):
    reason = SelectField(_l("Reason"), validators=[InputRequired(_l("Choose a reason for declining."))])
    note = TextAreaField(_l("More about the reason (optional)"), validators=[Length(max=2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = choices(vocabulary.DECLINE_REASONS, prompt=_l("Choose…"))


def _answer(offer_id: int, accept: bool):
    form = AcceptForm() if accept else DeclineForm()
    referral_id = db.session.scalar(db.select(Offer.referral_id).where(Offer.id == offer_id))
    back = url_for("referrals.show", referral_id=referral_id) if referral_id else url_for("home.index")
    if not form.validate():
        flash_errors(form.errors)
        return redirect(back), 303
    try:
        referrals.answer(
            db.session,
            current_app.extensions["portal.engine"],
            current_user,
            offer_id,
            accept=accept,
            reason=None if accept else form.reason.data,
            note=form.note.data,
            start_date=form.start_date.data if accept else None,
        )
    except InvalidInput as error:
        db.session.rollback()
        flash_errors(error.errors)
        return redirect(back), 303
    db.session.commit()
    flash(_l("You have accepted the placement.") if accept else _l("You have declined the offer."), "success")
    return redirect(back if accept else url_for("home.index")), 303


@blueprint.post("/<int:offer_id>/accept")
@login_required
def accept(offer_id: int):
    return _answer(offer_id, accept=True)


@blueprint.post("/<int:offer_id>/decline")
@login_required
def decline(offer_id: int):
    return _answer(offer_id, accept=False)
