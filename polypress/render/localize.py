"""Locale data for generated text: dates, ordinals and numbers, from Babel plus UN rules."""

from __future__ import annotations

import datetime
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from polypress.content.numbering import LABEL_STYLE, STYLES

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


#: Babel formats a date in ~0.3 ms; a build writes the same few dates hundreds of times (every page, feed, list).
@lru_cache(maxsize=4096)
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


#: How a language writes the numbering styles of chapters and sections, where it does not write them as
#: English does (I., A., 1.). One table for every format: print headings, contents, cross-references, web
#: page, e-book and its navigation all write their numbers through ``counter``.
#: - UN Arabic numbers chapters with ordinal adverbs and sections with the names of the letters in abjad
#:   order: "أولا - مقدمة", "ثانيا - الوقائع", "ألف - المناقشة العامة", "باء - …" (A/71/1007).
#: - UN Chinese numbers chapters with Chinese numerals: "一. 导言", "二. …", "十一." (A/57/270); sections
#:   keep the Latin letter ("A."), as its lettered items do.
#: A count past a table's end is written in digits.
_ARABIC_ORDINALS = (
    "أولا ثانيا ثالثا رابعا خامسا سادسا سابعا ثامنا تاسعا عاشرا".split()
    + [f"{unit} عشر" for unit in "حادي ثاني ثالث رابع خامس سادس سابع ثامن تاسع".split()]
    + ["عشرون"]
)
_ARABIC_LETTER_NAMES = (
    "ألف باء جيم دال هاء واو زاي حاء طاء ياء كاف لام ميم نون سين عين فاء صاد قاف راء شين تاء ثاء خاء ذال ضاد ظاء غين"
).split()
_CHINESE_DIGITS = "〇一二三四五六七八九"


def _from_table(names: list[str]):
    return lambda value: names[value - 1] if 0 < value <= len(names) else str(value)


def _chinese(value: int) -> str:
    """一 to 九十九 as Chinese writes them (十, 十一, 二十一), digits beyond."""
    if not 0 < value < 100:
        return str(value)
    tens, units = divmod(value, 10)
    written = (_CHINESE_DIGITS[tens] if tens > 1 else "") + ("十" if tens else "")
    return written + (_CHINESE_DIGITS[units] if units else "")


_COUNTER_STYLES = {
    "ar": {"upper-roman": _from_table(_ARABIC_ORDINALS), "upper-alpha": _from_table(_ARABIC_LETTER_NAMES)},
    "zh": {"upper-roman": _chinese},
}
#: What joins the levels of a section's number in running text ("section II.A"; Arabic "ثانيا - ألف").
_LEVEL_JOINERS = {"ar": " - "}


#: How a language writes the number after a label's word, where it does not write it as English does
#: ("Figure I", "Annex II"): the second table beside ``_COUNTER_STYLES``, for figures and annexes in captions,
#: contents and cross-references alike.
#: - UN Arabic writes an ordinal adjective after the noun, masculine as الشكل and المرفق are: "الشكل الأول",
#:   "المرفق الثاني" (never a Roman numeral in Arabic script).
#: - UN Chinese writes Chinese numerals after the noun, with no space: "图一", "附件二".
#: A count past a table's end is written in digits.
_ARABIC_ORDINAL_ADJECTIVES = (
    "الأول الثاني الثالث الرابع الخامس السادس السابع الثامن التاسع العاشر".split()
    + [f"{unit} عشر" for unit in "الحادي الثاني الثالث الرابع الخامس السادس السابع الثامن التاسع".split()]
    + ["العشرون"]
)
_LABEL_STYLES = {
    "ar": {"upper-roman": _from_table(_ARABIC_ORDINAL_ADJECTIVES)},
    "zh": {"upper-roman": _chinese},
}


def counter(value: int, style: str, locale: str) -> str:
    """*value* in the numbering style *style* ("upper-roman": II) as the language writes it (ثانيا, 二)."""
    language = Locale.parse(locale).language
    return _COUNTER_STYLES.get(language, {}).get(style, STYLES[style])(value)


def label_number(number: str, locale: str) -> str:
    """A figure's or an annex's number (its count, "2") as the language writes it after its label, in the
    style ``LABEL_STYLE`` (II, الثاني, 二); "" for the one annex of a report, which has none."""
    if not number.isdigit():
        return number
    language = Locale.parse(locale).language
    return _LABEL_STYLES.get(language, {}).get(LABEL_STYLE, STYLES[LABEL_STYLE])(int(number))


def heading_number(counters: str, styles: tuple[str, ...], locale: str, whole: bool = False) -> str:
    """A heading's number from its counters ("2.1") in the kind's styles and the language's way: its own
    level only ("A", "ألف"), or *whole* with its chapter's ("II.A", "ثانيا - ألف") for cross-references."""
    if not counters:
        return ""
    values = [int(part) for part in counters.split(".")]
    written = [counter(value, styles[level], locale) for level, value in enumerate(values)]
    if not whole:
        return written[-1]
    return _LEVEL_JOINERS.get(Locale.parse(locale).language, ".").join(written)
