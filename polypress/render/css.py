"""CSS string values built from translations: a translation can neither close the string nor write rules."""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup


def css_string(value: str) -> Markup:
    """Text as a CSS string literal: a translation cannot close it and write rules of its own."""
    text = value.unescape() if isinstance(value, Markup) else str(value)
    escaped = "".join(c if c.isalnum() or c in " .,:;-" else f"\\{ord(c):x} " for c in text)
    return Markup('"{}"').format(Markup(escaped))


def css_content(value: str, **slots: str) -> Markup:
    """A translated string with placeholders as a CSS ``content`` value: the words as CSS strings, each
    ``%(name)s`` the CSS function given for it (``page="target-counter(attr(href url), page)"``), so the
    translation places the page number: "(p. 3)", "（第3页）". Written after preceding text with a space,
    unless it opens with full-width punctuation, which carries its own."""
    text = value.unescape() if isinstance(value, Markup) else str(value)
    parts: list[str] = []
    for piece in re.split(r"(%\(\w+\)s)", text):
        name = piece[2:-2] if piece.startswith("%(") else None
        if name in slots:
            parts.append(slots[name])
        elif piece:
            parts.append(str(css_string(piece)))
    missing = [css for name, css in slots.items() if f"%({name})s" not in text]
    parts += missing  # `check` reports the lost placeholder; the page number is still printed
    first = text[:1]
    if first and unicodedata.east_asian_width(first) not in ("F", "W"):
        parts.insert(0, '" "')
    return Markup(" ".join(parts))
