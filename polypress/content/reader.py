"""Read canonical sources: TOML front matter between +++ lines, then Markdown blocks.

The body format is a small, documented subset of Markdown (see README):
paragraphs, ``#`` headings, ``1.`` numbered paragraphs, ``-`` list items,
``[^1]:`` footnotes and ``::: role`` sections. Lines of one block are joined
with single spaces, so a unit's msgid does not depend on how the source wraps.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path

from polypress.content.inline import FootnoteRef, InlineSyntaxError, parse_inline, plain_text
from polypress.document import Block, Document
from polypress.errors import ContentError, toml_error_location
from polypress.files import read_text
from polypress.kinds import DEFAULT_KIND, KINDS
from polypress.kinds.base import Kind

FENCE = "+++"

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_NUMBERED = re.compile(r"^(\d+)\.\s+(.*)$")
_ITEM = re.compile(r"^[-*]\s+(.*)$")
_FOOTNOTE = re.compile(r"^\[\^([A-Za-z0-9_-]+)\]:\s+(.*)$")
_SECTION_OPEN = re.compile(r"^:::\s*([a-z][a-z0-9-]*)\s*$")
_SECTION_CLOSE = ":::"


def read_document(path: Path, root: Path) -> Document:
    """Read ``content/<slug>.md``; errors name the file and line."""
    display = _display_path(path, root)
    text = read_text(path, root, ContentError, display=display)  # a regular file in the project, any line ending
    return parse_document(text, display, path.stem)


def parse_document(text: str, path: str, slug: str) -> Document:
    """Parse source *text*; *path* is only used in messages and locations."""
    lines = text.splitlines()
    kind, meta, meta_lines, body_start = _front_matter(lines, path)
    blocks = _with_anchors(_Parser(lines, body_start, path).parse())
    document = Document(slug=slug, path=path, kind=kind, meta=meta, meta_lines=meta_lines, blocks=tuple(blocks))
    _check_inline(document)
    return document


def _front_matter(lines: list[str], path: str) -> tuple[Kind, dict, dict[str, int], int]:
    """The kind, its validated fields, the line of each key, and where the body starts."""
    if not lines or lines[0].strip() != FENCE:
        raise ContentError("no metadata header", path, 1, hint=f"start the file with a {FENCE} line, TOML, {FENCE}")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        raise ContentError("metadata header is not closed", path, 1, hint=f"end it with a {FENCE} line") from None
    header = "\n".join(lines[1:end])
    try:
        raw = tomllib.loads(header)
    except tomllib.TOMLDecodeError as exc:
        reason, line = toml_error_location(exc, end - 1)
        raise ContentError(f"metadata header is not valid TOML: {reason}", path, 1 + line) from None
    meta_lines = {}
    for number, line in enumerate(lines[1:end], start=2):
        key = line.split("=", 1)[0].strip()
        if "=" in line and key in raw and key not in meta_lines:
            meta_lines[key] = number
    name = raw.get("kind", DEFAULT_KIND)
    kind = KINDS.get(name) if isinstance(name, str) else None
    if kind is None:
        raise ContentError(
            f"unknown kind {name!r}", path, meta_lines.get("kind", 2), hint=f"use one of {', '.join(KINDS)}"
        )
    return kind, kind.validate(raw, meta_lines, path), meta_lines, end + 1


class _Parser:
    """Turn body lines into blocks; one instance per file."""

    def __init__(self, lines: list[str], start: int, path: str) -> None:
        self.lines = lines
        self.start = start
        self.path = path

    def parse(self) -> list[Block]:
        stack: list[tuple[str, int, list[Block]]] = [("", 0, [])]
        pending: list[str] = []
        pending_line = 0

        def flush() -> None:
            nonlocal pending
            if pending:
                stack[-1][2].append(self._block(pending, pending_line))
                pending = []

        for index in range(self.start, len(self.lines)):
            raw = self.lines[index]
            number = index + 1
            stripped = raw.strip()
            if not stripped:
                flush()
                continue
            if stripped == _SECTION_CLOSE:
                flush()
                if len(stack) == 1:
                    raise ContentError("':::' closes no section", self.path, number)
                role, line, children = stack.pop()
                stack[-1][2].append(Block("section", line, role=role, children=tuple(_group_items(children))))
                continue
            opened = _SECTION_OPEN.match(stripped)
            if opened:
                flush()
                stack.append((opened.group(1), number, []))
                continue
            starts_block = bool(_ITEM.match(stripped) or _NUMBERED.match(stripped) or _FOOTNOTE.match(stripped))
            if pending and (starts_block or _HEADING.match(stripped)):
                flush()
            if not pending:
                pending_line = number
            pending.append(stripped)
            if _HEADING.match(stripped):
                flush()
        flush()
        if len(stack) > 1:
            raise ContentError(
                f"section '::: {stack[-1][0]}' is not closed", self.path, stack[-1][1], hint="add a ':::' line"
            )
        return _group_items(stack[0][2])

    def _block(self, lines: list[str], line: int) -> Block:
        first = lines[0]
        rest = lines[1:]
        if match := _HEADING.match(first):
            return Block("heading", line, text=match.group(2).strip(), level=len(match.group(1)))
        if match := _NUMBERED.match(first):
            return Block("numbered", line, text=_join([match.group(2), *rest]), number=match.group(1))
        if match := _ITEM.match(first):
            return Block("item", line, text=_join([match.group(1), *rest]))
        if match := _FOOTNOTE.match(first):
            return Block("footnote", line, text=_join([match.group(2), *rest]), number=match.group(1))
        return Block("paragraph", line, text=_join(lines))


def _join(lines: list[str]) -> str:
    return " ".join(part.strip() for part in lines if part.strip())


def _group_items(blocks: list[Block]) -> list[Block]:
    """Gather consecutive list items into one ``list`` block."""
    grouped: list[Block] = []
    for block in blocks:
        if block.kind == "item" and grouped and grouped[-1].kind == "list":
            last = grouped[-1]
            grouped[-1] = Block("list", last.line, children=(*last.children, block))
        elif block.kind == "item":
            grouped.append(Block("list", block.line, children=(block,)))
        else:
            grouped.append(block)
    return grouped


def _with_anchors(blocks: list[Block]) -> list[Block]:
    """Give every heading an id from its source text, unique in the document ("background", "background-2")."""
    taken: set[str] = set()

    def visit(block: Block) -> Block:
        children = tuple(visit(child) for child in block.children)
        if block.kind != "heading":
            return replace(block, children=children) if children else block
        base = re.sub(r"[\W_]+", "-", plain_text(block.text).casefold()).strip("-")
        # An XML id starts with a letter: the e-book is XML and its navigation links these ids.
        base = base if base[:1].isalpha() else f"section-{base}".rstrip("-")
        anchor, number = base, 1
        while anchor in taken:
            number += 1
            anchor = f"{base}-{number}"
        taken.add(anchor)
        return replace(block, anchor=anchor, children=children)

    return [visit(block) for block in blocks]


def _check_inline(document: Document) -> None:
    """Every unit parses, and footnote references and definitions match."""
    defined = document.footnotes
    referenced: set[str] = set()
    for block in document.walk():
        if not block.text:
            continue
        try:
            nodes = parse_inline(block.text)
        except InlineSyntaxError as exc:
            raise ContentError(exc.message, document.path, block.line, exc.hint) from None
        for node in nodes:
            if isinstance(node, FootnoteRef):
                if node.label not in defined:
                    raise ContentError(
                        f"footnote [^{node.label}] is referenced but not defined",
                        document.path,
                        block.line,
                        hint=f"add a '[^{node.label}]: text' block",
                    )
                referenced.add(node.label)
    for label, block in defined.items():
        if label not in referenced:
            raise ContentError(f"footnote [^{label}] is defined but never referenced", document.path, block.line)


def _display_path(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def discover_documents(content_dir: Path, root: Path) -> list[Document]:
    """Read every ``*.md`` under *content_dir*, sorted by slug."""
    return [read_document(path, root) for path in sorted(content_dir.glob("*.md"))]
