"""The offices' pages for people and authorities: /admin/users (admins: everyone;
coordinators: their region's caseworkers and supervisors) and /admin/authorities
(admins). Handlers parse, call `domain.accounts`, render; every change is audited there."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from portal.domain import access, vocabulary
from portal.domain.accounts import authorities, invitations, management
from portal.extensions import db
from portal.i18n import lazy_gettext as _l
from portal.models import Authority, Municipality, Region, Role
from portal.web.forms import MAX_INTEGER, choices, row_id, saved

blueprint = Blueprint("people", __name__, url_prefix="/admin")


class InviteForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Length(max=200)])
    email = EmailField(_l("E-mail address"), validators=[Length(max=254)])
    role = SelectField(_l("Role"))
    authority_id = SelectField(_l("Authority"), coerce=row_id, validate_choice=False)
    region_id = SelectField(_l("Region"), coerce=row_id, validate_choice=False)


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"))
    authority_id = SelectField(_l("Authority"), coerce=row_id, validate_choice=False)
    region_id = SelectField(_l("Region"), coerce=row_id, validate_choice=False)


class AuthorityForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Length(max=200)])
    kind = SelectField(_l("Kind"), validate_choice=False)
    municipality_id = SelectField(_l("Municipality"), coerce=row_id, validate_choice=False)


def _offices_only() -> None:
    if not access.may_manage_people(current_user):
        abort(403)


def _admins_only() -> None:
    if not access.may_change_roles(current_user):
        abort(403)


def _fill(form, *, roles) -> None:
    """The choices a form offers `current_user`: only what they may choose."""
    form.role.choices = choices({role: vocabulary.ROLES[role] for role in roles}, sort=False)
    authority_rows = db.session.scalars(
        select(Authority).where(access.authorities_for_invitations(current_user)).order_by(Authority.name)
    )
    form.authority_id.choices = [SelectChoice("", _l("Choose…"))] + [
        SelectChoice(str(row.id), row.name) for row in authority_rows
    ]
    if hasattr(form, "region_id"):
        regions = (
            db.session.scalars(select(Region).order_by(Region.name)) if access.may_change_roles(current_user) else []
        )
        form.region_id.choices = [SelectChoice("", _l("Choose…"))] + [
            SelectChoice(str(row.id), row.name) for row in regions
        ]


def _page_number() -> int:
    return min(max(request.args.get("page", 1, type=int) or 1, 1), 100_000)


@blueprint.get("/users")
@login_required
def users():
    _offices_only()
    filters = management.UserFilters(
        search=request.args.get("q", "")[:100], role=request.args.get("role", ""), status=request.args.get("status", "")
    )
    listing = management.listed(db.session, current_user, filters, _page_number(), current_app.config["PAGE_SIZE"])
    return render_template("accounts/users.html", listing=listing, filters=filters)


@blueprint.route("/users/invite", methods=["GET", "POST"])
@login_required
def invite():
    _offices_only()
    admin = access.may_change_roles(current_user)
    form = InviteForm()
    _fill(form, roles=(Role.CASEWORKER, Role.COORDINATOR, Role.ADMIN) if admin else (Role.CASEWORKER,))
    invite = partial(
        invitations.invite,
        db.session,
        current_user,
        email=form.email.data,
        name=form.name.data,
        role=form.role.data,
        authority_id=form.authority_id.data,
        region_id=form.region_id.data,
    )
    invited = []
    if saved(form, lambda: invited.append(invite())):
        user = invited[-1]
        flash(_l("The invitation is on its way to %(email)s.", email=user.email), "success")
        return redirect(url_for("people.user", user_id=user.id)), 303
    return render_template("accounts/invite.html", form=form), 400 if form.errors else 200


@blueprint.get("/users/<int:user_id>")
@login_required
def user(user_id: int):
    _offices_only()
    person = management.managed(db.session, current_user, min(user_id, MAX_INTEGER))
    form = RoleForm(formdata=None, obj=person)
    _fill(form, roles=(Role.CASEWORKER, Role.COORDINATOR, Role.ADMIN))
    return render_template("accounts/user.html", person=person, role_form=form)


@blueprint.post("/users/<int:user_id>/active")
@login_required
def set_active(user_id: int):
    return _on_person(
        user_id,
        lambda person: management.set_active(db.session, current_user, person, request.form.get("active") == "1"),
        _l("Saved. The person's sessions have ended."),
    )


@blueprint.post("/users/<int:user_id>/invite")
@login_required
def invite_again(user_id: int):
    return _on_person(
        user_id,
        lambda person: management.invite_again(db.session, current_user, person),
        _l("A new invitation is on its way; the earlier link no longer works."),
    )


def _on_person(user_id: int, change, message):
    """A button on a person's page: the change, saved, and back to the page saying so."""
    _offices_only()
    person = management.managed(db.session, current_user, min(user_id, MAX_INTEGER))
    change(person)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("people.user", user_id=person.id)), 303


@blueprint.post("/users/<int:user_id>/role")
@login_required
def change_role(user_id: int):
    _admins_only()
    person = management.managed(db.session, current_user, min(user_id, MAX_INTEGER))
    form = RoleForm()
    _fill(form, roles=(Role.CASEWORKER, Role.COORDINATOR, Role.ADMIN))
    change = partial(
        management.change_role,
        db.session,
        current_user,
        person,
        role=form.role.data,
        authority_id=form.authority_id.data,
        region_id=form.region_id.data,
    )
    if saved(form, change):
        flash(_l("Saved. The person's sessions have ended."), "success")
        return redirect(url_for("people.user", user_id=person.id)), 303
    return render_template("accounts/user.html", person=person, role_form=form), 400


@blueprint.get("/authorities")
@login_required
def authority_list():
    _admins_only()
    search = request.args.get("q", "")[:100]
    listing = authorities.listed(db.session, search, _page_number(), current_app.config["PAGE_SIZE"])
    return render_template("accounts/authorities.html", listing=listing, search=search)


@blueprint.route("/authorities/new", methods=["GET", "POST"], defaults={"authority_id": None})
@blueprint.route("/authorities/<int:authority_id>", methods=["GET", "POST"])
@login_required
def authority(authority_id: int | None):
    _admins_only()
    existing = None
    if authority_id is not None:
        existing = db.session.get(Authority, min(authority_id, MAX_INTEGER)) or abort(404)
    form = AuthorityForm(obj=existing) if request.method == "GET" else AuthorityForm()
    form.kind.choices = choices(vocabulary.AUTHORITY_KINDS, prompt=_l("Choose…"))
    municipalities = db.session.scalars(select(Municipality).order_by(Municipality.name))
    form.municipality_id.choices = [SelectChoice("", _l("Choose…"))] + [
        SelectChoice(str(row.id), row.name) for row in municipalities
    ]
    details = authorities.AuthorityDetails(form.name.data, form.kind.data, form.municipality_id.data)
    kept = []
    if saved(form, lambda: kept.append(authorities.save(db.session, current_user, existing, details))):
        flash(_l("The authority is saved."), "success")
        return redirect(url_for("people.authority", authority_id=kept[-1].id)), 303
    return render_template("accounts/authority.html", form=form, existing=existing), 400 if form.errors else 200
