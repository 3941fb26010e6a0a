"""Locale data spelled out by code, not by each translator: long dates and meeting ordinals, the UN way."""

from __future__ import annotations

import datetime

import pytest

from polypress.render.localize import long_date, ordinal_parts

ADOPTED = datetime.date(2013, 10, 3)


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
