"""Where GNU gettext may break a PO string, and how wide a character is on its lines.

GNU msgcat and msgmerge wrap strings with gnulib's Unicode line breaking (UAX #14) and
count columns as a terminal does (an ideograph is two columns, a combining mark none).
A catalogue polypress writes must be byte-identical to what those tools write, or every
save from Poedit or Weblate would rewrite lines: so this is the same algorithm, with the
line-break classes of the characters a catalogue holds (Latin, Cyrillic, Arabic, CJK and
their punctuation), checked against msgcat by the tests.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Break actions of UAX #14's pair table: direct (break allowed), indirect (only after a
#: space), prohibited (even after spaces).
DIRECT, INDIRECT, PROHIBITED = 0, 1, 2

_CLASSES = "OP CL CP QU GL NS EX SY IS PR PO NU AL HL ID IN HY BA BB B2 ZW CM WJ H2 H3 JL JV JT RI".split()
_INDEX = {name: index for index, name in enumerate(_CLASSES)}

# UAX #14's pair table (rules LB11-LB30a) as gnulib has it (msgcat of gettext 0.21: letters stay
# joined to a following % or $, a letter after . or : may start a line), rows = class before.
_TABLE_ROWS = """
OP PPPPPPPPPPPPPPPPPPPPDIPPPPPPP
CL DPPIIPPPPIIDDDDIIIDDDIPDDDDDD
CP DPPIIIPPPIIIIIDIIIDDDIPDDDDDD
QU PPPIIIPPPIIIIIIIIIIIDIPIIIIII
GL IPPIIIPPPIIIIIIIIIIIDIPIIIIII
NS DPPIIIPPPDDDDDDIIIDDDIPDDDDDD
EX DPPIIIPPPDDDDDDIIIDDDIPDDDDDD
SY DPPIIIPPPDDIDIDIIIDDDIPDDDDDD
IS DPPIIIPPPDDIDDDIIIDDDIPDDDDDD
PR IPPIIIPPPDDIIIIIIIDDDIPIIIIID
PO IPPIIIPPPDDIIIDIIIDDDIPDDDDDD
NU IPPIIIPPPIIIIIDIIIDDDIPDDDDDD
AL IPPIIIPPPIIIIIDIIIDDDIPDDDDDD
HL IPPIIIPPPIIIIIDIIIDDDIPDDDDDD
ID DPPIIIPPPDIDDDDIIIDDDIPDDDDDD
IN DPPIIIPPPDDDDDDIIIDDDIPDDDDDD
HY DPPIDIPPPDDIDDDIIIDDDIPDDDDDD
BA DPPIDIPPPDDDDDDIIIDDDIPDDDDDD
BB IPPIIIPPPIIIIIIIIIIIDIPIIIIII
B2 DPPIIIPPPDDDDDDIIIDPDIPDDDDDD
ZW DDDDDDDDDDDDDDDDDDDDDDDDDDDDD
CM IPPIIIPPPIIIIIDIIIDDDIPDDDDDD
WJ IPPIIIPPPIIIIIIIIIIIDIPIIIIII
H2 DPPIIIPPPDIDDDDIIIDDDIPDDDIID
H3 DPPIIIPPPDIDDDDIIIDDDIPDDDDID
JL DPPIIIPPPDIDDDDIIIDDDIPIIIIDD
JV DPPIIIPPPDIDDDDIIIDDDIPDDDIID
JT DPPIIIPPPDIDDDDIIIDDDIPDDDDID
RI DPPIIIPPPDDDDDDIIIDDDIPDDDDDI
"""
_TABLE = {
    _INDEX[row[:2]]: [{"D": DIRECT, "I": INDIRECT, "P": PROHIBITED}[c] for c in row[3:]]
    for row in _TABLE_ROWS.strip().splitlines()
}

# Classes of single characters (Unicode's LineBreak.txt) that the general category gets wrong.
_EXPLICIT = {
    " ": "SP",
    "!": "EX",
    "?": "EX",
    '"': "QU",
    "'": "QU",
    "(": "OP",
    "[": "OP",
    "{": "OP",
    ")": "CP",
    "]": "CP",
    "}": "CL",
    ",": "IS",
    ".": "IS",
    ":": "IS",
    ";": "IS",
    "/": "SY",
    "-": "HY",
    "%": "PO",
    "$": "PR",
    "+": "PR",
    "\\": "PR",
    "|": "BA",
    "\u00a0": "GL",
    "\u00a1": "OP",
    "\u00a2": "PO",
    "\u00a3": "PR",
    "\u00a5": "PR",
    "\u00ab": "QU",
    "\u00ad": "BA",
    "\u00b0": "PO",
    "\u00b4": "BB",
    "\u00bb": "QU",
    "\u00bf": "OP",
    "\u060c": "IS",
    "\u061b": "EX",
    "\u061f": "EX",
    "\u066a": "PO",
    "\u066b": "NU",
    "\u066c": "NU",
    "\u06d4": "EX",
    "\u2007": "GL",
    "\u200b": "ZW",
    "\u2010": "BA",
    "\u2011": "GL",
    "\u2012": "BA",
    "\u2013": "BA",
    "\u2014": "B2",
    "\u2018": "QU",
    "\u2019": "QU",
    "\u201a": "OP",
    "\u201b": "QU",
    "\u201c": "QU",
    "\u201d": "QU",
    "\u201e": "OP",
    "\u201f": "QU",
    "\u2024": "IN",
    "\u2025": "IN",
    "\u2026": "IN",
    "\u2028": "BK",
    "\u2029": "BK",
    "\u202f": "GL",
    "\u2030": "PO",
    "\u2031": "PO",
    "\u2032": "PO",
    "\u2033": "PO",
    "\u2039": "QU",
    "\u203a": "QU",
    "\u2044": "IS",
    "\u2060": "WJ",
    "\u20ac": "PR",
    "\u3000": "BA",
    "\u3001": "CL",
    "\u3002": "CL",
    "\u3005": "NS",
    "\u301c": "NS",
    "\u301d": "OP",
    "\u301e": "CL",
    "\u301f": "CL",
    "\u30fb": "NS",
    "\u30fc": "NS",
    "\ufeff": "WJ",
    "\uff01": "EX",
    "\uff04": "PR",
    "\uff05": "PO",
    "\uff08": "OP",
    "\uff09": "CL",
    "\uff0c": "CL",
    "\uff0e": "CL",
    "\uff1a": "NS",
    "\uff1b": "NS",
    "\uff1f": "EX",
    "\uff3b": "OP",
    "\uff3d": "CL",
    "\uff5b": "OP",
    "\uff5d": "CL",
    "\uff5f": "OP",
    "\uff60": "CL",
    "\uff61": "CL",
    "\uff62": "OP",
    "\uff63": "CL",
    "\uff64": "CL",
    "\uffe0": "PO",
    "\uffe1": "PR",
    "\uffe5": "PR",
    "\uffe6": "PR",
}
# CJK brackets U+3008-U+3011 and U+3014-U+301B open and close in turn.
_EXPLICIT.update({chr(c): "OP" if c % 2 == 0 else "CL" for c in [*range(0x3008, 0x3012), *range(0x3014, 0x301C)]})
_SMALL_KANA = set("ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ")


@lru_cache(maxsize=4096)
def line_class(char: str) -> str:
    """The UAX #14 line-break class of *char*, resolved as gnulib does for UTF-8 text."""
    found = _EXPLICIT.get(char)
    if found:
        return found
    if char in _SMALL_KANA:
        return "NS"
    code = ord(char)
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Mc") or (category == "Cf" and 0x200C <= code <= 0x206F):
        return "CM"  # combining marks, ZWJ/ZWNJ and the bidi controls attach to what precedes
    if category == "Cc":
        return "CM"
    if category == "Nd":
        return "ID" if 0xFF10 <= code <= 0xFF19 else "NU"
    if unicodedata.east_asian_width(char) in ("W", "F") or 0x1F000 <= code <= 0x1FAFF:
        if 0xAC00 <= code <= 0xD7A3:
            return "H2" if (code - 0xAC00) % 28 == 0 else "H3"
        if category == "Ps":
            return "OP"
        if category == "Pe":
            return "CL"
        return "ID"
    if category == "Zs":
        return "BA"
    if category == "Pd":
        return "BA"
    if category == "Ps":
        return "OP"
    if category == "Pe":
        return "CL"
    if category in ("Pi", "Pf"):
        return "QU"
    if category == "Sc":
        return "PR"
    return "AL"  # letters of every script, other symbols and punctuation; ambiguous (AI) too


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    """Columns *char* takes on a terminal (gnulib's uc_width for UTF-8)."""
    code = ord(char)
    category = unicodedata.category(char)
    if category == "Cc":
        return 0  # gnulib returns -1 and the wrapper ignores it
    if code != 0xAD and (category in ("Mn", "Me", "Cf") or 0x1160 <= code <= 0x11FF or code == 0x200B):
        return 0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 2
    return 1


