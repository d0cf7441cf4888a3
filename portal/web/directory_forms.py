"""The directory's forms: cooperatives, supervisors, pauses, and the lists' filters."""

from __future__ import annotations

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, DateField, EmailField, RadioField, SelectField, StringField, TelField
from wtforms.validators import Optional

from portal.domain import access, vocabulary
from portal.domain.directory.cooperatives import CooperativeDetails, CooperativeFilters
from portal.domain.directory.supervisors import MAX_CAPACITY, MIN_CAPACITY, SupervisorDetails, SupervisorFilters
from portal.i18n import lazy_gettext as _l
from portal.models import Cohort, Cooperative, Municipality, User

from .forms import CheckboxesField, IntegerField, choices


def _municipalities(session, region_id: int | None = None) -> dict:
    query = select(Municipality.id, Municipality.name).order_by(Municipality.name)
    if region_id is not None:
        query = query.where(Municipality.region_id == region_id)
    return {row.id: row.name for row in session.execute(query)}


def _optional_int(value):
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


class CooperativeForm(FlaskForm):
    name = StringField(_l("Name"))
    organisation_number = StringField(
        _l("Organisation number"), description=_l("Ten digits, like 769600-1234."), render_kw={"inputmode": "numeric"}
    )
    municipality_id = SelectField(_l("Municipality"), coerce=_optional_int, validate_choice=False)
    trades = CheckboxesField(_l("Trades"))
    accessibility = CheckboxesField(_l("Accessibility of the premises"))
    contact_name = StringField(_l("Contact person (optional)"))
    email = EmailField(_l("Work e-mail (optional)"))
    phone = TelField(_l("Work phone (optional)"))

    def fill_choices(self, session, user: User) -> None:
        region = None if user.role == "admin" else user.region_id
        self.municipality_id.choices = choices({"": _l("Choose…")} | _municipalities(session, region), sort=False)
        self.trades.choices = choices(vocabulary.TRADES)
        self.accessibility.choices = choices(vocabulary.ACCESSIBILITY)

    def details(self) -> CooperativeDetails:
        return CooperativeDetails(
            name=self.name.data or "",
            organisation_number=self.organisation_number.data or "",
            municipality_id=self.municipality_id.data,
            trades=set(self.trades.data or []),
            accessibility=set(self.accessibility.data or []),
            contact_name=self.contact_name.data or "",
            email=self.email.data or "",
            phone=self.phone.data or "",
        )


class SupervisorForm(FlaskForm):
    name = StringField(_l("Name"))
    email = EmailField(_l("E-mail"), description=_l("The invitation goes here; they sign in with it."))
    cooperative_id = SelectField(_l("Cooperative"), coerce=_optional_int, validate_choice=False)
    cohort_id = SelectField(_l("Training cohort (optional)"), coerce=_optional_int, validate_choice=False)
    gender = RadioField(_l("Gender"), default="not_stated", validate_choice=False)
    capacity = IntegerField(
        _l("Capacity"),
        default=2,
        validators=[Optional()],
        description=_l("Placements at once, from %(low)d to %(high)d.", low=MIN_CAPACITY, high=MAX_CAPACITY),
    )
    municipality_ids = CheckboxesField(_l("Municipalities served"), coerce=int, validate_choice=False)
    specialties = CheckboxesField(_l("Specialties"))
    languages = CheckboxesField(_l("Languages"))
    accessibility = CheckboxesField(_l("Accessibility the supervisor can offer"))
    active = BooleanField(_l("Active (can be offered referrals once certified)"), default=True)

    def fill_choices(self, session, user: User) -> None:
        region = None if user.role == "admin" else user.region_id
        cooperatives = select(Cooperative.id, Cooperative.name).join(Municipality).order_by(Cooperative.name)
        cohorts = select(Cohort.id, Cohort.name).where(access.cohorts_visible_to(user)).order_by(Cohort.name)
        if region is not None:
            cooperatives = cooperatives.where(Municipality.region_id == region)
        choose = {"": _l("Choose…")}
        self.cooperative_id.choices = choices(choose | dict(session.execute(cooperatives).all()), sort=False)
        self.cohort_id.choices = choices({"": _l("None yet")} | dict(session.execute(cohorts).all()), sort=False)
        self.gender.choices = choices(vocabulary.GENDERS, sort=False)
        self.municipality_ids.choices = choices(_municipalities(session, region), sort=False)
        self.specialties.choices = choices(vocabulary.NEEDS)
        self.languages.choices = choices(vocabulary.LANGUAGES)
        self.accessibility.choices = choices(vocabulary.ACCESSIBILITY)

    def details(self) -> SupervisorDetails:
        return SupervisorDetails(
            cooperative_id=self.cooperative_id.data,
            gender=self.gender.data or "not_stated",
            capacity=self.capacity.data,
            municipality_ids=set(self.municipality_ids.data or []),
            specialties=set(self.specialties.data or []),
            languages=set(self.languages.data or []),
            accessibility=set(self.accessibility.data or []),
            active=bool(self.active.data),
        )


class PauseForm(FlaskForm):
    until = DateField(_l("Takes no offers up to and including"), validators=[Optional()])

    def __init__(self, *args, obj=None, **kwargs):
        if obj is not None:  # the supervisor: their pause's columns
            kwargs.setdefault("until", obj.paused_until)
            kwargs.setdefault("reason", obj.pause_reason)
        super().__init__(*args, **kwargs)

    reason = StringField(_l("Reason"), description=_l("Shown to those who match, e.g. “parental leave”."))


class FilterForm(FlaskForm):
    """A list's search and filters, read from the address (codes and ids only)."""

    class Meta:
        csrf = False

    text = StringField(_l("Search"))
    municipality = SelectField(_l("Municipality"), coerce=_optional_int, validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    page = IntegerField(validators=[Optional()])

    def fill(self, session, statuses: dict) -> None:
        self.municipality.choices = choices({"": _l("All")} | _municipalities(session), sort=False)
        self.status.choices = choices(statuses, sort=False)

    def shared_filters(self) -> dict:
        """The filters every directory list has; a list shows active rows unless asked."""
        return {
            "text": self.text.data or "",
            "municipality_id": self.municipality.data,
            "status": self.status.data if self.status.data is not None else "active",
        }


class CooperativeFilterForm(FilterForm):
    trade = SelectField(_l("Trade"), validate_choice=False)

    def fill(self, session, statuses: dict) -> None:
        super().fill(session, statuses)
        self.trade.choices = choices(vocabulary.TRADES, prompt=_l("All"))

    def filters(self) -> CooperativeFilters:
        return CooperativeFilters(**self.shared_filters(), trade=self.trade.data or None)


class SupervisorFilterForm(FilterForm):
    language = SelectField(_l("Language"), validate_choice=False)
    specialty = SelectField(_l("Specialty"), validate_choice=False)

    def fill(self, session, statuses: dict) -> None:
        super().fill(session, statuses)
        self.language.choices = choices(vocabulary.LANGUAGES, prompt=_l("All"))
        self.specialty.choices = choices(vocabulary.NEEDS, prompt=_l("All"))

    def filters(self) -> SupervisorFilters:
        return SupervisorFilters(
            **self.shared_filters(), language=self.language.data or None, specialty=self.specialty.data or None
        )
