"""Participants: registration by a caseworker, the participant page, consent, and the
removal of a registration made by mistake."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, DateField, EmailField, RadioField, SelectField, StringField, TelField
from wtforms.validators import InputRequired, Length, Optional

from portal.domain import access, lists, vocabulary
from portal.domain.access import ParticipantAction
from portal.domain.calendar import local_today
from portal.domain.errors import InvalidInput
from portal.domain.participants import duplicates, mistaken, withdrawal
from portal.domain.participants import registration as participants
from portal.domain.participants.page import ParticipantPage, load_page
from portal.domain.transactions import begin_write
from portal.extensions import db
from portal.i18n import lazy_gettext as _l
from portal.models import Consent, Municipality, Role

from . import lists as lists_page
from .forms import CheckboxesField, bounded_int, choices, flash_errors, saved, show_errors
from .pages import engine, read_page

blueprint = Blueprint("participants", __name__, url_prefix="/participants")


class ParticipantForm(FlaskForm):
    """What is recorded about a person: entered at registration, corrected later."""

    given_name = StringField(_l("Given name"), validators=[Length(max=100)], render_kw={"autocomplete": "off"})
    family_name = StringField(_l("Family name"), validators=[Length(max=100)], render_kw={"autocomplete": "off"})
    municipality_id = SelectField(_l("Municipality of residence"), coerce=bounded_int, validate_choice=False)
    gender = RadioField(
        _l("Gender"), default="not_stated", description=_l("Used only for the gender-equality follow-up (3R).")
    )
    labour_market_status = SelectField(
        _l("Situation on the labour market (optional)"),
        validate_choice=False,
        description=_l("At the start, for the ESF participant report."),
    )
    education_level = SelectField(
        _l("Highest completed education (optional)"),
        validate_choice=False,
        description=_l("For the ESF participant report."),
    )
    email = EmailField(_l("E-mail (optional)"), validators=[Optional(), Length(max=254)])
    phone = TelField(_l("Phone (optional)"), validators=[Optional(), Length(max=40)])
    needs = CheckboxesField(_l("Support needs"))
    languages = CheckboxesField(_l("Languages"))
    accessibility_needs = CheckboxesField(_l("Accessibility needs"))
    interests = CheckboxesField(_l("Interests (trades)"))

    def fill_choices(self, session) -> None:
        municipalities = session.execute(select(Municipality.id, Municipality.name).order_by(Municipality.name))
        self.municipality_id.choices = choices({0: _l("Choose…")} | {m.id: m.name for m in municipalities}, sort=False)
        self.gender.choices = choices(vocabulary.GENDERS, sort=False)
        not_recorded = _l("Not recorded")
        self.labour_market_status.choices = choices(vocabulary.LABOUR_MARKET_STATUSES, sort=False, prompt=not_recorded)
        self.education_level.choices = choices(vocabulary.EDUCATION_LEVELS, sort=False, prompt=not_recorded)
        self.needs.choices = choices(vocabulary.NEEDS)
        self.languages.choices = choices(vocabulary.LANGUAGES)
        self.accessibility_needs.choices = choices(vocabulary.ACCESSIBILITY)
        self.interests.choices = choices(vocabulary.TRADES)

    def details(self) -> participants.ParticipantDetails:
        return participants.ParticipantDetails(
            given_name=self.given_name.data or "",
            family_name=self.family_name.data or "",
            municipality_id=self.municipality_id.data or None,
            gender=self.gender.data or "",
            labour_market_status=self.labour_market_status.data or None,
            education_level=self.education_level.data or None,
            email=self.email.data,
            phone=self.phone.data,
            needs=set(self.needs.data or []),
            languages=set(self.languages.data or []),
            accessibility_needs=set(self.accessibility_needs.data or []),
            interests=set(self.interests.data or []),
        )


class RegistrationForm(ParticipantForm):
    """Registration: the details and the identity number, which is never corrected (a
    different number is a different person; see `registration.update`)."""

    personnummer = StringField(
        _l("Personal identity number"),
        validators=[Length(max=20)],
        description=_l("10 or 12 digits, e.g. 19850412-1234. Never shown in addresses."),
        render_kw={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"},
    )


class ConsentForm(FlaskForm):
    scope = RadioField(
        _l("The consent covers"),
        choices=choices(vocabulary.CONSENT_SCOPES, sort=False),
        validators=[InputRequired(_l("Choose what the consent covers."))],
    )
    method = RadioField(
        _l("Given"),
        choices=choices(vocabulary.CONSENT_METHODS, sort=False),
        validators=[InputRequired(_l("Choose how the consent was given."))],
    )
    given_on = DateField(_l("Date given"), validators=[InputRequired(_l("Enter the date the consent was given."))])


class FindForm(FlaskForm):
    personnummer = StringField(
        _l("Personal identity number"),
        validators=[Length(max=20)],
        render_kw={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"},
    )


class WithdrawConsentForm(FlaskForm):
    withdrawn_on = DateField(_l("Date withdrawn"), validators=[InputRequired(_l("Enter the date."))])
    confirm = BooleanField(
        _l("Yes, withdraw the consent. Every open referral of the person is withdrawn too."),
        validators=[InputRequired(_l("Tick the box to confirm."))],
    )


class RemoveForm(FlaskForm):
    """Removing a registration made by mistake (`domain.participants.mistaken`)."""

    confirm_removal = BooleanField(
        _l("Yes, remove the registration: the person was registered by mistake."),
        validators=[InputRequired(_l("Tick the box to confirm."))],
    )


def _vault():
    return current_app.extensions["portal.vault"]


@blueprint.get("")
@login_required
def index():
    """Participants the user may see, with a search by identity number (a POST, so the
    number never appears in an address or a server log)."""
    if not access.may_list_participants(current_user):
        return render_template("errors/error.html", code=403, message=_l("You do not have access to this page.")), 403
    chosen = lists_page.filters()
    listing = lists.participants(
        db.session, current_user, chosen, lists_page.page_number(), current_app.config["PAGE_SIZE"]
    )
    page = render_template(
        "participants/index.html",
        listing=listing,
        find_form=FindForm(formdata=None),
        filters=chosen,
        sorts=lists.PARTICIPANT_SORTS,
        **lists_page.choices(),
    )
    db.session.commit()
    return page


@blueprint.post("/find")
@login_required
def find():
    form = FindForm()
    if form.validate():
        try:
            found = participants.find_by_number(db.session, _vault(), current_user, form.personnummer.data or "")
        except InvalidInput as error:
            db.session.rollback()
            flash_errors(error.errors)
        else:
            db.session.commit()
            if found is not None:
                return redirect(url_for("participants.show", participant_id=found.id)), 303
            flash(_l("No participant you have access to has that number."), "error")
    return redirect(url_for("participants.index")), 303


@blueprint.route("/new", methods=["GET", "POST"])
@login_required
def new():
    if current_user.role != Role.CASEWORKER:
        return render_template(
            "errors/error.html", code=403, message=_l("Only caseworkers register participants.")
        ), 403
    form = RegistrationForm()
    form.fill_choices(db.session)
    if form.validate_on_submit():
        try:
            participant = participants.register(
                db.session, _vault(), current_user, form.personnummer.data or "", form.details()
            )
        except InvalidInput as error:
            db.session.rollback()
            show_errors(form, error)
        except duplicates.AlreadyRegistered as known:
            db.session.rollback()
            flash(_l("Your authority has already registered this person: here they are."), "info")
            return redirect(url_for("participants.show", participant_id=known.participant_id)), 303
        else:
            elsewhere = duplicates.known_elsewhere(db.session, participant)
            db.session.commit()
            flash(_l("The participant has been registered. Record their consent next."), "success")
            if elsewhere:
                flash(
                    _l(
                        "This person is already known in the portal through another authority. The region's "
                        "coordinator can see both records; contact them before referring the person."
                    ),
                    "info",
                )
            return redirect(url_for("participants.show", participant_id=participant.id))
    if form.is_submitted():
        form.personnummer.data = ""  # never echo an identity number back into a page
        form.personnummer.description = _l("For your protection the number is not shown again; enter it again.")
    return render_template("participants/form.html", form=form, participant=None), 400 if form.is_submitted() else 200


@blueprint.route("/<int:participant_id>/edit", methods=["GET", "POST"])
@login_required
def edit(participant_id: int):
    """Correct what was recorded about the person (a mistyped name, the gender …), with
    what was typed kept at the fields when the domain refuses it."""
    participant = participants.view(
        db.session, current_user, participant_id, purpose="participant.correct", action=ParticipantAction.CORRECT
    )
    form = ParticipantForm(obj=participant)
    form.fill_choices(db.session)
    if saved(form, lambda: participants.update(db.session, current_user, participant, form.details())):
        flash(_l("The details have been corrected."), "success")
        return redirect(url_for("participants.show", participant_id=participant_id))
    return read_page("participants/form.html", 400 if form.is_submitted() else 200, form=form, participant=participant)


@blueprint.get("/<int:participant_id>")
@login_required
def show(participant_id: int):
    return _page(participant_id)


def _page(participant_id: int, withdraw_form: WithdrawConsentForm | None = None, remove_form: RemoveForm | None = None):
    """The participant's page; with `withdraw_form` or `remove_form`, the refused form as it was sent."""
    view = load_page(db.session, _vault(), current_user, participant_id)
    page = render_template(
        "participants/show.html",
        view=view,
        consent_form=ConsentForm(formdata=None, given_on=local_today()),
        withdraw_form=withdraw_form or WithdrawConsentForm(formdata=None, withdrawn_on=local_today()),
        remove_form=remove_form or RemoveForm(formdata=None),
    )
    db.session.commit()
    return page, 400 if withdraw_form or remove_form else 200


