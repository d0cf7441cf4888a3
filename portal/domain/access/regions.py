"""What the regional offices keep: the directory (who sees which supervisors and
cooperatives), the training registry, and their region's plugins and workflows.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true

from portal.models import (
    Authority,
    Cohort,
    Cooperative,
    Municipality,
    Region,
    Role,
    Supervisor,
    User,
)


def supervisors_visible_to(user: User) -> ColumnElement[bool]:
    """Condition on `Supervisor`: the directory of active supervisors for those who refer,
    inactive ones too for the region's coordinator, only oneself for a supervisor."""
    if user.role == Role.ADMIN:
        return true()
    if user.role == Role.SUPERVISOR:
        return Supervisor.user_id == user.id
    if user.role == Role.COORDINATOR:
        in_region = select(Cooperative.id).join(Municipality).where(Municipality.region_id == user.region_id)
        return or_(Supervisor.active.is_(True), Supervisor.cooperative_id.in_(in_region))
    if user.role == Role.CASEWORKER:
        return Supervisor.active.is_(True)
    return false()


def _home_region_id(user: User):
    """The region a caseworker works in: their authority's, as an SQL value."""
    return (
        select(Municipality.region_id)
        .join(Authority, Authority.municipality_id == Municipality.id)
        .where(Authority.id == user.authority_id)
        .scalar_subquery()
    )


def _cooperatives_in(region_id):
    return select(Cooperative.id).join(Municipality).where(Municipality.region_id == region_id)


def may_see_directory(user: User) -> bool:
    """The directory is for those who refer and those who keep it; a supervisor has their profile."""
    return user.role in (Role.ADMIN, Role.COORDINATOR, Role.CASEWORKER)


def may_keep_directory(user: User) -> bool:
    """Whether `user` may change the directory and the training registry at all (of
    which region: `may_act_for_region`)."""
    return user.role in (Role.ADMIN, Role.COORDINATOR)


def may_act_for_region(user: User, region_id: int | None) -> bool:
    """Changes to a region's cooperatives, supervisors and cohorts: its coordinators, and admins."""
    return user.role == Role.ADMIN or (
        user.role == Role.COORDINATOR and region_id is not None and user.region_id == region_id
    )


def cooperatives_in_directory(user: User) -> ColumnElement[bool]:
    """Condition on `Cooperative` for the directory's list: admins all, coordinators their
    region's (inactive too), caseworkers their region's active ones, supervisors none."""
    if user.role == Role.ADMIN:
        return true()
    if user.role == Role.COORDINATOR:
        return Cooperative.id.in_(_cooperatives_in(user.region_id))
    if user.role == Role.CASEWORKER:
        return Cooperative.active.is_(True) & Cooperative.id.in_(_cooperatives_in(_home_region_id(user)))
    return false()


def supervisors_in_directory(user: User) -> ColumnElement[bool]:
    """Condition on `Supervisor` for the directory's list, by the supervisor's cooperative:
    admins all, coordinators their region's, caseworkers their region's active ones (of
    active cooperatives), supervisors none (they have their own profile page)."""
    if user.role == Role.ADMIN:
        return true()
    if user.role == Role.COORDINATOR:
        return Supervisor.cooperative_id.in_(_cooperatives_in(user.region_id))
    if user.role == Role.CASEWORKER:
        active_in_region = _cooperatives_in(_home_region_id(user)).where(Cooperative.active.is_(True))
        return Supervisor.active.is_(True) & Supervisor.cooperative_id.in_(active_in_region)
    return false()


def cohorts_visible_to(user: User) -> ColumnElement[bool]:
    """Condition on `Cohort`: the training registry is the offices' (coordinators their region's)."""
    if user.role == Role.ADMIN:
        return true()
    if user.role == Role.COORDINATOR:
        return Cohort.region_id == user.region_id
    return false()


def regions_administered_by(user: User) -> ColumnElement[bool]:
    """Condition on `Region`: where `user` may enable plugins and move stranded referrals
    (admins: every region; coordinators: their own)."""
    if user.role == Role.ADMIN:
        return true()
    if user.role == Role.COORDINATOR:
        return Region.id == user.region_id
    return false()


def may_administer_region(user: User, region: Region) -> bool:
    return user.role == Role.ADMIN or (user.role == Role.COORDINATOR and user.region_id == region.id)


def may_enable_outside_intended_regions(user: User) -> bool:
    """A plugin made for other regions is turned on elsewhere by an admin only."""
    return user.role == Role.ADMIN


def may_see_region_workflow(user: User, region: Region) -> bool:
    """A region's workflow picture: admins every region's, a coordinator their own."""
    return may_administer_region(user, region)


def may_see_workflows(user: User) -> bool:
    """The workflow pictures and plugin pages: for the offices (admins and coordinators)."""
    return user.role in (Role.ADMIN, Role.COORDINATOR)
