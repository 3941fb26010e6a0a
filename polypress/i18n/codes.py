"""Inline codes of a unit: what a CAT tool must show as a protected tag, not as words to translate.

A unit's text is Markdown (``*Recognize* that … [^1]``) or a template string with python-format
placeholders (``%(num)s pages``). Exported as plain text, a translator in Trados or memoQ could retype
or drop them; as inline codes (XLIFF ``<ph>``), the tool keeps them whole and lets the translator only
move them. The split is lossless: joining the pieces gives back the exact string, so a round trip
changes no byte.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

#: What is a code, in the order tried at each position. An escaped character (``\\*``) is text.
_PIECES = re.compile(
    r"""
      (?P<escape>\\[\\`*_{}\[\]()#+\-.!%^|~<>])
    | (?P<var>%\(\w+\)[-\#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa])
    | (?P<code>(?P<ticks>`+)[^`](?:.*?[^`])?(?P=ticks)(?!`))
    | (?P<note>\[\^[^\]\s]+\])
    | (?P<xref>\[\]\([^)\s]*\))
    | (?P<image>!\[(?=[^\]]*\]\())
    | (?P<open>\[(?=[^\]]*\]\())
    | (?P<close>\]\([^)\s]*(?:\s+"[^"]*")?\))
    | (?P<linebreak>\\\n|[ ]{2,}\n)
    | (?P<emphasis>(?<!\s)\*+|\*+(?!\s)|(?<!\w)_+(?=\w)|(?<=\w)_+(?!\w))
    """,
    re.VERBOSE | re.DOTALL,
)
#: XLIFF 2.0's type and subType of each kind of code.
KINDS = {
    "var": ("ui", "xlf:var"),
    "code": ("other", ""),
    "note": ("other", ""),
    "xref": ("link", ""),
    "image": ("image", ""),
    "open": ("link", ""),
    "close": ("link", ""),
    "linebreak": ("fmt", "xlf:lb"),
    "emphasis": ("fmt", ""),
}


@dataclass(frozen=True)
class Code:
    """One inline code: its id in the unit ("1", "2"… in the order of the English), its text, its kind."""

    id: str
    text: str
    kind: str

    @property
    def type(self) -> str:
        return KINDS[self.kind][0]

    @property
    def sub_type(self) -> str:
        return KINDS[self.kind][1]

    @property
    def equiv(self) -> str:
        """What the code stands for in plain text: a placeholder is a word; markup is nothing."""
        return self.text if self.kind == "var" else ""


Piece = str | Code


def split(text: str) -> list[Piece]:
    """The source's text and codes, codes numbered in order; ``"".join`` of their texts is *text*."""
    pieces: list[Piece] = []
    start = 0
    for match in _PIECES.finditer(text):
        if match.lastgroup == "escape":
            continue
        pieces.append(text[start : match.start()])
        pieces.append(Code(str(sum(isinstance(p, Code) for p in pieces) + 1), match.group(), match.lastgroup or ""))
        start = match.end()
    pieces.append(text[start:])
    return [p for p in pieces if p != ""]


def split_like(text: str, source: list[Piece]) -> list[Piece]:
    """A translation's pieces, each code matched to the source's code of the same text (the n-th ``*`` of
    the translation is the n-th ``*`` of the source). A code the source does not have stays text: the
    translation comes back exactly as it is."""
    available: dict[str, list[Code]] = {}
    for piece in source:
        if isinstance(piece, Code):
            available.setdefault(piece.text, []).append(piece)
    pieces: list[Piece] = []
    for piece in split(text):
        if isinstance(piece, Code) and available.get(piece.text):
            pieces.append(available[piece.text].pop(0))
        else:
            text_piece = piece.text if isinstance(piece, Code) else piece
            if pieces and isinstance(pieces[-1], str):
                pieces[-1] += text_piece
            else:
                pieces.append(text_piece)
    return pieces


def join(pieces: list[Piece]) -> str:
    return "".join(p.text if isinstance(p, Code) else p for p in pieces)


def problems(source: list[Piece], target_ids: list[str]) -> list[str]:
    """What is wrong with the codes a translation carries (by id): dropped, duplicated or not in the source."""
    codes = {p.id: p for p in source if isinstance(p, Code)}
    used = Counter(target_ids)
    found = []
    dropped = [codes[i].text for i in codes if i not in used]
    if dropped:
        found.append("drops " + ", ".join(dropped))
    doubled = [codes[i].text for i, n in used.items() if n > 1 and i in codes]
    if doubled:
        found.append("repeats " + ", ".join(doubled))
    invented = sorted(i for i in used if i not in codes)
    if invented:
        found.append("has codes the source does not have (id " + ", ".join(invented) + ")")
    return found
