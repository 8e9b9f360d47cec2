"""The Jinja environment: a value a page was never given prints as nothing for users, and fails in tests."""

import copy

import pytest
from django.template.backends.jinja2 import Jinja2
from django.test import override_settings
from jinja2 import UndefinedError

import config.settings

TEXTAREA = (
    '{% from "govuk_frontend_jinja/components/textarea/macro.html" import govukTextarea %}'
    "{{ govukTextarea({'name': 'reason', 'label': {'text': 'What would have helped?'}}) }}"
)


def _engine(options: dict) -> Jinja2:
    params = copy.deepcopy(options)
    return Jinja2({"NAME": "jinja2", "DIRS": [], "APP_DIRS": False, "OPTIONS": params.pop("OPTIONS")})


@override_settings(DEBUG=True)
def test_with_debug_on_an_absent_value_prints_nothing_not_jinjas_debugging_text() -> None:
    # DEBUG on once made every library article's feedback box say "{{ no such element: … }}".
    engine = _engine(config.settings.TEMPLATES[0])
    html = engine.from_string(TEXTAREA).render({})
    assert "no such element" not in html
    assert "></textarea>" in html


def test_tests_fail_on_a_value_our_own_page_prints_but_was_never_given(settings) -> None:
    engine = _engine(settings.TEMPLATES[0])
    with pytest.raises(UndefinedError):
        engine.from_string("<p>{{ person.name }}</p>").render({})
    with pytest.raises(UndefinedError):
        engine.from_string("{% for item in items %}{{ item }}{% endfor %}").render({})
    # GOV.UK Frontend's macros leave optional parameters out by design; inside them nothing fails.
    assert "></textarea>" in engine.from_string(TEXTAREA).render({})
    # Asking whether a value is there is always allowed.
    assert engine.from_string("{% if person %}yes{% else %}no{% endif %}").render({}) == "no"
