"""Locale data for generated text: dates, ordinals and numbers, from Babel plus UN rules."""

from __future__ import annotations

import datetime

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

#: Suffix for ordinal meeting numbers ("25th plenary meeting") where the language
#: writes them with digits; the catalogue's msgstr decides whether to use {ordinal}.
#: Babel has no ordinal formatting (CLDR's rule-based formats are not in it).
#: Each rule gives the suffix and whether print raises it ("25e" with a superscript e).
_ORDINAL_RULES = {
    "en": lambda n: ("th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th"), False),
    "fr": lambda n: ("re" if n == 1 else "e", True),  # "1re séance", "25e séance" (séance is feminine)
    "es": lambda n: ("ª", False),  # "25ª sesión": UN Spanish omits the RAE's period; ª is already raised
    "ru": lambda n: ("-е", False),  # "25-е пленарное заседание"
}


#: Letters of lettered items (agenda sub-items "19 (b)") where the language does not use
#: Latin ones: UN Arabic counts in abjad order, أ ب ج د هـ و ز ح ط ي … ("البند 19 (ب)").
#: Chinese and Russian UN documents keep the Latin letter.
_ITEM_LETTERS = {"ar": "أ ب ج د هـ و ز ح ط ي ك ل م ن س ع ف ص ق ر ش ت ث خ ذ ض".split()}

#: Languages whose UN documents write two month names; the locale of the first one.
_DOUBLE_MONTHS = {"ar": "ar_SY"}


def long_date(date: datetime.date, locale: str) -> str:
    """A date the way the language's UN documents write it ("3 October 2013")."""
    text = format_date(date, format="long", locale=locale)
    language = Locale.parse(locale).language
    if language == "fr" and date.day == 1:
        # Babel writes "1 octobre 2013"; French writes the first of the month "1er".
        text = text.replace("1 ", "1er ", 1) if text.startswith("1 ") else text
    if language in _DOUBLE_MONTHS:
        # UN Arabic names the month both ways, Levantine/Egyptian: "3 تشرين الأول/أكتوبر 2013".
        # Digits stay European (0-9), as in UN Arabic documents and Babel's ar locale (latn).
        month = Locale.parse(locale).months["format"]["wide"][date.month]
        levantine = Locale.parse(_DOUBLE_MONTHS[language]).months["format"]["wide"][date.month]
        if month != levantine and month in text:
            text = text.replace(month, f"{levantine}/{month}", 1)
    if language == "ru" and text.endswith("г.") and text[-3:-2].isspace():
        # Babel abbreviates the year ("2013 г."); UN Russian documents write it out ("2013 года").
        text = text[:-3] + " года"
    return text


def ordinal_parts(number: int, locale: str) -> tuple[str, str, bool]:
    """(digits, suffix, raised) of an ordinal; suffix is '' for languages without one."""
    language = Locale.parse(locale).language
    rule = _ORDINAL_RULES.get(language)
    suffix, raised = rule(number) if rule else ("", False)
    return format_decimal(number, locale=locale, group_separator=False), suffix, raised


def number(value: int | float, locale: str) -> str:
    return format_decimal(value, locale=locale)


def item_letter(letter: str, locale: str) -> str:
    """The language's letter for the Latin item letter *letter* ("b" is "ب" in Arabic)."""
    letters = _ITEM_LETTERS.get(Locale.parse(locale).language)
    if letters and len(letter) == 1 and "a" <= letter <= "z":
        return letters[ord(letter) - ord("a")]
    return letter
