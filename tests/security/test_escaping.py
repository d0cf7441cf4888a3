"""Issue 10.8: markup sent in any query parameter of any GET route comes back escaped.

The routes come from the URL map and the parameters from what each route reads
(`route_walk.parameters_read`), so a route or parameter added later is tested too.
"""

from urllib.parse import quote

import pytest
from conftest import sign_in
from markupsafe import Markup
from route_walk import ROLES, parameters_read, path_for

from portal.i18n import lazy_gettext

MARKUP = '"><script>alert(1)</script><b x="'
RAW = "<script>alert(1)</script>"
ALWAYS = {"page", "next", "plugin", "q", "region", "period", "authority", "why", "municipality"}


def test_a_lazy_message_escapes_what_is_put_into_it(app):
    with app.test_request_context():
        message = lazy_gettext("There is no plugin named %(plugin)s.", plugin=MARKUP)
        assert RAW not in Markup(message.__html__())
        assert "&lt;script&gt;" in message.__html__()
        assert str(message) == f"There is no plugin named {MARKUP}." or MARKUP in str(message)  # plain text as typed


@pytest.mark.parametrize("locale", ["sv", "en"])
@pytest.mark.parametrize("autoescape", [True, False])
def test_a_templates_message_reads_as_jinjas_new_style_gettext_would(app, locale, autoescape):
    """`_()` and `gettext()` in a template answer in one call (`portal.i18n`), exactly as
    Jinja's own new-style gettext with the same catalogue: translated, values escaped in
    an autoescaped page and as typed in one that is not, `%%` read as `%`."""
    from flask import render_template_string
    from flask_babel import force_locale
    from jinja2 import Environment

    from portal.i18n import translations

    source = (
        '{{ _("Regional overview: %(region)s", region=value) }}|{{ gettext("Sign out") }}|'
        '{{ _("100%% of %(what)s", what=value) }}|{{ _("Nothing %%") }}|{% trans %}Sign out{% endtrans %}'
    )
    source = f"{{% autoescape {str(autoescape).lower()} %}}{source}{{% endautoescape %}}"
    with app.test_request_context(), force_locale(locale):
        ours = render_template_string(source, value=MARKUP)
        jinja = Environment(extensions=["jinja2.ext.i18n"])
        jinja.install_gettext_translations(translations(), newstyle=True)
        expected = jinja.from_string(source).render(value=MARKUP)
    assert ours == expected
    assert (RAW in ours) is not autoescape
    assert "100% of" in ours and "Nothing %" in ours and "%%" not in ours
    if locale == "sv":
        assert "Logga ut" in ours


def test_a_message_shown_in_a_page_follows_the_language_each_time_it_is_shown(app):
    """Translations kept as markup (`portal.i18n`) are kept per catalogue: switching the
    language back and forth shows each language's text, escaped, and as text."""
    from flask import render_template_string
    from flask_babel import force_locale

    message = lazy_gettext("Sign out")
    shown = []
    with app.test_request_context():
        for locale in ("sv", "en", "sv", "en"):
            with force_locale(locale):
                shown.append((message.__html__(), render_template_string('{{ _("Sign out") }}'), str(message)))
    assert shown == [("Logga ut",) * 3, ("Sign out",) * 3] * 2


def test_every_module_takes_lazy_translations_from_portal_i18n():
    import pathlib

    root = pathlib.Path(__file__).parents[2]
    offenders = [
        str(path.relative_to(root))
        for folder in ("portal", "plugins")
        for path in (root / folder).rglob("*.py")
        if ".venv" not in path.parts and "from flask_babel import lazy_gettext" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_the_reported_workflow_preview_escapes_the_plugin_name(client, world):
    sign_in(client, world.admin.email)
    page = client.get(f"/admin/workflows/fyrbodal?plugin={quote(MARKUP)}").get_data(as_text=True)
    assert RAW not in page


def test_markup_in_every_query_parameter_of_every_get_route_comes_back_escaped(app, client, world, case):
    read = parameters_read(app, client, world, case, sign_in)
    for role in ROLES:
        sign_in(client, getattr(world, role).email)
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint.endswith("static"):
                continue
            names = read[("GET", rule.rule)] | ALWAYS
            query = "&".join(f"{name}={quote(MARKUP)}" for name in sorted(names))
            response = client.get(f"{path_for(rule, case)}?{query}")
            assert response.status_code < 500, (role, rule.rule)
            assert RAW not in response.get_data(as_text=True), (role, rule.rule, sorted(names))
            for name in sorted(names):  # one at a time too: a bad neighbour must not hide a reflection
                response = client.get(f"{path_for(rule, case)}?{name}={quote(MARKUP)}")
                assert response.status_code < 500, (role, rule.rule, name)
                assert RAW not in response.get_data(as_text=True), (role, rule.rule, name)
        client.post("/sign-out")


def test_markup_in_every_text_argument_of_a_path_comes_back_escaped(app, client, world, case):
    sign_in(client, world.admin.email)
    for rule in app.url_map.iter_rules():
        text_arguments = {
            name
            for name, converter in rule._converters.items()
            if type(converter).__name__ in ("UnicodeConverter", "PathConverter")
        }
        if "GET" not in rule.methods or rule.endpoint.endswith("static") or not text_arguments:
            continue
        values = {**case, **dict.fromkeys(text_arguments, quote(MARKUP, safe=""))}
        response = client.get(path_for(rule, values))
        assert response.status_code < 500, rule.rule
        assert RAW not in response.get_data(as_text=True), rule.rule
