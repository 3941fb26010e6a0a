"""Fonts: @font-face rules for a language's stack, and the glyph-coverage check run before rendering."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont, TTLibError

from polypress.config import FontFace, Project
from polypress.errors import FontError

#: CSS weight and style for each configured file.
_STYLE_CSS = {
    "regular": ("normal", "normal"),
    "bold": ("bold", "normal"),
    "italic": ("normal", "italic"),
    "bold_italic": ("bold", "italic"),
}
#: Characters that need no glyph: controls, line and paragraph separators, format marks.
_NO_GLYPH_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


def css_family(face: FontFace) -> str:
    """The face's own family name: PDF viewers then list the font a reader expects."""
    return face.family


def font_face_css(project: Project, language: str) -> str:
    """@font-face rules and the root font stack for *language*."""
    rules = []
    for face in project.font_stack(language):
        for style, path in face.files.items():
            weight, slant = _STYLE_CSS[style]
            rules.append(
                f'@font-face {{ font-family: "{css_family(face)}"; src: url("{path.as_uri()}");'
                f" font-weight: {weight}; font-style: {slant}; }}"
            )
    stack = ", ".join(f'"{css_family(face)}"' for face in project.font_stack(language))
    rules.append(f"html {{ font-family: {stack}; }}")
    return "\n".join(rules)


def font_files(project: Project) -> set[Path]:
    return {path for face in project.fonts.values() for path in face.files.values()}


@cache
def _cmap(path: Path) -> frozenset[int]:
    try:
        if path.suffix.lower() == ".ttc":
            fonts = TTCollection(str(path), lazy=True).fonts
            return frozenset().union(*(font.getBestCmap() or {} for font in fonts))
        return frozenset((TTFont(str(path), lazy=True).getBestCmap() or {}).keys())
    except FileNotFoundError:
        raise FontError(
            "font file not found", path, hint="run `make` to install the fonts, or fix the path in polypress.toml"
        ) from None
    except (OSError, TTLibError) as exc:
        raise FontError(f"cannot read font: {exc}", path) from None


def check_fonts_exist(project: Project, language: str) -> None:
    for face in project.font_stack(language):
        for path in face.files.values():
            _cmap(path)


@dataclass(frozen=True)
class TextSource:
    """A piece of text to check and where it came from."""

    text: str
    path: str
    line: int | None


def check_coverage(project: Project, language: str, sources: list[TextSource]) -> None:
    """Stop if any character has no glyph in every style of some face of the stack."""
    faces = project.font_stack(language)
    covered: list[frozenset[int]] = []
    for face in faces:
        maps = [_cmap(path) for path in face.files.values()]
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
                    f"{char!r} U+{ord(char):04X} {name} has no glyph in the {language} fonts ({families})",
                    source.path,
                    source.line,
                    hint=f"add a font that covers it to [languages.{language}] fonts, or fix the text",
                )
