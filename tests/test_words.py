"""Words: the timeline tells what happened, in the past tense, not the command that did it."""

from __future__ import annotations

from dataclasses import replace

from flask_babel import force_locale

from portal.builtin.default_workflow import DEFAULT


def test_the_timeline_words_each_step_as_an_event_and_falls_back_to_the_target_state(app):
    with app.test_request_context(), force_locale("sv"):
        assert str(DEFAULT.done_text("submit")) == "Inskickad"
        assert str(DEFAULT.transition("submit").label) == "Skicka in"  # the button stays a command
        assert str(DEFAULT.done_text("decline")) == "Erbjudandet avböjt"
        without = replace(DEFAULT, transitions=tuple(replace(t, done=None) for t in DEFAULT.transitions))
        assert str(without.done_text("start")) == "Flyttad till: Placering pågår"
        assert without.done_text("create") is None  # not a step: the page words it itself
    with app.test_request_context(), force_locale("en"):
        assert str(DEFAULT.done_text("submit")) == "Submitted"
