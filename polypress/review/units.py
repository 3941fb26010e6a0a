"""What a reviser reads about each unit: location, state, the previous English, glossary terms, check findings."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass

from babel.messages.catalog import Message

from polypress.content.inline import plain_text
from polypress.i18n.checks import Finding, catalog_units, check_units
from polypress.i18n.glossary import Glossary, load_glossary, uses
from polypress.i18n.lookup import context_key
from polypress.i18n.placement import UnitPages, page_label
from polypress.i18n.signoff import is_reviewed
from polypress.i18n.stats import message_state
from polypress.sources import Sources


@dataclass(frozen=True)
class TermUse:
    """A glossary term found in the English, the renderings it requires, and whether the translation uses one."""

    english: str
    targets: tuple[str, ...]
    used: bool
    source: str
    where: str  # glossary path:line


@dataclass(frozen=True)
class ReviewUnit:
    number: int
    english: str
    translation: str  # "" when untranslated
    state: str  # translated | fuzzy | untranslated
    reviewed: bool
    source_location: str  # content/<doc>.md:line
    catalogue_location: str  # translations/<lang>/LC_MESSAGES/<doc>.po:line, "" when not in the catalogue
    #: Where the last build printed it in the edition's PDF ("p. 2"), "" without a build.
    pages: str = ""
    #: For a fuzzy unit: the English the translation was made for, and word by word what changed.
    previous: str = ""
    diff: tuple[tuple[str, str], ...] = ()  # (same | del | ins, words)
    terms: tuple[TermUse, ...] = ()
    findings: tuple[str, ...] = ()
    #: The unit's msgctxt ("short title"): the same English elsewhere is another unit.
    context: str = ""


@dataclass(frozen=True)
class ReviewEdition:
    document: str
    title: str
    language: str
    direction: str  # ltr | rtl of the translation column
    units: tuple[ReviewUnit, ...]
    glossary: str  # its path, "" without one

    def count(self, state: str) -> int:
        return sum(unit.state == state for unit in self.units)

    @property
    def reviewed(self) -> int:
        return sum(unit.reviewed for unit in self.units)


def word_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """Word-level difference from the previous English to the current one."""
    before, after = plain_text(old).split(), plain_text(new).split()
    parts: list[tuple[str, str]] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("same", " ".join(before[a1:a2])))
            continue
        if a2 > a1:
            parts.append(("del", " ".join(before[a1:a2])))
        if b2 > b1:
            parts.append(("ins", " ".join(after[b1:b2])))
    return tuple(parts)


def review_edition(sources: Sources, slug: str, language: str, unit_pages: UnitPages | None = None) -> ReviewEdition:
    """Every unit of a document in reading order, with everything ``check`` and the glossary say about it,
    and the page of the PDF where *unit_pages* (build/units.json) says it is printed."""
    unit_pages = unit_pages or UnitPages()
    settings = sources.settings
    document = sources.document(slug)
    catalogue = sources.catalogues.get((language, slug))
    catalog = catalogue.catalog if catalogue else None
    po = sources.catalog_display(language, slug)
    glossary = _glossary(sources, language)
    by_line = _findings(catalog, language, po, glossary)
    units = []
    for number, unit in enumerate(document.units(), start=1):
        message = catalog.get(unit.text, unit.context) if catalog is not None else None
        state = message_state(message) if message is not None else "untranslated"
        string = message.string if message is not None and isinstance(message.string, str) else ""
        previous = message.previous_id[0] if message is not None and message.fuzzy and message.previous_id else ""
        terms = ()
        if glossary is not None:
            terms = tuple(
                TermUse(t.english, t.targets, bool(string) and uses(t, string), t.source, f"{glossary.path}:{t.line}")
                for t, _ in glossary.find(unit.text)
            )
        line = catalogue.msgstr_lines.get(context_key(unit.context, unit.text)) if catalogue else None
        units.append(
            ReviewUnit(
                number=number,
                english=unit.text,
                translation=string,
                state=state,
                reviewed=message is not None and is_reviewed(message),
                source_location=f"{document.path}:{unit.line}",
                catalogue_location=f"{po}:{_msgid_line(message, line)}" if message is not None else "",
                pages=page_label(unit_pages.pages(slug, language, unit.text, unit.context)),
                previous=previous,
                diff=word_diff(previous, unit.text) if previous else (),
                terms=terms,
                findings=tuple(by_line.get(message.lineno, ()) if message is not None else ()),
                context=unit.context or "",
            )
        )
    return ReviewEdition(
        document=slug,
        title=document.meta.get("short_title") or document.meta["title"],
        language=language,
        direction=settings.language(language).direction,
        units=tuple(units),
        glossary=glossary.path if glossary else "",
    )


def _msgid_line(message: Message, msgstr_line: int | None) -> int:
    return message.lineno or msgstr_line or 1


def _glossary(sources: Sources, language: str) -> Glossary | None:
    path = sources.settings.translations_dir / language / "glossary.csv"
    if not os.path.lexists(path):
        return None
    # A glossary that cannot be read stops the review at its line: a reviser signing off against
    # no terms at all would not know the terms were never checked.
    return load_glossary(path, sources.display(path), sources.settings.root)


def _findings(catalog, language: str, po: str, glossary: Glossary | None) -> dict[int, list[str]]:
    """`check`'s findings on the document's catalogue, by the line of the unit they are about."""
    if catalog is None:
        return {}
    found: dict[int, list[str]] = {}
    for finding in check_units(catalog_units(catalog, language, po), glossary):
        found.setdefault(finding.line or 0, []).append(_describe(finding))
    return found


def _describe(finding: Finding) -> str:
    return f"{finding.check} ({finding.severity}): {finding.message}"
