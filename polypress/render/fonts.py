"""Fonts: @font-face rules for a language's stack, and the glyph-coverage check run before rendering."""

from __future__ import annotations

import hashlib
import stat
import struct
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from fontTools.ttLib import TTCollection, TTFont, TTLibError

from polypress.errors import FontError
from polypress.files import read_bytes
from polypress.i18n.lookup import plural_key
from polypress.i18n.po import TEMPLATES_DOMAIN
from polypress.render.localize import long_date, ordinal_parts
from polypress.render.sfnt import extract_face, table_directory
from polypress.settings import FontFace, Settings
from polypress.user_cache import cached, entry_path, file_identity

if TYPE_CHECKING:
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
#: Folder under build/ where faces taken out of collections are said to be (never written: served from memory).
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
    except (OSError, TTLibError, ValueError, struct.error) as exc:
        raise FontError(f"cannot read font: {exc}", path) from None


def css_family(face: FontFace) -> str:
    """The face's own family name: PDF viewers then list the font a reader expects."""
    return face.family


def font_face_css(settings: Settings, language: str, url: Callable[[FontFace, Path], str]) -> str:
    """@font-face rules and the root font stack for *language*; *url* says where a format finds each file."""
    rules = []
    for face in settings.font_stack(language):
        for style, path in face.files.items():
            weight, slant = _STYLE_CSS[style]
            rules.append(
                f'@font-face {{ font-family: "{css_family(face)}"; src: url("{url(face, path)}");'
                f" font-weight: {weight}; font-style: {slant}; }}"
            )
    stack = ", ".join(f'"{css_family(face)}"' for face in settings.font_stack(language))
    rules.append(f"html {{ font-family: {stack}; }}")
    return "\n".join(rules)


