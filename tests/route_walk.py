"""Walking the URL map: every route with real arguments, and the query and form
parameters each one reads, found by asking the routes themselves.

`parameters_read` serves every route once with a request whose `args` and `form`
record each name a view (or its form) asks for, so tests can send hostile values in
exactly the parameters the portal reads, for routes written after the test too.
"""

from __future__ import annotations

import re
from collections import defaultdict

from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.utils import cached_property

ARGUMENTS = {
    "region_code": "fyrbodal",
    "plugin": "no-such-plugin",
    "change": "enable",
    "transition": "withdraw",
    "filename": "portal.css",
    "identifier": "lead-times",
    "format_id": "csv",
}
KEEP_SIGNED_IN = {"auth.sign_out"}  # a walk as one role must not end its own session
ROLES = ("caseworker", "other_caseworker", "coordinator", "supervisor_user", "admin")


def build(rule, values: dict) -> str:
    """The rule's path with `values` for its arguments."""
    path = rule.rule
    for name, value in values.items():
        path = re.sub(rf"<(?:[^:<>]+(?:\([^)]*\))?:)?{name}>", str(value), path)
    return path


def path_for(rule, case: dict) -> str:
    """The rule's path with the case's ids, or a plausible value, for each argument."""
    return build(rule, {name: case.get(name, ARGUMENTS.get(name, "x")) for name in rule.arguments})


def object_rules(app):
    """Rules with arguments, other than static files."""
    return [rule for rule in app.url_map.iter_rules() if rule.arguments and not rule.endpoint.endswith("static")]


class _Recording(ImmutableMultiDict):
    """A MultiDict that notes every key asked for (in `seen`)."""

    seen: set

    def _note(self, key):
        self.seen.add(key)
        return key

    def get(self, key, default=None, type=None):  # noqa: A002 (werkzeug's name)
        return super().get(self._note(key), default, type)

    def getlist(self, key, type=None):  # noqa: A002
        return super().getlist(self._note(key), type)

    def __getitem__(self, key):
        return super().__getitem__(self._note(key))

    def __contains__(self, key):
        return super().__contains__(self._note(key))


def _recording_request_class(base, seen: set):
    class RecordingRequest(base):
        @cached_property
        def args(self):
            recorded = _Recording(super().args)
            recorded.seen = seen
            return recorded

        def _load_form_data(self):  # fills `form` (and `files`) directly, whichever is asked first
            super()._load_form_data()
            if not isinstance(self.__dict__.get("form"), _Recording):
                recorded = _Recording(self.__dict__["form"])
                recorded.seen = seen
                self.__dict__["form"] = recorded

    return RecordingRequest


def parameters_read(app, client, world, case: dict, sign_in, methods=("GET",)) -> dict:
    """{(method, rule): names of the query/form parameters the route reads}, asked as
    every role (a role may get further into a view than another)."""
    found: dict = defaultdict(set)
    original = app.request_class
    try:
        for role in ROLES:
            sign_in(client, getattr(world, role).email)
            for rule in app.url_map.iter_rules():
                if rule.endpoint.endswith("static") or rule.endpoint in KEEP_SIGNED_IN:
                    continue
                for method in sorted(rule.methods & set(methods)):
                    seen: set = set()
                    app.request_class = _recording_request_class(original, seen)
                    data = {"walk": "1"} if method == "POST" else None  # an empty form is read as none at all
                    client.open(path_for(rule, case), method=method, data=data).close()
                    app.request_class = original
                    found[(method, rule.rule)] |= seen - {"csrf_token", "walk"}
            client.post("/sign-out")
    finally:
        app.request_class = original
    return found
