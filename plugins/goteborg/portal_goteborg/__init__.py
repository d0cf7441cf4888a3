"""portal_goteborg: in Göteborgsregionen a referral may be offered to three supervisors at once.

matching ─offer (1–3 supervisors)→ offered ─accept→ accepted …  (as the default)
offered ─decline_one/expire_one→ offered    while another offer is still open
offered ─decline/expire→ matching           when it was the last open one

The first supervisor to accept gets the placement; the other open offers are withdrawn
in the same transaction (`portal.domain.steps.accept_offer`), so two acceptances at the
same instant cannot both win. The referral form asks for the participant's district
(stadsdel) in Göteborg.
"""

from __future__ import annotations

from dataclasses import replace

from portal.builtin.default_workflow import DEFAULT
from portal.domain.referrals import steps
from portal.domain.referrals.fields import ReferralField
from portal.domain.referrals.workflow import region_hooks
from portal.hookspecs import PluginMetadata, hookimpl
from portal.i18n import lazy_gettext as _

__version__ = "1.2.0"

PORTAL_PLUGIN = PluginMetadata(
    display_name=_("Göteborgsregionen's workflow"),
    description=_("A referral may be offered to three supervisors at once; the first to accept gets the placement."),
    regions=("goteborgsregionen",),
    requires_api=">=1.6,<2",
)

PARALLEL_OFFERS = 3


def _answer_leaving_others_open(name: str):
    """Core's decline/expire step, but staying in `offered` while other offers are open."""
    last = DEFAULT.transition(name)
    guards = tuple(guard for guard in last.guards if guard is not steps.last_open_offer) + (steps.other_offers_open,)
    return replace(last, name=f"{name}_one", target="offered", guards=guards)


GOTEBORG = DEFAULT.derive(
    name="goteborg",
    version=1,
    title=_("Göteborgsregionen: up to three offers at once"),
    description=_(
        "A caseworker may offer a referral to up to three supervisors at once; the first to accept "
        "gets the placement and the other offers are withdrawn."
    ),
    added=(_answer_leaving_others_open("decline"), _answer_leaving_others_open("expire")),
    max_parallel_offers=PARALLEL_OFFERS,
)

# Göteborg's ten district administrations (stadsdelsförvaltningar) since 2021.
DISTRICTS = (
    ("angered", "Angered"),
    ("askim_frolunda_hogsbo", "Askim-Frölunda-Högsbo"),
    ("centrum", "Centrum"),
    ("lundby", "Lundby"),
    ("majorna_linne", "Majorna-Linné"),
    ("norra_hisingen", "Norra Hisingen"),
    ("vastra_goteborg", "Västra Göteborg"),
    ("vastra_hisingen", "Västra Hisingen"),
    ("orgryte_harlanda", "Örgryte-Härlanda"),
    ("ostra_goteborg", "Östra Göteborg"),
)


portal_workflows, portal_region_workflow = region_hooks(GOTEBORG)


@hookimpl
def portal_referral_fields(region_code):
    return [
        ReferralField(
            "district",
            _("District (stadsdel) in Göteborg"),
            kind="choice",
            choices=DISTRICTS,
            help=_("For participants who live in Göteborg; leave empty in the other municipalities."),
        ),
    ]
