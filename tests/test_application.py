"""The portal's Flask application (`portal.web.application`): template globals listed in
one pass and addresses remembered, each answering exactly as Flask's and Jinja's own."""

from collections import ChainMap

from flask.templating import Environment
from jinja2 import DictLoader

from portal.web.application import PortalEnvironment, PortalGlobals


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


def test_the_portals_url_for_answers_as_flasks_and_remembers_only_what_it_may(app):
    """`Portal.url_for` (Python's `url_for` and the templates') gives Flask's address for
    every kind of call, under the portal's root path as the request has it, a second time
    from what it remembered, and leaves to Flask what depends on more than its arguments."""
    from flask import Flask, url_for

    calls = [
        ("home.index", {}),
        ("static", {"filename": "portal.css"}),
        ("referrals.show", {"referral_id": 7}),
        ("lists.referrals", {"state": "submitted", "page": 2}),
        ("lists.referrals", {"state": ["submitted", "offered"]}),  # a list: no key
        ("referrals.show", {"referral_id": 7, "_anchor": "timeline"}),
        ("home.index", {"_external": True}),
    ]
    templates_url_for = app.jinja_env.globals["url_for"]
    for root in ("", "/portal"):
        with app.test_request_context("/", base_url=f"http://portal.example{root}/"):
            flasks = [Flask.url_for(app, endpoint, **values) for endpoint, values in calls]
            for _ in range(2):  # built, then remembered
                assert [url_for(endpoint, **values) for endpoint, values in calls] == flasks
                assert [templates_url_for(endpoint, **values) for endpoint, values in calls] == flasks
            assert url_for("home.index") == f"{root}/"
            assert app._addresses[root, "referrals.show", ("referral_id", 7)] == f"{root}/referrals/7"

    @app.url_defaults
    def _language(endpoint, values):  # a plugin's URL defaults: Flask answers every call
        if endpoint == "home.index":
            values.setdefault("lang", "sv")

    try:
        with app.test_request_context("/"):
            assert url_for("home.index") == templates_url_for("home.index") == "/?lang=sv"
    finally:
        app.url_default_functions.clear()


def test_a_selects_options_are_written_escaped_with_the_chosen_one_selected(app):
    """`option_tags` (the search forms' and the attendance week's choices) writes the
    markup the templates wrote option by option: values and texts escaped, the chosen
    value selected, from a mapping, records, strings or values with a label."""
    from collections import namedtuple

    from flask_babel import force_locale
    from markupsafe import Markup

    from portal.i18n import lazy_gettext

    option_tags = app.jinja_env.filters["option_tags"]
    record = namedtuple("Record", "id name")
    assert option_tags({"a": "<A>", "b": "B"}, "b") == Markup(
        '<option value="a">&lt;A&gt;</option><option value="b" selected>B</option>'
    )
    assert option_tags([record(1, "Ale"), record(2, "Borås & co")], 2) == Markup(
        '<option value="1">Ale</option><option value="2" selected>Borås &amp; co</option>'
    )
    assert option_tags(['x"y'], None) == Markup('<option value="x&#34;y">x&#34;y</option>')
    assert option_tags(["draft"], "draft", str.upper) == Markup('<option value="draft" selected>DRAFT</option>')
    source = '{% for value, text in options.items() %}<option value="{{ value }}"{% if value == chosen %} selected{% endif %}>{{ text }}</option>{% endfor %}'
    options = {"1": "<one>", "2": Markup("<b>two</b>"), "3": "three"}
    with app.test_request_context():
        assert app.jinja_env.from_string(source).render(options=options, chosen="2") == option_tags(options, "2")
        assert option_tags(options, "2") is option_tags(dict(options), "2")  # kept: the same pairs, the same choice
        assert option_tags(options, "3") != option_tags(options, "2")
        translated = {"out": lazy_gettext("Sign out")}
        with force_locale("sv"):
            swedish = option_tags(translated, None)
        with force_locale("en"):
            english = option_tags(translated, None)
    assert (swedish, english) == ('<option value="out">Logga ut</option>', '<option value="out">Sign out</option>')


def test_the_portal_asks_once_per_function_whether_it_runs_as_a_coroutine_and_forgets_in_time(app):
    """`Portal.ensure_sync` answers as Flask's (a plain function as itself), keeps the
    answer, and starts again when functions made per request would fill its store."""
    import re

    import pytest
    from flask import Flask

    from portal.kept import LIMIT

    def hook():
        return "answer"

    assert app.ensure_sync(hook) is hook is Flask.ensure_sync(app, hook)
    assert app._synchronous[hook] is hook
    for number in range(LIMIT + 10):
        app.ensure_sync(lambda number=number: number)  # as after_this_request makes them
    assert 0 < len(app._synchronous) <= LIMIT

    async def view():
        return "answer"

    try:
        expected = Flask.ensure_sync(app, view)
    except RuntimeError as error:  # Flask without its "async" extra
        with pytest.raises(RuntimeError, match=re.escape(str(error))):
            app.ensure_sync(view)
    else:
        assert app.ensure_sync(view)() == expected() == "answer"
