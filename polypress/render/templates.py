"""Render a document's (or a site page's) Jinja template for one language, recording what it read."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from polypress.document import Block, Document
from polypress.errors import BuildWarning, TemplateError
from polypress.i18n.lookup import Lookup, Translations, context_key, plural_key
from polypress.i18n.po import TEMPLATES_DOMAIN, po_path
from polypress.render.css import css_content, css_string
from polypress.render.environment import render_environment, rendering
from polypress.render.inline import FootnoteMarker, linked_marker, plain_link, render_inline, text_run
from polypress.render.localize import heading_number, item_letter, label_number, long_date, number, ordinal_parts
from polypress.render.typography import apply_spacing, isolate, space_after
from polypress.render.typography import number_label as number_label_for
from polypress.settings import Language, Settings

#: A table cell that is only a number, which the writer formats per language.
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
#: A table cell that is a date (2013-10-03): written the language's way ("3 octobre 2013").
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: The macros that write labels and cross-reference words (templates/_labels.html).
LABELS = "_labels.html"
#: The two views a template is written for: the printed page and the screen (web page, e-book).
VIEWS = ("print", "screen")
#: The attribute that marks a unit's element in print (its position in the document's walk): the PDF stage
#: finds it in the laid-out boxes. A data attribute, not an id: it adds no named destination to the PDF.
UNIT_ATTRIBUTE = "data-unit"


@dataclass
class RenderContext:
    """What templates may use beyond the document, and what the render read (the build keys outputs on it)."""

    settings: Settings
    language: Language
    #: The template strings of this language.
    translations: Translations
    view: str
    links: dict = field(default_factory=dict)
    #: How this format writes a footnote reference.
    footnote_marker: FootnoteMarker = linked_marker
    #: How this format refers to an image of the document (src as written -> URL); it records what it read.
    image_url: Callable[[str], str] | None = None
    #: The labels a drawn figure's page lays out over it (src as written -> labels); none for an image file.
    image_labels: Callable[[str], tuple] | None = None
    #: The document rendered, whose targets cross-references name.
    document: Document | None = None
    #: The site's address when the output leaves the site (a PDF, an e-book): links to other documents'
    #: web pages are absolute then; "" on the site's own pages, whose links are relative.
    site_base: str = ""
    warnings: list[BuildWarning] = field(default_factory=list)
    #: Template files (relative to templates/) this render read.
    templates_read: set[str] = field(default_factory=set)
    #: Template strings this render showed, by their catalogue key (context, msgid, plural).
    strings_read: set[str] = field(default_factory=set)
    #: Print only: each unit block (by id()) and its position in the document's walk, written on its element
    #: as ``data-unit`` so the PDF stage can tell on which page it lands. None: nothing is marked.
    unit_marks: dict[int, int] | None = None
    #: Footnotes whose first call this render wrote: a later call to one is its number only.
    footnotes_called: set[str] = field(default_factory=set)


def render_template(name: str, context: RenderContext, **variables: object) -> str:
    """Render one template for one language; template errors name file and line."""
    settings = context.settings
    env = render_environment(settings.templates_dir)
    language = context.language
    missing: set[str] = set()

    def show(found: Lookup, message: str, context_name: str | None = None) -> str:
        if found.status in ("fuzzy", "untranslated") and context_key(context_name, message) not in missing:
            missing.add(context_key(context_name, message))
            label = repr(message) + (f" (msgctxt {context_name!r})" if context_name is not None else "")
            # Located at the catalogue a translator fixes, not at the template that asked.
            catalogue = po_path(Path("translations"), language.code, TEMPLATES_DOMAIN)
            context.warnings.append(
                BuildWarning(
                    "fallback",
                    f"template string {found.status} in {language.code}, English used in templates/{name}: {label}",
                    str(catalogue),
                )
            )
        # Translations are untrusted: escape them before Jinja marks them safe.
        return escape(apply_spacing(found.string, language.locale))

    def pgettext(context_name: str | None, message: str, **variables: object) -> Markup:
        context.strings_read.add(context_key(context_name, message))
        found = context.translations.lookup(message, context_name)
        return fill_placeholders(message, show(found, message, context_name), variables)

    def npgettext(context_name: str | None, singular: str, plural: str, count: int, **variables: object) -> Markup:
        context.strings_read.add(context_key(context_name, plural_key(singular, plural)))
        variables.setdefault("num", count)
        found = show(context.translations.ngettext(singular, plural, count, context_name), singular, context_name)
        return fill_placeholders(singular + plural, found, variables)

    def gettext(message: str, **variables: object) -> Markup:
        return pgettext(None, message, **variables)

    def ngettext(singular: str, plural: str, count: int, **variables: object) -> Markup:
        return npgettext(None, singular, plural, count, **variables)

    # pgettext/npgettext: the same English with a context (msgctxt) is another unit, translated on its own.
    helpers = {"gettext": gettext, "ngettext": ngettext, "pgettext": pgettext, "npgettext": npgettext}
    try:
        with rendering({**helpers, **_helpers(context, env)}, context.templates_read):
            template = env.get_template(name)
            return template.render(lang=language, project=settings, view=context.view, links=context.links, **variables)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"template syntax error: {exc.message}", _template_path(context, exc.filename), exc.lineno
        ) from None
    except jinja2.UndefinedError as exc:
        filename, line = _failing_template(exc, context)
        raise TemplateError(
            f"undefined variable: {exc.message}",
            _template_path(context, filename),
            line,
            hint="define it in the render context or fix the name",
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(
            f"template {exc.name!r} not found",
            settings.templates_dir,
            hint="every kind has templates/kinds/<kind>/print.html and screen.html (see README)",
        ) from None


_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")


def fill_placeholders(source: str, text: str, variables: Mapping[str, object]) -> Markup:
    """*text* (escaped) with the values of the placeholders *source* has (``%(name)s``), escaped.

    Translated strings are data: a ``%`` that is not one of the English's placeholders is
    printed as it is, and ``%%`` (the msgid's way of writing ``%``) becomes ``%``.
    """
    allowed = set(_PLACEHOLDER.findall(source)) - {""}

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name is None:
            return "%"
        if name in allowed and name in variables:
            return str(escape(variables[name]))
        return match.group(0)

    return Markup(_PLACEHOLDER.sub(value, str(text)))


def _template_path(context: RenderContext, filename: str | None) -> str:
    if not filename:
        return "templates"
    try:
        return str(Path(filename).resolve().relative_to(context.settings.root))
    except ValueError:
        return filename


def _failing_template(exc: BaseException, context: RenderContext) -> tuple[str | None, int | None]:
    """The project template (any suffix: .html, .xhtml, .svg) and line where *exc* was raised: the last
    frame of the traceback in the templates folder, whose line Jinja maps to the template's own."""
    tb = exc.__traceback__
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(str(context.settings.templates_dir)):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _helpers(context: RenderContext, env: jinja2.Environment) -> dict:
    """Functions templates call; each returns escaped Markup or plain text."""
    language = context.language
    locale = language.locale
    walked: dict[str, tuple] = {}

    def of_document(name: str) -> dict:
        """Footnote numbers or link targets: one walk of the document per render, not one per unit (quadratic)."""
        document = context.document
        if name not in walked or walked[name][0] is not document:
            notes = document.footnotes.items() if document and name == "numbers" else ()
            found = document.targets if document and name == "targets" else {k: n.number for k, n in notes}
            walked[name] = (document, found)
        return walked[name][1]

    def date(value: datetime.date | None) -> Markup:
        if value is None:
            return Markup("")
        return Markup('<span class="nobr">{}</span>').format(long_date(value, locale))

    def ordinal(value: int) -> Markup:
        digits, suffix, raised = ordinal_parts(value, locale)
        if raised and context.view == "print":
            return Markup("{}<sup>{}</sup>").format(digits, suffix)
        return escape(digits + suffix)

    def image_url(src: str) -> str:
        if context.image_url is None:
            raise TemplateError("this view shows no images", f"templates/{context.view}")
        return context.image_url(src)

    def inline_image(src: str, alt: str, title: str) -> Markup:
        return Markup('<img class="inline" src="{}" alt="{}" />').format(image_url(src), alt)

    def labels():
        """The macros of _labels.html: the words around the numbers the build writes, in the language."""
        return env.get_template(LABELS).module

    def link(target: str, content: Markup) -> Markup:
        """A link: a cross-reference within the document, a link to another document's edition, or the web."""
        if target.startswith("#") and context.document is not None:
            block = of_document("targets").get(target[1:])
            if block is None:
                return content or escape(target)
            words = content or labels().crossref(block) or inline(block)
            paged = "" if context.view != "print" or block.kind == "footnote" else " paged"
            return Markup('<a class="xref{}" href="{}">{}</a>').format(paged, target, words)
        path, _, fragment = target.partition("#")
        if path.endswith(".md") and "/" not in path and "://" not in path:
            href = edition_href(path.removesuffix(".md"), language.code) + (f"#{fragment}" if fragment else "")
            return Markup('<a class="document-link" href="{}">{}</a>').format(href, content or escape(path))
        return plain_link(target, content)

    def edition_href(slug: str, code: str) -> str:
        """The web page of a document in a language: relative on the site, by the site's address elsewhere."""
        if context.site_base:
            return f"{context.site_base.rstrip('/')}/{code}/{slug}.html"
        return f"../{code}/{slug}.html"

    def inline(block_or_text: Block | str, footnotes: dict[str, Block] | None = None) -> Markup:
        text = block_or_text.text if isinstance(block_or_text, Block) else block_or_text
        numbers, marker, called = of_document("numbers"), context.footnote_marker, context.footnotes_called
        return render_inline(text, language.locale, footnotes or {}, marker, link, inline_image, numbers, called)

    def unit_mark(unit: Block | str) -> Markup:
        """` data-unit="N"` on a unit's element where this render marks units (print), else nothing.

        A unit is a block (marked with its position) or a translatable field of the front matter, by name
        (``unit_mark("title")``): every element that shows the field is marked.
        """
        if context.unit_marks is None:
            return Markup("")
        if isinstance(unit, str):
            document = context.document
            shown = document is not None and unit in document.kind.translatable and document.meta.get(unit)
            mark = unit if shown else None
        else:
            mark = context.unit_marks.get(id(unit))
        return Markup(' {}="{}"').format(UNIT_ATTRIBUTE, mark) if mark is not None else Markup("")

    def heading_label(block: Block) -> Markup:
        return Markup(labels().heading_label(block))

    def heading_numeral(block: Block, whole: bool = False) -> str:
        """A chapter's or section's number as the language writes it ("II", "ثانيا", "二"); *whole* with its
        chapter's ("II.A") for a cross-reference. The kind says which style each level takes."""
        styles = context.document.kind.heading_numbers if context.document is not None else ()
        if not styles or not block.number:
            return block.number
        return heading_number(block.number, styles, locale, whole)

    def cell_text(cell: Block, footnotes: dict[str, Block] | None = None) -> Markup:
        """A table cell; a number or a date in one is written the language's way ("1 234,5", "3 octobre 2013"),
        not the translator's."""
        if _ISO_DATE.fullmatch(cell.text):
            return date(datetime.date.fromisoformat(cell.text))
        if _NUMBER.fullmatch(cell.text):
            value = float(cell.text) if "." in cell.text else int(cell.text)
            return Markup('<span class="nobr">{}</span>').format(number(value, locale))
        return inline(cell, footnotes)

    def caption_label(block: Block) -> Markup:
        """ "Table 1" above a caption: the build numbers tables and figures."""
        if not block.number:
            return Markup("")
        return Markup('<span class="caption-label">{}</span> ').format(Markup(labels().caption_label(block)))

    def section_template(role: str) -> str:
        name = f"sections/{role}.html"
        return name if (context.settings.templates_dir / name).exists() else "sections/default.html"

    def heading_shift(blocks: tuple[Block, ...]) -> int:
        """How many levels to add to the source's headings so the highest becomes h2 under the title."""
        levels = [block.level for block in blocks if block.kind == "heading"]
        return 2 - min(levels) if levels else 0

    def text(value: str) -> Markup:
        """Plain text with the language's typography, no markup allowed."""
        return Markup("").join(text_run(value, language.locale))

    def plain(value: str) -> str:
        """Text with the language's spacing but no markup: for <title> and <meta> (PDF metadata)."""
        return apply_spacing(value, language.locale)

    def plain_date(value: datetime.date | None) -> str:
        return long_date(value, locale) if value else ""

    def symbol(value: str) -> Markup:
        """A document symbol, never broken across lines, kept left to right inside right-to-left text."""
        if not value:
            return Markup("")
        return Markup('<span class="nobr doc-symbol">{}</span>').format(isolate(value, language.locale))

    def number_label(value: object) -> str:
        """ "1." or, in Arabic, "1 -": the number of a paragraph or a resolution."""
        return number_label_for(value, language.locale)

    def language_name(code: str) -> str:
        """A language's name in the reader's language ("anglais" on a French page)."""
        return language.babel_locale.languages.get(code, code)

    return {
        "date": date,
        "symbol": symbol,
        "number_label": number_label,
        "item_letter": lambda letter: item_letter(letter, locale),
        "language_name": language_name,
        "space_after": lambda block: space_after(block.text),
        "ordinal": ordinal,
        "inline": inline,
        "unit_mark": unit_mark,
        "image_url": image_url,
        "image_labels": lambda src: context.image_labels(src) if context.image_labels is not None else (),
        "cell_text": cell_text,
        "caption_label": caption_label,
        "heading_label": heading_label,
        "heading_numeral": heading_numeral,
        "label_numeral": lambda block: label_number(block.number, locale),
        "css_string": css_string,
        "css_content": css_content,
        "edition_href": edition_href,
        "section_template": section_template,
        "heading_shift": heading_shift,
        "text": text,
        "plain": plain,
        "plain_date": plain_date,
        "number": lambda value: number(value, locale),
    }
