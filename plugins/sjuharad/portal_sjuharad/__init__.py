"""portal_sjuharad: in Sjuhärad a placement starts with a trial period.

… accepted ─start→ trial ─confirm→ active ─complete→ completed  (as the default)
                   trial ─discontinue→ discontinued (with an outcome)

The trial is the placement running, not yet confirmed; it ends with the caseworker or
the supervisor confirming the placement or stopping it. Stopping is core's
"discontinue" step, so the referral page asks for the outcome and both are told, as when
a running placement ends early. The referral form asks how long the trial should be.
Confirming asks (version 2) when the trial was followed up and what changes after it,
as fields of the step (`Transition.fields`) that the timeline shows; referrals that
started under version 1 confirm with a note, as before.
"""

from __future__ import annotations

from dataclasses import replace

from portal.builtin.default_workflow import DEFAULT, PLACEMENT_PEOPLE
from portal.domain.referrals import steps
from portal.domain.referrals.fields import ReferralField
from portal.domain.referrals.workflow import State, Transition, region_hooks
from portal.hookspecs import PluginMetadata, hookimpl
from portal.i18n import lazy_gettext as _

__version__ = "1.2.0"

PORTAL_PLUGIN = PluginMetadata(
    display_name=_("Sjuhärad's workflow"),
    description=_("The placement starts with a trial period of a few weeks before it is confirmed."),
    regions=("sjuharad",),
    requires_api=">=1.6,<2",
)


def _step(transition: Transition) -> Transition:
    if transition.name == "start":
        return replace(transition, target="trial", label=_("Start the trial period"), done=_("Trial period started"))
    if transition.name == "discontinue":
        return replace(transition, sources=("trial", "active"))
    return transition


TRIAL = State("trial", _("Trial period"))
SJUHARAD_WITH_NOTE = DEFAULT.derive(
    name="sjuharad",
    version=1,
    title=_("Sjuhärad: a trial period before the placement"),
    description=_(
        "The placement starts with a trial period of a few weeks, after which the caseworker or the "
        "supervisor confirms it or stops it."
    ),
    state=TRIAL,
    after="accepted",
    change=_step,
    added=(
        Transition(
            "confirm",
            ("trial",),
            "active",
            PLACEMENT_PEOPLE,
            _("Confirm the placement after the trial"),
            guards=(steps.own_placement,),
            done=_("Placement confirmed after the trial"),
        ),
    ),
)

CHANGES_AFTER_TRIAL = (
    ("none", _("Nothing changes")),
    ("hours", _("Other hours per week")),
    ("tasks", _("Other tasks")),
)


@steps.input_required("followed_up_on")
def followed_up_already(ctx):
    """Guard: the trial is confirmed once its follow-up has been held (not before)."""
    held = ctx.answers.get("followed_up_on")
    if held is not None and held > ctx.today:
        return _("The follow-up cannot be after today.")
    return None


CONFIRM_FIELDS = (
    ReferralField("followed_up_on", _("Date of the trial's follow-up meeting"), kind="date", required=True),
    ReferralField("changes", _("What changes after the trial"), kind="choice", choices=CHANGES_AFTER_TRIAL),
)


def _confirm_with_fields(transition: Transition) -> Transition:
    if transition.name == "confirm":
        return replace(transition, fields=CONFIRM_FIELDS, guards=(*transition.guards, followed_up_already))
    return transition


SJUHARAD = SJUHARAD_WITH_NOTE.derive(version=2, change=_confirm_with_fields)

TRIAL_WEEKS = (("2", _("2 weeks")), ("4", _("4 weeks")), ("6", _("6 weeks")))


portal_workflows, portal_region_workflow = region_hooks(SJUHARAD, SJUHARAD_WITH_NOTE)


@hookimpl
def portal_referral_fields(region_code):
    return [
        ReferralField(
            "trial_weeks",
            _("Length of the trial period"),
            kind="choice",
            required=True,
            choices=TRIAL_WEEKS,
            help=_("The caseworker and the supervisor decide together at its end whether the placement continues."),
        ),
    ]