@blueprint.post("/<int:participant_id>/consents")
@login_required
def add_consent(participant_id: int):
    participant = participants.view(
        db.session, current_user, participant_id, purpose="participant.consent", action=ParticipantAction.CONSENT
    )
    form = ConsentForm()
    record = partial(
        participants.record_consent,
        db.session,
        current_user,
        participant,
        scope=form.scope.data,
        method=form.method.data,
        given_on=form.given_on.data,
    )
    if saved(form, record):
        flash(_l("The consent has been recorded."), "success")
        return redirect(url_for("participants.show", participant_id=participant_id))
    page = render_template(
        "participants/show.html",
        view=ParticipantPage(participant, [], None, frozenset({ParticipantAction.CONSENT})),
        consent_form=form,
        withdraw_form=WithdrawConsentForm(formdata=None),
    )
    db.session.rollback()
    return page, 400


@blueprint.post("/<int:participant_id>/consents/<int:consent_id>/withdraw")
@login_required
def withdraw_consent(participant_id: int, consent_id: int):
    # A write transaction from the start: the audited read writes, and on SQLite a transaction
    # that has read cannot start writing once another one committed ("database is locked").
    begin_write(db.session)
    participant = participants.view(
        db.session, current_user, participant_id, purpose="participant.consent", action=ParticipantAction.CONSENT
    )
    consent = db.session.get(Consent, consent_id)
    form = WithdrawConsentForm()
    if consent is None or consent.participant_id != participant.id:
        return render_template("errors/error.html", code=404, message=_l("There is no such consent.")), 404
    if not form.validate_on_submit():
        db.session.rollback()
        return _page(participant_id, form)
    try:
        stopped = withdrawal.withdraw_consent(
            db.session,
            engine(),
            current_user,
            participant.id,
            consent.id,
            form.withdrawn_on.data,
        )
    except InvalidInput as error:
        db.session.rollback()
        show_errors(form, error)
        return _page(participant_id, form)
    else:
        db.session.commit()
        flash(_l("The consent has been withdrawn; %(count)d open referrals were withdrawn.", count=stopped), "success")
    return redirect(url_for("participants.show", participant_id=participant_id))


@blueprint.post("/<int:participant_id>/remove")
@login_required
def remove(participant_id: int):
    """Remove a registration made by mistake (refused as `access.removable_by` says),
    then back to the list; a second click (another tab) finds it gone and is told so."""
    form = RemoveForm()
    try:
        mistaken.check(db.session, current_user, participant_id)
        if not form.validate_on_submit():
            db.session.rollback()
            return _page(participant_id, remove_form=form)
        mistaken.remove(db.session, current_user, participant_id)
    except mistaken.AlreadyRemoved:
        db.session.rollback()
        flash(_l("The registration had already been removed."), "info")
        return redirect(url_for("participants.index")), 303
    db.session.commit()
    flash(
        _l("The registration has been removed. Register the person again with the right number if needed."),
        "success",
    )
    return redirect(url_for("participants.index")), 303


@blueprint.get("/known-twice")
@login_required
def known_twice():
    """People registered at more than one authority, for the region's coordinator."""
    if not access.may_see_duplicates(current_user):
        return render_template("errors/error.html", code=403, message=_l("You do not have access to this page.")), 403
    groups = duplicates.known_twice(db.session, current_user)
    page = render_template("participants/known_twice.html", groups=groups)
    db.session.commit()
    return page
