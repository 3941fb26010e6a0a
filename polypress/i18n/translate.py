"""Put translations into the parsed content; what is missing falls back and is flagged."""

from __future__ import annotations

from dataclasses import dataclass, replace

from polypress.content.inline import markup_difference
from polypress.content.numbering import number_footnotes
from polypress.document import Block, Document
from polypress.errors import BuildWarning
from polypress.i18n.lookup import Translations


class Completeness:
    """Total and share translated of anything counting translated, fuzzy and untranslated units.

    Fuzzy counts as missing: it is never published.
    """

    translated: int
    fuzzy: int
    untranslated: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0

    @property
    def reviewed_percent(self) -> float:
        """Share of the units a reviser signed off (``# reviewed``); only translated units can be."""
        reviewed = getattr(self, "reviewed", 0)
        return 100.0 * reviewed / self.total if self.total else 100.0


@dataclass(frozen=True)
class Coverage(Completeness):
    """How much of a document a language translates."""

    translated: int
    fuzzy: int
    untranslated: int
    reviewed: int = 0


def translate_document(
    document: Document, language: str, translations: Translations, catalog_path: str
) -> tuple[Document, Coverage, list[BuildWarning]]:
    """Return *document* in *language*, its coverage, and a warning per fallback."""
    warnings: list[BuildWarning] = []
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0, "source": 0, "reviewed": 0}

    def translate(text: str, line: int, context: str | None = None) -> tuple[str, str]:
        found = translations.lookup(text, context)
        string, status = found.string, found.status
        if status == "translated" and (problem := markup_difference(text, string)):
            warnings.append(BuildWarning("markup", f"translation not used: {problem}", catalog_path))
            string, status = text, "untranslated"
        counts[status] += 1
        if status == "source" or (status == "translated" and translations.reviewed(text, context)):
            counts["reviewed"] += 1  # the source language needs no reviser
        if status in ("fuzzy", "untranslated"):
            warnings.append(
                BuildWarning(
                    "fallback",
                    f"{status} in {language}, English used: {_excerpt(text)}",
                    document.path,
                    line,
                )
            )
        return string, status

    def visit(block: Block) -> Block:
        children = tuple(visit(child) for child in block.children)
        if block.is_unit:
            text, status = translate(block.text, block.line)
            return replace(block, text=text, status=status, children=children)
        return replace(block, children=children)

    # Footnotes are numbered by their first call in this language's text: a translation may call two
    # notes of one sentence in the other order.
    blocks = tuple(number_footnotes([visit(block) for block in document.blocks]))
    fields: dict[str, str] = {}
    field_status: dict[str, str] = {}
    for name in document.kind.translatable:
        fields[name] = ""  # every translatable field is there, empty when the source has none
        if document.meta.get(name):
            line, context = document.meta_lines.get(name, 1), document.kind.fields[name].context
            fields[name], field_status[name] = translate(document.meta[name], line, context)
    coverage = Coverage(
        counts["translated"] + counts["source"], counts["fuzzy"], counts["untranslated"], counts["reviewed"]
    )
    return document.with_language(language, blocks, fields, field_status), coverage, warnings


def _excerpt(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
