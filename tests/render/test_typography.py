"""Typography applied by code, not by each translator: spacing, dates bound together, unbreakable pieces."""

from __future__ import annotations

import pytest

from polypress.render.typography import NBSP, NNBSP, apply_spacing, bind_dates, segments, space_after


def test_french_gets_narrow_no_break_spaces_before_semicolon_question_and_exclamation():
    assert apply_spacing("migrants; vraiment? oui!", "fr") == f"migrants{NNBSP}; vraiment{NNBSP}? oui{NNBSP}!"


def test_french_gets_a_no_break_space_before_a_colon_and_inside_guillemets():
    assert apply_spacing("la déclaration suivante:", "fr") == f"la déclaration suivante{NBSP}:"
    assert apply_spacing("« migrations »", "fr") == f"«{NNBSP}migrations{NNBSP}»"


def test_english_and_spanish_spacing_is_left_alone():
    assert apply_spacing("the following declaration:", "en") == "the following declaration:"
    assert apply_spacing("¿Por qué? la siguiente declaración:", "es") == "¿Por qué? la siguiente declaración:"


@pytest.mark.parametrize(
    ("language", "text", "bound"),
    [
        ("en", "on 3 and 4 October 2013 on", f"4{NBSP}October{NBSP}2013"),
        ("fr", "les 3 et 4 octobre 2013 à", f"4{NBSP}octobre{NBSP}2013"),
        ("es", "los días 3 y 4 de octubre de 2013 con", f"4{NBSP}de{NBSP}octubre{NBSP}de{NBSP}2013"),
    ],
)
def test_a_date_in_running_text_never_breaks(language, text, bound):
    assert bound in bind_dates(text, language)


def test_a_document_symbol_is_one_unbreakable_piece():
    pieces = segments("without reference to a Main Committee (A/68/L.5)", "en")
    assert ("A/68/L.5", True) in pieces
    assert "".join(piece for piece, _keep in pieces) == "without reference to a Main Committee (A/68/L.5)"


@pytest.mark.parametrize(
    ("text", "space"),
    [
        ("HLD Series Report:", " "),
        ("Rapport de la série\u00a0:", " "),
        ("تقرير سلسلة الحوار الرفيع المستوى:", " "),
        ("Доклад о серии:", " "),
        ("高级别对话系列报告：", ""),
        ("報告書：", ""),
        ("高级别对话系列报告", ""),
        ("**Report:**", " "),
        ("**报告：**", ""),
        ("", " "),
    ],
)
def test_what_follows_a_text_is_spaced_as_its_script_spaces_words(text, space):
    assert space_after(text) == space
