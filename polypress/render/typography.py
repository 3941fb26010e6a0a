"""Per-language typographic rules, applied by code to every text run before output (keyed by the Babel locale)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from babel import Locale

NBSP = "\u00a0"
NNBSP = "\u202f"

#: UN document symbols ("A/RES/68/4", "A/68/L.5"): never broken across lines.
SYMBOL = re.compile(r"\b[A-Z]{1,4}(?:/[A-Z0-9]+(?:\.[0-9]+)?)+\b")

_SPACES = f"[ {NBSP}{NNBSP}]"
_FRENCH_RULES = (
    # Narrow no-break space before ; ! ? and a no-break space before :.
    (re.compile(rf"(?<=\S){_SPACES}?([;!?])"), NNBSP + r"\1"),
    (re.compile(rf"(?<=[^\s\d]){_SPACES}?(:)(?=\s|$)"), NBSP + r"\1"),
    # Narrow no-break spaces inside « ».
    (re.compile(rf"«{_SPACES}?"), "«" + NNBSP),
    (re.compile(rf"{_SPACES}?»"), NNBSP + "»"),
)
_RULES = {"fr": _FRENCH_RULES}

#: Bidi isolates (LEFT-TO-RIGHT ISOLATE … POP DIRECTIONAL ISOLATE). WeasyPrint 70 ignores
#: unicode-bidi and <bdi>, but Pango's bidi algorithm honours these characters, and so do
#: browsers: a Latin symbol or a number inside Arabic text keeps its own order and does not
#: pull the punctuation around it to the wrong side.
LRI = "\u2066"
PDI = "\u2069"
#: How a paragraph or resolution number is written: "1." in most languages; UN Arabic
#: writes "1 -" ("68/4 - إعلان …"), a period after a number reading right to left looks wrong.
_NUMBER_FORMS = {"ar": "{} -"}


@cache
def space_after(text: str) -> str:
    """The space between *text* and what the page adds after it (a list of links): a space in the scripts
    that space their words, none after a full-width character (Chinese, Japanese), whose punctuation
    carries its own. Markdown emphasis closing the text does not count."""
    last = text.rstrip().rstrip("*_")[-1:]
    return "" if last and unicodedata.east_asian_width(last) in ("F", "W") else " "


def is_rtl(locale: str) -> bool:
    """Whether the locale is written right to left, from Babel's locale data."""
    return Locale.parse(locale).character_order == "right-to-left"


def isolate(text: str, locale: str) -> str:
    """*text* as a left-to-right island when the locale is written right to left."""
    return f"{LRI}{text}{PDI}" if text and is_rtl(locale) else text


def number_label(value: object, locale: str) -> str:
    """A paragraph or resolution number with the language's punctuation ("1.", "68/4 -")."""
    form = _NUMBER_FORMS.get(locale.split("_")[0], "{}.")
    value = str(value)
    # Digits and Latin letters keep their order in right-to-left text; a number written in the
    # language's own words ("ثانيا") is part of it.
    return form.format(isolate(value, locale) if any(c.isascii() and c.isalnum() for c in value) else value)


def apply_spacing(text: str, locale: str) -> str:
    """Apply the language's spacing rules (French: no-break spaces before ; : ! ? and in « »)."""
    for pattern, replacement in _RULES.get(locale.split("_")[0], ()):
        text = pattern.sub(replacement, text)
    return text


@cache
def _date_pattern(locale: str) -> re.Pattern | None:
    """Day, month name and year as the locale writes them ("3 October 2013", "3 de octubre de 2013")."""
    try:
        months = Locale.parse(locale).months["format"]["wide"].values()
    except (ValueError, LookupError):
        return None
    names = "|".join(sorted((re.escape(m) for m in months if m), key=len, reverse=True))
    if not names:
        return None
    space = f"[ {NBSP}]+"
    return re.compile(
        rf"\b\d{{1,2}}(?:er|st|nd|rd|th)?{space}(?:de{space})?(?:{names})(?:{space}(?:de{space})?\d{{4}})?\b"
    )


def bind_dates(text: str, locale: str) -> str:
    """No-break spaces inside dates in running text, so a date never breaks across lines."""
    pattern = _date_pattern(locale.split("_")[0])
    if pattern is None:
        return text
    return pattern.sub(lambda match: re.sub(f"[ {NBSP}]+", NBSP, match.group(0)), text)


def segments(text: str, locale: str) -> list[tuple[str, bool]]:
    """Split a text run into (text, keep_together) pieces after applying spacing rules."""
    text = bind_dates(apply_spacing(text, locale), locale)
    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in SYMBOL.finditer(text):
        if match.start() > position:
            pieces.append((text[position : match.start()], False))
        pieces.append((match.group(0), True))
        position = match.end()
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces
