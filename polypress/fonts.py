"""Fonts: @font-face rules for a language's stack, and the glyph-coverage check run before rendering."""

from __future__ import annotations

import hashlib
import io
import os
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from fontTools.ttLib import TTCollection, TTFont, TTLibError

from polypress.catalogs import TEMPLATES_DOMAIN, po_path
from polypress.config import FontFace, Project
from polypress.errors import FontError
from polypress.localize import long_date, ordinal_parts
from polypress.writer import write_atomic

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

    from polypress.editions import Edition
    from polypress.sources import Sources

#: CSS weight and style for each configured file.
_STYLE_CSS = {
    "regular": ("normal", "normal"),
    "bold": ("bold", "normal"),
    "italic": ("normal", "italic"),
    "bold_italic": ("bold", "italic"),
}
#: Font collections: one file, several faces.
_COLLECTION_SUFFIXES = {".ttc", ".otc"}
#: Folder under build/ for faces copied out of collections.
FACES_DIR = "fonts"
#: Characters that need no glyph: controls, line and paragraph separators, format marks.
_NO_GLYPH_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    """Turn a missing or unreadable font file into a located error with what to do."""
    try:
        yield
    except FileNotFoundError:
        raise FontError(
            "font file not found", path, hint="run `make` to install the fonts, or fix the path in polypress.toml"
        ) from None
    except (OSError, TTLibError) as exc:
        raise FontError(f"cannot read font: {exc}", path) from None


def css_family(face: FontFace) -> str:
    """The face's own family name: PDF viewers then list the font a reader expects."""
    return face.family


def font_face_css(project: Project, language: str) -> str:
    """@font-face rules and the root font stack for *language*."""
    rules = []
    for face in project.font_stack(language):
        for style, path in face.files.items():
            weight, slant = _STYLE_CSS[style]
            url = _font_url(project, face_file(project, face, path))
            rules.append(
                f'@font-face {{ font-family: "{css_family(face)}"; src: url("{url}");'
                f" font-weight: {weight}; font-style: {slant}; }}"
            )
    stack = ", ".join(f'"{css_family(face)}"' for face in project.font_stack(language))
    rules.append(f"html {{ font-family: {stack}; }}")
    return "\n".join(rules)


def _font_url(project: Project, path: Path) -> str:
    """An installed font by its absolute file URL; a face copied into build/fonts/ relative to
    templates/ (the print page's base URL), so the print HTML, and with it the PDF's identifier,
    is the same wherever the project is checked out."""
    if path.is_relative_to(project.root):
        return quote(os.path.relpath(path, project.templates_dir).replace(os.sep, "/"))
    return path.as_uri()


def font_files(project: Project) -> set[Path]:
    """Every file the renderer may read for the configured fonts (faces taken out of collections too)."""
    files = set()
    for face in project.fonts.values():
        for path in face.files.values():
            try:
                files.add(face_file(project, face, path))
            except (FontError, OSError):
                # Unreadable or missing: check_fonts_exist reports it for a language that uses it.
                files.add(path)
    return files


def _is_collection(path: Path) -> bool:
    return path.suffix.lower() in _COLLECTION_SUFFIXES


@cache
def _face_index(path: Path, family: str) -> int:
    """Index of the face named *family* in a font collection (.ttc).

    A collection such as NotoSerifCJK-Regular.ttc holds one face per region (JP,
    KR, SC, TC, HK) sharing most outlines but not all: the same character is drawn
    the Japanese or the Chinese way depending on the face, so the configured family
    names the face, never "the first one".
    """
    with _reading(path):
        faces = TTCollection(str(path), lazy=True).fonts
        names = [_family_names(font) for font in faces]
    for index, found in enumerate(names):
        if family in found:
            return index
    listed = ", ".join(sorted({name for found in names for name in found}))
    raise FontError(
        f"no face named {family!r} in this font collection",
        path,
        hint=f"set family in polypress.toml to one of: {listed}",
    )


def _family_names(font: TTFont) -> set[str]:
    """The typographic and legacy family names a face declares (name IDs 16 and 1)."""
    table = font["name"]
    return {str(name.toUnicode()) for name in table.names if name.nameID in (1, 16)}


