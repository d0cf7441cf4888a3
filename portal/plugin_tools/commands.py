"""`portal plugins list|enable|disable` for the offices, and `portal plugin new|translations`
for plugin authors (`scaffold`, `translations`)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.extensions import db


@click.group()
def plugins() -> None:
    """Installed plugins and the regions they are enabled for."""


@plugins.command("list")
@with_appcontext
def plugins_list() -> None:
    """Name, version, hooks (region-scoped or global) and where each plugin is enabled.

    A region-scoped hook is answered only in the regions the plugin is enabled for; a
    global hook is answered everywhere, enabled or not.
    """
    from portal.domain.plugins import enabling as plugin_admin

    for row in plugin_admin.listing(db.session, current_app.extensions["portal.plugins"]):
        info = row.info
        scoped = [hook for hook in info.hooks if info.scope(hook) == "region"]
        shared = [hook for hook in info.hooks if info.scope(hook) == "global"]
        regions = "all (built-in)" if info.builtin else ", ".join(sorted(row.regions)) or "none"
        click.echo(f"{info.name} {info.version} ({info.distribution})")
        if not info.builtin and info.metadata is not None:
            click.echo(f"  name:    {info.display_name}")
            if info.intended_regions:
                click.echo(f"  made for: {', '.join(info.intended_regions)}")
        click.echo(f"  region-scoped hooks (only where enabled): {', '.join(scoped) or '-'}")
        click.echo(f"  global hooks (every region, enabled or not): {', '.join(shared) or '-'}")
        click.echo(f"  regions: {regions}")
    db.session.commit()


@plugins.command("enable")
@click.argument("name")
@click.argument("region")
@click.option("--confirm", is_flag=True, help="Enable it in a region it is not made for (after reading the warning).")
@with_appcontext
def plugins_enable(name: str, region: str, confirm: bool) -> None:
    """Enable plugin NAME for REGION (a region code, e.g. fyrbodal). Audited."""
    _switch_plugin("enable", name, region, confirm)


@plugins.command("disable")
@click.argument("name")
@click.argument("region")
@with_appcontext
def plugins_disable(name: str, region: str) -> None:
    """Disable plugin NAME for REGION. Referrals already started keep their workflow. Audited."""
    _switch_plugin("disable", name, region)


def _switch_plugin(change: str, name: str, region: str, confirm: bool = False) -> None:
    from portal.domain.plugins import enabling as plugin_admin
    from portal.domain.referrals.transitions import Refused

    manager = current_app.extensions["portal.plugins"]
    try:
        if change == "enable":
            changed = plugin_admin.enable(db.session, manager, None, name, region, confirmed=confirm)
        else:
            changed = plugin_admin.disable(db.session, manager, None, name, region)
    except plugin_admin.NeedsConfirmation as warning:
        db.session.rollback()
        click.echo(f"Warning: {warning.message}", err=True)
        click.echo("Run the command again with --confirm to enable it all the same.", err=True)
        raise SystemExit(2) from None
    except Refused as error:
        db.session.rollback()
        click.echo(f"Error: {error.message}", err=True)
        raise SystemExit(2) from None
    db.session.commit()
    state = "enabled" if change == "enable" else "disabled"
    click.echo(f"{name} {state} for {region}." if changed else f"{name} was already {state} for {region}.")


@click.group()
def plugin() -> None:
    """Tools for plugin authors: a new plugin's skeleton, its translations."""


@plugin.command("new")
@click.argument("name")
@click.option("--region", default="fyrbodal", show_default=True, help="The region code it is made for.")
@click.option(
    "--directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Where to write the folder portal-NAME.",
)
def plugin_new(name: str, region: str, directory: Path) -> None:
    """Write a working plugin skeleton in DIRECTORY/portal-NAME: pyproject.toml with the
    entry point, a hook module, a Swedish catalogue, tests with core's fixtures, a README."""
    from portal.plugin_tools.scaffold import ScaffoldError, write

    try:
        folder = write(name, directory, region)
    except ScaffoldError as error:
        click.echo(f"Error: {error}", err=True)
        raise SystemExit(2) from None
    click.echo(f"Wrote {folder}. Next: pip install -e '{folder}[test]' && pytest '{folder / 'tests'}'")


@plugin.group("translations")
def plugin_translations() -> None:
    """A plugin's own Swedish catalogue (PATH: the plugin's folder, with pyproject.toml)."""


@plugin_translations.command("extract")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
def translations_extract(path: Path) -> None:
    """Write PATH's message template (messages.pot), without the strings core translates."""
    from portal.plugin_tools import translations

    _translations(lambda: translations.extract(path))


@plugin_translations.command("update")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
def translations_update(path: Path) -> None:
    """Extract, then merge into PATH's Swedish messages.po; lists what is left to translate."""
    from portal.plugin_tools import translations

    _translations(lambda: translations.update(path))


@plugin_translations.command("compile")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
def translations_compile(path: Path) -> None:
    """Compile PATH's messages.po files into the messages.mo the portal reads."""
    from portal.plugin_tools import translations

    _translations(lambda: translations.compile_catalogues(path))


def _translations(task) -> None:
    from portal.plugin_tools.translations import TranslationsError

    try:
        click.echo(task())
    except TranslationsError as error:
        click.echo(f"Error: {error}", err=True)
        raise SystemExit(2) from None
