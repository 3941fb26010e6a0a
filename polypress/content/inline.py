"""Inline markup inside a unit, as plain data: what markdown-it-py parses out of a msgid or a msgstr.

A unit's text is Markdown, as the author wrote it and the translator sees it
(``See [chapter II](#background) and the *Declaration*[^1].``). The markup a
translation must keep is counted by ``markup_signature``: link targets,
images, footnote references, code spans, emphasis, strong and line breaks.
Raw HTML is refused in the source (the reader says where) and printed as text
when a translation carries it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from polypress.content.markdown import parse_inline_tokens


@dataclass(frozen=True)
class Text:
    value: str


@dataclass(frozen=True)
class Emphasis:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    #: The URL as written: "#background", "a-res-68-4.md#para-10", "https://…".
    target: str
    #: Empty for a cross-reference whose words the build writes ("chapter II").
    children: tuple[Inline, ...]
    title: str = ""


@dataclass(frozen=True)
class Code:
    value: str


@dataclass(frozen=True)
class Image:
    src: str
    alt: str
    title: str = ""


@dataclass(frozen=True)
class FootnoteRef:
    label: str


@dataclass(frozen=True)
class LineBreak:
    pass


@dataclass(frozen=True)
class RawHtml:
    """HTML written in the text: an error in the source, plain text in a translation."""

    value: str


Inline = Text | Emphasis | Strong | Link | Code | Image | FootnoteRef | LineBreak | RawHtml

_CONTAINERS = {"em_open": Emphasis, "strong_open": Strong}


def parse_inline(source: str) -> list[Inline]:
    """The inline nodes of one unit's Markdown."""
    return list(parsed_inline(source))


@lru_cache(maxsize=8192)
def parsed_inline(source: str) -> tuple[Inline, ...]:
    """A unit's nodes, parsed once per process for every stage that reads it in turn (the translator's markup
    check, footnote numbering, figures, the status page; a worker's PDF, e-book and web page; the same template
    strings in every edition). Keyed on the text itself, so a changed unit is parsed again; the nodes are frozen
    and the tuple cannot be changed by a caller; a few thousand units are kept, not an archive's."""
    if not source:
        return ()
    nodes, _ = _nodes(parse_inline_tokens(source), 0, "")
    return tuple(nodes)


def _nodes(tokens: list, start: int, closing: str) -> tuple[list[Inline], int]:
    """Nodes from tokens[start:] up to the token of type *closing*; returns them and the index after it."""
    nodes: list[Inline] = []
    i = start
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == closing:
            return nodes, i + 1
        if kind in _CONTAINERS:
            children, i = _nodes(tokens, i + 1, kind.replace("_open", "_close"))
            nodes.append(_CONTAINERS[kind](tuple(children)))
            continue
        if kind == "link_open":
            children, i = _nodes(tokens, i + 1, "link_close")
            nodes.append(Link(str(token.attrs.get("href", "")), tuple(children), str(token.attrs.get("title", ""))))
            continue
        if kind == "text":
            _add_text(nodes, token.content)
        elif kind == "softbreak":
            _add_text(nodes, " ")
        elif kind == "hardbreak":
            nodes.append(LineBreak())
        elif kind == "code_inline":
            nodes.append(Code(token.content))
        elif kind == "image":
            nodes.append(Image(str(token.attrs.get("src", "")), token.content, str(token.attrs.get("title", "") or "")))
        elif kind == "footnote_ref":
            nodes.append(FootnoteRef(token.meta["label"]))
        elif kind == "html_inline":
            nodes.append(RawHtml(token.content))
        else:  # a construct without its own node (a plugin's): its text
            _add_text(nodes, token.content)
        i += 1
    return nodes, i


def _add_text(nodes: list[Inline], value: str) -> None:
    if not value:
        return
    if nodes and isinstance(nodes[-1], Text):
        nodes[-1] = Text(nodes[-1].value + value)
    else:
        nodes.append(Text(value))


def walk(nodes: list[Inline] | tuple[Inline, ...]):
    """Every node, depth first."""
    for node in nodes:
        yield node
        if isinstance(node, (Emphasis, Strong, Link)):
            yield from walk(node.children)


def markup_signature(nodes: list[Inline]) -> Counter:
    """What markup a unit carries, to compare a translation with its source.

    Link targets and image files count by value (a translation may not point
    elsewhere or add a picture); emphasis and strong by number, since a
    language may need them on other words.
    """
    signature: Counter = Counter()
    for node in walk(nodes):
        if isinstance(node, Emphasis):
            signature["*emphasis*"] += 1
        elif isinstance(node, Strong):
            signature["**strong**"] += 1
        elif isinstance(node, FootnoteRef):
            signature[f"[^{node.label}]"] += 1
        elif isinstance(node, Link):
            signature[f"link ({node.target})"] += 1
        elif isinstance(node, Image):
            signature[f"image ({node.src})"] += 1
        elif isinstance(node, Code):
            signature[f"`{node.value}`"] += 1
        elif isinstance(node, LineBreak):
            signature["line break"] += 1
        elif isinstance(node, RawHtml):
            signature[f"HTML {node.value[:30]}"] += 1
    return signature


def markup_difference(source: str, translation: str) -> str:
    """Describe how a translation's markup differs from its source; '' if it keeps it."""
    wanted = markup_signature(parse_inline(source))
    got = markup_signature(parse_inline(translation))
    missing = wanted - got
    extra = got - wanted
    parts = []
    if missing:
        parts.append("missing " + ", ".join(f"{k} ×{n}" for k, n in sorted(missing.items())))
    if extra:
        parts.append("not in the source " + ", ".join(f"{k} ×{n}" for k, n in sorted(extra.items())))
    return "; ".join(parts)


def plain_text(source: str) -> str:
    """The words of a unit without markup (for word counts and checks); images count by their alt text."""
    return _plain(parse_inline(source))


def _plain(nodes: list[Inline] | tuple[Inline, ...]) -> str:
    parts = []
    for node in nodes:
        if isinstance(node, (Text, Code, RawHtml)):
            parts.append(node.value)
        elif isinstance(node, Link) and not node.children:
            # A cross-reference whose words the build writes: the target stands in for them.
            parts.append(node.target)
        elif isinstance(node, (Emphasis, Strong, Link)):
            parts.append(_plain(node.children))
        elif isinstance(node, Image):
            parts.append(node.alt)
        elif isinstance(node, LineBreak):
            parts.append(" ")
    return "".join(parts)