def face_file(project: Project, face: FontFace, path: Path) -> Path:
    """The single-face file the renderer and the coverage check read for *path*.

    A plain font file is used where it is. WeasyPrint (through Fontconfig) loads every
    face of a collection under the @font-face family and lets Fontconfig pick one, so
    the face the configuration names is copied out, its tables untouched, into
    build/fonts/ once per installed version of the collection (about 1 s, 24 MB for
    Noto Serif CJK). The PDF still embeds only a subset of it.
    """
    if not _is_collection(path):
        return path
    index = _face_index(path, face.family)
    stat = path.stat()
    version = hashlib.sha256(f"{path}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    target = project.build_dir / FACES_DIR / f"{path.stem}-{index}-{version}.otf"
    if not target.exists():
        buffer = io.BytesIO()
        TTFont(str(path), fontNumber=index, lazy=True).save(buffer)
        write_atomic(target, buffer.getvalue())
    return target


@cache
def _cmap(path: Path, family: str | None = None) -> frozenset[int]:
    """Characters the file maps to glyphs; for a collection, only the face named *family*."""
    with _reading(path):
        if _is_collection(path):
            index = _face_index(path, family) if family else 0
            return frozenset((TTFont(str(path), fontNumber=index, lazy=True).getBestCmap() or {}).keys())
        return frozenset((TTFont(str(path), lazy=True).getBestCmap() or {}).keys())


def check_fonts_exist(project: Project, language: str) -> None:
    """Every configured file is readable; faces in collections are copied out before rendering starts."""
    for face in project.font_stack(language):
        for path in face.files.values():
            _cmap(path, face.family)
            face_file(project, face, path)


@dataclass(frozen=True)
class TextSource:
    """A piece of text to check and where it came from."""

    text: str
    path: str
    line: int | None


def edition_sources(sources: Sources, edition: Edition) -> list[TextSource]:
    """Every piece of text an edition prints, located where a person would fix it.

    A translated unit points at its msgstr line in the document's PO file; a unit
    that falls back to the source, at its line in content/; template strings at
    their msgstr line in templates.po; dates and ordinals Babel writes, at the
    front-matter line of the value.
    """
    project = sources.project
    language = edition.language
    original = sources.document(edition.document.slug)
    texts: list[TextSource] = []
    catalog = sources.catalogs.get((language, original.slug))
    for source_unit, unit in zip(original.units(), edition.document.units(), strict=False):
        location = _msgstr_location(sources, language, original.slug, catalog, source_unit.text, unit.text)
        texts.append(TextSource(unit.text, *(location or (original.path, unit.line))))
    for value in edition.document.fields.values():
        texts.append(TextSource(value, sources.catalog_display(language, original.slug), None))
    templates = sources.catalogs.get((language, TEMPLATES_DOMAIN))
    if templates is not None:
        for message in templates:
            if message.id and isinstance(message.string, str) and message.string:
                location = _msgstr_location(sources, language, TEMPLATES_DOMAIN, templates, message.id, message.string)
                texts.append(
                    TextSource(
                        message.string, *(location or (sources.catalog_display(language, TEMPLATES_DOMAIN), None))
                    )
                )
    locale = project.language(language).locale
    meta = original.meta
    for name in ("adopted", "issued"):
        if meta.get(name):
            texts.append(TextSource(long_date(meta[name], locale), original.path, original.meta_lines.get(name)))
    if isinstance(meta.get("meeting"), int):
        digits, suffix, _raised = ordinal_parts(meta["meeting"], locale)
        texts.append(TextSource(digits + suffix, original.path, original.meta_lines.get("meeting")))
    return texts


def _msgstr_location(
    sources: Sources, language: str, domain: str, catalog: Catalog | None, msgid: str, used: str
) -> tuple[str, int | None] | None:
    """(PO file, line of the msgstr) when *used* is that message's translation."""
    if catalog is None:
        return None
    message = catalog.get(msgid)
    if message is None or message.string != used or not used:
        return None
    path = po_path(sources.project.translations_dir, language, domain)
    return sources.catalog_display(language, domain), _msgstr_line(path, message.lineno)


def _msgstr_line(path: Path, msgid_line: int | None) -> int | None:
    """The line where the msgstr after the msgid at *msgid_line* starts (Babel records the msgid's)."""
    if not msgid_line:
        return None
    lines = _po_lines(path)
    for number in range(msgid_line, len(lines) + 1):
        if lines[number - 1].startswith("msgstr"):
            return number
    return msgid_line


@cache
def _po_lines(path: Path) -> tuple[str, ...]:
    try:
        return tuple(path.read_text(encoding="utf-8").splitlines())
    except OSError:
        return ()


def check_coverage(project: Project, language: str, sources: list[TextSource]) -> None:
    """Stop if any character has no glyph in every style of some face of the stack."""
    faces = project.font_stack(language)
    covered: list[frozenset[int]] = []
    for face in faces:
        maps = [_cmap(path, face.family) for path in face.files.values()]
        covered.append(frozenset.intersection(*maps))
    seen: set[str] = set()
    for source in sources:
        for char in source.text:
            if char in seen or char in " \t\n":
                continue
            seen.add(char)
            if unicodedata.category(char) in _NO_GLYPH_CATEGORIES:
                continue
            if not any(ord(char) in cmap for cmap in covered):
                name = unicodedata.name(char, "unnamed character")
                families = ", ".join(face.family for face in faces)
                raise FontError(
                    f"character {char!r} (U+{ord(char):04X} {name}) in the {language} text"
                    f" has no glyph in its fonts ({families})",
                    source.path,
                    source.line,
                    hint=f"add a font that covers it to [languages.{language}] fonts, or fix the text",
                )
