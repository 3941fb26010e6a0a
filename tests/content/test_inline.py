"""Inline markup: the only markup a translation may carry, everything else is text."""

from polypress.content.inline import Emphasis, FootnoteRef, Text, markup_difference, parse_inline


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
