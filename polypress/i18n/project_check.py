"""Checking a whole project: every catalogue and glossary of every language, read from disk.

The checks themselves (``checks.py``) take units and give findings; this is their edge with the files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from babel.messages.catalog import Catalog

from polypress.content.reader import discover_documents
from polypress.errors import CatalogError
from polypress.files import display_path
from polypress.i18n.checks import Finding, Unit, catalog_units, check_glossary_entries, check_units
from polypress.i18n.glossary import load_glossary
from polypress.i18n.placement import UnitPages, with_pages
from polypress.i18n.po import TEMPLATES_DOMAIN, load_po, po_path
from polypress.i18n.textchecks import msgfmt_findings
from polypress.settings import Settings


@dataclass
class CheckReport:
    findings: list[Finding]
    catalogs: int

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def notes(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "note"]


def check_project(project: Settings, languages: list[str] | None = None) -> CheckReport:
    """Check every catalogue of every target language; a malformed catalogue is a finding, not a crash."""
    domains = [d.slug for d in discover_documents(project.content_dir, project.root)] + [TEMPLATES_DOMAIN]
    findings: list[Finding] = []
    catalogs: dict[str, Catalog] = {}  # by path: where the findings' units are printed
    count = 0
    for language in languages or project.target_languages:
        project.language(language)
        units: list[Unit] = []
        for domain in domains:
            path = po_path(project.translations_dir, language, domain)
            if not path.exists():
                continue
            display = display_path(path, project.root)
            count += 1
            try:
                catalog = load_po(path, display, language, project.language(language).locale)
            except CatalogError as exc:
                findings.append(Finding(display, exc.line, "catalog", exc.message, hint=exc.hint))
                continue
            units.extend(catalog_units(catalog, language, display))
            catalogs[display] = catalog
            findings.extend(Finding(display, line, "msgfmt", text) for line, text in msgfmt_findings(path, display))
        glossary_file = project.translations_dir / language / "glossary.csv"
        glossary = None
        if os.path.lexists(glossary_file):  # a dangling link is reported, not skipped
            try:
                glossary = load_glossary(glossary_file, display_path(glossary_file, project.root), project.root)
            except CatalogError as exc:
                findings.append(
                    Finding(exc.path or str(glossary_file), exc.line, "catalog", exc.message, hint=exc.hint)
                )
            else:
                findings.extend(check_glossary_entries(glossary, project.language(language).unverified_terms))
        findings.extend(check_units(units, glossary))
    return CheckReport(with_pages(findings, UnitPages.load(project.build_dir), catalogs), count)
