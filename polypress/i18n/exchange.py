"""The project's side of CAT tools: XLIFF files out of the PO catalogues and back into them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from polypress.content.reader import discover_documents
from polypress.errors import CatalogError, ConfigError
from polypress.files import read_named
from polypress.i18n.checks import Finding, catalog_units, check_units
from polypress.i18n.glossary import Glossary, load_glossary, parse_glossary
from polypress.i18n.po import TEMPLATES_DOMAIN, load_po, parse_po, po_path, render_po
from polypress.i18n.tbx import glossary_csv, merge_terms, read_tbx, write_tbx
from polypress.i18n.xliff import Change, apply_import, read_xliff, write_xliff
from polypress.i18n.xliff import catalog_units as xliff_units
from polypress.settings import Settings
from polypress.writer import write_atomic, write_if_changed


def domains(project: Settings) -> list[str]:
    return [d.slug for d in discover_documents(project.content_dir, project.root)] + [TEMPLATES_DOMAIN]


def export_xliff(
    project: Settings, language: str, out_dir: Path, version: str = "2.0", only: list[str] | None = None
) -> list[Path]:
    """One XLIFF file per document (and one for the templates) of *language*; returns the paths written."""
    locale = project.language(language).locale
    written = []
    for domain in only or domains(project):
        path = po_path(project.translations_dir, language, domain)
        if not path.exists():
            raise ConfigError(f"no catalogue {_display(project, path)}", hint="run `python -m polypress update` first")
        catalog = load_po(path, _display(project, path), language, locale)
        data = write_xliff(xliff_units(catalog), domain, project.source_language, language, version)
        target = out_dir / language / f"{domain}.{language}.xlf"
        write_atomic(target, data)
        written.append(target)
    return written


@dataclass
class ImportReport:
    """What an import changed, what it refused and why."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    changes: dict[str, list[tuple[int | None, Change]]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    unknown: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def import_xliff(project: Settings, files: list[Path], dry_run: bool = False) -> ImportReport:
    """Bring XLIFF files back into the PO catalogues, checked like ``check``; all or nothing."""
    report = ImportReport()
    pending: list[tuple[Path, bytes]] = []
    for file in files:
        data = read_named(file, CatalogError)  # anywhere the user chose, but never a FIFO, a device or huge
        imported = read_xliff(data, str(file))
        if imported.language not in project.target_languages:
            raise CatalogError(
                f"target language {imported.language!r} is not a language of this project",
                str(file),
                hint=f"use one of {', '.join(project.target_languages)}",
            )
        if imported.domain not in domains(project):
            raise CatalogError(f"no document {imported.domain!r} in this project", str(file))
        path = po_path(project.translations_dir, imported.language, imported.domain)
        display = _display(project, path)
        locale = project.language(imported.language).locale
        catalog = load_po(path, display, imported.language, locale)
        changes, unknown = apply_import(catalog, imported)
        if unknown:
            report.unknown[str(file)] = len(unknown)
        if not changes:
            report.unchanged.append(display)
            continue
        data = render_po(catalog)
        reread = parse_po(data, display, imported.language, locale)  # lines of the msgstrs as written
        # A unit is its context and msgid: a short title and the title of the same English are two.
        lines = {(m.context, _msgid(m)): m.lineno for m in reread if m.id}
        key = lambda c: (c.message.context, _msgid(c.message))  # noqa: E731
        report.changes[display] = [(lines.get(key(c)), c) for c in changes]
        sources = {key(c) for c in changes}
        units = [u for u in catalog_units(reread, imported.language, display) if (u.context, u.source) in sources]
        report.findings.extend(check_units(units, _glossary(project, imported.language)))
        pending.append((path, data))
        report.written.append(display)
    if not report.errors and not dry_run:
        for path, data in pending:
            write_atomic(path, data)
    return report


def _msgid(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _glossary(project: Settings, language: str):
    path = project.translations_dir / language / "glossary.csv"
    return load_glossary(path, _display(project, path), project.root) if os.path.lexists(path) else None


def _display(project: Settings, path: Path) -> str:
    try:
        return str(path.relative_to(project.root))
    except ValueError:
        return str(path)


def export_glossaries(project: Settings, languages: list[str], out_dir: Path) -> list[Path]:
    """Each language's glossary.csv as TBX-Basic: ``<out>/glossary.<lang>.tbx``."""
    written = []
    for language in languages:
        project.language(language)
        path = project.translations_dir / language / "glossary.csv"
        if not os.path.lexists(path):
            continue
        glossary = load_glossary(path, _display(project, path), project.root)
        target = out_dir / f"glossary.{language}.tbx"
        write_atomic(target, write_tbx(glossary, project.source_language, language))
        written.append(target)
    return written


def import_glossary(project: Settings, file: Path, languages: list[str] | None = None) -> list[tuple[str, int, int]]:
    """Merge a TBX file's terms into each language's glossary.csv; (glossary, replaced, added) per language."""
    data = read_named(file, CatalogError)
    results = []
    for language in languages or project.target_languages:
        project.language(language)
        terms = read_tbx(data, str(file), project.source_language, language)
        if not terms:
            continue
        path = project.translations_dir / language / "glossary.csv"
        display = _display(project, path)
        glossary = load_glossary(path, display, project.root) if os.path.lexists(path) else Glossary(display, ())
        merged, replaced, added = merge_terms(glossary, terms)
        text = glossary_csv(merged)
        parse_glossary(text.decode("utf-8"), display)  # never write a glossary we could not read back
        if write_if_changed(path, text):
            results.append((display, replaced, added))
    return results