# Runs of letters and digits never break inside (UAX #14: AL×AL, AL×NU, NU×AL, NU×NU, and a mark
# stays with its letter): read as one token, they make the common case fast.
_BASES = "A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0400-\u0481\u048a-\u052f\u0621-\u063a\u0641-\u064a\u0660-\u0669\u066e\u066f\u0671-\u06d3"
_MARKS = "\u0300-\u036f\u0483-\u0489\u064b-\u065f\u0670"
_TOKEN = re.compile(f"[{_BASES}][{_BASES}{_MARKS}]*| +|.", re.S)


def _run_class(char: str) -> str:
    return "NU" if "0" <= char <= "9" or "\u0660" <= char <= "\u0669" else line_class(char)


# Plain prose (letters, digits, quotes, brackets, hyphens, slashes, no-break spaces and , . ; : ! ?)
# is most of a catalogue; its few pair rules fit in one regular expression, checked against the
# general algorithm by the tests. A line may break:
_LETTERS = _BASES.replace("0-9", "").replace("\u0660-\u0669", "")
_PLAIN = re.compile(f"[{_BASES} \u00a0\u202f’‘«»“”'()\\[\\]*^/,.;:!?\u060c\u061b\u061f-]*")
_PLAIN_BREAK = re.compile(
    "|".join(
        [
            "(?<= )[^ ,.;:!?\u060c\u061b\u061f)\\]/]",  # after spaces, before all but closing punctuation
            f"(?<=[-/])[{_LETTERS}(\\[*^]",  # after a hyphen or slash, before a letter or bracket
            f"(?<=[,.;:\u060c])[{_LETTERS}(\\[*^]",  # after . , ; : before a letter or bracket
            f"(?<=[!?\u061b\u061f])[{_BASES}(\\[*^]",  # after ! ? before a letter, digit or bracket
            "(?<=[)\\]])[(\\[]",  # between a closing and an opening bracket
            "(?<=-)[\u00a0\u202f]",  # between a hyphen and a no-break space
        ]
    )
)
# ... but never after an opening bracket, nor before one after a quote, spaces or not.
_PLAIN_NO_BREAK = re.compile("[(\\[] *|[’‘«»“”'] +(?=[(\\[])")


