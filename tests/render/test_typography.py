"""Locale rules applied by code, not by each translator: spacing, dates, ordinals, unbreakable pieces."""

from __future__ import annotations

import datetime

import pytest

from polypress.render.localize import long_date, ordinal_parts
from polypress.render.typography import NBSP, NNBSP, apply_spacing, bind_dates, segments

ADOPTED = datetime.date(2013, 10, 3)


def test_french_gets_narrow_no_break_spaces_before_semicolon_question_and_exclamation():
    assert apply_spacing("migrants; vraiment? oui!", "fr") == f"migrants{NNBSP}; vraiment{NNBSP}? oui{NNBSP}!"


def test_french_gets_a_no_break_space_before_a_colon_and_inside_guillemets():
    assert apply_spacing("la déclaration suivante:", "fr") == f"la déclaration suivante{NBSP}:"
    assert apply_spacing("« migrations »", "fr") == f"«{NNBSP}migrations{NNBSP}»"


def test_english_and_spanish_spacing_is_left_alone():
    assert apply_spacing("the following declaration:", "en") == "the following declaration:"
    assert apply_spacing("¿Por qué? la siguiente declaración:", "es") == "¿Por qué? la siguiente declaración:"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en_GB", "3 October 2013"),
        ("fr", "3 octobre 2013"),
        ("es", "3 de octubre de 2013"),
        ("ru", "3 октября 2013 года"),
    ],
)
def test_long_dates_follow_un_usage(locale, expected):
    assert long_date(ADOPTED, locale) == expected


def test_the_first_of_the_month_is_1er_in_french():
    assert long_date(datetime.date(2013, 10, 1), "fr") == "1er octobre 2013"


@pytest.mark.parametrize(
    ("locale", "number", "expected"),
    [
        ("en_GB", 25, ("25", "th", False)),
        ("en_GB", 21, ("21", "st", False)),
        ("en_GB", 12, ("12", "th", False)),
        ("fr", 25, ("25", "e", True)),  # superscript e in print
        ("fr", 1, ("1", "re", True)),  # "1re séance"
        ("es", 25, ("25", "ª", False)),  # no period, as UN Spanish writes it
    ],
)
def test_meeting_ordinals(locale, number, expected):
    assert ordinal_parts(number, locale) == expected


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
