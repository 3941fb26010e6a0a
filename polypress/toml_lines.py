"""Where each key of a TOML file is: tomllib gives values, errors about them need lines."""

from __future__ import annotations

import datetime
import re
from typing import Any

_TABLE = re.compile(r"^\s*\[\[?\s*(.+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'))*)\s*="""
)
_PART = re.compile(r"""[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'""")


def _parts(dotted: str) -> tuple[str, ...]:
    parts = []
    for part in _PART.findall(dotted):
        if part[0] == '"':
            part = part[1:-1].encode("utf-8").decode("unicode_escape", "replace") if "\\" in part else part[1:-1]
        elif part[0] == "'":
            part = part[1:-1]
        parts.append(part)
    return tuple(parts)


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The 1-based line of every table header and key, by its path: ("languages", "fr", "threshold") -> 52.

    A line scan, not a parser: it runs on text tomllib accepted, skips multi-line strings, and a key
    it cannot place falls back to its table's line, which is still the right place to look.
    """
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    in_string = ""
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string:
            if line.count(in_string) % 2 == 1:
                in_string = ""
            continue
        if depth == 0:
            if match := _TABLE.match(line):
                table = _parts(match.group(1))
                lines.setdefault(table, number)
                continue
            if match := _KEY.match(line):
                lines.setdefault((*table, *_parts(match.group(1))), number)
                rest = line[match.end() :]
                for quote in ('"""', "'''"):
                    if rest.count(quote) % 2 == 1:
                        in_string = quote
                depth = max(_brackets(rest), 0)
                continue
        else:
            depth = max(depth + _brackets(line), 0)
    return lines


def _brackets(text: str) -> int:
    """Open minus closed brackets outside strings and comments: a multi-line array goes on while positive."""
    text = re.sub(r""""(?:[^"\\]|\\.)*"|'[^']*'""", "", text).split("#", 1)[0]
    return text.count("[") - text.count("]")


def line_of(lines: dict[tuple[str, ...], int], *path: str) -> int | None:
    """The line of *path*, or of the nearest table that holds it."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return None


def toml_string(value: str) -> str:
    """*value* as a TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    """A value as TOML writes it, so an error shows what the user typed (true, not True), kept short."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = toml_string(value)
    elif isinstance(value, datetime.date | datetime.time):
        text = value.isoformat()
    elif isinstance(value, list):
        text = "[" + ", ".join(toml_value(item) for item in value[:5]) + (", …" if len(value) > 5 else "") + "]"
    elif isinstance(value, dict):
        text = "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in list(value.items())[:5]) + " }"
    else:
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "…"