def break_opportunities(text: str) -> list[int]:
    """Indexes of *text* before which a line may break (gnulib's u8_possible_linebreaks)."""
    if _PLAIN.fullmatch(text):
        first = len(text) - len(text.lstrip(" "))
        found = [m.start() for m in _PLAIN_BREAK.finditer(text) if m.start() > first]
        if found and ("(" in text or "[" in text):
            closed = {m.end() for m in _PLAIN_NO_BREAK.finditer(text)}
            found = [p for p in found if p not in closed]
        return found
    return _general_break_opportunities(text)


def _general_break_opportunities(text: str) -> list[int]:
    found: list[int] = []
    last = "BK"  # class of the last character that is not a space
    seen_space = False
    for token in _TOKEN.finditer(text):
        char = token.group()
        position = token.start()
        if len(char) > 1:
            if char[0] == " ":
                seen_space = True
                continue
            cls, after = _run_class(char[0]), _run_class(char.rstrip(_MARK_CHARS)[-1])
        else:
            cls = after = line_class(char)
            if cls == "BK":
                last, seen_space = "BK", False
                continue
            if cls == "SP":
                seen_space = True
                continue
            if cls == "ZW":
                last, seen_space = "ZW", False
                continue
            if cls == "CM":
                if last == "ZW":
                    found.append(position)
                    last, seen_space = "AL", False
                    continue
                if not seen_space and last != "BK":
                    continue  # part of the character before it
                # A mark with no base counts as a letter (UAX #14 LB10); after a space a line may
                # start with it whatever came before (gnulib's tables, measured with msgcat).
                if last != "BK":
                    found.append(position)
                last, seen_space = "AL", False
                continue
        if last == "BK":
            pass
        elif last == "ZW":
            found.append(position)
        elif cls == "OP" and last in ("AL", "HL", "NU") and char_width(char) == 2:
            found.append(position)  # a letter or digit keeps only a narrow bracket (UAX #14 LB30)
        else:
            action = _TABLE[_INDEX[last]][_INDEX[cls]]
            if action == DIRECT or (action == INDIRECT and seen_space):
                found.append(position)
        last, seen_space = after, False
    return found


_MARK_CHARS = "".join(chr(c) for c in [*range(0x300, 0x370), *range(0x483, 0x48A), *range(0x64B, 0x660), 0x670])
