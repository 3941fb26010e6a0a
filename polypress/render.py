"""Render localized documents to HTML with Jinja: a web page and a print page for the PDF."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from polypress.catalogs import TEMPLATES_DOMAIN, Lookup, Translations, po_path
from polypress.config import Language, Project
from polypress.document import Block
from polypress.errors import BuildWarning, TemplateError
from polypress.inline import Emphasis, FootnoteRef, Inline, Text, parse_inline
from polypress.localize import item_letter, long_date, number, ordinal_parts
from polypress.typography import apply_spacing, isolate, segments
from polypress.typography import number_label as number_label_for

#: Punctuation a footnote marker moves across, per language rule.
_MARKER_PUNCTUATION = ",;.:"
#: Languages whose footnote marker goes after punctuation ("Families,1"); others before it.
MARKER_AFTER_PUNCTUATION = {"en"}


@dataclass
class RenderContext:
    """What templates may use beyond the document: language, links, settings."""

    project: Project
    language: Language
    translations: Translations
    mode: str  # "web" or "print"
    links: dict = field(default_factory=dict)
    warnings: list[BuildWarning] = field(default_factory=list)
    #: Template files (relative to templates/) this render read: the build keys its output on them.
    templates_read: set[str] = field(default_factory=set)


class _RecordingLoader(jinja2.FileSystemLoader):
    """A file loader that notes every template it reads, for the incremental build."""

    def __init__(self, templates_dir: Path, read: set[str]) -> None:
        super().__init__(templates_dir)
        self.read = read

    def get_source(self, environment: jinja2.Environment, template: str):  # type: ignore[override]
        self.read.add(template)
        return super().get_source(environment, template)


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept for the process (and forked workers), checked against the source."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


#: Compiling a template costs ~17 ms; every render used to recompile the same few.
_BYTECODE_CACHE = _MemoryBytecodeCache()


def make_environment(templates_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_BYTECODE_CACHE,
    )
    return env


def render_template(name: str, context: RenderContext, **variables: object) -> str:
    """Render one template for one language; template errors name file and line."""
    env = make_environment(context.project.templates_dir)
    env.loader = _RecordingLoader(context.project.templates_dir, context.templates_read)
    language = context.language
    missing: set[str] = set()

    def show(found: Lookup, message: str) -> str:
        if found.status in ("fuzzy", "untranslated") and message not in missing:
            missing.add(message)
            # Located at the catalogue a translator fixes, not at the template that asked.
            catalogue = po_path(Path("translations"), language.code, TEMPLATES_DOMAIN)
            context.warnings.append(
                BuildWarning(
                    "fallback",
                    f"template string {found.status} in {language.code}, English used in templates/{name}: {message!r}",
                    str(catalogue),
                )
            )
        # Translations are untrusted: escape them before Jinja marks them safe.
        return escape(apply_spacing(found.string, language.code))

    def gettext(message: str) -> str:
        return show(context.translations.lookup(message), message)

    def ngettext(singular: str, plural: str, count: int) -> str:
        return show(context.translations.ngettext(singular, plural, count), singular)

    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals.update(_helpers(context))
    try:
        template = env.get_template(name)
        return template.render(
            lang=language, project=context.project, mode=context.mode, links=context.links, **variables
        )
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"template syntax error: {exc.message}", _template_path(context, exc.filename), exc.lineno
        ) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"undefined variable: {exc.message}",
            _template_path(context, _failing_template(exc, context)),
            _failing_line(exc),
            hint="define it in the render context or fix the name",
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template {exc.name!r} not found", context.project.templates_dir) from None


def _template_path(context: RenderContext, filename: str | None) -> str:
    if not filename:
        return "templates"
    try:
        return str(Path(filename).resolve().relative_to(context.project.root))
    except ValueError:
        return filename


def _failing_template(exc: BaseException, context: RenderContext) -> str | None:
    tb = exc.__traceback__
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(str(context.project.templates_dir)):
            found = filename
        tb = tb.tb_next
    return found


def _failing_line(exc: BaseException) -> int | None:
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".html"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _helpers(context: RenderContext) -> dict:
    """Functions templates call; each returns escaped Markup."""
    language = context.language
    locale = language.locale

    def date(value: datetime.date | None) -> Markup:
        if value is None:
            return Markup("")
        return Markup('<span class="nobr">{}</span>').format(long_date(value, locale))

    def ordinal(value: int) -> Markup:
        digits, suffix, raised = ordinal_parts(value, locale)
        if raised and context.mode == "print":
            return Markup("{}<sup>{}</sup>").format(digits, suffix)
        return escape(digits + suffix)

    def inline(block_or_text: Block | str, footnotes: dict[str, Block] | None = None) -> Markup:
        text = block_or_text.text if isinstance(block_or_text, Block) else block_or_text
        return render_inline(text, language.code, footnotes or {}, context.mode)

    def section_template(role: str) -> str:
        name = f"sections/{role}.html"
        return name if (context.project.templates_dir / name).exists() else "sections/default.html"

    def text(value: str) -> Markup:
        """Plain text with the language's typography, no markup allowed."""
        return Markup("").join(_text_run(value, language.code))

    def plain(value: str) -> str:
        """Text with the language's spacing but no markup: for <title> and <meta> (PDF metadata)."""
        return apply_spacing(value, language.code)

    def plain_date(value: datetime.date | None) -> str:
        return long_date(value, locale) if value else ""

    def symbol(value: str) -> Markup:
        """A document symbol, never broken across lines, kept left to right inside right-to-left text."""
        if not value:
            return Markup("")
        return Markup('<span class="nobr doc-symbol">{}</span>').format(isolate(value, language.code))

    def number_label(value: object) -> str:
        """ "1." or, in Arabic, "1 -": the number of a paragraph or a resolution."""
        return number_label_for(value, language.code)

    def language_name(code: str) -> str:
        """A language's name in the reader's language ("anglais" on a French page)."""
        return language.babel_locale.languages.get(code, code)

    return {
        "date": date,
        "symbol": symbol,
        "number_label": number_label,
        "item_letter": lambda letter: item_letter(letter, locale),
        "language_name": language_name,
        "ordinal": ordinal,
        "inline": inline,
        "section_template": section_template,
        "text": text,
        "plain": plain,
        "plain_date": plain_date,
        "number": lambda value: number(value, locale),
    }


