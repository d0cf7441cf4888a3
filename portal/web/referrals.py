"""Referrals: writing a draft, the referral page with its timeline, and the actions on it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portal.domain.access import ParticipantAction
from portal.domain.matching import none_listed
from portal.domain.participants import registration as participants
from portal.domain.referrals import actions as referrals
from portal.domain.referrals import fields as referral_fields
from portal.domain.referrals.page import load_page
from portal.extensions import db
from portal.i18n import lazy_gettext as _l

from .forms import IntegerField, answer_field, bounded_int, saved
from .pages import engine, read_page
from .workflow_forms import OFFER, WIDEN, NoteForm, answers, posted_form, render_referral, take_step

blueprint = Blueprint("referrals", __name__)


class ReferralForm(FlaskForm):
    goal = TextAreaField(
        _l("Goal of the placement"),
        validators=[Length(max=2000)],
        description=_l("What the person wants to achieve; no diagnoses needed."),
    )
    hours_per_week = IntegerField(
        _l("Hours per week"),
        validators=[
            InputRequired(_l("Enter between 1 and 40 hours per week.")),
            NumberRange(1, 40, _l("Enter between 1 and 40 hours per week.")),
        ],
    )
    earliest_start = DateField(_l("Earliest start (optional)"), validators=[Optional()])
    notes = TextAreaField(_l("Notes for the supervisor (optional)"), validators=[Length(max=4000)])
    region_wide = BooleanField(_l("Supervisors elsewhere in the region may be offered the placement"))

    extra_keys: tuple[str, ...] = ()  # the region's plugin fields, added by `referral_form`

    def details(self) -> referrals.ReferralDetails:
        return referrals.ReferralDetails(
            goal=self.goal.data or "",
            hours_per_week=self.hours_per_week.data,
            earliest_start=self.earliest_start.data,
            notes=self.notes.data,
            region_wide=self.region_wide.data,
            answers={key: self[key].data for key in self.extra_keys},
        )


def referral_form(fields: list[referral_fields.DeclaredField]) -> type[ReferralForm]:
    """`ReferralForm` with the fields the region's plugins ask for; the form only parses
    them (Optional), the domain decides what is required and valid."""
    attributes = {item.key: answer_field(item.field) for item in fields}
    return type("RegionReferralForm", (ReferralForm,), {**attributes, "extra_keys": tuple(attributes)})


@blueprint.route("/participants/<int:participant_id>/referrals/new", methods=["GET", "POST"])
@login_required
def new(participant_id: int):
    participant = participants.view(
        db.session, current_user, participant_id, purpose="referral.write", action=ParticipantAction.WRITE_REFERRAL
    )
    fields = referral_fields.for_region(db.session, engine(), participant.municipality.region.code)
    form = referral_form(fields)()
    created = []
    if saved(
        form,
        lambda: created.append(referrals.create_draft(db.session, engine(), current_user, participant, form.details())),
    ):
        flash(_l("The draft has been saved. Submit it when it is ready."), "success")
        return redirect(url_for("referrals.show", referral_id=created[-1].id))
    status = 400 if form.is_submitted() else 200
    return read_page("referrals/form.html", status, form=form, participant=participant, referral=None)


@blueprint.route("/referrals/<int:referral_id>/edit", methods=["GET", "POST"])
@login_required
def edit(referral_id: int):
    view = load_page(db.session, engine(), current_user, referral_id)
    fields = referral_fields.for_region(db.session, engine(), view.referral.region.code)
    form = referral_form(fields)(obj=view.referral, data=referral_fields.initial(db.session, referral_id, fields))
    if saved(form, lambda: referrals.update_draft(db.session, engine(), current_user, referral_id, form.details())):
        flash(_l("The draft has been saved."), "success")
        return redirect(url_for("referrals.show", referral_id=referral_id))
    status = 400 if form.is_submitted() else 200
    return read_page(
        "referrals/form.html", status, form=form, participant=view.referral.participant, referral=view.referral
    )


@blueprint.get("/referrals/<int:referral_id>")
@login_required
def show(referral_id: int):
    return render_referral(referral_id)


@blueprint.post("/referrals/<int:referral_id>/act/<transition>")
@login_required
def act(referral_id: int, transition: str):
    form, offered = posted_form(referral_id, transition)
    params = {name: form.data[name] for name in ("start_date", "outcome", "end_date") if name in form.data}
    return take_step(
        referral_id,
        transition,
        form,
        lambda: referrals.act(
            db.session,
            engine(),
            current_user,
            referral_id,
            transition,
            note=form.note.data,
            params=params,
            answers=answers(form),
        ),
        lambda referral: engine().workflow_of(referral).done_text(transition),
        validate=offered,
    )


@blueprint.post("/referrals/<int:referral_id>/offers")
@login_required
def offer(referral_id: int):
    form = NoteForm()
    supervisor_ids = []
    for value in request.form.getlist("supervisor_id"):
        if not value.strip():
            continue
        try:
            supervisor_ids.append(bounded_int(value))
        except ValueError:
            abort(400)
    return take_step(
        referral_id,
        OFFER,
        form,
        lambda: referrals.offer(db.session, engine(), current_user, referral_id, supervisor_ids, note=form.note.data),
        _l("The offer has been sent. The supervisor has been notified."),
    )


@blueprint.post("/referrals/<int:referral_id>/widen")
@login_required
def widen(referral_id: int):
    """Open a referral waiting for an offer to supervisors in the whole region."""
    form = NoteForm()
    if not form.validate():
        abort(400)
    return take_step(
        referral_id,
        WIDEN,
        form,
        lambda: none_listed.widen_area(db.session, engine(), current_user, referral_id),
        _l("Supervisors elsewhere in the region are now listed too."),
        validate=False,  # validated above: a widening sent without its token is no step to show again
    )
