"""Translation statistics: per document and language, units and words by state."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from polypress.content.inline import plain_text
from polypress.content.reader import discover_documents
from polypress.i18n.po import TEMPLATES_DOMAIN, load_po, po_path, pot_path
from polypress.i18n.signoff import is_reviewed
from polypress.i18n.translate import Completeness
from polypress.settings import Settings

STATES = ("translated", "fuzzy", "untranslated", "obsolete")


@dataclass(frozen=True)
class Counts(Completeness):
    """Units and English words of one catalogue, by state (obsolete units are not part of the total)."""

    domain: str
    language: str
    path: str
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0
    translated_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0
    obsolete_words: int = 0
    #: Translated units a reviser signed off (``# reviewed``), and their English words.
    reviewed: int = 0
    reviewed_words: int = 0

    def as_dict(self) -> dict:
        return {
            **asdict(self),
            "total": self.total,
            "percent": round(self.percent, 1),
            "reviewed_percent": round(self.reviewed_percent, 1),
        }


def message_state(message: Message) -> str:
    string = message.string
    done = all(string) if isinstance(string, (list, tuple)) else bool(string)
    if message.fuzzy and done:
        return "fuzzy"
    if message.fuzzy:  # a fuzzy unit with nothing in it is just untranslated
        return "untranslated"
    return "translated" if done else "untranslated"


def words(message: Message) -> int:
    text = message.id if isinstance(message.id, str) else message.id[0]
    return len(plain_text(text).split())


def catalog_counts(catalog: Catalog, domain: str, language: str, path: str) -> Counts:
    """Count one catalogue's units and words by state."""
    units = {state: 0 for state in (*STATES, "reviewed")}
    word_counts = {state: 0 for state in (*STATES, "reviewed")}
    for message in catalog:
        if message.id:
            state = message_state(message)
            units[state] += 1
            word_counts[state] += words(message)
            if is_reviewed(message):
                units["reviewed"] += 1
                word_counts["reviewed"] += words(message)
    for message in catalog.obsolete.values():
        units["obsolete"] += 1
        word_counts["obsolete"] += words(message)
    return Counts(domain, language, path, **units, **{f"{k}_words": v for k, v in word_counts.items()})


def project_stats(project: Settings, languages: list[str] | None = None) -> list[Counts]:
    """Counts for every document (and the templates) in every target language."""
    domains = [d.slug for d in discover_documents(project.content_dir, project.root)] + [TEMPLATES_DOMAIN]
    result = []
    for language in languages or project.target_languages:
        project.language(language)
        for domain in domains:
            path = po_path(project.translations_dir, language, domain)
            display = _display(project, path)
            if path.exists():
                catalog = load_po(path, display, language, project.language(language).locale)
            else:  # no catalogue yet: every unit of the template is untranslated
                template = pot_path(project.translations_dir, domain)
                catalog = load_po(template, _display(project, template)) if template.exists() else Catalog()
                catalog.obsolete.clear()
                for message in catalog:
                    message.string = ""
            result.append(catalog_counts(catalog, domain, language, display))
    return result


def _display(project: Settings, path: Path) -> str:
    try:
        return str(path.relative_to(project.root))
    except ValueError:
        return str(path)


def stats_json(counts: list[Counts]) -> str:
    return json.dumps([c.as_dict() for c in counts], indent=2, ensure_ascii=False) + "\n"


def stats_rows(counts: list[Counts]) -> list[list[str]]:
    """The table's rows: one per catalogue, cells as text."""
    rows = []
    for c in counts:
        rows.append(
            [
                c.language,
                c.domain,
                f"{c.percent:.0f}%",
                f"{c.translated} ({c.translated_words} w)",
                f"{c.fuzzy} ({c.fuzzy_words} w)",
                f"{c.untranslated} ({c.untranslated_words} w)",
                f"{c.obsolete} ({c.obsolete_words} w)",
                f"{c.reviewed_percent:.0f}% ({c.reviewed})",
            ]
        )
    return rows


HEADINGS = ["language", "document", "done", "translated", "fuzzy", "untranslated", "obsolete", "reviewed"]


def plain_table(counts: list[Counts]) -> str:
    """A fixed-width table for logs and pipes."""
    rows = [HEADINGS, *stats_rows(counts)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADINGS))]
    return "".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() + "\n" for row in rows
    )


def print_rich_table(counts: list[Counts]) -> None:
    """A coloured table on a terminal."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Translation status (units, English words)")
    for heading in HEADINGS:
        table.add_column(heading, justify="left" if heading in ("language", "document") else "right")
    for c, row in zip(counts, stats_rows(counts), strict=True):
        style = "green" if c.percent >= 100 else ("yellow" if c.percent >= 50 else "red")
        table.add_row(*row[:2], f"[{style}]{row[2]}[/{style}]", *row[3:])
    Console().print(table)
