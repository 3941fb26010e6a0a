"""Keep catalogues in step with the sources: extract .pot files, create and merge .po files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog

from polypress.catalogs import TEMPLATES_DOMAIN, load_po, parse_po, po_path, pot_path, render_po
from polypress.config import Project
from polypress.content import discover_documents
from polypress.extract import document_template, pot_bytes, same_messages, templates_template
from polypress.writer import write_atomic


@dataclass
class UpdateReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def extract_templates(project: Project) -> dict[str, Catalog]:
    """Every domain's template catalogue, freshly extracted from the sources."""
    templates = {}
    for document in discover_documents(project.content_dir, project.root):
        templates[document.slug] = document_template(
            document, project.content_dir / f"{document.slug}.md", project.root
        )
    templates[TEMPLATES_DOMAIN] = templates_template(project.templates_dir, project.root)
    return templates


def write_pots(project: Project, templates: dict[str, Catalog], report: UpdateReport) -> None:
    """Write each .pot unless only its creation date would change."""
    for domain, catalog in templates.items():
        path = pot_path(project.translations_dir, domain)
        new = pot_bytes(catalog)
        try:
            old = path.read_bytes()
        except OSError:
            old = None
        if old is not None and same_messages(old, new):
            report.unchanged.append(_rel(project, path))
            continue
        write_atomic(path, new)
        report.written.append(_rel(project, path))


def new_catalog(template: Catalog, language: str, locale: str) -> Catalog:
    """A fresh catalogue for *language* with every unit untranslated."""
    catalog = Catalog(
        locale=language,
        domain=template.domain,
        project=template.project,
        version=template.version,
        msgid_bugs_address=template.msgid_bugs_address,
        header_comment=f"# {language} translation of {template.domain}.\n#",
        creation_date=template.creation_date,
        language_team=f"{language} <translators@example.org>",
        fuzzy=False,
    )
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=True)
    return catalog


def _rel(project: Project, path: Path) -> str:
    try:
        return str(path.relative_to(project.root))
    except ValueError:
        return str(path)


def update_catalogs(project: Project, languages: list[str] | None = None) -> UpdateReport:
    """Re-extract every source and merge it into every language's catalogues."""
    report = UpdateReport()
    templates = extract_templates(project)
    write_pots(project, templates, report)
    for language in languages or project.target_languages:
        for domain, template in templates.items():
            path = po_path(project.translations_dir, language, domain)
            display = _rel(project, path)
            if path.exists():
                catalog = load_po(path, display, language)
                before = render_po(catalog)
                catalog.update(template, no_fuzzy_matching=False, update_creation_date=False)
            else:
                catalog = new_catalog(template, language, project.language(language).locale)
                before = b""
            data = render_po(catalog)
            if data == before:
                report.unchanged.append(display)
                continue
            parse_po(data, display, language)  # never write a catalogue we could not read back
            write_atomic(path, data)
            report.written.append(display)
    return report


LANGUAGE_TABLE = """
[languages.{code}]
locale = "{locale}"
fonts = ["serif"]
job_suffix = ""
threshold = 100
"""


def add_language(project: Project, code: str, locale: str | None = None) -> UpdateReport:
    """Configure a new language and create its catalogues from the current templates."""
    from babel import Locale, UnknownLocaleError

    from polypress.config import CONFIG_NAME
    from polypress.errors import ConfigError

    if code in project.languages:
        raise ConfigError(f"language {code!r} is already configured", project.root / CONFIG_NAME)
    try:
        Locale.parse(locale or code)
    except (UnknownLocaleError, ValueError):
        raise ConfigError(
            f"Babel knows no locale {locale or code!r}", hint="use a code such as de, pt_BR or zh_Hans"
        ) from None
    config = project.root / CONFIG_NAME
    text = config.read_text(encoding="utf-8")
    write_atomic(config, (text.rstrip("\n") + "\n" + LANGUAGE_TABLE.format(code=code, locale=locale or code)).encode())
    from polypress.config import load_project

    return update_catalogs(load_project(project.root), [code])
