"""PO and POT files laid out exactly as GNU gettext writes them (msgcat, msgmerge; width 79).

Translators save catalogues with Poedit, Weblate, Lokalize or GNU tools, which all write
GNU's layout. Writing anything else makes every save and every ``make update`` rewrite
lines nobody edited. So the header keeps GNU's field order and every field and comment it
does not own, comments are written as they are, strings are wrapped by
:mod:`polypress.i18n.linebreak`, and obsolete units end the file as ``#~`` entries.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate

from babel.messages.catalog import Catalog, Message

from polypress.i18n.linebreak import break_opportunities, char_width

#: GNU gettext's default page width.
PO_WIDTH = 79

#: Header fields in the order xgettext, msginit and msgmerge write them; others follow in their own order.
HEADER_ORDER = (
    "Project-Id-Version",
    "Report-Msgid-Bugs-To",
    "POT-Creation-Date",
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
    "Language",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Plural-Forms",
)
#: Fields polypress writes itself; a file's own value for any other field is kept.
OWNED_FIELDS = ("POT-Creation-Date", "Content-Type", "Content-Transfer-Encoding", "MIME-Version")
#: Written by the Babel-based writer of earlier versions: it named a tool that no longer writes the file.
DROPPED_FIELDS = ("Generated-By",)

#: Flags GNU gettext knows, in the order it writes them (format flags after fuzzy, then wrap).
_FORMATS = (
    "c objc python python-brace java java-printf csharp javascript scheme lisp elisp librep ruby sh awk lua "
    "object-pascal smalltalk qt qt-plural kde kde-kuit boost tcl perl perl-brace php gcc-internal gfc-internal ycp"
).split()
_FLAG_RANK = {"fuzzy": 0}
for _rank, _name in enumerate(_FORMATS, start=1):
    _FLAG_RANK[f"{_name}-format"] = _rank
    _FLAG_RANK[f"no-{_name}-format"] = _rank
_FLAG_RANK.update({"wrap": 1000, "no-wrap": 1000})

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_ESCAPES["\v"] = "\\v"


@dataclass
class Header:
    """The header entry as a file had it: comment lines, fuzzy mark, fields in order."""

    comments: list[str] = field(default_factory=list)
    fuzzy: bool = False
    fields: list[tuple[str, str]] = field(default_factory=list)

    def get(self, name: str) -> str | None:
        return next((v for k, v in self.fields if k.lower() == name.lower()), None)


def parse_header(text: str) -> Header:
    """The header entry of PO *text* (already syntax-checked): comments, fuzzy mark and fields."""
    from babel.messages.pofile import unescape

    header = Header()
    lines = iter(text.splitlines())
    for line in lines:
        if line.startswith("#,"):
            header.fuzzy = "fuzzy" in [f.strip() for f in line[2:].split(",")]
        elif line.startswith("#") and not line.startswith(("#.", "#:", "#|", "#~")):
            header.comments.append(line)
        elif line.startswith("msgid"):
            break
        elif line.strip():
            header.comments = []
    strings: list[str] = []
    for line in lines:
        line = line.strip()
        if line.startswith("msgstr"):
            line = line[len("msgstr") :].strip()
        if not line.startswith('"'):
            break
        strings.append(unescape(line))
    for line in "".join(strings).split("\n"):
        name, colon, value = line.partition(":")
        if colon and name.strip():
            header.fields.append((name.strip(), value.strip()))
    return header


def header_fields(catalog: Catalog) -> list[tuple[str, str]]:
    """The header's fields: the file's own (when read from one) with polypress's owned fields updated."""
    babel = [(name, value.rstrip("\n")) for name, value in catalog.mime_headers]
    header: Header | None = getattr(catalog, "po_header", None)
    current = {name: value for name, value in babel}
    current["Content-Type"] = "text/plain; charset=UTF-8"
    if header is None:
        fields = [(n, v) for n, v in babel if n not in DROPPED_FIELDS]
    else:
        fields = [(n, v) for n, v in header.fields if n not in DROPPED_FIELDS]
        present = {n for n, _ in fields}
        fields += [(n, v) for n, v in babel if n not in present and n in ("Plural-Forms", "Language")]
    fields = [(n, current[n] if n in OWNED_FIELDS and n in current else v) for n, v in fields]
    known = {name: index for index, name in enumerate(HEADER_ORDER)}
    ordered = sorted((f for f in fields if f[0] in known), key=lambda f: known[f[0]])
    return ordered + [f for f in fields if f[0] not in known]


