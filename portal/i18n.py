"""Translated messages that stay safe in a page whatever is interpolated into them.

Flask-Babel's lazy strings tell Jinja they are already safe HTML (`__html__` returns the
text as it is), so a lazily translated message with a value interpolated —
``_("No plugin named %(name)s.", name=request.args["plugin"])`` — put the value's
markup into the page unescaped. `lazy_gettext` here is Flask-Babel's, except that in a
page (`__html__`) the translated text and every interpolated value are escaped; as
plain text (`str()`: mail, files, logs) it reads as before. Every module of the portal
and of its plugins imports its lazy translations from here (a test makes sure).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import flask_babel
from babel.dates import get_date_format, parse_pattern
from flask import Flask
from flask.globals import _cv_app
from flask_babel import get_babel, get_locale, get_timezone, get_translations, gettext
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
from markupsafe import Markup, escape

from portal.kept import kept

__all__ = ["SafeLazyString", "format_date", "install", "lazy_gettext", "translations"]


def _kept(name: str, find):
    """`find()`, kept under `name` beside Flask-Babel's locale in its request context with
    the locale it was found for: a `force_locale` block (a mail in the recipient's
    language) or a `refresh()` (which also forgets the time zone) changes that locale, and
    it is found again. Found anew outside an application context.

    The context is reached through Flask's context variable rather than the `g` proxy:
    a page asks for its catalogue fifty times or more, and each pass through the proxy
    is five calls."""
    app_context = _cv_app.get(None)
    if app_context is None:
        return find()
    try:
        context = app_context.g._flask_babel
        locale, found = getattr(context, name)
        if locale is context.babel_locale:
            return found
    except AttributeError:  # not yet this request
        pass
    found = find()
    locale = get_locale()  # also makes Flask-Babel's context, if `find` did not
    setattr(app_context.g._flask_babel, name, (locale, found))
    return found


def translations():
    """This request's catalogue (Flask-Babel's `get_translations()`), found once per request.

    Flask-Babel finds it anew for every message: its context on `g` three times, the
    locale, the locale's name as a cache key; that was a few per cent of a page's CPU
    (about sixty messages a page; bench/README.md, pages). The catalogue is kept beside
    Flask-Babel's locale in its request context (`_kept`)."""
    return _kept("portal_translations", get_translations)


class _Dates:
    """A request's locale and time zone, the date patterns parsed for them so far, and the
    dates shown so far in the portal (kept with its Flask-Babel, for every request: a
    list shows the same dates page after page, each some forty calls to format)."""

    def __init__(self):
        self.locale = get_locale()
        self.locale_name = str(self.locale)
        self.zone = get_timezone()
        self.patterns: dict = {}
        babel = get_babel().instance
        self.shown = getattr(babel, "portal_days_shown", None)
        if self.shown is None:
            self.shown = babel.portal_days_shown = {}

    def show(self, day: date, format) -> str:
        """`day` as `format` (`pattern`) writes it in this locale."""
        return kept(self.shown, (day, format, self.locale_name), lambda: self.pattern(format).apply(day, self.locale))

    def pattern(self, format):
        """`format` as Flask-Babel and Babel read it: a width (Flask-Babel's `date_formats`
        first, else the locale's), else a pattern."""
        found = self.patterns.get(format)
        if found is None:
            formats = get_babel().instance.date_formats
            wanted = formats["date"] if format is None else format
            if wanted in ("short", "medium", "full", "long"):
                wanted = formats[f"date.{wanted}"] or get_date_format(wanted, locale=self.locale)
            found = self.patterns[format] = parse_pattern(wanted)
        return found


def format_date(value=None, format=None) -> str:
    """Flask-Babel's `format_date` (the templates' `dateformat` filter), with the request's
    locale, time zone and date patterns found once per request.

    Flask-Babel finds its context, the locale, the time zone and the pattern anew for each
    date (16 against 5 µs a date, timeit); a list's rows show a date each. A moment is
    shown as its date in the portal's time zone (`TIMEZONE`, Stockholm; a naive one is
    UTC), as Flask-Babel does."""
    if value is None:  # today, as Flask-Babel and Babel take it
        return flask_babel.format_date(value, format)
    dates = _kept("portal_dates", _Dates)
    if isinstance(value, datetime):
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(dates.zone).date()
    return dates.show(value, format)


@pass_eval_context
def _page_gettext(eval_context, string: str, **variables):
    """A template's `_()` and `gettext()`, as Jinja's new-style gettext answers them: the
    translation is markup in an autoescaped template and always a format string, so the
    values interpolated are escaped and `%%` reads as `%`. Jinja's own goes through two
    more calls for each message (its `_` looks up `gettext` in the context, which calls
    the catalogue's function through the context again): a page shows thirty to sixty."""
    found = _translated_markup(string, escaped=False) if eval_context.autoescape else translations().ugettext(string)
    return found % variables if variables or "%" in found else found


def _translated_markup(string: str, escaped: bool) -> Markup:
    """`string` translated by this request's catalogue, as markup: its text escaped (a
    lazy string shown in a page) or taken as markup (a template's message). Kept with the
    catalogue, which Flask-Babel keeps for the process: a page shows the same fifty or
    so messages on every request, each a handful of calls to translate and wrap again."""
    catalogue = translations()
    kept = getattr(catalogue, "_portal_markup", None)
    if kept is None:
        kept = catalogue._portal_markup = {}
    found = kept.get((string, escaped))
    if found is None:
        text = catalogue.ugettext(string)
        found = kept[string, escaped] = Markup(escape(text)) if escaped else Markup(text)
    return found


def install(app: Flask) -> None:
    """Templates translate through `translations()` and format dates through `format_date`
    (installed after Flask-Babel's own)."""
    app.jinja_env.filters["dateformat"] = format_date
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: translations().ugettext(string),
        ngettext=lambda singular, plural, n: translations().ungettext(singular, plural, n),
        pgettext=lambda context, string: translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: translations().unpgettext(context, singular, plural, n),
        newstyle=True,
    )
    app.jinja_env.globals.update(_=_page_gettext, gettext=_page_gettext)


class SafeLazyString(LazyString):
    """A lazily translated message whose HTML form escapes what was put into it."""

    def __init__(self, string: str, **variables):
        super().__init__(gettext, string, **variables)
        self._string = string
        self._variables = variables

    def __str__(self) -> str:
        """The message as text in this request's language: Flask-Babel's `gettext`, with
        the catalogue found once per request (`translations`) instead of anew each time."""
        text = translations().ugettext(self._string)
        return text % self._variables if self._variables else text

    def __html__(self) -> Markup:
        template = _translated_markup(self._string, escaped=True)
        return template % self._variables if self._variables else template


def lazy_gettext(string: str, **variables) -> SafeLazyString:
    """`flask_babel.lazy_gettext`, escaping interpolated values when shown in a page."""
    return SafeLazyString(string, **variables)
