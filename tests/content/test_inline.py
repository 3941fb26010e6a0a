"""Inline markup: the only markup a translation may carry, everything else is text."""

from polypress.content.inline import Emphasis, FootnoteRef, Text, markup_difference, parse_inline
from polypress.render.inline import render_inline


def test_emphasis_and_footnote_references_parse():
    assert parse_inline("*Note* the Families,[^1] to") == [
        Emphasis("Note"),
        Text(" the Families,"),
        FootnoteRef("1"),
        Text(" to"),
    ]


def test_a_translation_must_keep_the_markup_of_its_source():
    assert markup_difference("*Note* it,[^1] now", "*Notons* cela[^1], maintenant") == ""
    assert "missing [^1]" in markup_difference("*Note* it,[^1] now", "*Notons* cela, maintenant")
    assert "not in the source *emphasis*" in markup_difference("Note it", "*Notons* cela")


def test_html_in_a_translation_is_escaped_not_rendered():
    html = render_inline('<script>alert(1)</script> <a href="http://x">x</a>', "fr", {})
    assert "<script>" not in html and "<a href" not in html
    assert "&lt;script&gt;" in html


def test_footnote_marker_moves_across_punctuation_per_language():
    assert "Families,<a" in render_inline("Families[^1], to", "en", {})
    assert "famille<a" in render_inline("famille,[^1] au", "fr", {})
    assert "</a>, au" in render_inline("famille,[^1] au", "fr", {})
