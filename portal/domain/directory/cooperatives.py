"""Creating, changing, deactivating and listing the social cooperatives of the directory.

A coordinator keeps their region's cooperatives (the region is the municipality's), an
admin every region's; `access.may_act_for_region` decides. Everything is validated
before anything is written, so bad input changes nothing, and every change writes an
audit event in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.domain import access, audit, vocabulary
from portal.domain.errors import InvalidInput
from portal.domain.pagination import Page, paginate, searched
from portal.domain.referrals.transitions import Refused
from portal.domain.transactions import begin_write, locked
from portal.i18n import lazy_gettext as _
from portal.models import Cooperative, Municipality, User
from portal.models.directory import CooperativeTrade

from . import organisation_number


@dataclass
class CooperativeDetails:
    """What the cooperative form holds; validated by `save`."""

    name: str = ""
    organisation_number: str = ""
    municipality_id: int | None = None
    trades: set[str] = field(default_factory=set)
    accessibility: set[str] = field(default_factory=set)
    contact_name: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class CooperativeFilters:
    """The list's search and filters (codes and ids only, safe in an address)."""

    text: str = ""  # part of the name or the organisation number
    municipality_id: int | None = None
    trade: str | None = None
    status: str = "active"  # "active", "inactive" or "" (all)


def listing(session: Session, user: User, filters: CooperativeFilters, page: int, per_page: int) -> Page:
    """The cooperatives `user` may see in the directory, searched and filtered, by name."""
    query = (
        select(Cooperative)
        .join(Municipality, Municipality.id == Cooperative.municipality_id)
        .where(access.cooperatives_in_directory(user))
        .options(
            joinedload(Cooperative.municipality).joinedload(Municipality.region),
            selectinload(Cooperative._trade_rows),
            selectinload(Cooperative._accessibility_rows),
        )
        .order_by(Cooperative.name, Cooperative.id)
    )
    query = searched(query, filters.text, Cooperative.name, Cooperative.organisation_number)
    if filters.municipality_id:
        query = query.where(Cooperative.municipality_id == filters.municipality_id)
    if filters.trade:
        query = query.where(Cooperative.id.in_(CooperativeTrade.owners_with(filters.trade)))
    if filters.status in ("active", "inactive"):
        query = query.where(Cooperative.active.is_(filters.status == "active"))
    return paginate(session, query, page, per_page)


def for_change(session: Session, actor: User, cooperative_id: int) -> Cooperative:
    """The cooperative, if `actor` may change it: 404 when there is none, 403 when it is
    another region's."""
    cooperative = session.get(Cooperative, cooperative_id)
    if cooperative is None:
        raise Refused(_("There is no such cooperative."), 404)
    if not access.may_act_for_region(actor, cooperative.municipality.region_id):
        raise Refused(_("You may change only your own region's cooperatives."), 403)
    return cooperative


def save(session: Session, actor: User, details: CooperativeDetails, cooperative: Cooperative | None = None):
    """Create a cooperative (`cooperative` None) or change one; InvalidInput names each bad field."""
    if not access.may_keep_directory(actor):
        raise Refused(_("Only the regional offices keep the directory."), 403)
    if cooperative is not None:  # locked and read again, as a supervisor's record is (`supervisors.save`)
        begin_write(session)
        cooperative = locked(session, Cooperative, cooperative.id, keys_kept=True)
    values = _validated(session, actor, details, cooperative)
    created, cooperative = cooperative is None, cooperative or Cooperative(active=True)
    session.add(cooperative)
    for name, value in values.items():
        setattr(cooperative, name, value)
    cooperative.trades = set(details.trades)
    cooperative.accessibility = set(details.accessibility)
    audit.record_saved(session, actor, cooperative, created)
    return cooperative


def set_active(session: Session, actor: User, cooperative: Cooperative, active: bool) -> None:
    """Deactivate (no new placements: its supervisors leave matching) or reactivate."""
    if not access.may_act_for_region(actor, cooperative.municipality.region_id):
        raise Refused(_("You may change only your own region's cooperatives."), 403)
    cooperative.active = active
    audit.record_change(
        session,
        actor_id=actor.id,
        action="cooperative.activate" if active else "cooperative.deactivate",
        detail=f"cooperative={cooperative.id}",
    )


def _validated(session: Session, actor: User, details: CooperativeDetails, current: Cooperative | None) -> dict:
    errors: dict[str, object] = {}
    values: dict[str, object] = {}
    name = (details.name or "").strip()
    if not name or len(name) > 200:
        errors["name"] = _("Enter the cooperative's name (at most 200 characters).")
    values["name"] = name
    try:
        number = organisation_number.parse(details.organisation_number)
    except InvalidInput as error:
        errors.update(error.errors)
    else:
        taken = select(Cooperative.id).where(Cooperative.organisation_number == number)
        if current is not None:
            taken = taken.where(Cooperative.id != current.id)
        if session.scalar(taken) is not None:
            errors["organisation_number"] = _("Another cooperative in the directory has this organisation number.")
        values["organisation_number"] = number
    municipality = session.get(Municipality, details.municipality_id) if details.municipality_id else None
    if municipality is None:
        errors["municipality_id"] = _("Choose the municipality where the cooperative is.")
    elif not access.may_act_for_region(actor, municipality.region_id):
        errors["municipality_id"] = _("Choose a municipality in your own region.")
    values["municipality_id"] = details.municipality_id
    for name_, codes, known in (
        ("trades", details.trades, vocabulary.TRADES),
        ("accessibility", details.accessibility, vocabulary.ACCESSIBILITY),
    ):
        if set(codes) - set(known):
            errors[name_] = _("Choose from the list.")
    values.update(_contact(details, errors))
    if errors:
        raise InvalidInput(errors)
    return values


def _contact(details: CooperativeDetails, errors: dict) -> dict:
    """The work contact details: optional, but well-formed when given."""
    email = (details.email or "").strip()
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            errors["email"] = _("Enter an e-mail address like name@example.se.")
    contact_name, phone = (details.contact_name or "").strip(), (details.phone or "").strip()
    if len(contact_name) > 200:
        errors["contact_name"] = _("At most 200 characters.")
    if len(phone) > 40:
        errors["phone"] = _("At most 40 characters.")
    return {"contact_name": contact_name or None, "email": email or None, "phone": phone or None}
