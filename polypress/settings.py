"""Project settings: languages, fonts and options, read from polypress.toml."""

from __future__ import annotations

import difflib
import re
import shutil
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

from babel import Locale, UnknownLocaleError

from polypress.errors import ConfigError, toml_error_location
from polypress.files import read_text
from polypress.kinds.base import PAGE_SIZES
from polypress.toml_lines import key_lines, line_of, toml_value

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
        return _direction(self.locale)

    @property
    def native_name(self) -> str:
        """The language's name in itself ("français"), from Babel."""
        return _native_name(self.code, self.locale)


@cache
def _direction(locale: str) -> str:
    return "rtl" if Locale.parse(locale).character_order == "right-to-left" else "ltr"


@cache
def _native_name(code: str, locale: str) -> str:
    """Asked for each link of every language switcher: Babel's display names are slow to look up."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (UnknownLocaleError, ValueError):  # a code of the project's own ("xx"): its locale names it
        name = Locale.parse(locale).get_display_name(locale) or code
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
    #: Line of each key in polypress.toml, for errors found after reading (see toml_lines.key_lines).
    key_lines: dict = field(default_factory=dict, compare=False, repr=False)

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
#: A language code, as in folder names: an ISO 639 code, optionally with a script and a region ("pt_BR").
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_(?:[A-Z]{2}|[0-9]{3}))?$")


@dataclass(frozen=True)
class Setting:
    """One key of polypress.toml: the values it takes, said the way the error says it."""

    name: str
    accepts: Callable[[Any], bool]
    expects: str
    default: Any = None


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _name(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != "" and value.isprintable()


def _boolean(value: Any) -> bool:
    return isinstance(value, bool)


def _percent(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 100


def _one_of(*choices: str) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, str) and value in choices


def _url(value: Any) -> bool:
    return value == "" or (
        isinstance(value, str) and re.fullmatch(r"https?://[^\s\"'<>\\]+", value) is not None and value.isprintable()
    )


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _names(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(_name(item) for item in value)


def _family(value: Any) -> bool:
    """A font family goes into CSS between quotes: no quote, backslash or control character."""
    return _name(value) and not any(char in value for char in "\"'\\;{}<>")


PROJECT_SETTINGS = (
    Setting("name", _name, 'the project\'s name, like "HLD 2013 reports"'),
    Setting("source_language", _name, 'a configured language code, like "en"', "en"),
    Setting("site_url", _url, 'an http(s) address like "https://example.org/reports/", or ""', ""),
    Setting("page_size", _one_of(*PAGE_SIZES), " or ".join(f'"{s}"' for s in PAGE_SIZES), "A4"),
    Setting("pdf_variant", _one_of(*PDF_VARIANTS), " or ".join(f'"{v}"' for v in PDF_VARIANTS), "pdf/ua-1"),
    Setting("print_marks", _boolean, "true or false (without quotes)", False),
    Setting("below_threshold", _one_of("draft", "keep"), '"draft" or "keep"', "draft"),
    Setting("home_document", _text, 'a document\'s name like "hld-series", or ""', ""),
    # Read by i18n/memory.py, which checks each path; here only its shape.
    Setting("compendium", _texts, 'a list of .po or .tmx paths like ["memory/{lang}.tmx"]', ()),
)
LANGUAGE_SETTINGS = (
    Setting("locale", _name, 'a Babel locale like "fr" or "en_GB"'),
    Setting("fonts", _names, 'a list of [fonts.<name>] tables like ["serif"]'),
    Setting("job_suffix", _text, 'a letter like "F", or ""', ""),
    Setting("threshold", _percent, "a number from 0 to 100 (percent)", 100),
    Setting("reviewed_threshold", _percent, "a percentage (0 to 100) of units reviewed", 0),
    Setting("unverified_terms", _one_of("warn", "allow"), '"warn" or "allow"', "warn"),
)
FONT_SETTINGS = (
    Setting("family", _family, 'the family name like "Liberation Serif" (no quotes or backslashes inside)'),
    *(Setting(style, _name, 'a font file\'s path like "/usr/share/fonts/…/Font-Regular.ttf"') for style in FONT_STYLES),
)


class _Table:
    """One table of polypress.toml and where its keys are: every error names the file and line."""

    def __init__(self, path: Path, lines: dict, name: tuple[str, ...], data: Any, schema: tuple[Setting, ...]) -> None:
        self.path, self.lines, self.name, self.schema = path, lines, name, {s.name: s for s in schema}
        title = "[" + ".".join(name) + "]"
        if not isinstance(data, dict):
            self.fail(f"{title} must be a table", (), hint=f"write it as a {title} header with key = value lines")
        self.data, self.title = data, title
        for key in data:
            if key not in self.schema:
                close = difflib.get_close_matches(key, self.schema, n=1)
                hint = f"did you mean `{close[0]}`?" if close else f"{title} knows: {', '.join(self.schema)}"
                self.fail(f"unknown setting `{key}` in {title}", (key,), hint=hint)

    def fail(self, message: str, key: tuple[str, ...], hint: str = "") -> NoReturn:
        raise ConfigError(message, self.path, line_of(self.lines, *self.name, *key) or 1, hint=hint)

    def get(self, key: str, required: bool = False) -> Any:
        setting = self.schema[key]
        if key not in self.data:
            if required or setting.default is None and setting.name in ("locale",) and False:
                self.fail(f"{self.title} needs `{key}`", (), hint=f"add {key} = {setting.expects}")
            return setting.default
        value = self.data[key]
        if not setting.accepts(value):
            self.fail(
                f"{self.title} {key} must be {setting.expects}, not {toml_value(value)}",
                (key,),
                hint=f"write for example {key} = {toml_value(setting.default)}" if setting.default is not None else "",
            )
        return value


def read_settings(root: Path, **overrides: object) -> Settings:
    """Read and validate ``polypress.toml`` in *root*; *overrides* replace [project] values, checked the same way.

    Every value is checked against its declared type and range (PROJECT_SETTINGS, LANGUAGE_SETTINGS,
    FONT_SETTINGS), and every error carries the line of the key: a wrong type is the user's mistake to
    fix, never an internal error later in the build.
    """
    root = root.resolve()
    path = root / CONFIG_NAME
    text = read_text(path, root, ConfigError, hint="run polypress from the project folder")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        reason, line = toml_error_location(exc, text.count("\n") + 1)
        raise ConfigError(f"not valid TOML: {reason}", path, line) from None
    lines = key_lines(text)
    top = _Table(path, lines, (), data, tuple(Setting(name, _always, "") for name in ("project", "fonts", "languages")))
    unknown = sorted(set(overrides) - set(OVERRIDABLE))
    if unknown:
        raise ConfigError(
            f"{', '.join(unknown)} cannot be overridden", hint=f"settings that can: {', '.join(OVERRIDABLE)}"
        )
    project = _Table(path, lines, ("project",), {**top.data.get("project", {}), **overrides}, PROJECT_SETTINGS)
    fonts = {
        name: _font_face(_Table(path, lines, ("fonts", name), table, FONT_SETTINGS), name, root)
        for name, table in _tables(path, lines, "fonts", top.data).items()
    }
    languages = {
        code: _language(_Table(path, lines, ("languages", code), table, LANGUAGE_SETTINGS), code, fonts)
        for code, table in _tables(path, lines, "languages", top.data).items()
    }
    source = project.get("source_language")
    if source not in languages:
        project.fail(
            f"source language {source!r} has no [languages.{source}] table",
            ("source_language",),
            hint=f"add [languages.{source}] or set source_language to one of {', '.join(languages) or 'none'}",
        )
    return Settings(
        root=root,
        name=project.get("name") or root.name,
        source_language=source,
        languages=languages,
        fonts=fonts,
        site_url=project.get("site_url"),
        page_size=project.get("page_size"),
        pdf_variant=project.get("pdf_variant"),
        print_marks=project.get("print_marks"),
        below_threshold=project.get("below_threshold"),
        home_document=project.get("home_document"),
        options=project.data,
        key_lines=lines,
    )


def _always(value: Any) -> bool:
    return True


def _tables(path: Path, lines: dict, name: str, data: dict) -> dict:
    """[fonts] and [languages] hold one table per face or language."""
    tables = data.get(name, {})
    if not isinstance(tables, dict):
        raise ConfigError(f"`{name}` must be tables like [{name}.<name>]", path, line_of(lines, name) or 1)
    return tables


def _font_face(table: _Table, name: str, root: Path) -> FontFace:
    for key in ("family", "regular"):
        if key not in table.data:
            table.fail(
                f"{table.title} needs `family` and `regular`", (), hint=f"add {key} = {table.schema[key].expects}"
            )
    files = {style: root / Path(table.get(style)) for style in FONT_STYLES if table.get(style)}
    return FontFace(name=name, family=table.get("family"), files=files)


def _language(table: _Table, code: str, fonts: dict[str, FontFace]) -> Language:
    if not LANGUAGE_CODE.match(code):
        table.fail(
            f"{code!r} is not a language code",
            (),
            hint="name the table after an ISO 639 code, optionally with script and region: de, pt_BR, zh_Hant",
        )
    locale = table.get("locale") or code
    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError, TypeError):
        table.fail(f"{table.title} locale {locale!r} is unknown to Babel", ("locale",), hint='use a locale like "fr"')
    if "fonts" not in table.data:
        table.fail(f"{table.title} lists no fonts", (), hint='add fonts = ["serif"] (a [fonts.serif] table)')
    stack = tuple(table.get("fonts"))
    for name in stack:
        if name not in fonts:
            table.fail(f"{table.title} uses font {name!r}, which has no [fonts.{name}] table", ("fonts",))
    return Language(
        code=code,
        locale=locale,
        fonts=stack,
        job_suffix=table.get("job_suffix"),
        threshold=float(table.get("threshold")),
        reviewed_threshold=float(table.get("reviewed_threshold")),
        unverified_terms=table.get("unverified_terms"),
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
