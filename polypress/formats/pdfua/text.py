"""The logical text of each drawn line, for /ActualText where the drawn glyphs do not say it.

WeasyPrint draws each line of a paragraph as its own text run: the space a line
broke at is not drawn (words at line ends run together in the tagged text), a
hyphenated word carries a hyphen that is not in the text, and right-to-left text
is drawn in visual order. Each run is matched against the text of the HTML
element it comes from, so its logical text is known: a run that differs from
what its glyphs say gets /ActualText. Script-neutral: Chinese lines, which break
without a space, get none.
"""

from __future__ import annotations

import re
import unicodedata

_COLLAPSIBLE = re.compile(r"[ \t\n\r\f]+")
#: Bidi controls: layout instructions (isolates, marks), not text a reader reads.
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: Between two text nodes of an element: never matched, never a space.
_NODE_BREAK = "\x00"


def direct_text(element) -> str:
    """The text nodes of *element* itself (not of its children), space collapsed as CSS does."""
    nodes = [element.text or ""] + [child.tail or "" for child in element]
    return _NODE_BREAK.join(_COLLAPSIBLE.sub(" ", node) for node in nodes)


_RIGHT_TO_LEFT = frozenset(("R", "AL"))


def is_right_to_left(text: str) -> bool:
    # map of C functions, not a generator: this reads every character of every run drawn.
    return any(map(_RIGHT_TO_LEFT.__contains__, map(unicodedata.bidirectional, text)))


class ElementText:
    """A cursor in one element's own text: each drawn run of it in order gives its logical text."""

    def __init__(self, element) -> None:
        self.source = direct_text(element)
        self.position = 0
        self.lost = False

    def logical(self, drawn: str, hyphen: str, right_to_left: bool = False) -> str | None:
        """The logical text of the next run drawn as *drawn*; None when the glyphs say it already.

        The whitespace a line break swallowed is given back (before the run when it was
        skipped at the start of the line, after it at the end of one); a hyphen the
        hyphenation added is taken away.
        """
        if self.lost:
            return None
        source, position = self.source, self.position
        lead = ""
        while position < len(source) and (
            source[position] == _NODE_BREAK or (source[position] == " " and not drawn.startswith(" "))
        ):
            if source[position] == " ":
                lead = " "
            position += 1
        text = drawn
        if source.startswith(drawn, position):
            position += len(drawn)
        elif hyphen and drawn.endswith(hyphen) and source.startswith(drawn[: -len(hyphen)], position):
            text = drawn[: -len(hyphen)]
            position += len(text)
        else:
            # text-transform or anything else this matcher does not know: leave the run as drawn.
            self.lost = True
            return None
        trail = ""
        if position < len(source) and source[position] == " ":
            trail = " "
            position += 1
        self.position = position
        logical = lead + text + trail
        # Right to left, glyphs are drawn in visual order (and brackets mirrored): always say the text.
        if logical == drawn and not right_to_left and not is_right_to_left(drawn):
            return None
        return BIDI_CONTROLS.sub("", logical)
