"""Settings settings: languages, fonts and options, read from polypress.toml."""

from __future__ import annotations

import re
import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError

from polypress.errors import ConfigError, toml_error_location
from polypress.kinds.base import PAGE_SIZES

CONFIG_NAME = "polypress.toml"
#: What a project is made of; everything else (build/, .venv/) is generated.
SOURCE_PARTS = ("content", "templates", "translations", CONFIG_NAME)
FONT_STYLES = ("regular", "bold", "italic", "bold_italic")
#: "" is a tagged PDF that claims no standard; see formats/pdfua (PDF/UA-1 is checked by its checker).
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3a+ua-1", "pdf/a-3b", "")


@dataclass(frozen=True)
class FontFace:
    """One family with a file per style (a missing style is synthesised)."""

    name: str
    family: str
    files: dict[str, Path]


@dataclass(frozen=True)
class Language:
    """A target language: its Babel locale, direction and font stack."""

    code: str
    locale: str
    fonts: tuple[str, ...]
    job_suffix: str = ""
    threshold: float = 100.0
    #: Reviewed units (% of a document's units) a document needs to be published; 0 = no review required.
    reviewed_threshold: float = 0.0
    #: ``warn``: a ``to-verify`` glossary entry is a warning (fatal with --strict); ``allow``: a note.
    unverified_terms: str = "warn"

    @property
    def babel_locale(self) -> Locale:
        return Locale.parse(self.locale)

    @property
    def direction(self) -> str:
        """``rtl`` or ``ltr``, from the locale's own data, never assumed."""
        return "rtl" if self.babel_locale.character_order == "right-to-left" else "ltr"

    @property
    def native_name(self) -> str:
        """The language's name in itself ("français"), from Babel."""
        try:
            name = Locale.parse(self.code).get_display_name(self.code) or self.code
        except (UnknownLocaleError, ValueError):  # a code of the project's own ("xx"): its locale names it
            name = self.babel_locale.get_display_name(self.locale) or self.code
        return name[:1].upper() + name[1:]


@dataclass(frozen=True)
class Settings:
    """A project's folder and what polypress.toml says: languages, fonts, print and publishing options."""

    root: Path
    name: str
    source_language: str
    languages: dict[str, Language]
    fonts: dict[str, FontFace]
    site_url: str = ""
    page_size: str = "A4"
    pdf_variant: str = "pdf/ua-1"
    print_marks: bool = False
    below_threshold: str = "draft"
    #: The document whose content opens each language's landing page ("" for a plain list of reports).
    home_document: str = ""
    options: dict = field(default_factory=dict)

    @property
    def slug(self) -> str:
        """The project's name as a file name ("hld-2013-reports"): archives, e-book identifiers."""
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-") or "reports"

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def translations_dir(self) -> Path:
        return self.root / "translations"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def site_dir(self) -> Path:
        return self.build_dir / "site"

    @property
    def target_languages(self) -> list[str]:
        """Languages translated from the source language, in configured order."""
        return [code for code in self.languages if code != self.source_language]

    def language(self, code: str) -> Language:
        try:
            return self.languages[code]
        except KeyError:
            raise ConfigError(
                f"language {code!r} is not configured",
                CONFIG_NAME,
                hint=f"add it with `python -m polypress add-language {code}`",
            ) from None

    def font_stack(self, code: str) -> list[FontFace]:
        return [self.fonts[name] for name in self.language(code).fonts]


#: [project] settings a program or the command line may override for one use (load_project, build --pdf-variant).
OVERRIDABLE = ("page_size", "pdf_variant", "print_marks", "below_threshold", "site_url")


def read_settings(root: Path, **overrides: object) -> Settings:
    """Read and validate ``polypress.toml`` in *root*; *overrides* replace [project] values, checked the same way."""
    root = root.resolve()
    path = root / CONFIG_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("no project settings here", path, hint="run polypress from the project folder") from None
    except tomllib.TOMLDecodeError as exc:
        text = path.read_text(encoding="utf-8", errors="replace")
        reason, line = toml_error_location(exc, text.count("\n") + 1)
        raise ConfigError(f"not valid TOML: {reason}", path, line) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path) from None

    settings = data.get("project", {})
    unknown = sorted(set(overrides) - set(OVERRIDABLE))
    if unknown:
        raise ConfigError(
            f"{', '.join(unknown)} cannot be overridden", hint=f"settings that can: {', '.join(OVERRIDABLE)}"
        )
    settings = {**settings, **overrides}
    fonts = {name: _font_face(path, name, table) for name, table in data.get("fonts", {}).items()}
    languages = {code: _language(path, code, table, fonts) for code, table in data.get("languages", {}).items()}
    source = settings.get("source_language", "en")
    if source not in languages:
        raise ConfigError(f"source language {source!r} has no [languages.{source}] table", path)
    page_size = settings.get("page_size", "A4")
    if page_size not in PAGE_SIZES:
        raise ConfigError(f"page_size must be one of {', '.join(PAGE_SIZES)}, not {page_size!r}", path)
    variant = settings.get("pdf_variant", "pdf/ua-1")
    if variant not in PDF_VARIANTS:
        raise ConfigError(f"pdf_variant must be one of {PDF_VARIANTS}, not {variant!r}", path)
    below = settings.get("below_threshold", "draft")
    if below not in ("draft", "keep"):
        raise ConfigError(f'below_threshold must be "draft" or "keep", not {below!r}', path)
    return Settings(
        root=root,
        name=settings.get("name", root.name),
        source_language=source,
        languages=languages,
        fonts=fonts,
        site_url=settings.get("site_url", ""),
        page_size=page_size,
        pdf_variant=variant,
        print_marks=bool(settings.get("print_marks", False)),
        below_threshold=below,
        home_document=settings.get("home_document", ""),
        options=settings,
    )


def _font_face(path: Path, name: str, table: dict) -> FontFace:
    if "family" not in table or "regular" not in table:
        raise ConfigError(f"[fonts.{name}] needs `family` and `regular`", path)
    files = {style: Path(table[style]) for style in FONT_STYLES if table.get(style)}
    return FontFace(name=name, family=table["family"], files=files)


def _language(path: Path, code: str, table: dict, fonts: dict[str, FontFace]) -> Language:
    locale = table.get("locale", code)
    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        raise ConfigError(f"[languages.{code}] locale {locale!r} is unknown to Babel", path) from None
    stack = tuple(table.get("fonts", ()))
    for name in stack:
        if name not in fonts:
            raise ConfigError(f"[languages.{code}] uses font {name!r}, which has no [fonts.{name}] table", path)
    if not stack:
        raise ConfigError(f"[languages.{code}] lists no fonts", path)
    unverified = table.get("unverified_terms", "warn")
    if unverified not in ("warn", "allow"):
        raise ConfigError(f'[languages.{code}] unverified_terms must be "warn" or "allow", not {unverified!r}', path)
    reviewed = table.get("reviewed_threshold", 0)
    if isinstance(reviewed, bool) or not isinstance(reviewed, (int, float)) or not 0 <= reviewed <= 100:
        raise ConfigError(
            f"[languages.{code}] reviewed_threshold must be a percentage (0 to 100), not {reviewed!r}", path
        )
    return Language(
        code=code,
        locale=locale,
        fonts=stack,
        job_suffix=table.get("job_suffix", ""),
        threshold=float(table.get("threshold", 100)),
        reviewed_threshold=float(reviewed),
        unverified_terms=unverified,
    )


def copy_sources(root: Path, target: Path) -> Path:
    """Copy a project's sources, not its output, to *target* (benchmarks and tests build copies)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in SOURCE_PARTS:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    return target
