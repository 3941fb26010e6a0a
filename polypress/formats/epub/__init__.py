"""The e-book: the kind's screen template as one XHTML chapter, navigation from its headings, the language's
fonts subset and embedded, packaged as a reproducible EPUB 3 (package.py) that epubcheck accepts."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

from markupsafe import Markup

from polypress.errors import TemplateError
from polypress.files import read_bytes
from polypress.formats.base import Deps, Format, Output, RenderRequest, render_view
from polypress.formats.images import Picture
from polypress.i18n.po import TEMPLATES_DOMAIN
from polypress.render.fonts import FontFiles
from polypress.render.templates import RenderContext, render_template

#: The layouts the e-book's two documents are rendered in (project templates, XHTML).
CHAPTER_LAYOUT = "epub/chapter.xhtml"
NAV_TEMPLATE = "epub/nav.xhtml"
#: The e-book's stylesheet, under templates/ (no `direction`: EPUB wants dir= in the markup).
STYLESHEET = "css/epub.css"
#: A date for dcterms:modified when the document carries none: never the clock.
EPOCH = datetime.date(1980, 1, 1)
_STYLE_CSS = {"regular": ("normal", "normal"), "bold": ("bold", "normal"), "italic": ("normal", "italic")}
_STYLE_CSS["bold_italic"] = ("bold", "italic")


def noteref(label: str, number: str, note: Markup | None) -> Markup:
    """An EPUB 3 footnote reference: reading systems show the note in a pop-up. Only the note's first call
    carries the id its backlink points at."""
    ident = Markup(' id="fnref-{}"').format(label) if note is not None else ""
    return Markup(
        '<a epub:type="noteref" role="doc-noteref" class="footnote-ref" href="#fn-{}"{}><sup>{}</sup></a>'
    ).format(label, ident, number)


def render_epub(request: RenderRequest) -> Output:
    from polypress.formats.epub.book import EpubBook, EpubFont, EpubResource
    from polypress.formats.epub.fonts import OT_LANGSYS, cached_subset
    from polypress.formats.epub.package import document_text, package_epub

    sources, edition = request.sources, request.edition
    settings = sources.settings
    document = edition.document
    language = settings.language(edition.language)
    deps = Deps()
    images: dict[str, bytes] = {}
    chapter, nav, warnings = _documents(request, deps, images)
    title = document.fields["title"]
    with _made_from_templates(NAV_TEMPLATE):
        text = document_text(chapter, nav) + title
    with _made_from_templates(CHAPTER_LAYOUT):
        deps.templates.add(STYLESHEET)
        # The language's stack, first choice first, as in print (render/fonts.py); @font-face rules
        # for the embedded files come with the package.
        stack = ", ".join(f'"{face.family}"' for face in settings.font_stack(edition.language))
        css = f"html {{ font-family: {stack}, serif; }}\n".encode() + read_bytes(
            settings.templates_dir / STYLESHEET, settings.root, TemplateError
        )
        fonts = FontFiles(settings)
        embedded = []
        for face in settings.font_stack(edition.language):
            for style, path in face.files.items():
                read = partial(fonts.face_bytes, face, path)
                subset = cached_subset(path, face.family, read, text, _langsys(edition.language, OT_LANGSYS))
                weight, slant = _STYLE_CSS[style]
                name = f"{face.name}-{style}.{'otf' if subset[:4] == b'OTTO' else 'ttf'}"
                embedded.append(EpubFont(face.family, weight, slant, subset, name))
        dated = document.kind.date(document.meta)
        book = EpubBook(
            identifier=f"urn:polypress:{settings.slug}:{document.slug}:{edition.language}",
            language=edition.language.replace("_", "-"),
            direction=language.direction,
            title=f"{document.meta['symbol']} {title}" if document.meta.get("symbol") else title,
            modified=dated or EPOCH,
            date=dated,
            content_xhtml=chapter,
            nav_xhtml=nav,
            css=css,
            fonts=tuple(embedded),
            resources=tuple(EpubResource(href, data) for href, data in sorted(images.items())),
            creator=document.fields.get("author") or "",
            publisher=settings.name,
        )
        data = package_epub(book)
    return Output(data, deps, warnings=tuple(warnings))


def fill_epub(request: RenderRequest) -> None:
    """The chapter and navigation filled and read as XHTML, as ``render_epub`` reads them (``check``)."""
    from polypress.formats.epub.package import document_text

    chapter, nav, _warnings = _documents(request, Deps(), {})
    with _made_from_templates(NAV_TEMPLATE):
        document_text(chapter, nav)


def _documents(request: RenderRequest, deps: Deps, images: dict[str, bytes]) -> tuple[bytes, bytes, list]:
    """The e-book's chapter and navigation documents, from the project's templates; *images* gets the
    images the chapter shows (the book carries them: epubcheck refuses data: URIs)."""
    from polypress.formats.epub.package import toc_from_headings

    sources, edition = request.sources, request.edition

    def image_in_book(picture: Picture) -> str:
        images[f"images/{picture.name}"] = picture.data
        return f"images/{picture.name}"

    content, warnings = render_view(
        request,
        "screen",
        CHAPTER_LAYOUT,
        deps,
        marker=noteref,
        image_url=image_in_book,
        absolute_links=True,
        stylesheet="style.css",
    )
    chapter = content.encode("utf-8")
    with _made_from_templates(CHAPTER_LAYOUT):
        toc = toc_from_headings(chapter)
    language = sources.settings.language(edition.language)
    context = RenderContext(
        sources.settings, language, sources.translations(edition.language, TEMPLATES_DOMAIN), "screen"
    )
    document = edition.document
    nav = render_template(NAV_TEMPLATE, context, doc=document, toc=toc, chapter="content.xhtml").encode("utf-8")
    deps.add(context)
    warnings.extend(context.warnings)
    return chapter, nav, warnings


@contextmanager
def _made_from_templates(template: str) -> Iterator[None]:
    """The chapter and navigation come from the project's templates: what breaks the e-book is theirs."""
    try:
        yield
    except ValueError as exc:
        raise TemplateError(
            f"the e-book cannot be made: {exc}",
            f"templates/{template}",
            hint="the e-book's templates must give well-formed XHTML (see templates/epub/)",
        ) from None


def _langsys(language: str, known: dict[str, str]) -> list[str] | None:
    """The OpenType language system of *language*, so a pan-CJK face keeps only its own forms."""
    tag = known.get(language.replace("_", "-")) or known.get(language.split("_")[0])
    return [tag] if tag else None


FORMAT = Format(
    name="epub", suffix=".epub", media_type="application/epub+zip", label="EPUB", render=render_epub, fill=fill_epub
)