def render_po(catalog: Catalog, width: int = PO_WIDTH) -> bytes:
    """The bytes GNU msgcat would write for *catalog*."""
    return "".join(generate_po(catalog, width)).encode("utf-8")


def generate_po(catalog: Catalog, width: int = PO_WIDTH) -> Iterator[str]:
    header: Header | None = getattr(catalog, "po_header", None)
    entries: list[str] = []
    if header is not None:
        comments = header.comments
        fuzzy = header.fuzzy
    else:
        comments = catalog.header_comment.splitlines()
        fuzzy = catalog.fuzzy
    text = "".join(f"{name}: {value}\n" for name, value in header_fields(catalog))
    head = [_comment_line(c) for c in comments]
    if fuzzy:
        head.append("#, fuzzy\n")
    head += _wrap("", "msgid", "", width) + _wrap("", "msgstr", text, width)
    entries.append("".join(head))
    for message in catalog:
        if message.id:
            entries.append("".join(_entry(message, catalog.num_plurals, width)))
    for message in catalog.obsolete.values():
        if not _translated(message):
            continue  # as msgcat and msgmerge: an obsolete unit with no translation keeps nothing
        entries.append("".join(_entry(message, catalog.num_plurals, width, obsolete=True)))
    yield "\n".join(entries)


def _translated(message: Message) -> bool:
    string = message.string
    return any(string) if isinstance(string, (list, tuple)) else bool(string)


def _comment_line(line: str) -> str:
    line = line.rstrip("\n")
    if not line.startswith("#"):
        line = "# " + line if line else "#"
    return line + "\n"


def _entry(message: Message, plurals: int, width: int, obsolete: bool = False) -> Iterator[str]:
    for text in message.user_comments:
        for line in text.split("\n"):
            yield "#" + (" " + line if line else "") + "\n"
    for text in message.auto_comments:
        for line in text.split("\n"):
            yield "#." + (" " + line if line else "") + "\n"
    if not obsolete:
        yield from _references(message, width)
    flags = sorted(message.flags, key=lambda f: (_FLAG_RANK.get(f, 500), f))
    if obsolete:
        flags = [f for f in flags if f == "fuzzy"]
    if flags:
        yield "#, " + ", ".join(flags) + "\n"
    fmt = "python-format" in message.flags and not obsolete  # GNU keeps no format flag on obsolete units
    previous_prefix = "#~| " if obsolete else "#| "
    previous_context = getattr(message, "previous_context", None)
    if previous_context is not None and message.previous_id:
        yield from _wrap(previous_prefix, "msgctxt", previous_context, width, fmt)
    if message.previous_id:
        yield from _wrap(previous_prefix, "msgid", message.previous_id[0], width, fmt)
        if len(message.previous_id) > 1:
            yield from _wrap(previous_prefix, "msgid_plural", message.previous_id[1], width, fmt)
    prefix = "#~ " if obsolete else ""
    if message.context is not None:
        yield from _wrap(prefix, "msgctxt", message.context, width, fmt)
    if isinstance(message.id, (list, tuple)):
        yield from _wrap(prefix, "msgid", message.id[0], width, fmt)
        yield from _wrap(prefix, "msgid_plural", message.id[1], width, fmt)
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string or "",)
        for index in range(max(plurals, len(strings))):
            string = strings[index] if index < len(strings) else ""
            yield from _wrap(prefix, f"msgstr[{index}]", string or "", width, fmt)
    else:
        yield from _wrap(prefix, "msgid", message.id, width, fmt)
        yield from _wrap(prefix, "msgstr", message.string or "", width, fmt)


def _references(message: Message, width: int) -> Iterator[str]:
    """``#:`` lines, filled to the page width as GNU does (a reference is never split)."""
    seen: list[str] = []
    for filename, lineno in message.locations:
        location = filename.replace(os.sep, "/")
        if " " in location or "\t" in location:
            location = "\u2068" + location.strip("\u2068\u2069") + "\u2069"
        if lineno:
            location = f"{location}:{lineno:d}"
        if location not in seen:
            seen.append(location)
    if not seen:
        return
    line, column = "#:", 2
    for location in seen:
        size = len(location) + 1
        if column > 2 and column + size > width:
            yield line + "\n"
            line, column = "#:", 2
        line += " " + location
        column += size
    yield line + "\n"


