"""markdown-it's block tokens to the document model: Blocks whose text is each unit's Markdown.

A unit's text is its inline source with the lines joined by single spaces, so
rewrapping a paragraph changes no msgid; a hard line break is kept as ``\\``
at the end of a line.
"""

from __future__ import annotations

import re

from polypress.content.markdown import SECTION
from polypress.document import Block
from polypress.errors import ContentError

#: A paragraph that captions the table right after (or before) it, as Pandoc writes it.
_TABLE_CAPTION = re.compile(r"^(?:Table)?:\s+(.+)$", re.DOTALL)
_ALIGN = re.compile(r"text-align:\s*(left|center|right)")


def unit_text(content: str) -> str:
    """An inline token's source as one unit: lines joined by spaces, hard breaks kept."""
    lines = content.split("\n")
    parts: list[str] = []
    for index, line in enumerate(lines):
        last = index == len(lines) - 1
        stripped = line.strip()
        if not last and (line.endswith("  ") or stripped.endswith("\\")):
            parts.append(stripped.rstrip("\\").rstrip() + "\\\n")
        else:
            parts.append(stripped + ("" if last else " "))
    return "".join(parts).strip(" ")


class BlockBuilder:
    """Walk a source's block tokens once; errors name the source's file and line."""

    def __init__(self, tokens: list, path: str, lines: list[str]) -> None:
        self.tokens = tokens
        self.path = path
        self.lines = lines
        self.i = 0
        #: Paragraphs of tight lists seen so far (markdown-it hides them).
        self.tight_paragraphs = 0

    def build(self) -> list[Block]:
        return self._until(None)

    def _until(self, closing: str | None) -> list[Block]:
        blocks: list[Block] = []
        while self.i < len(self.tokens):
            token = self.tokens[self.i]
            if token.type == closing:
                self.i += 1
                return _with_table_captions(blocks)
            block = self._block(token)
            if isinstance(block, list):
                blocks.extend(block)
            elif block is not None:
                blocks.append(block)
        return _with_table_captions(blocks)

    def _line(self, token) -> int:
        return token.map[0] + 1 if token.map else 0

    def _block(self, token) -> Block | list[Block] | None:
        kind = token.type
        line = self._line(token)
        anchor = str(token.attrs.get("id", "")) if token.attrs else ""
        self.i += 1
        if kind == "paragraph_open":
            self.tight_paragraphs += token.hidden
            inline = self.tokens[self.i]
            self.i += 2  # inline, paragraph_close
            return _paragraph(inline, line, anchor)
        if kind == "heading_open":
            inline = self.tokens[self.i]
            self.i += 2
            return Block("heading", line, text=unit_text(inline.content), level=int(token.tag[1]), anchor=anchor)
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self._list(token, line)
        if kind == "footnote_reference_open":
            children = self._until("footnote_reference_close")
            label = token.meta["label"]
            if len(children) != 1 or children[0].kind != "paragraph":
                raise ContentError(
                    f"footnote [^{label}] is not one paragraph",
                    self.path,
                    line,
                    hint="write a footnote as one paragraph (lines indented under it join it)",
                )
            return Block("footnote", line, text=children[0].text, label=label)
        if kind == f"{SECTION}_open":
            role = token.info.split()[0]
            # markdown-it closes a section at the end of the file; a forgotten ':::' is more likely.
            end = token.map[1] if token.map else len(self.lines)
            if end >= len(self.lines) or not re.fullmatch(r":{3,}", self.lines[end].strip()):
                raise ContentError(f"section '::: {role}' is not closed", self.path, line, hint="add a ':::' line")
            return Block("section", line, role=role, children=tuple(self._until(f"{SECTION}_close")), anchor=anchor)
        if kind == "table_open":
            return self._table(line, anchor)
        if kind == "blockquote_open":
            return Block("quote", line, children=tuple(self._until("blockquote_close")))
        if kind == "dl_open":
            return Block("definitions", line, children=tuple(self._until("dl_close")))
        if kind == "dt_open":
            inline = self.tokens[self.i]
            self.i += 2
            return Block("term", line, text=unit_text(inline.content))
        if kind == "dd_open":
            return Block("definition", line, children=tuple(self._until("dd_close")))
        if kind in ("fence", "code_block"):
            return Block("code", line, text=token.content, role=token.info.strip().split(" ")[0] if token.info else "")
        if kind == "hr":
            return Block("rule", line)
        if kind == "html_block":
            raise ContentError(
                "raw HTML is not allowed in content",
                self.path,
                line,
                hint="write it in Markdown, or indent it by four spaces to show it as code",
            )
        raise ContentError(f"unsupported Markdown construct ({kind})", self.path, line)

    def _list(self, token, line: int) -> Block | list[Block]:
        ordered = token.type == "ordered_list_open"
        closing = token.type.replace("_open", "_close")
        items: list[tuple[str, int, list[Block], bool]] = []
        while self.tokens[self.i].type != closing:
            item = self.tokens[self.i]
            self.i += 1
            before = self.tight_paragraphs
            children = self._until("list_item_close")
            tight = self.tight_paragraphs > before
            items.append((item.info, self._line(item), children, tight))
        self.i += 1
        loose = not any(tight for *_, tight in items)
        if ordered and loose and all(len(c) == 1 and c[0].kind == "paragraph" for _, _, c, _ in items):
            # A loose ordered list of single paragraphs is a run of numbered paragraphs, each
            # keeping the number its author typed (a resolution's operative paragraphs).
            return [
                Block("numbered", item_line, text=c[0].text, number=number, anchor=f"para-{number}")
                for number, item_line, c, _ in items
            ]
        blocks = []
        for _, item_line, children, _ in items:
            if children and children[0].kind == "paragraph":
                blocks.append(Block("item", item_line, text=children[0].text, children=tuple(children[1:])))
            else:
                blocks.append(Block("item", item_line, children=tuple(children)))
        start = token.attrs.get("start", "") if token.attrs else ""
        return Block("list", line, ordered=ordered, number=str(start or ""), children=tuple(blocks))

    def _table(self, line: int, anchor: str) -> Block:
        rows: list[Block] = []
        header = False
        width = 0
        while self.tokens[self.i].type != "table_close":
            token = self.tokens[self.i]
            self.i += 1
            if token.type in ("thead_open", "tbody_open"):
                header = token.type == "thead_open"
            elif token.type == "tr_open":
                row_line = self._line(token)
                cells = []
                while self.tokens[self.i].type != "tr_close":
                    cell = self.tokens[self.i]
                    inline = self.tokens[self.i + 1]
                    self.i += 3
                    style = str(cell.attrs.get("style", "")) if cell.attrs else ""
                    align = match.group(1) if (match := _ALIGN.search(style)) else ""
                    cells.append(Block("cell", row_line, text=unit_text(inline.content), header=header, align=align))
                self.i += 1
                written = _cells_written(self.lines[row_line - 1]) if row_line else len(cells)
                width = width or len(cells)
                if written != width:
                    raise ContentError(
                        f"this table row has {written} cells, the header has {width}",
                        self.path,
                        row_line,
                        hint="give every row as many cells as the header (an empty cell is || )",
                    )
                rows.append(Block("row", row_line, header=header, children=tuple(cells)))
        self.i += 1
        return Block("table", line, anchor=anchor, children=tuple(rows))


