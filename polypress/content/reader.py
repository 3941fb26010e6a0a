"""Read canonical sources: TOML front matter between +++ lines, then a CommonMark body.

The body is parsed by markdown-it-py (``content/markdown.py``) with GFM tables,
footnotes, ``::: role`` sections, definition lists and ``{#id}`` block
attributes; ``content/blocks.py`` turns its tokens into the document model.
What the parser accepts but a publication cannot carry (raw HTML, a heading
that skips a level, a footnote or a cross-reference with no target) is an
error with the file and line.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

from polypress.content.blocks import BlockBuilder
from polypress.content.inline import FootnoteRef, Image, Link, RawHtml, parse_inline, plain_text, walk
from polypress.content.markdown import parse_blocks, resolve_references
from polypress.content.numbering import number_blocks
from polypress.content.parsed import keep_parsed, read_parsed
from polypress.document import Block, Document
from polypress.errors import ContentError, toml_error_location
from polypress.files import read_text
from polypress.kinds import DEFAULT_KIND, KINDS
from polypress.kinds.base import Kind

FENCE = "+++"


def read_document(path: Path, root: Path) -> Document:
    """Read ``content/<slug>.md``; errors name the file and line."""
    display = _display_path(path, root)
    text = read_text(path, root, ContentError, display=display)  # a regular file in the project, any line ending
    document = parse_document(text, display, path.stem)
    _check_images(document, path.parent, root / "templates" / "figures")
    return document


def parse_document(text: str, path: str, slug: str) -> Document:
    """Parse source *text*; *path* is only used in messages and locations."""
    lines = text.splitlines()
    kind, meta, meta_lines, body_start = _front_matter(lines, path)
    document = Document(slug=slug, path=path, kind=kind, meta=meta, meta_lines=meta_lines, blocks=())
    parsed = read_parsed(text)  # the same text passed every check below in an earlier build
    if parsed is not None:
        return replace(document, blocks=parsed)
    # The front matter's lines are blanked, not cut: token lines are the file's lines.
    body = "\n" * body_start + "\n".join(lines[body_start:]) + "\n"
    tokens, references = parse_blocks(body)
    blocks = _with_inline_links(BlockBuilder(tokens, path, lines).build(), references, path)
    _check_headings(blocks, path)
    _check_sections(blocks, path)
    document = replace(document, blocks=tuple(number_blocks(_with_anchors(blocks), kind)))
    _check_inline(document)
    keep_parsed(text, document.blocks)
    return document


def _with_inline_links(blocks: list[Block], references: dict, path: str) -> list[Block]:
    """Every unit's reference links (``[words][ref]`` with ``[ref]: url`` below) written inline, so the
    units carry their links as inline links do: one link policy, one markup check; an undefined
    ``[words][ref]`` is an error at its line rather than brackets printed as text."""

    def visit(block: Block) -> Block:
        if block.text and block.kind != "code":
            text, undefined = resolve_references(block.text, references)
            if undefined:
                label = undefined[0]
                raise ContentError(
                    f"link reference [{label}] is not defined",
                    path,
                    block.line,
                    hint=f"define it on a line of its own, '[{label}]: https://…' (a web or mail address, a #id or "
                    "another document's .md), or write the link inline: [words](url)",
                )
            block = replace(block, text=text)
        if block.children:
            block = replace(block, children=tuple(visit(child) for child in block.children))
        return block

    return [visit(block) for block in blocks]


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


def _with_anchors(blocks: list[Block]) -> list[Block]:
    """Give every heading an id from its source text, unique in the document ("background", "background-2"),
    and every figure and table one by its place ("figure-1", "table-2") unless its author wrote ``{#id}``."""
    taken: set[str] = {b.anchor for block in blocks for b in block.walk() if b.anchor}
    counts = {"figure": 0, "table": 0}

    def unique(base: str) -> str:
        anchor, number = base, 1
        while anchor in taken:
            number += 1
            anchor = f"{base}-{number}"
        taken.add(anchor)
        return anchor

    def visit(block: Block) -> Block:
        children = tuple(visit(child) for child in block.children)
        block = replace(block, children=children) if children else block
        if block.kind in counts:
            counts[block.kind] += 1
            return block if block.anchor else replace(block, anchor=unique(f"{block.kind}-{counts[block.kind]}"))
        if block.kind != "heading" or block.anchor:
            return block
        base = re.sub(r"[\W_]+", "-", plain_text(block.text).casefold()).strip("-")
        # An XML id starts with a letter: the e-book is XML and its navigation links these ids.
        base = base if base[:1].isalpha() else f"section-{base}".rstrip("-")
        return replace(block, anchor=unique(base))

    return [visit(block) for block in blocks]


def _check_headings(blocks: list[Block], path: str) -> None:
    """Heading levels go down one at a time (# then ##, never # then ###): outlines and bookmarks need it."""
    previous = 0
    for block in (b for top in blocks for b in top.walk()):
        if block.kind != "heading":
            continue
        if previous and block.level > previous + 1:
            raise ContentError(
                f"heading level {block.level} follows level {previous}",
                path,
                block.line,
                hint=f"use {'#' * (previous + 1)} here, or add the level in between",
            )
        previous = block.level


def _check_sections(blocks: list[Block], path: str) -> None:
    """An annex opens with its title, a heading: the table of contents and cross-references name it."""
    for block in (b for top in blocks for b in top.walk()):
        if block.kind == "section" and block.role == "annex":
            if not block.children or block.children[0].kind != "heading":
                raise ContentError(
                    "an annex without a title",
                    path,
                    block.line,
                    hint="start the annex with a heading: ::: annex, then # Its title",
                )


def _check_inline(document: Document) -> None:
    """No raw HTML; footnote references and definitions match; every #target of a link exists."""
    defined = document.footnotes
    targets = document.targets
    referenced: set[str] = set()
    for block in document.walk():
        if not block.text or block.kind == "code":
            continue
        for node in walk(parse_inline(block.text)):
            if isinstance(node, RawHtml):
                raise ContentError(
                    f"raw HTML {node.value[:40]!r} is not allowed in content",
                    document.path,
                    block.line,
                    hint="write it in Markdown (*emphasis*, **strong**, [text](url)), or put it in `code`",
                )
            if isinstance(node, FootnoteRef):
                if node.label not in defined:
                    raise ContentError(
                        f"footnote [^{node.label}] is referenced but not defined",
                        document.path,
                        block.line,
                        hint=f"add a '[^{node.label}]: text' block",
                    )
                referenced.add(node.label)
            if isinstance(node, Link) and node.target.startswith("#") and node.target[1:] not in targets:
                raise ContentError(
                    f"cross-reference to {node.target}, which is not in this document",
                    document.path,
                    block.line,
                    hint=_target_hint(node.target[1:], targets),
                )
    for label, block in defined.items():
        if label not in referenced:
            raise ContentError(f"footnote [^{label}] is defined but never referenced", document.path, block.line)


#: Image files a document may show: what HTML, PDF and EPUB 3 (without fallbacks) all take.
IMAGE_SUFFIXES = (".svg", ".png")


def _check_images(document: Document, folder: Path, drawn: Path) -> None:
    """Every image is a .svg or .png file of the project, under the document's folder, or a figure
    the build draws from a template in *drawn* (templates/figures/)."""
    base = folder.resolve()
    for block in document.walk():
        sources = [block.src] if block.kind == "figure" else []
        if block.text and "![" in block.text:
            sources += [n.src for n in walk(parse_inline(block.text)) if isinstance(n, Image)]
        for src in sources:
            path = (folder / unquote(src)).resolve()
            if "://" in src or src.startswith("//") or not path.is_relative_to(base):
                problem, hint = (
                    "is outside the project",
                    f"copy it under {folder.name}/ and link it relative to the document",
                )
            elif path.suffix.lower() not in IMAGE_SUFFIXES:
                problem, hint = "is not an SVG or PNG file", "convert it to .svg or .png"
            elif not path.is_file() and not (path.suffix == ".svg" and (drawn / path.name).is_file()):
                problem, hint = "does not exist", f"add {path.relative_to(base.parent)} or fix the path"
            else:
                continue
            raise ContentError(f"image {src!r} {problem}", document.path, block.line, hint=hint)


def _target_hint(target: str, targets: dict) -> str:
    close = difflib.get_close_matches(target, targets, n=1)
    if close:
        return f"did you mean #{close[0]}?"
    return "link to a heading's id, #figure-1, #table-1, #para-15 or an id given with {#id} before a block"


def _display_path(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def discover_documents(content_dir: Path, root: Path) -> list[Document]:
    """Read every ``*.md`` under *content_dir*, sorted by slug; links between them must land."""
    documents = [read_document(path, root) for path in sorted(content_dir.glob("*.md"))]
    _check_document_links(documents)
    return documents


def _check_document_links(documents: list[Document]) -> None:
    """A link to ``other.md#target`` names a document of the project and a target in it."""
    by_slug = {document.slug: document for document in documents}
    for document in documents:
        for block in document.walk():
            if not block.text or ".md" not in block.text:
                continue
            for node in walk(parse_inline(block.text)):
                if not isinstance(node, Link) or "://" in node.target:
                    continue
                path, _, fragment = node.target.partition("#")
                if not path.endswith(".md"):
                    continue
                other = by_slug.get(path.removesuffix(".md"))
                if other is None or "/" in path:
                    problem = f"link to {path}, which is not a document of content/"
                    hint = f"link to one of {', '.join(f'{slug}.md' for slug in by_slug)}"
                elif fragment and fragment not in other.targets:
                    problem = f"link to {node.target}: {path} has no #{fragment}"
                    hint = _target_hint(fragment, other.targets)
                else:
                    continue
                raise ContentError(problem, document.path, block.line, hint=hint)
