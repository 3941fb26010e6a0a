"""Template strings (render/templates.py): a translation is data, filled only with its msgid's placeholders."""

from __future__ import annotations

import pytest
from markupsafe import Markup, escape

from polypress.render.templates import fill_placeholders


@pytest.mark.parametrize(
    ("source", "translation", "variables", "shown"),
    [
        ("All", "100 %", {}, "100 %"),
        (
            "Draft: %(percent)s%% translated",
            "Projet : %(percent)s %% traduit",
            {"percent": 40},
            "Projet : 40 % traduit",
        ),
        ("Session %(number)s", "Session %(number)s, 50 % %d %s %(", {"number": 68}, "Session 68, 50 % %d %s %("),
        # A placeholder the English does not have stays text: a translation cannot ask for other values.
        ("Session %(number)s", "%(number)s %(secret)s", {"number": 68, "secret": "x"}, "68 %(secret)s"),
        ("Original: %(language)s", "Original : %(language)s", {"language": "<b>"}, "Original : &lt;b&gt;"),
    ],
)
def test_a_translated_string_is_filled_only_with_the_placeholders_of_its_msgid(
    source: str, translation: str, variables: dict, shown: str
) -> None:
    filled = fill_placeholders(source, escape(translation), variables)
    assert isinstance(filled, Markup)
    assert str(filled) == shown