def _cells_written(line: str) -> int:
    """How many cells a table row's source line holds (unescaped pipes, outer ones optional)."""
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    cells, escaped, in_code = 1, False, False
    for char in body:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "`":
            in_code = not in_code
        elif char == "|" and not in_code:
            cells += 1
    return cells


def _paragraph(inline, line: int, anchor: str) -> Block:
    """A paragraph, or a figure when it is a single image: its caption and its alt text are units."""
    children = [t for t in inline.children or [] if not (t.type == "text" and not t.content.strip())]
    if len(children) == 1 and children[0].type == "image":
        image = children[0]
        caption = str(image.attrs.get("title", "") or "")
        parts = (Block("caption", line, text=unit_text(caption)), Block("alt", line, text=unit_text(image.content)))
        return Block("figure", line, src=str(image.attrs.get("src", "")), anchor=anchor, children=parts)
    return Block("paragraph", line, text=unit_text(inline.content), anchor=anchor)


def _with_table_captions(blocks: list[Block]) -> list[Block]:
    """A ``Table: caption`` paragraph next to a table becomes the table's caption unit."""
    result: list[Block] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.kind == "table":
            caption = None
            if result and result[-1].kind == "paragraph" and (match := _TABLE_CAPTION.match(result[-1].text)):
                caption = Block("caption", result.pop().line, text=match.group(1))
            elif index + 1 < len(blocks) and blocks[index + 1].kind == "paragraph":
                if match := _TABLE_CAPTION.match(blocks[index + 1].text):
                    caption = Block("caption", blocks[index + 1].line, text=match.group(1))
                    index += 1
            if caption is not None:
                block = Block("table", block.line, anchor=block.anchor, children=(caption, *block.children))
        result.append(block)
        index += 1
    return result
