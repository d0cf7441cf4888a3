"""Who runs which report, held to what (a region, an authority), and who sees exact figures."""

from __future__ import annotations

from dataclasses import dataclass

from portal.models import (
    Role,
    User,
)

REPORT_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN})  # who runs a report that names no roles


@dataclass(frozen=True)
class ReportScope:
    """What a report is held to for one user: a region and/or an authority (None: free)."""

    region_id: int | None = None
    authority_id: int | None = None


def report_scope(user: User, roles: frozenset[str] = REPORT_ROLES) -> ReportScope | None:
    """Whether `user` may run a report that `roles` may run, and held to what: an admin
    to nothing, a coordinator to their region, a caseworker to their authority.
    Supervisors run no report. None: may not run it."""
    if user.role not in roles:
        return None
    if user.role == Role.ADMIN:
        return ReportScope()
    if user.role == Role.COORDINATOR:
        return ReportScope(region_id=user.region_id)
    if user.role == Role.CASEWORKER:
        return ReportScope(authority_id=user.authority_id)
    return None


def sees_exact_figures(user: User) -> bool:
    """On screen, the offices see a report's exact counts (a coordinator only ever runs
    reports of their own region); everyone else sees small counts suppressed there too."""
    return user.role in (Role.ADMIN, Role.COORDINATOR)


def may_write_analysis(user: User, region_id: int) -> bool:
    """The written 3R analysis (Realia) of a region: its coordinators, and admins."""
    return user.role == Role.ADMIN or (user.role == Role.COORDINATOR and user.region_id == region_id)
