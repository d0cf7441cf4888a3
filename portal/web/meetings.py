"""Meetings on a placement: book, change, cancel and record them."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import Length, Optional

from portal.domain import vocabulary
from portal.domain.follow_up import meetings
from portal.extensions import db
from portal.i18n import lazy_gettext as _l

from .forms import CheckboxesField, IntegerField, choices, saved
from .pages import engine, read_page

blueprint = Blueprint("meetings", __name__)


class MeetingForm(FlaskForm):
    """The form only parses; the domain decides what is missing or wrong (messages at the fields)."""

    kind = SelectField(_l("Kind of meeting"), validators=[Optional()], validate_choice=False)
    day = DateField(_l("Date"), validators=[Optional()])
    at = TimeField(_l("Time"), validators=[Optional()])
    minutes = IntegerField(_l("Length in minutes"), validators=[Optional()], default=60)
    place = StringField(_l("Place"), validators=[Length(max=300)], description=_l("An address or a room."))
    video_url = StringField(_l("Video link (optional)"), validators=[Length(max=500)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices(vocabulary.MEETING_KINDS, sort=False, prompt=_l("Choose…"))

    def details(self) -> meetings.MeetingDetails:
        return meetings.MeetingDetails(
            kind=self.kind.data or "",
            day=self.day.data,
            at=self.at.data,
            minutes=self.minutes.data,
            place=self.place.data or "",
            video_url=self.video_url.data or "",
        )


class RecordForm(FlaskForm):
    attended = CheckboxesField(_l("Who attended"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=4000)])
    agreed_actions = TextAreaField(_l("Agreed actions"), validators=[Length(max=4000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.attended.choices = choices(vocabulary.MEETING_ATTENDEES, sort=False)


def _settings():
    return engine().settings


def _back(referral_id: int):
    return redirect(url_for("meetings.index", referral_id=referral_id)), 303


def _page(referral_id: int, form: MeetingForm, record_forms: dict | None = None, status: int = 200):
    page = meetings.load(db.session, current_user, referral_id)
    forms = {m.id: RecordForm(formdata=None, prefix=f"m{m.id}") for m in page.meetings}
    forms.update(record_forms or {})
    return read_page("follow_up/meetings.html", status, page=page, form=form, record_forms=forms)


@blueprint.route("/referrals/<int:referral_id>/meetings", methods=["GET", "POST"])
@login_required
def index(referral_id: int):
    """The meetings page; a POST books a meeting."""
    form = MeetingForm()
    if saved(form, lambda: meetings.book(db.session, _settings(), current_user, referral_id, form.details())):
        flash(_l("The meeting has been booked and the invitations sent."), "success")
        return _back(referral_id)
    return _page(referral_id, form, status=400 if form.is_submitted() else 200)


@blueprint.route("/referrals/<int:referral_id>/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(referral_id: int, meeting_id: int):
    page, meeting = meetings.load_one(db.session, current_user, referral_id, meeting_id)
    form = MeetingForm(obj=meeting)
    if not form.is_submitted():
        local = meetings.local_start(meeting, _settings())
        form.day.data, form.at.data = local.date(), local.time()
    change = lambda: meetings.change(db.session, _settings(), current_user, referral_id, meeting_id, form.details())  # noqa: E731
    if saved(form, change):
        flash(_l("The meeting has been changed and the invitations sent again."), "success")
        return _back(referral_id)
    status = 400 if form.is_submitted() else 200
    return read_page("follow_up/meeting_form.html", status, page=page, meeting=meeting, form=form)


@blueprint.post("/referrals/<int:referral_id>/meetings/<int:meeting_id>/cancel")
@login_required
def cancel(referral_id: int, meeting_id: int):
    form = FlaskForm()
    if saved(form, lambda: meetings.cancel(db.session, _settings(), current_user, referral_id, meeting_id)):
        flash(_l("The meeting has been cancelled and the invitations withdrawn."), "success")
    return _back(referral_id)


@blueprint.post("/referrals/<int:referral_id>/meetings/<int:meeting_id>/record")
@login_required
def record(referral_id: int, meeting_id: int):
    form = RecordForm(prefix=f"m{meeting_id}")
    recorded = saved(
        form,
        lambda: meetings.record(
            db.session,
            current_user,
            referral_id,
            meeting_id,
            attended=form.attended.data or [],
            notes=form.notes.data or "",
            agreed_actions=form.agreed_actions.data or "",
        ),
    )
    if recorded:
        flash(_l("The meeting has been recorded."), "success")
        return _back(referral_id)
    return _page(referral_id, MeetingForm(formdata=None), {meeting_id: form}, status=400)
