"""The Markdown parser: markdown-it-py (CommonMark) with GFM tables and mdit-py-plugins.

One configuration serves the whole pipeline: the reader parses sources with it,
and translations are parsed with the same inline rules, so a msgstr means what
its msgid means. Plugins: footnotes (``[^1]`` and ``[^1]: …``), containers
(``::: role``), definition lists and block attributes (``{#id}`` on the line
before a heading, table or figure: an id of the author's choosing).
"""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from mdit_py_plugins.attrs import attrs_block_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

#: A section's role: ``::: annex``, ``::: chapeau``.
ROLE = re.compile(r"[a-z][a-z0-9-]*")
#: The token type of a ``::: role`` section.
SECTION = "container_section"


def _is_section(params: str, *args: object) -> bool:
    words = params.split()
    return bool(words) and ROLE.fullmatch(words[0]) is not None


@cache
def parser() -> MarkdownIt:
    """The configured parser (built once per process; parsing is re-entrant)."""
    md = MarkdownIt("commonmark", {"typographer": False}).enable("table")
    # Footnote references match whatever their label: the reader checks them against the
    # definitions and says where one is missing, and a translation parses on its own.
    footnote_plugin(md, inline=False, move_to_end=False, always_match_refs=True)
    container_plugin(md, "section", validate=_is_section)
    deflist_plugin(md)
    attrs_block_plugin(md, allowed=("id",))
    return md


def parse_blocks(text: str) -> tuple[list, dict]:
    """Block tokens of a source (front matter blanked out so lines keep their numbers), and its link
    reference definitions (``[ref]: url "title"``) by normalized label: ``{"REF": {"href", "title", "map"}}``."""
    env: dict = {}
    tokens = parser().parse(text, env)
    return tokens, env.get("references", {})


def parse_inline_tokens(text: str) -> list:
    """The inline tokens of one unit."""
    tokens = parser().parseInline(text, {})
    return tokens[0].children or [] if tokens else []


def resolve_references(text: str, references: dict) -> tuple[str, list[str]]:
    """A unit's Markdown with its reference links (``[words][ref]``, ``[ref][]``, ``[ref]``) written as the
    inline links they stand for (``[words](url "title")``), and the labels of full or collapsed references
    that no definition matches.

    A unit is translated and parsed on its own, away from the definitions at the foot of the source: written
    inline, a reference link is one more link, which the link policy checks and the translator keeps.
    """
    if "[" not in text:
        return text, []
    out: list[str] = []
    undefined: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            out.append(text[i : i + 2])
            i += 2
            continue
        if char == "`":
            ticks = re.match(r"`+", text[i:]).group(0)  # type: ignore[union-attr]
            end = text.find(ticks, i + len(ticks))
            stop = end + len(ticks) if end >= 0 else i + len(ticks)
            out.append(text[i:stop])
            i = stop
            continue
        close = _closing_bracket(text, i) if char == "[" and not text.startswith("[^", i) else -1
        if close < 0 or text.startswith("(", close + 1) or text.startswith(":", close + 1):
            out.append(char)
            i += 1
            continue
        words = text[i + 1 : close]
        label, end = words, close + 1
        explicit = text.startswith("[", close + 1) and not text.startswith("[^", close + 1)
        if explicit:
            label_end = _closing_bracket(text, close + 1)
            if label_end < 0:
                out.append(char)
                i += 1
                continue
            label, end = text[close + 2 : label_end] or words, label_end + 1
        found = references.get(normalizeReference(label)) if label.strip() else None
        if found is None:
            if explicit:
                undefined.append(label)
            out.append(char)
            i += 1
            continue
        title = found.get("title") or ""
        quoted = ' "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"' if title else ""
        out.append(f"[{words}](<{found['href']}>{quoted})")
        i = end
    return "".join(out), undefined


def _closing_bracket(text: str, start: int) -> int:
    """The index of the ``]`` closing the ``[`` at *start* (nested brackets balanced, escapes skipped); -1."""
    depth = 0
    i = start
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1