class FontFiles:
    """The font files a render may read: installed files as they are, faces of collections extracted in memory.

    WeasyPrint (through Fontconfig) loads every face of a collection under the
    @font-face family and lets Fontconfig pick one, so the face the configuration
    names is taken out of the collection, its tables untouched, once per process
    (about 1 s, 24 MB for Noto Serif CJK), and served under a name in build/fonts/
    that is never written: a render writes nothing into the project.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._extracted: dict[Path, tuple[Path, str]] = {}
        for face in settings.fonts.values():
            for path in face.files.values():
                if _is_collection(path):
                    self._extracted[self.file(face, path)] = (path, face.family)

    def file(self, face: FontFace, path: Path) -> Path:
        """The single-face file a renderer reads for *path* (a name under build/fonts/ for a collection)."""
        if not _is_collection(path):
            return path
        try:
            stat = path.stat()
        except OSError:
            return path  # check_fonts_exist says what is wrong with it
        version = hashlib.sha256(f"{path}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:12]
        return self.settings.build_dir / FACES_DIR / f"{path.stem}-{_face_index(path, face.family)}-{version}.otf"

    def paths(self) -> set[Path]:
        """Every file the renderer may read for the configured fonts."""
        files = {path for face in self.settings.fonts.values() for path in face.files.values()}
        return files | set(self._extracted)

    def face_bytes(self, face: FontFace, path: Path) -> bytes:
        """The bytes of the face a renderer reads for the configured *path* of *face*."""
        data = self.read(self.file(face, path))
        assert data is not None  # a configured file: check_fonts_exist read it before any render
        return data

    def read(self, path: Path) -> bytes | None:
        """The bytes of a configured font file, None for any other path."""
        if path in self._extracted:
            return _extract_face(*self._extracted[path])
        if path in self.paths():
            return _font_bytes(path)
        return None


@cache
def _extract_face(collection: Path, family: str) -> bytes:
    """The face's tables copied byte for byte into a file of its own (render/sfnt.py): 0.05 s for Noto
    Serif CJK where fontTools took 0.6 s per file; kept between builds (user_cache.py), named by the
    collection as the fingerprints and the stamp know fonts (path, size, dates, inode) and the family."""

    def extract() -> bytes:
        with _reading(collection):
            return extract_face(_font_bytes(collection), _face_index(collection, family))

    identity = file_identity(collection)
    return cached(entry_path("faces", *identity, family, suffix=".otf") if identity else None, extract)


def _font_bytes(path: Path) -> bytes:
    """A configured font file: anywhere polypress.toml points, but a regular file under MAX_FONT_BYTES, even
    if it was swapped for a FIFO or a huge file after check_fonts_exist looked at it."""
    return read_bytes(path, path.parent, FontError, display=str(path), allowed=[Path("/")], limit=MAX_FONT_BYTES)


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


@cache
def _cmap(path: Path, family: str | None = None) -> frozenset[int]:
    """Characters the file maps to glyphs; for a collection, only the face named *family*.

    Read by HarfBuzz from the face's best Unicode cmap subtable, as fontTools' ``getBestCmap`` chose it (the
    same sets for every configured face): 0.003 s instead of 0.1 s for a CJK face, in every build's parent.
    """
    import uharfbuzz as hb

    with _reading(path):
        if not _is_collection(path):
            data = _font_bytes(path)
        elif family:
            data = _extract_face(path, family)  # the face the renders read, taken out once per process
        else:
            data = extract_face(_font_bytes(path), 0)
        version, tables = table_directory(data)
        if version not in _SFNT_VERSIONS or b"cmap" not in tables:
            raise ValueError("not an OpenType font with a character map (cmap)")
        return frozenset(hb.Face(hb.Blob(data)).unicodes)


#: The sfnt versions of a single face: TrueType outlines, CFF outlines, old Apple TrueType.
_SFNT_VERSIONS = {b"\x00\x01\x00\x00", b"OTTO", b"true"}


def check_fonts_exist(settings: Settings, language: str) -> None:
    """Every configured file is readable; faces in collections are taken out before rendering starts.

    Done in the build's parent process, so forked render workers share the extracted faces.
    """
    for face in settings.font_stack(language):
        for path in face.files.values():
            _regular_file(path)
            _cmap(path, face.family)
            if _is_collection(path):
                _extract_face(path, face.family)


#: The largest font file read (Noto Serif CJK's collections are about 25 MB each).
MAX_FONT_BYTES = 256 * 1024 * 1024


def _regular_file(path: Path) -> None:
    """A configured font is a regular file of a sane size: a FIFO or a device would be read forever."""
    with _reading(path):
        info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise FontError(
            "not a regular file (a folder, FIFO or device)", path, hint="point [fonts] in polypress.toml at a font file"
        )
    if info.st_size > MAX_FONT_BYTES:
        raise FontError(
            f"is {info.st_size:,} bytes, past the limit of {MAX_FONT_BYTES:,} for a font",
            path,
            hint="point [fonts] in polypress.toml at a font file",
        )


@dataclass(frozen=True)
class TextSource:
    """A piece of text to check and where it came from."""

    text: str
    path: str
    line: int | None
    #: Where a translated unit is written in its catalogue, looked up only for a text that is refused: the
    #: check must not parse every document's catalogue again (the build parsed each once to plan it).
    locate: Callable[[], tuple[str, int | None] | None] | None = None

    def where(self) -> tuple[str, int | None]:
        found = self.locate() if self.locate is not None else None
        return found or (self.path, self.line)


def edition_sources(sources: Sources, edition: Edition) -> list[TextSource]:
    """Every piece of text an edition prints, located where a person would fix it.

    A translated unit points at its msgstr line in the document's PO file; a unit
    that falls back to the source, at its line in content/; template strings at
    their msgstr line in templates.po; the dates and ordinals the writer spells
    out, at the front-matter line of the value.
    """
    language = edition.language
    original = sources.document(edition.document.slug)

    def in_catalogue(msgid: str, context: str | None) -> Callable[[], tuple[str, int | None] | None]:
        return lambda: sources.translations(language, original.slug).location(msgid, context)

    texts: list[TextSource] = []
    for source_unit, unit in zip(original.units(), edition.document.units(), strict=True):
        changed = unit.text != source_unit.text
        locate = in_catalogue(source_unit.text, source_unit.context) if changed else None
        texts.append(TextSource(unit.text, original.path, unit.line, locate))
    templates = sources.translations(language, TEMPLATES_DOMAIN)
    if templates.catalogue is not None:
        for message in templates.catalogue.catalog:
            strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
            if not message.id or message.fuzzy:
                continue
            key = message.id if isinstance(message.id, str) else plural_key(*message.id[:2])
            where = templates.location(key, message.context) or (templates.catalogue.path, None)
            texts.extend(TextSource(string, *where) for string in strings if string)
    locale = sources.settings.language(language).locale
    for name, spoken, value in original.kind.spoken_values(original.meta):
        texts.append(TextSource(SPOKEN[spoken](value, locale), original.path, original.meta_lines.get(name)))
    return texts


#: How the writer spells each spoken value type out in running text (see kinds/base.py ValueType.spoken).
SPOKEN: dict[str, Callable[[object, str], str]] = {
    "date": long_date,
    "ordinal": lambda value, locale: "".join(ordinal_parts(value, locale)[:2]),
}


def check_coverage(settings: Settings, language: str, sources: list[TextSource]) -> None:
    """Stop if any character has no glyph in every style of some face of the stack."""
    faces = settings.font_stack(language)
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
                    *source.where(),
                    hint=f"add a font that covers it to [languages.{language}] fonts, or fix the text",
                )
