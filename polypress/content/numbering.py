"""Numbers the build writes, never the author: chapters and sections, body paragraphs, tables, figures and
annexes. Cross-references read them ("chapter II", "para. 15", "table 2").

A heading's number is its counters, level by level ("2.1": the first section of chapter 2): how they are
written (II.A in English, ثانيا - ألف in Arabic, 二.A in Chinese) is the language's, by the kind's
styles (``Kind.heading_numbers``), at render time (``render/localize.py``, ``counter``)."""

from __future__ import annotations

from dataclasses import replace

from polypress.content.inline import FootnoteRef, parse_inline, walk
from polypress.document import Block
from polypress.kinds.base import Kind

_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"))
_ROMAN += ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(value: int) -> str:
    out = []
    for amount, letters in _ROMAN:
        while value >= amount:
            out.append(letters)
            value -= amount
    return "".join(out)


def alpha(value: int) -> str:
    letters = ""
    while value:
        value, rest = divmod(value - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


#: Numbering styles a kind may give its heading levels (CSS counter-style names), as written in Latin script;
#: a language may write a style its own way (``render/localize.py``).
STYLES = {"upper-roman": roman, "upper-alpha": alpha, "decimal": str}
#: The style of the numbers of figures and annexes ("Figure I", "Annex II"): stored as counts ("1", "2") and
#: written at render time, as headings are, so that a language writes them its own way (``render/localize.py``,
#: ``label_number``: الشكل الأول, 图一).
LABEL_STYLE = "upper-roman"


def number_blocks(blocks: list[Block], kind: Kind) -> list[Block]:
    """The blocks with their numbers: headings to the depth of ``kind.heading_numbers``, body paragraphs when the kind
    numbers them (anchor ``para-N``), tables and figures always, annexes when there are several (an annex's
    heading gets role ``annex``). Every number is a count ("2"); figures and annexes are written in
    ``LABEL_STYLE`` (II) when rendered."""
    counts = {"table": 0, "figure": 0, "para": 0, "annex": 0}
    levels: list[int] = []
    annexes = sum(1 for b in blocks if b.kind == "section" and b.role == "annex")

    def heading(block: Block) -> Block:
        styles = kind.heading_numbers
        if block.level > len(styles):
            return block
        del levels[block.level :]
        levels.extend([0] * (block.level - len(levels)))
        levels[block.level - 1] += 1
        return replace(block, number=".".join(str(n) for n in levels))

    def visit(block: Block, body: bool) -> Block:
        if block.kind in ("table", "figure"):
            counts[block.kind] += 1
            value = counts[block.kind]
            return replace(block, number=str(value))
        if block.kind == "heading" and body:
            return heading(block)
        if block.kind == "paragraph" and body and kind.numbered_paragraphs:
            counts["para"] += 1
            return replace(block, number=str(counts["para"]), anchor=block.anchor or f"para-{counts['para']}")
        if block.kind == "section" and block.role == "annex":
            counts["annex"] += 1
            title, *rest = block.children
            number = str(counts["annex"]) if annexes > 1 else ""
            title = replace(title, role="annex", number=number)
            return replace(block, number=number, children=(title, *(visit(c, False) for c in rest)))
        if block.children:
            return replace(block, children=tuple(visit(child, False) for child in block.children))
        return block

    return number_footnotes([visit(block, True) for block in blocks])


def number_footnotes(blocks: list[Block]) -> list[Block]:
    """Footnotes numbered 1, 2… in the order of their first reference: the label (``[^1]``, ``[^note-name]``)
    is the author's name for a note, never what a reader sees."""
    order: dict[str, str] = {}
    for block in (b for top in blocks for b in top.walk()):
        if block.text and block.kind != "code":
            for node in walk(parse_inline(block.text)):
                if isinstance(node, FootnoteRef):
                    order.setdefault(node.label, str(len(order) + 1))

    def visit(block: Block) -> Block:
        if block.kind == "footnote":
            return replace(block, number=order.get(block.label, ""))
        if block.children:
            return replace(block, children=tuple(visit(child) for child in block.children))
        return block

    return [visit(block) for block in blocks]
