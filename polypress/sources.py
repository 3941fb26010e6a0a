"""Load and validate every input of a build (settings, documents, catalogues) before anything is written."""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from polypress.content.reader import discover_documents
from polypress.document import Document
from polypress.errors import BuildWarning, CatalogError, ConfigError, ContentError
from polypress.files import read_bytes
from polypress.i18n.lookup import Catalogue, SourceTranslations, Translations
from polypress.i18n.po import TEMPLATES_DOMAIN, parse_catalogue, po_path
from polypress.settings import CONFIG_NAME, Settings, read_settings
from polypress.toml_lines import line_of


class Catalogues:
    """Every language's catalogues, parsed on first use rather than all up front: memory that does not grow
    with the archive, and a build that touches one document parses only what it reads.

    Which files exist is decided when the project is loaded (a missing one falls back to English, with a
    warning then); a file is parsed and validated when a stage first asks for it. The templates' catalogue
    of each language is kept for the whole build (every output shows its strings); a document's is kept
    among the last few used, then parsed again if asked for again. A re-read must find the bytes the
    first read found: an edition planned from one version and fingerprinted or rendered from another
    would be a changed catalogue missed, so a catalogue saved while the build reads it stops the build.
    """

    #: Documents' catalogues kept parsed at once (with their lookups): a language's worth of a small archive.
    KEPT = 16

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        #: (language, domain) of every catalogue file found when the project was loaded.
        self.found: set[tuple[str, str]] = set()
        #: The digest of each catalogue's first read, which every later read must match.
        self.digests: dict[tuple[str, str], str] = {}
        #: Each catalogue's bytes, when they travel with the project to a machine without it (carried()).
        self.data: dict[tuple[str, str], bytes] | None = None
        self._parsed: OrderedDict[tuple[str, str], tuple[Catalogue, Translations]] = OrderedDict()

    def __getstate__(self) -> dict:
        """Pickled (a Dask bundle) without what was parsed here: the other side parses what it needs."""
        return {**self.__dict__, "_parsed": OrderedDict()}

    def carried(self) -> Catalogues:
        """These catalogues with every file's bytes, as this build first read them, for a worker that has
        no copy of the project (pipeline/cluster.py): read here once, parsed there on first use."""
        carried = Catalogues(self.settings)
        carried.found = set(self.found)
        carried.data = {key: self._read(key) for key in sorted(self.found)}
        carried.digests = dict(self.digests)
        return carried

    def __contains__(self, key: object) -> bool:
        return key in self.found

    def __len__(self) -> int:
        return len(self.found)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(sorted(self.found))

    def get(self, key: tuple[str, str]) -> Catalogue | None:
        """The parsed catalogue, or None when the project has none for that language and domain."""
        entry = self._entry(key)
        return entry[0] if entry is not None else None

    def translations(self, key: tuple[str, str]) -> Translations:
        entry = self._entry(key)
        return entry[1] if entry is not None else Translations(None)

    def _entry(self, key: tuple[str, str]) -> tuple[Catalogue, Translations] | None:
        if key not in self.found:
            return None
        entry = self._parsed.get(key)
        if entry is not None:
            self._parsed.move_to_end(key)
            return entry
        language, domain = key
        data = self._read(key)
        catalogue = parse_catalogue(data, self._display(key), language, self.settings.language(language).locale)
        entry = (catalogue, Translations(catalogue))
        self._parsed[key] = entry
        documents = [k for k in self._parsed if k[1] != TEMPLATES_DOMAIN]
        for old in documents[: max(0, len(documents) - self.KEPT)]:
            del self._parsed[old]
        return entry

    def _read(self, key: tuple[str, str]) -> bytes:
        """A catalogue's bytes, which must be those of its first read in this build."""
        if self.data is not None:
            return self.data[key]
        path = po_path(self.settings.translations_dir, *key)
        display = self._display(key)
        # A regular file inside translations/: a link to /proc/self/environ or a FIFO is refused, unread.
        data = read_bytes(path, self.settings.translations_dir.parent, CatalogError, display=display)
        first = self.digests.setdefault(key, hashlib.sha256(data).hexdigest())
        if hashlib.sha256(data).hexdigest() != first:
            raise CatalogError(
                "the catalogue changed while the build was reading it",
                display,
                hint="save it, wait for the build to end, and build again",
            )
        return data

    def _display(self, key: tuple[str, str]) -> str:
        return display_path(self.settings, po_path(self.settings.translations_dir, *key))


