"""Characters no text may hold, and characters that hide what text says (the Trojan Source class)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

#: Tab and newline: the only control characters a text may hold where layout allows them.
LAYOUT_CONTROLS = frozenset("\t\n")

#: Formatting characters that reorder or hide text: bidirectional embeddings, overrides and isolates,
#: and invisible characters (zero-width, word joiner, invisible operators, BOM, soft hyphen excepted:
#: hyphenation hints are legitimate). CVE-2021-42574 ("Trojan Source") reorders text with the first set.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u034f")


def is_control(char: str, allowed: frozenset[str] = frozenset()) -> bool:
    """C0 (U+0000–U+001F), DEL and C1 (U+0080–U+009F) controls, except those *allowed*; and U+FFFE, U+FFFF,
    which are not characters at all (XML refuses them: one would make a feed or an e-book invalid)."""
    code = ord(char)
    return (code < 0x20 or 0x7F <= code <= 0x9F or code in (0xFFFE, 0xFFFF)) and char not in allowed


#: Every character is_control() refuses when nothing is allowed.
_CONTROLS = frozenset(map(chr, (*range(0x20), *range(0x7F, 0xA0), 0xFFFE, 0xFFFF)))


@cache
def _controls_pattern(allowed: frozenset[str]) -> re.Pattern[str]:
    """One character class of is_control()'s characters less *allowed*: every source and catalogue is scanned
    on every build, a no-op one too, and a per-character Python loop was a fifth of a no-op build's time."""
    return re.compile("[" + "".join(re.escape(c) for c in sorted(_CONTROLS - allowed)) + "]")


def first_control(text: str, allowed: frozenset[str] = LAYOUT_CONTROLS) -> tuple[int, str] | None:
    """(offset, character) of the first control character of *text* not *allowed*, or None."""
    found = _controls_pattern(allowed).search(text)
    return (found.start(), found.group()) if found else None


def hidden_formatting(text: str) -> list[str]:
    """The bidirectional and invisible formatting characters in *text*, in order of appearance, once each."""
    return list(dict.fromkeys(c for c in text if c in BIDI_CONTROLS or c in INVISIBLE))


def describe(char: str) -> str:
    """U+202E RIGHT-TO-LEFT OVERRIDE: how an error names a character the reader cannot see."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}" if name else f"U+{ord(char):04X}"
