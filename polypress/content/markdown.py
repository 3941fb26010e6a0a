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


def parse_blocks(text: str) -> list:
    """Block tokens of a source (front matter blanked out so lines keep their numbers)."""
    return parser().parse(text, {})


def parse_inline_tokens(text: str) -> list:
    """The inline tokens of one unit."""
    tokens = parser().parseInline(text, {})
    return tokens[0].children or [] if tokens else []