def _python_directives(text: str) -> list[bool]:
    """For each character, whether it continues a Python %-directive (gettext's format-python.c)."""
    inside = [False] * len(text)
    position = 0
    kinds: set[bool] = set()  # named, unnamed: mixing them makes the string invalid from there
    while (position := text.find("%", position)) != -1:
        start, position = position, position + 1
        named = text.startswith("(", position)
        if named:
            depth = 0
            while position < len(text):
                depth += {"(": 1, ")": -1}.get(text[position], 0)
                position += 1
                if depth == 0:
                    break
        while position < len(text) and text[position] in " #+-0":
            position += 1
        if text.startswith("*", position):
            position += 1
        while position < len(text) and text[position].isdigit():
            position += 1
        if text.startswith(".", position):
            position += 1
            if text.startswith("*", position):
                position += 1
            while position < len(text) and text[position].isdigit():
                position += 1
        while position < len(text) and text[position] in "hlL":
            position += 1
        if position >= len(text) or text[position] not in "diouxXeEfFgGcrsa%":
            break  # an invalid directive ends the parse, as in gettext
        if text[position] != "%":
            kinds.add(named)
            if len(kinds) > 1:
                break
        position += 1
        for index in range(start + 1, position):
            inside[index] = True
    return inside


def _wrap(prefix: str, keyword: str, value: str, width: int, python_format: bool = False) -> list[str]:
    """One keyword and its string as GNU's write-po.c ``wrap`` lays it out."""
    out: list[str] = []
    after_break = len(prefix) + 1
    line_width = width - 1 - after_break
    first = True
    directive = _python_directives(value) if python_format else [False] * len(value)
    portions = [p for p in value.split("\n")]
    portions = [p + "\n" for p in portions[:-1]] + ([portions[-1]] if portions[-1] or len(portions) == 1 else [])
    offset = 0
    for number, portion in enumerate(portions):
        text = portion
        forbidden: set[int] = set()  # positions in the escaped text before which no line may break
        if _NEEDS_ESCAPE.search(portion) or any(directive[offset : offset + len(portion)]):
            pieces: list[str] = []
            length = 0
            for index, char in enumerate(portion):
                if directive[offset + index]:
                    forbidden.add(length)  # never inside a format directive
                replacement = _ESCAPES.get(char)
                if replacement:
                    forbidden.add(length + 1)  # a line may end before the backslash, never after it
                    pieces.append(replacement)
                    length += 2
                else:
                    pieces.append(char)
                    length += 1
            text = "".join(pieces)
        offset += len(portion)
        if portion.endswith("\n"):
            forbidden.add(len(text) - 2)  # never just before the final "\n"
        more = number < len(portions) - 1
        start = len(keyword) + 1 if first else 0  # the keyword, a space and the opening quote
        if first and not more and start + len(text) <= line_width and text.isascii():
            out.append(f'{prefix}{keyword} "{text}"\n')  # fits on the line: nothing to break
            return out
        breaks = break_opportunities(text)
        if forbidden:
            breaks = [b for b in breaks if b not in forbidden]
        columns = None if text.isascii() else list(accumulate(map(char_width, text), initial=0))
        if first and text and (more or (breaks and start + (columns[-1] if columns else len(text)) > line_width)):
            out.append(f'{prefix}{keyword} ""\n')  # a string of several lines starts on the next one
            first = False
        lines = _fill(text, breaks, line_width, start if first else 0, columns)
        for piece in lines:
            if first:
                out.append(f'{prefix}{keyword} "{piece}"\n')
                first = False
            else:
                out.append(f'{prefix}"{piece}"\n')
    return out


_NEEDS_ESCAPE = re.compile('[\\\\"\a\b\f\n\r\t\v]')


def _fill(text: str, breaks: list[int], width: int, start: int, columns: list[int] | None) -> list[str]:
    """Greedy fill of gnulib's u8_width_linebreaks: break at the last opportunity that fits."""
    if not text:
        return [""]
    chosen: list[int] = []
    last_break: int | None = None
    column = start
    previous = 0
    for index in breaks:
        piece = index - previous if columns is None else columns[index] - columns[previous]
        if last_break is not None and column + piece > width:
            chosen.append(last_break)
            column = 0
        last_break = index
        column += piece
        previous = index
    piece = len(text) - previous if columns is None else columns[len(text)] - columns[previous]
    if last_break is not None and column + piece > width:
        chosen.append(last_break)
    pieces, begin = [], 0
    for cut in chosen:
        pieces.append(text[begin:cut])
        begin = cut
    pieces.append(text[begin:])
    return pieces
