"""The authorities caseworkers belong to (Försäkringskassan and Arbetsförmedlingen
offices, municipal units): kept by admins, every change audited."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from portal.domain import access, audit
from portal.domain.errors import InvalidInput
from portal.domain.pagination import Page, paginate, searched
from portal.domain.referrals.transitions import Refused
from portal.i18n import lazy_gettext as _
from portal.models import Authority, AuthorityKind, Municipality, User


@dataclass(frozen=True)
class AuthorityDetails:
    name: str
    kind: str
    municipality_id: int | None


def listed(session: Session, search: str, page: int, per_page: int) -> Page:
    query = select(Authority).options(joinedload(Authority.municipality)).order_by(Authority.name, Authority.id)
    query = searched(query.outerjoin(Municipality), search, Authority.name, Municipality.name)
    return paginate(session, query, page, per_page)


def save(session: Session, actor: User, authority: Authority | None, details: AuthorityDetails) -> Authority:
    """Create (`authority` None) or change an authority; InvalidInput names each bad field."""
    if not access.may_change_roles(actor):
        raise Refused(_("Only administrators keep the list of authorities."), 403)
    errors: dict[str, object] = {}
    name = (details.name or "").strip()
    if not name or len(name) > 200:
        errors["name"] = _("Enter the authority's name (at most 200 characters).")
    if details.kind not in set(AuthorityKind):
        errors["kind"] = _("Choose from the list.")
    municipality = session.get(Municipality, details.municipality_id) if details.municipality_id else None
    if municipality is None:
        errors["municipality_id"] = _("Choose the municipality.")
    elif name:
        same = select(func.count()).select_from(Authority)
        same = same.where(Authority.name == name, Authority.municipality_id == municipality.id)
        if authority is not None:
            same = same.where(Authority.id != authority.id)
        if session.scalar(same):
            errors["name"] = _("This municipality already has an authority with this name.")
    if errors:
        raise InvalidInput(errors)
    created, authority = authority is None, authority or Authority()
    session.add(authority)
    authority.name, authority.kind, authority.municipality = name, details.kind, municipality
    audit.record_saved(session, actor, authority, created)
    return authority
