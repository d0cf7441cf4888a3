"""The plugin API: every hook a plugin may implement.

Hooks are called with keyword arguments; an implementation may accept fewer arguments
than the specification names, so specifications can grow without breaking plugins.
Core's own behaviour (the default workflow, its reactions to transitions, the main
menu) is registered through these same hooks in `portal.builtin`.

Two kinds of hook:

- *region-scoped* (`REGION_SCOPED`): asked on behalf of one region, and only the plugins
  an office has enabled for that region answer (core's built-ins always do). Core calls
  them through `Engine.region_hook(session, region_code)`, never through `engine.hook`.
- *global*: every installed plugin answers, enabled anywhere or not (workflows, so that
  referrals keep running under them; reports; the menu; start-up).

`docs/plugins.md` documents each hook under its exact signature; a test keeps the two
in step.

`API_VERSION` is the plugin API's semantic version: the major number changes when a
plugin written for the previous one may break, the minor when something is added. A
plugin states what it needs in `PluginMetadata.requires_api` (``">=1.1,<2"``) and the
portal refuses to start with a plugin it cannot serve. `CHANGELOG.md` has a section for
plugin authors in each release.
"""

from __future__ import annotations

from dataclasses import dataclass

import pluggy

PROJECT = "portal"

API_VERSION = "1.6.0"
"""The plugin API's version (semantic): hooks, `PluginMetadata`, the documented domain names
and the fixtures of `portal.testing`. 1.1.0 added metadata, `requires_api`, typed answers
and cross-field checks of referral fields; 1.2.0 running totals in report tables; 1.3.0 the guard markers
`steps.input_required` and `steps.fixed_by`, and `Workflow.progress_report_weeks`; 1.4.0
`Transition.done`, what the timeline says once a step happened, the hook
`portal_todo_items`, and the fields a workflow step asks for (`Transition.fields`,
`TransitionContext.answers`, ``answers`` of `portal_transition_done`); 1.5.0 core adding each
plugin's ``translations`` folder itself, so that `portal_startup` need not; 1.6.0
`Workflow.derive`, a workflow made from another that says only what differs."""


@dataclass(frozen=True)
class PluginMetadata:
    """What a plugin says about itself: set ``PORTAL_PLUGIN = PluginMetadata(…)`` in the
    module its entry point names.

    :param display_name: the name people see on the plugin page and in the match page's
        explanation (a lazy translated string or text); the entry-point name stays the
        plugin's identifier in commands and settings.
    :param description: one or two sentences on what it changes, shown on the plugin page.
    :param regions: codes of the regions it is made for (``("fyrbodal",)``); empty: any.
        Only an admin can turn it on elsewhere, after confirming a warning.
    :param requires_api: the `API_VERSION`s it works with, as a version specifier
        (``">=1.1,<2"``); None: any. Checked when the portal starts.
    """

    display_name: object
    description: object = ""
    regions: tuple[str, ...] = ()
    requires_api: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "regions", tuple(self.regions))


hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

REGION_SCOPED = frozenset(
    {
        "portal_region_workflow",
        "portal_referral_fields",
        "portal_end_report_questions",
        "portal_matching_factors",
        "portal_transition_done",
        "portal_todo_items",
    }
)


@hookspec
def portal_workflows():
    """Declare the workflows this plugin provides.

    :return: a list of `portal.domain.referrals.workflow.Workflow`. Every version a plugin has ever
        shipped should stay in the list while referrals may still run under it; the
        portal validates each one at start-up and refuses to start on an invalid one.
    Collected from every installed plugin (global): a referral keeps running under its
    workflow while the plugin is disabled for its region.
    """


@hookspec(firstresult=True)
def portal_region_workflow(region_code):
    """Name the workflow new referrals in a region follow.

    :param region_code: the region's code, e.g. ``"fyrbodal"``.
    :return: a workflow name declared through `portal_workflows` (its latest version is
        used), or None to leave the choice to other plugins. Core answers ``"default"``
        last. A name no plugin declares stops start-up naming the plugin.
    First result wins, among the plugins enabled for the region; two plugins that both
    answer for a region cannot be enabled there together.
    """


@hookspec
def portal_referral_fields(region_code):
    """Ask for more about the participant's situation when a referral is written in a region.

    :param region_code: the region the referral is written in, e.g. ``"skaraborg"``.
    :return: a list of `portal.domain.referrals.fields.ReferralField` (name, label, kind —
        text, choice, yes-no, date or number —, required, choices, help). The portal adds
        them to the referral form, validates the answers, stores them (per plugin and
        field name) and shows them on the referral page and in exports. Definitions are
        checked at start-up for every region; a bad one stops start-up naming the plugin.
        A plugin may also return a `portal.domain.referrals.fields.FieldCheck` in the list:
        a check across its own fields (a language required only when an interpreter is
        needed) whose messages are shown at the field they name.
    Collected from every plugin enabled for the region.
    """