def render_inline(text: str, language: str, footnotes: dict[str, Block], mode: str) -> Markup:
    """Inline source to safe HTML: text escaped, only emphasis and footnote markers kept."""
    nodes = _place_markers(parse_inline(text), language)
    parts: list[Markup] = []
    for node in nodes:
        if isinstance(node, Text):
            parts.extend(_text_run(node.value, language))
        elif isinstance(node, Emphasis):
            parts.append(Markup("<em>{}</em>").format(Markup("").join(_text_run(node.value, language))))
        elif isinstance(node, FootnoteRef):
            parts.append(_footnote_marker(node.label, language, footnotes, mode))
    return Markup("").join(parts)


def _text_run(value: str, language: str) -> list[Markup]:
    return [
        Markup('<span class="nobr doc-symbol">{}</span>').format(isolate(piece, language)) if keep else escape(piece)
        for piece, keep in segments(value, language)
    ]


def _footnote_marker(label: str, language: str, footnotes: dict[str, Block], mode: str) -> Markup:
    ident = escape(label)
    if mode == "print" and label in footnotes:
        body = render_inline(footnotes[label].text, language, {}, mode)
        return Markup('<span class="footnote" id="fn-{}">{}</span>').format(ident, body)
    return Markup('<a class="footnote-ref" href="#fn-{0}" id="fnref-{0}" role="doc-noteref"><sup>{0}</sup></a>').format(
        ident
    )


def _place_markers(nodes: list[Inline], language: str) -> list[Inline]:
    """Put each footnote marker on the side of adjacent punctuation the language wants."""
    after = language.split("_")[0] in MARKER_AFTER_PUNCTUATION
    result = list(nodes)
    for i, node in enumerate(result):
        if not isinstance(node, FootnoteRef):
            continue
        if after and i + 1 < len(result) and isinstance(result[i + 1], Text):
            following = result[i + 1].value
            if following[:1] and following[0] in _MARKER_PUNCTUATION:
                # "Families[^1]," becomes "Families,[^1]"
                if i > 0 and isinstance(result[i - 1], Text):
                    result[i - 1] = Text(result[i - 1].value + following[0])
                    result[i + 1] = Text(following[1:])
        elif not after and i > 0 and isinstance(result[i - 1], Text):
            preceding = result[i - 1].value
            if preceding[-1:] and preceding[-1] in _MARKER_PUNCTUATION:
                # "Familles,[^1]" becomes "Familles[^1],"
                result[i - 1] = Text(preceding[:-1])
                nxt = result[i + 1] if i + 1 < len(result) and isinstance(result[i + 1], Text) else None
                if nxt is not None:
                    result[i + 1] = Text(preceding[-1] + nxt.value)
                else:
                    result.insert(i + 1, Text(preceding[-1]))
    return result
