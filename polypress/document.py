"""The plain data passed between stages: a Document of Blocks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from polypress.kinds.base import Kind

#: What a table cell may hold that is no words to translate: link targets and document symbols.
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_SYMBOL = re.compile(r"\b[A-Z]{1,4}(?:/[A-Z0-9.]+)+\b")

#: Block kinds that carry one translation unit each (in ``text``).
TEXT_KINDS = ("heading", "paragraph", "numbered", "item", "footnote", "cell", "caption", "alt", "term")


@dataclass(frozen=True, slots=True)
class Block:
    """One block of content; text blocks carry one translation unit.

    Slotted, as Unit and Document are: an archive holds hundreds of thousands of blocks, and pickling an
    instance with a ``__dict__`` (each job sent to a worker) gives it one for good (+150 bytes a block).

    ``text`` is inline source as the author and translator see it
    (``*emphasis*``, ``[^1]`` footnote references). ``status`` is set by the
    translation stage: ``source``, ``translated``, ``fuzzy`` or ``untranslated``.
    """

    kind: str
    line: int
    text: str = ""
    level: int = 0
    number: str = ""
    role: str = ""
    children: tuple[Block, ...] = ()
    status: str = "source"
    #: A heading's id, made from its source text: links to it survive translation. Figures,
    #: tables and numbered paragraphs have one too ("figure-1", "para-15"), or the author's ``{#id}``.
    anchor: str = ""
    #: A list: numbered (``1.``) rather than bulleted.
    ordered: bool = False
    #: A table cell or row in the table's header.
    header: bool = False
    #: A table cell's alignment from its column ("left", "center", "right"; "" by default).
    align: str = ""
    #: A figure's image, as written (relative to the source's folder).
    src: str = ""
    #: A footnote's label as written (``[^note-name]``): its id. Its ``number`` is the order of its first
    #: reference, which every format shows whatever the label.
    label: str = ""

    @property
    def is_unit(self) -> bool:
        """Whether a translator sees this block: text blocks, except a cell with no words: figures, dates,
        document symbols, links to paragraphs ("2013", "2013-10-03", "A/67/254", "[8](a-res-68-4.md#para-8)")."""
        if self.kind not in TEXT_KINDS or not self.text:
            return False
        if self.kind != "cell":
            return True
        words = _SYMBOL.sub("", _LINK_TARGET.sub("]", self.text))
        return any(char.isalpha() for char in words)

    def walk(self) -> Iterator[Block]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True, slots=True)
class Unit:
    """One translation unit: a message and where it comes from."""

    text: str
    line: int
    kind: str
    #: As Block.status: source, translated, fuzzy or untranslated.
    status: str = "source"
    #: The unit's msgctxt: set where the same English needs its own translation (the short title).
    context: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A canonical source read from ``content/<slug>.md``."""

    slug: str
    path: str
    kind: Kind
    #: The front matter as the kind validated it: every field of the kind, None when absent.
    meta: dict
    meta_lines: dict[str, int]
    blocks: tuple[Block, ...]
    language: str = "en"
    #: Front-matter prose in this document's language (title, short_title…).
    fields: dict[str, str] = field(default_factory=dict)
    #: Status of each translated field, like Block.status.
    field_status: dict[str, str] = field(default_factory=dict)

    def walk(self) -> Iterator[Block]:
        for block in self.blocks:
            yield from block.walk()

    def units(self) -> Iterator[Unit]:
        """Every translation unit, in reading order, front matter first."""
        for name in self.kind.translatable:
            if self.meta.get(name):
                text = self.fields.get(name, self.meta[name])
                status = self.field_status.get(name, "source")
                context = self.kind.fields[name].context
                yield Unit(text, self.meta_lines.get(name, 1), f"field:{name}", status, context)
        for block in self.walk():
            if block.is_unit:
                yield Unit(block.text, block.line, block.kind, block.status)

    @property
    def footnotes(self) -> dict[str, Block]:
        """The notes by label, in the order of their numbers (of their first reference), as screens list them."""
        notes = [b for b in self.walk() if b.kind == "footnote"]
        notes.sort(key=lambda b: int(b.number) if b.number.isdigit() else len(notes) + 1)
        return {b.label: b for b in notes}

    @property
    def targets(self) -> dict[str, Block]:
        """What a cross-reference may point at, by id: headings, figures, tables, numbered paragraphs, footnotes."""
        found = {b.anchor: b for b in self.walk() if b.anchor}
        found.update({f"fn-{label}": note for label, note in self.footnotes.items()})
        return found

    def with_language(self, language: str, blocks: tuple[Block, ...], fields: dict, field_status: dict) -> Document:
        return replace(self, language=language, blocks=blocks, fields=fields, field_status=field_status)
