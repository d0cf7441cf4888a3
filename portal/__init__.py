"""Handledarportalen: referrals from authorities to supervisors in social work cooperatives."""

from __future__ import annotations

import os

from flask import Flask


def create_app(test_config: dict | None = None, *, plugins: dict | None = None) -> Flask:
    """Build the application: settings, extensions, plugins, blueprints and commands.

    `test_config` overrides settings read from the environment (tests pass a database URL
    and an instance folder of their own). `plugins` ({entry-point name: plugin object})
    are registered as if installed: a plugin's own tests (see `portal.testing`).
    """
    from portal.domain.participants.privacy import Vault

    from . import config, deadlines, i18n, logs
    from . import plugins as plugin_manager
    from .cli import register_commands
    from .domain.plugins import startup
    from .extensions import babel, csrf, db, login_manager, migrate
    from .resources import MIGRATIONS_DIR, PACKAGE_DIR, TEMPLATES_DIR
    from .web import register_blueprints
    from .web.application import Portal
    from .web.forms import BoundedIntegerConverter
    from .web.locale import select_locale

    logs.install()
    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get("PORTAL_INSTANCE_PATH")
    app = Portal(
        __name__,
        template_folder=str(TEMPLATES_DIR),
        instance_path=os.path.abspath(instance_path) if instance_path else None,
    )
    app.config.from_mapping(config.load(app.instance_path, test_config))
    logs.use_format(app.config["LOG_FORMAT"])
    app.url_map.converters["int"] = BoundedIntegerConverter  # before any route: ids beyond the database's are 404

    db.init_app(app)
    with app.app_context():
        deadlines.install(db.engine, app.config)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    babel.init_app(
        app, locale_selector=select_locale, default_translation_directories=str(PACKAGE_DIR / "translations")
    )
    i18n.install(app)
    app.extensions["portal.vault"] = Vault(app.config["DATA_KEY"])
    startup.init_app(app, extra=plugins)

    register_blueprints(app)
    register_commands(app)
    plugin_manager.start(app)
    return app
