"""Checks on the text of a translation: doubled words in any script, newlines, what GNU msgfmt -c rejects."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from polypress.i18n.textchecks import doubled_words, msgfmt_findings, newline_parity, space_parity


def test_a_doubled_word_is_found_in_any_script_that_separates_words():
    assert list(doubled_words("the rights of migrants", "les droits des des migrants")) == ["doubled word: 'des des'"]
    assert list(doubled_words("rights of migrants", "права в В мигрантов")) == ["doubled word: 'в В'"]
    assert list(doubled_words("in the region", "في في المنطقة")) == ["doubled word: 'في في'"]


def test_a_repetition_the_english_has_or_a_number_is_not_a_mistake():
    assert not list(doubled_words("said that that was", "said that that was"))
    assert not list(doubled_words("pages 10 10", "pages 10 10"))


def test_chinese_flags_doubled_particles_and_punctuation_but_not_reduplicated_words():
    assert list(doubled_words("the development of countries", "各国的的发展")) == ["doubled character: '的的'"]
    assert list(doubled_words("often, and", "常常，，和")) == ["doubled punctuation: '，，'"]
    assert not list(doubled_words("often in every country", "常常在各国各地"))


def test_a_newline_the_english_ends_with_must_end_the_translation_too():
    assert list(newline_parity("Line\n", "Ligne")) == [
        "the translation does not end with a newline and the English does"
    ]
    assert not list(newline_parity("Line\n", "Ligne\n"))
    assert list(space_parity(" Note", "Note")) == ["leading space missing"]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is installed by `make`")
def test_what_msgfmt_c_rejects_is_reported_with_its_line(tmp_path: Path):
    po = tmp_path / "fr.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Line\\n"\nmsgstr "Ligne"\n',
        encoding="utf-8",
    )
    found = msgfmt_findings(po, "fr.po")
    assert found and found[0][0] == 6 and "\\n" in found[0][1]
