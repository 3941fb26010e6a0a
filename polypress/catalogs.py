"""Catalogue I/O and lookups: Babel reads and writes every PO/POT file."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, read_po, write_po

from polypress.errors import CatalogError

#: Fixed wrap width so diffs stay small whatever tool last saved the file.
PO_WIDTH = 76
#: Domain of the strings in templates (masthead, navigation, labels).
TEMPLATES_DOMAIN = "templates"


def pot_path(translations_dir: Path, domain: str) -> Path:
    return translations_dir / f"{domain}.pot"


def po_path(translations_dir: Path, language: str, domain: str) -> Path:
    return translations_dir / language / "LC_MESSAGES" / f"{domain}.po"


def parse_po(data: bytes, path: str, language: str | None = None) -> Catalog:
    """Parse PO bytes strictly; every problem names *path* and the line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError(
            "not UTF-8", path, line, hint='save the catalogue as UTF-8 with "Content-Type: text/plain; charset=UTF-8"'
        ) from None
    try:
        catalog = read_po(io.StringIO(text), locale=None, abort_invalid=True)
    except PoFileError as exc:
        raise CatalogError(f"syntax error: {exc.args[0] if exc.args else exc}", path, exc.lineno) from None
    except ValueError as exc:  # Babel raises this for unknown locales and bad headers
        raise CatalogError(f"bad header: {exc}", path, 1) from None
    _check_header(catalog, text, path, language)
    return catalog


def _check_header(catalog: Catalog, text: str, path: str, language: str | None) -> None:
    header_line = _header_line(text)
    content_type = dict(catalog.mime_headers).get("Content-Type", "")
    if "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=", 1)[1].strip()
        if charset not in ("utf-8", "utf8", "charset"):
            raise CatalogError(
                f"charset is {charset}, not UTF-8", path, header_line, hint="set charset=UTF-8 and save as UTF-8"
            )
    if language is None:
        return
    declared = dict(catalog.mime_headers).get("Language", "")
    if declared and declared.replace("-", "_").split("_")[0] != language.split("_")[0]:
        raise CatalogError(
            f'header says Language "{declared}" but the file is in the {language!r} folder',
            path,
            header_line,
            hint="fix the Language header or move the file",
        )
    plural = dict(catalog.mime_headers).get("Plural-Forms", "")
    if plural:
        try:
            declared_count = int(plural.split("nplurals=", 1)[1].split(";", 1)[0])
        except (IndexError, ValueError):
            raise CatalogError(f"unreadable Plural-Forms header: {plural!r}", path, header_line) from None
        expected = get_plural(language).num_plurals
        if declared_count != expected:
            raise CatalogError(
                f"Plural-Forms says nplurals={declared_count}, but {language} has {expected}",
                path,
                header_line,
                hint=f"use: {get_plural(language).plural_forms}",
            )
    for message in catalog:
        if message.id and isinstance(message.id, tuple) and isinstance(message.string, tuple):
            if len(message.string) != catalog.num_plurals:
                raise CatalogError(
                    f"{len(message.string)} plural forms given, the header says {catalog.num_plurals}",
                    path,
                    message.lineno,
                )


def _header_line(text: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith('msgid ""'):
            return number
    return 1


def load_po(path: Path, display: str, language: str | None = None) -> Catalog:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", display) from None
    return parse_po(data, display, language)


def render_po(catalog: Catalog) -> bytes:
    """Encode a catalogue the same way every time: fixed width, source order."""
    out = io.BytesIO()
    write_po(out, catalog, width=PO_WIDTH, include_previous=True, sort_output=False)
    return out.getvalue()


@dataclass(frozen=True)
class Lookup:
    """What a catalogue says about one source text."""

    string: str
    status: str  # translated | fuzzy | untranslated


class Translations:
    """Read-only lookups into one language's catalogues; fuzzy is never published."""

    def __init__(self, catalogs: list[Catalog]) -> None:
        self._messages: dict[str, tuple[str, bool]] = {}
        for catalog in catalogs:
            for message in catalog:
                if message.id and isinstance(message.id, str):
                    self._messages[message.id] = (message.string or "", message.fuzzy)

    def lookup(self, source: str) -> Lookup:
        string, fuzzy = self._messages.get(source, ("", False))
        if not string:
            return Lookup(source, "untranslated")
        if fuzzy:
            return Lookup(source, "fuzzy")
        return Lookup(string, "translated")

    def gettext(self, source: str) -> str:
        return self.lookup(source).string


class SourceTranslations(Translations):
    """The source language: every text is its own translation."""

    def __init__(self) -> None:
        super().__init__([])

    def lookup(self, source: str) -> Lookup:
        return Lookup(source, "source")
