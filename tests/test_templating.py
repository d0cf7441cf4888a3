"""The portal's Jinja environment (`portal.web.templating`): template globals listed in
one pass, with imports answering exactly as Jinja's own."""

from collections import ChainMap

from flask.templating import Environment
from jinja2 import DictLoader

from portal.web.templating import PortalEnvironment, PortalGlobals


def test_the_portals_templates_get_globals_that_list_their_names_in_one_pass(app):
    assert isinstance(app.jinja_env, PortalEnvironment)
    template = app.jinja_env.get_template("base.html")
    assert isinstance(template.globals, PortalGlobals)
    assert template.globals.keys() == set(ChainMap(*template.globals.maps).keys()) >= {"url_for", "_", "vocabulary"}


def test_an_import_sees_the_importers_own_globals_as_with_jinjas_environment(app):
    """The set difference an import takes of the globals decides whether the imported
    macros see the importing template's own globals: both environments answer alike."""
    templates = {
        "macros.html": "{% macro shout() %}{{ word | upper }}{% endmacro %}",
        "page.html": '{% from "macros.html" import shout %}[{{ shout() }}]',
        "other.html": '{% from "macros.html" import shout %}[{{ shout() }}]',
    }
    answers = []
    for environment in (PortalEnvironment(app), Environment(app)):
        environment.loader = DictLoader(templates)
        own = environment.get_template("page.html", globals={"word": "the page's own"}).render()
        answers.append((own, environment.get_template("other.html").render()))
    assert answers[0] == answers[1] == ("[THE PAGE'S OWN]", "[]")
