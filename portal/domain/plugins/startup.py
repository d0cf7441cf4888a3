"""Start-up: the workflow engine and every plugin's declarations, checked before the
first request.

The plugin manager (`portal.plugins`) only loads plugins and calls hooks; what plugins
declare for the domain (workflows, referral fields) is validated here, where the domain
lives, so that a broken plugin stops the portal with a message naming it.
"""

from __future__ import annotations

from collections.abc import Mapping

import pluggy

from portal.domain.geography import region_codes
from portal.domain.plugins.checks import check_matching, check_region_workflows
from portal.domain.referrals.fields import problems
from portal.domain.referrals.transitions import Engine
from portal.domain.referrals.workflow import Registry, WorkflowInvalid
from portal.plugins import PluginError, build_plugin_manager, checked

# What domain functions and hooks may read of the configuration, without an app context.
ENGINE_SETTINGS = (
    "OFFER_EXPIRY_WORKING_DAYS",
    "NO_OFFER_ALERT_WORKING_DAYS",
    "ABSENCE_DAYS_IN_A_ROW",
    "TIMEZONE",
    "BASE_URL",
    "DEFAULT_LOCALE",
    "MAIL_FROM",
    "MATCHING_WEIGHTS",
)


def init_app(app, extra: Mapping[str, object] | None = None) -> pluggy.PluginManager:
    """Build the manager and the workflow engine from the app's settings; keep both on the
    app; check every plugin's region workflows, referral fields and matching factors for
    every region, and the settings that name them."""

    manager = build_plugin_manager(only=app.config["PLUGINS"], trace=app.config["TRACE_PLUGINS"], extra=extra)
    registry = build_workflow_registry(manager)
    check_region_workflows(manager, registry)
    check_referral_fields(manager)
    check_matching(manager, app.config["MATCHING_WEIGHTS"])
    app.extensions["portal.plugins"] = manager
    app.extensions["portal.engine"] = Engine(
        registry=registry,
        hook=manager.hook,
        settings={key: app.config[key] for key in ENGINE_SETTINGS},
        manager=manager,
    )
    return manager


def build_workflow_registry(manager: pluggy.PluginManager):
    """Collect and validate every plugin's workflows; an invalid one names its plugin."""
    workflows = []
    for name, declared in checked(manager.hook.portal_workflows, "workflows"):
        try:
            declared = list(declared)
            for workflow in declared:
                workflow.validate()
        except WorkflowInvalid as error:
            raise PluginError(f"plugin {name!r} declares an invalid workflow: {error}") from error
        except (AttributeError, TypeError) as error:
            raise PluginError(f"plugin {name!r} declares something that is not a Workflow: {error}") from error
        workflows.extend(declared)
    try:
        return Registry(workflows)
    except WorkflowInvalid as error:
        raise PluginError(f"plugins declare conflicting workflows: {error}") from error


def check_referral_fields(manager: pluggy.PluginManager) -> None:
    """Ask every plugin for its referral fields in every region and refuse bad ones now."""
    for code in region_codes():
        for name, fields in checked(manager.hook.portal_referral_fields, "referral fields", region_code=code):
            found = problems(fields)
            if found:
                raise PluginError(
                    f"plugin {name!r} declares invalid referral fields for region {code!r}: " + "; ".join(found)
                )
        for name, fields in checked(manager.hook.portal_end_report_questions, "end report questions", region_code=code):
            found = problems(fields)
            if found:
                raise PluginError(
                    f"plugin {name!r} declares invalid end report questions for region {code!r}: " + "; ".join(found)
                )
