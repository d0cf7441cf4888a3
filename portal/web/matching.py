"""The match page: a referral's ranked candidates, filters, "why isn't X listed?", and
the offer, which posts to the referral's own offer action (`referrals.offer`)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, request
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import NumberRange, Optional

from portal.domain import vocabulary
from portal.domain.matching import page as match_page
from portal.domain.matching.factors import parse_weights
from portal.domain.matching.filters import MatchFilters
from portal.extensions import db

from .forms import IntegerField
from .pages import engine, read_page

blueprint = Blueprint("matching", __name__)


@blueprint.record_once
def _check_weights(state) -> None:
    """A mistyped PORTAL_MATCHING_WEIGHTS stops start-up rather than the first ranking."""
    parse_weights(state.app.config.get("MATCHING_WEIGHTS"))


class MatchForm(FlaskForm):
    """The page's query parameters: codes and ids only, never personal data in an address."""

    class Meta:
        csrf = False

    municipality = IntegerField(validators=[Optional()])
    language = SelectField(choices=["", *vocabulary.LANGUAGES], default="", validators=[Optional()])
    trade = SelectField(choices=["", *vocabulary.TRADES], default="", validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(min=1)])
    why = IntegerField(validators=[Optional()])

    def filters(self) -> MatchFilters:
        return MatchFilters(
            municipality_id=self.municipality.data, language=self.language.data or None, trade=self.trade.data or None
        )


@blueprint.get("/referrals/<int:referral_id>/match")
@login_required
def show(referral_id: int):
    form = MatchForm(formdata=request.args)
    if not form.validate():
        abort(400)
    view = match_page.load(
        db.session,
        engine(),
        current_user,
        referral_id,
        form.filters(),
        page=form.page.data or 1,
        per_page=current_app.config["PAGE_SIZE"],
        why=form.why.data,
    )
    return read_page("matching/match.html", view=view)
