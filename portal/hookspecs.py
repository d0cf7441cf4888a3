"""The plugin API: every hook a plugin may implement.

Hooks are called with keyword arguments; an implementation may accept fewer arguments
than the specification names, so specifications can grow without breaking plugins.
Core's own behaviour (the default workflow, its reactions to transitions) is
registered through these same hooks in `portal.builtin`.
"""

from __future__ import annotations

import pluggy

PROJECT = "portal"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def portal_workflows():
    """Declare the workflows this plugin provides.

    :return: a list of `portal.domain.workflow.Workflow`. Every version a plugin has ever
        shipped should stay in the list while referrals may still run under it; the
        portal validates each one at start-up and refuses to start on an invalid one.
    Collected from every plugin.
    """


@hookspec(firstresult=True)
def portal_region_workflow(region_code):
    """Name the workflow new referrals in a region follow.

    :param region_code: the region's code, e.g. ``"fyrbodal"``.
    :return: a workflow name declared through `portal_workflows`, or None to leave the
        choice to other plugins. Core answers ``"default"`` last.
    First result wins.
    """


@hookspec
def portal_transition_done(session, engine, referral, transition, actor, note):
    """React to a referral having moved, inside the same database transaction.

    Use it to write notifications (through `portal.domain.notifications`) or records of
    your own; do not commit. Raising aborts the whole transition.

    :param session: the SQLAlchemy session of the change.
    :param engine: the `portal.domain.transitions.Engine`; `engine.settings` holds the
        settings a reaction may need (BASE_URL, DEFAULT_LOCALE, MAIL_FROM …).
    :param referral: the `Referral`, already in its new state.
    :param transition: the `portal.domain.workflow.Transition` that fired.
    :param actor: the `User` who fired it, or None when the portal did (e.g. expiry).
    :param note: the free-text note given with the transition, or None.
    Collected from every plugin; the return value is ignored.
    """


@hookspec
def portal_matching_factors(region_code):
    """Add or reweight the factors supervisors are ranked by for a referral in a region.

    :param region_code: the region of the referral, e.g. ``"skaraborg"``.
    :return: a list of `portal.domain.matching.Factor`. A factor with the name of one
        declared before it (core registers its own first) replaces that one, which is how
        a plugin changes a weight. A plugin's factors are shown in the explanation under
        the plugin's name.
    Collected from every plugin enabled for the region.
    """