@hookspec
def portal_end_report_questions(region_code):
    """Ask questions of the region's own on the end report (slutrapport) of a placement.

    :param region_code: the region of the referral, e.g. ``"fyrbodal"``.
    :return: a list of `portal.domain.referrals.fields.ReferralField` (a date, a choice,
        yes or no, a number or a text; required or not), and `FieldCheck`s across them,
        as for `portal_referral_fields`. The supervisor answers them with the rest of the
        end report; the answers are checked, stored under ``"<plugin>.<name>"`` and shown
        on the end report. Definitions are checked at start-up for every region.
    Collected from every plugin enabled for the region.
    """


@hookspec
def portal_matching_factors(region_code):
    """Add or reweight the factors supervisors are ranked by for a referral in a region.

    :param region_code: the region of the referral, e.g. ``"skaraborg"``.
    :return: a list of `portal.domain.matching.factors.Factor`. A factor with the name of
        one declared before it (core registers its own first) replaces that one, which is
        how a plugin changes a weight. A plugin's factors are shown in the explanation
        under the plugin's display name. Every factor is checked at start-up: a label, an
        ``explain`` and, on a small sample of candidates, scores in [0, 1].
    Collected from every plugin enabled for the region.
    """


@hookspec
def portal_transition_done(session, engine, referral, transition, actor, note, answers):
    """React to a referral having moved, inside the same database transaction.

    Use it to write notifications (through `portal.domain.notifications.inbox`) or records of
    your own; do not commit. Raising aborts the whole transition.

    :param session: the SQLAlchemy session of the change.
    :param engine: the `portal.domain.referrals.transitions.Engine`; `engine.settings` holds the
        settings a reaction may need (BASE_URL, DEFAULT_LOCALE, MAIL_FROM …).
    :param referral: the `Referral`, already in its new state.
    :param transition: the `portal.domain.referrals.workflow.Transition` that fired.
    :param actor: the `User` who fired it, or None when the portal did (e.g. expiry).
    :param note: the free-text note given with the transition, or None.
    :param answers: the answers to the step's `Transition.fields`, by field name, typed
        (a `date`, an `int`, True/False, the text or a choice's code; None: not answered);
        empty for a step that asks for none.
    Collected from every plugin enabled for the referral's region; the return value is
    ignored.
    """


@hookspec
def portal_todo_items(session, engine, user, today):
    """Add what a person must do to the to-do list on their home page.

    :param session: the SQLAlchemy session of the request; read only.
    :param engine: the `portal.domain.referrals.transitions.Engine`.
    :param user: the signed-in `User` (caseworker, supervisor or coordinator: admins have
        no list); look at ``user.role`` and scope what you list with `portal.domain.access`.
    :param today: the date in Stockholm.
    :return: a list of `portal.domain.follow_up.todo.Item`, or None. Items follow core's.
    Collected from every plugin enabled for the user's region.
    """


@hookspec
def portal_reports():
    """Offer reports (tables of figures) to the people who follow up the work.

    :return: a list of objects following `portal.domain.reports.interface.Report`: an
        ``identifier``, a ``title``, the ``parameters`` it asks for, and
        ``build(session, params) -> BuiltReport`` (titled tables of rows). Small counts
        are suppressed by the portal before a report leaves it.
    Collected from every installed plugin.
    """


@hookspec
def portal_report_formats():
    """Offer file formats a built report can be downloaded in (CSV, XLSX, PDF …).

    :return: a list of objects following `portal.domain.reports.interface.ReportFormat`: an
        ``identifier``, a human ``name``, a ``media_type`` and
        ``render(built_report) -> (filename, bytes)``.
    Collected from every installed plugin.
    """


@hookspec
def portal_navigation_links(user):
    """Add links to the main menu in the page header.

    Called while a page is rendered, so `flask.url_for` works.

    :param user: the signed-in `User` (look at ``user.role`` to show a link to some).
    :return: a list of ``(label, url)`` pairs, or None. Core's own links (Start, Register
        a participant, Notifications, Plugins) come first; plugins' follow.
    Collected from every installed plugin.
    """


@hookspec
def portal_startup(app):
    """Attach what the plugin brings to the application, once, as it is created.

    Register blueprints (their templates under ``templates/portal_<name>/``), CLI
    commands (``app.cli.add_command``), template filters … The ``translations`` folder
    beside the plugin's module is added before (API 1.5.0). Routes are not limited to
    the regions the plugin is enabled for: check the region in the views.

    :param app: the `flask.Flask` application, after core's blueprints and commands.
    Collected from every installed plugin; the return value is ignored. An exception
    stops start-up with a message naming the plugin.
    """
