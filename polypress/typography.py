"""Per-language typographic rules, applied by code to every text run before output."""

from __future__ import annotations

import re

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


def apply_spacing(text: str, language: str) -> str:
    """Apply the language's spacing rules (French: no-break spaces before ; : ! ? and in « »)."""
    for pattern, replacement in _RULES.get(language.split("_")[0], ()):
        text = pattern.sub(replacement, text)
    return text


def segments(text: str, language: str) -> list[tuple[str, bool]]:
    """Split a text run into (text, keep_together) pieces after applying spacing rules."""
    text = apply_spacing(text, language)
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
