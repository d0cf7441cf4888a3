"""A statement built once per role instead of once per request.

The access conditions read a user's role to choose their shape and the user's id,
authority and region as values. `Viewer(role)` stands in for any user of that role, with
those values as bind parameters, so that a statement every page runs (the menu's unread
counts) is built once per role and run with `viewer_values(user)`: building a statement
and its ORM state costs the portal more CPU than running it does (bench/README.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import BindParameter, bindparam

from portal.models import User


@dataclass(frozen=True)
class Viewer:
    """Any user of `role`, for the access conditions (`referrals_visible_to(Viewer(role))`)."""

    role: str
    id: BindParameter = field(default_factory=lambda: bindparam("viewer_id"))
    authority_id: BindParameter = field(default_factory=lambda: bindparam("viewer_authority_id"))
    region_id: BindParameter = field(default_factory=lambda: bindparam("viewer_region_id"))


def viewer_values(user: User) -> dict[str, int | None]:
    """The bind parameters of a `Viewer` statement, for `user`."""
    return {"viewer_id": user.id, "viewer_authority_id": user.authority_id, "viewer_region_id": user.region_id}
