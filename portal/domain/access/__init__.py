"""Who may see what. Every view asks here; nothing else decides access.

One package, one module per capability (`cases`: referrals, participants, follow-up
and conversations; `regions`: the directory, training and the offices' plugins;
`reports`; `accounts`), all read through this package's names: `access.referrals_visible_to`.

Each function returns an SQL condition, so that lists filter in the database and a page
costs the same number of queries whatever the data size:

- caseworkers see their own authority's referrals and participants;
- supervisors see referrals offered to them (open or accepted) and their placements,
  and only those participants;
- coordinators see their region;
- admins see everything.

Reports are held to the same lines (`report_scope`): a coordinator runs them for their
region, an admin for any, a caseworker only those open to caseworkers (lead times), for
their own authority.
"""

from __future__ import annotations

from portal.domain.access.accounts import (
    audit_visible_to,
    authorities_for_invitations,
    may_change_roles,
    may_invite,
    may_manage_people,
    users_managed_by,
)
from portal.domain.access.cases import (
    FOLLOW_UP_ACTIONS,
    PARTICIPANT_ACTIONS,
    FollowUpAction,
    ParticipantAction,
    conversations_of,
    follow_up_visible_to,
    may_list_participants,
    may_on_follow_up,
    may_on_participant,
    may_see_duplicates,
    may_see_offer,
    may_see_step_details,
    participant_actions,
    participants_visible_to,
    referrals_visible_to,
    removable_by,
    takes_part_in_conversation,
)
from portal.domain.access.regions import (
    cohorts_visible_to,
    cooperatives_in_directory,
    may_act_for_region,
    may_administer_region,
    may_enable_outside_intended_regions,
    may_keep_directory,
    may_see_directory,
    may_see_region_workflow,
    may_see_workflows,
    regions_administered_by,
    supervisors_in_directory,
    supervisors_visible_to,
)
from portal.domain.access.reports import (
    REPORT_ROLES,
    ReportScope,
    may_write_analysis,
    report_scope,
    sees_exact_figures,
)
from portal.domain.access.viewer import Viewer, viewer_values

__all__ = [
    "Viewer",
    "viewer_values",
    "FOLLOW_UP_ACTIONS",
    "FollowUpAction",
    "PARTICIPANT_ACTIONS",
    "ParticipantAction",
    "REPORT_ROLES",
    "ReportScope",
    "audit_visible_to",
    "authorities_for_invitations",
    "cohorts_visible_to",
    "conversations_of",
    "cooperatives_in_directory",
    "follow_up_visible_to",
    "may_act_for_region",
    "may_administer_region",
    "may_change_roles",
    "may_enable_outside_intended_regions",
    "may_invite",
    "may_keep_directory",
    "may_list_participants",
    "may_manage_people",
    "may_on_follow_up",
    "may_on_participant",
    "may_see_directory",
    "may_see_duplicates",
    "may_see_offer",
    "may_see_region_workflow",
    "may_see_step_details",
    "may_see_workflows",
    "may_write_analysis",
    "participant_actions",
    "participants_visible_to",
    "referrals_visible_to",
    "regions_administered_by",
    "removable_by",
    "report_scope",
    "sees_exact_figures",
    "supervisors_in_directory",
    "supervisors_visible_to",
    "takes_part_in_conversation",
    "users_managed_by",
]
