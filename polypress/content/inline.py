"""Inline markup inside a unit: *emphasis* and [^label] footnote references.

This is the only markup a translation may carry; everything else is text and
is escaped on output, so a translation cannot inject tags, styles or URLs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from polypress.errors import PolypressError


@dataclass(frozen=True)
class Text:
    value: str


@dataclass(frozen=True)
class Emphasis:
    value: str


@dataclass(frozen=True)
class FootnoteRef:
    label: str


Inline = Text | Emphasis | FootnoteRef

_FOOTNOTE_REF = re.compile(r"\[\^([A-Za-z0-9_-]+)\]")
_ESCAPABLE = "\\*["


class InlineSyntaxError(PolypressError):
    """Inline markup that does not parse (an unclosed ``*``)."""


def parse_inline(source: str) -> list[Inline]:
    """Split *source* into text, emphasis and footnote references."""
    if not any(mark in source for mark in _ESCAPABLE):
        # Most units carry no markup: skip the character loop (a third of the build's own time).
        return [Text(source)] if source else []
    nodes: list[Inline] = []
    text: list[str] = []
    emphasis: list[str] | None = None
    opened_at = 0
    i = 0
    while i < len(source):
        char = source[i]
        if char == "\\" and i + 1 < len(source) and source[i + 1] in _ESCAPABLE:
            (emphasis if emphasis is not None else text).append(source[i + 1])
            i += 2
            continue
        if char == "*":
            if emphasis is None:
                _flush(nodes, text)
                emphasis, opened_at = [], i
            else:
                if emphasis:
                    nodes.append(Emphasis("".join(emphasis)))
                emphasis = None
            i += 1
            continue
        match = _FOOTNOTE_REF.match(source, i) if char == "[" else None
        if match:
            if emphasis is not None:
                raise InlineSyntaxError(f"footnote reference [^{match.group(1)}] inside *emphasis*")
            _flush(nodes, text)
            nodes.append(FootnoteRef(match.group(1)))
            i = match.end()
            continue
        (emphasis if emphasis is not None else text).append(char)
        i += 1
    if emphasis is not None:
        raise InlineSyntaxError(
            f"unclosed '*' at column {opened_at + 1}", hint="close the emphasis or write \\* for a literal asterisk"
        )
    _flush(nodes, text)
    return nodes


def _flush(nodes: list[Inline], text: list[str]) -> None:
    if text:
        nodes.append(Text("".join(text)))
        text.clear()


def markup_signature(nodes: list[Inline]) -> Counter:
    """What markup a unit carries, to compare a translation with its source."""
    signature: Counter = Counter()
    for node in nodes:
        if isinstance(node, Emphasis):
            signature["*emphasis*"] += 1
        elif isinstance(node, FootnoteRef):
            signature[f"[^{node.label}]"] += 1
    return signature


def markup_difference(source: str, translation: str) -> str:
    """Describe how a translation's markup differs from its source; '' if it keeps it."""
    try:
        wanted = markup_signature(parse_inline(source))
        got = markup_signature(parse_inline(translation))
    except InlineSyntaxError as exc:
        return exc.message
    missing = wanted - got
    extra = got - wanted
    parts = []
    if missing:
        parts.append("missing " + ", ".join(f"{k} ×{n}" for k, n in sorted(missing.items())))
    if extra:
        parts.append("not in the source " + ", ".join(f"{k} ×{n}" for k, n in sorted(extra.items())))
    return "; ".join(parts)


def plain_text(source: str) -> str:
    """The words of a unit without markup (for word counts and checks)."""
    try:
        nodes = parse_inline(source)
    except InlineSyntaxError:
        return source
    return "".join(n.value for n in nodes if not isinstance(n, FootnoteRef))
