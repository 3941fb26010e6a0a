"""Load and validate every input of a build before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog

from polypress.catalogs import TEMPLATES_DOMAIN, SourceTranslations, Translations, load_po, po_path
from polypress.config import CONFIG_NAME, Project, load_project
from polypress.content import discover_documents
from polypress.document import Document
from polypress.errors import BuildWarning, ConfigError


@dataclass
class Sources:
    """The project, its documents and every language's catalogues, all validated."""

    project: Project
    documents: list[Document]
    catalogs: dict[tuple[str, str], Catalog] = field(default_factory=dict)
    catalog_files: dict[tuple[str, str], Path] = field(default_factory=dict)
    warnings: list[BuildWarning] = field(default_factory=list)

    def document(self, slug: str) -> Document:
        for document in self.documents:
            if document.slug == slug:
                return document
        known = ", ".join(d.slug for d in self.documents)
        raise ConfigError(f"unknown document {slug!r}", self.project.content_dir, hint=f"known documents: {known}")

    def domains(self) -> list[str]:
        return [d.slug for d in self.documents] + [TEMPLATES_DOMAIN]

    def translations(self, language: str, domain: str) -> Translations:
        """Lookups for one document's units (or the templates' strings) in *language*."""
        if language == self.project.source_language:
            return SourceTranslations()
        catalog = self.catalogs.get((language, domain))
        return Translations([catalog] if catalog is not None else [])

    def catalog_display(self, language: str, domain: str) -> str:
        return self.display(po_path(self.project.translations_dir, language, domain))

    def display(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.project.root))
        except ValueError:
            return str(path)


def load_sources(root: Path, languages: list[str] | None = None) -> Sources:
    """Read the project; malformed input stops here, before any output is touched."""
    project = load_project(root)
    documents = discover_documents(project.content_dir, project.root)
    if not documents:
        raise ConfigError("no documents found", project.content_dir, hint="add a content/<name>.md file")
    sources = Sources(project, documents)
    _check_language_folders(project)
    for language in languages or project.target_languages:
        project.language(language)
        if language == project.source_language:
            continue
        _check_unknown_documents(sources, language)
        for domain in sources.domains():
            path = po_path(project.translations_dir, language, domain)
            display = sources.display(path)
            if not path.exists():
                sources.warnings.append(
                    BuildWarning(
                        "missing-catalog", f"no catalogue for {language}; its text falls back to English", display
                    )
                )
                continue
            sources.catalogs[(language, domain)] = load_po(path, display, language)
            sources.catalog_files[(language, domain)] = path
    return sources


def _check_language_folders(project: Project) -> None:
    """A translations/xx folder for a language that is not configured is a mistake to report."""
    if not project.translations_dir.is_dir():
        return
    for folder in sorted(project.translations_dir.iterdir()):
        if folder.is_dir() and folder.name not in project.languages:
            raise ConfigError(
                f"catalogues for {folder.name!r}, which is not a configured language",
                folder.relative_to(project.root),
                hint=f"add [languages.{folder.name}] to {CONFIG_NAME} (python -m polypress add-language {folder.name}) "
                "or remove the folder",
            )


def _check_unknown_documents(sources: Sources, language: str) -> None:
    """A catalogue named after no document is never read: a translator's work would silently vanish."""
    folder = po_path(sources.project.translations_dir, language, TEMPLATES_DOMAIN).parent
    if not folder.is_dir():
        return
    domains = set(sources.domains())
    for path in sorted(folder.glob("*.po")):
        if path.stem not in domains:
            known = ", ".join(sorted(domains))
            raise ConfigError(
                f"catalogue for unknown document {path.stem!r}: there is no content/{path.stem}.md",
                sources.display(path),
                hint=f"rename it after its document ({known}), or delete it if the document was removed",
            )