@dataclass
class Sources:
    """The settings, the documents and every language's catalogues (parsed on first use): plain data for
    every stage."""

    settings: Settings
    documents: list[Document]
    #: (language, domain) -> the parsed catalogue, on first use; a domain is a document's slug or "templates".
    catalogues: Catalogues | None = None
    warnings: list[BuildWarning] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.catalogues is None:  # dataclasses.replace (other settings) keeps the catalogues found
            self.catalogues = Catalogues(self.settings)

    def document(self, slug: str) -> Document:
        for document in self.documents:
            if document.slug == slug:
                return document
        known = ", ".join(d.slug for d in self.documents)
        raise ConfigError(f"unknown document {slug!r}", "content", hint=f"known documents: {known}")

    def domains(self) -> list[str]:
        return [d.slug for d in self.documents] + [TEMPLATES_DOMAIN]

    def translations(self, language: str, domain: str) -> Translations:
        """Lookups for one document's units (or the templates' strings) in *language*, indexed once."""
        if language == self.settings.source_language:
            return _SOURCE
        return self.catalogues.translations((language, domain))

    def catalog_display(self, language: str, domain: str) -> str:
        return self.display(po_path(self.settings.translations_dir, language, domain))

    def display(self, path: Path) -> str:
        return display_path(self.settings, path)


def display_path(settings: Settings, path: Path) -> str:
    """A path as messages show it: relative to the project when it is inside it."""
    try:
        return str(path.relative_to(settings.root))
    except ValueError:
        return str(path)


_SOURCE = SourceTranslations()


def load_sources(root: Path, languages: list[str] | None = None, settings: Settings | None = None) -> Sources:
    """Read the project; malformed input stops here, before any output is touched (a catalogue when it is
    first used: every build reads it before it writes).

    *settings* replaces polypress.toml's when given (the command line may override some).
    """
    settings = settings or read_settings(root)
    documents = discover_documents(settings.content_dir, settings.root)
    if not documents:
        raise ConfigError("no documents found", settings.content_dir, hint="add a content/<name>.md file")
    for document in documents:
        _check_slug(document)
    sources = Sources(settings, documents)
    home = settings.home_document
    if home and home not in {d.slug for d in documents}:
        raise ConfigError(
            f"home_document {home!r} is not a document: there is no content/{home}.md",
            settings.root / CONFIG_NAME,
            line_of(settings.key_lines, "project", "home_document"),
            hint=f'use one of {", ".join(d.slug for d in documents)}, or "" for a plain list',
        )
    _check_language_folders(settings)
    for language in languages or settings.target_languages:
        settings.language(language)
        if language == settings.source_language:
            continue
        _check_unknown_documents(sources, language)
        for domain in sources.domains():
            path = po_path(settings.translations_dir, language, domain)
            display = sources.display(path)
            if not path.exists():
                sources.warnings.append(
                    BuildWarning(
                        "missing-catalog", f"no catalogue for {language}; its text falls back to English", display
                    )
                )
                continue
            sources.catalogues.found.add((language, domain))
    return sources


def safe_slug(name: str) -> bool:
    """Lowercase letters (of any script: "résumé"), digits and single hyphens between them.

    A document's name is its file name without .md and becomes file names and URLs in every
    language: no space, '#', '?', '%', capital or punctuation, which break links or clash on
    case-insensitive disks. Links to the rest are percent-encoded by one function (site/links.href).
    """
    parts = name.split("-")
    return all(
        part
        and all((c.isalpha() and c == c.lower() and not c.isupper()) or (c.isascii() and c.isdigit()) for c in part)
        for part in parts
    )


def _check_slug(document: Document) -> None:
    """Names are restricted to a safe set, so every link, zip entry and sitemap URL made from them is valid."""
    if not safe_slug(document.slug):
        suggestion = re.sub(r"[^a-z0-9]+", "-", document.slug.lower()).strip("-") or "document"
        raise ContentError(
            f"document name {document.slug!r} may only have lowercase letters, digits and hyphens",
            document.path,
            hint=f"rename the file, e.g. to content/{suggestion}.md (and its catalogues with it)",
        )


def _check_language_folders(settings: Settings) -> None:
    """A translations/xx folder for a language that is not configured is a mistake to report."""
    if not settings.translations_dir.is_dir():
        return
    for folder in sorted(settings.translations_dir.iterdir()):
        if folder.is_dir() and folder.name not in settings.languages:
            raise ConfigError(
                f"catalogues for {folder.name!r}, which is not a configured language",
                folder.relative_to(settings.root),
                hint=f"add [languages.{folder.name}] to {CONFIG_NAME} (python -m polypress add-language {folder.name}) "
                "or remove the folder",
            )


def _check_unknown_documents(sources: Sources, language: str) -> None:
    """A catalogue named after no document is never read: a translator's work would silently vanish."""
    folder = po_path(sources.settings.translations_dir, language, TEMPLATES_DOMAIN).parent
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
