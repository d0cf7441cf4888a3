"""The supervisor's answers to offers: accept with a start date, or decline with a reason."""

from __future__ import annotations

from flask import Blueprint, abort, url_for
from flask_login import current_user, login_required

from portal.domain.referrals import actions as referrals
from portal.extensions import db
from portal.i18n import lazy_gettext as _l
from portal.models import Offer

from .pages import engine
from .workflow_forms import ACCEPT, DECLINE, FORMS, take_step

blueprint = Blueprint("offers", __name__, url_prefix="/offers")


def _answer(offer_id: int, accept: bool):
    step = ACCEPT if accept else DECLINE
    form = FORMS[step]()
    referral_id = db.session.scalar(db.select(Offer.referral_id).where(Offer.id == offer_id))
    if referral_id is None:
        abort(404)
    return take_step(
        referral_id,
        step,
        form,
        lambda: referrals.answer(
            db.session,
            engine(),
            current_user,
            offer_id,
            accept=accept,
            reason=None if accept else form.reason.data,
            note=form.note.data,
            start_date=form.start_date.data if accept else None,
        ),
        _l("You have accepted the placement.") if accept else _l("You have declined the offer."),
        to=None if accept else url_for("home.index"),
    )


@blueprint.post("/<int:offer_id>/accept")
@login_required
def accept(offer_id: int):
    return _answer(offer_id, accept=True)


@blueprint.post("/<int:offer_id>/decline")
@login_required
def decline(offer_id: int):
    return _answer(offer_id, accept=False)
