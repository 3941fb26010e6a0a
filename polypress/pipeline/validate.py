"""What the build refuses before it lays anything out, in one place: `check` runs it on every edition.

The build calls ``check_editions`` on what it is about to render; ``check`` calls ``validate`` on
every document in every language, which also fills the templates (Jinja only: no layout engine,
no file written). So an input the build would refuse is a `check` error first, at its line:
a character no font has, a figure that is missing or outside the project, a template that does
not parse or names an undefined variable, a template string whose placeholders differ.
"""

from __future__ import annotations

from polypress.content.inline import Image, parse_inline, walk
from polypress.editions import Edition, EditionSummary
from polypress.errors import ContentError, FetchRefused
from polypress.formats import FORMATS
from polypress.formats.base import Output, RenderRequest
from polypress.formats.images import load_image
from polypress.pipeline.plan import plan_editions
from polypress.render.fonts import check_coverage, check_fonts_exist, edition_sources
from polypress.site.links import document_links
from polypress.sources import Sources


def check_editions(sources: Sources, editions: list[Edition]) -> None:
    """Fonts, glyphs and figures of *editions*: what a render would otherwise fail on, located.

    Faces are taken out of font collections here for the check (a fixed ~200 MB with the CJK faces and
    their character maps); a build's workers, forked before it, take out their own when they render.
    """
    settings = sources.settings
    for language in dict.fromkeys(e.language for e in editions):
        check_fonts_exist(settings, language)
    for edition in {e.key: e for e in editions}.values():
        check_coverage(settings, edition.language, edition_sources(sources, edition))
        check_figures(sources, edition)


def check_files(sources: Sources, edition: Edition | EditionSummary) -> None:
    """What a render reads besides the edition's text, its fonts and figures: all the check an edition whose
    glyphs passed it with the same texts and fonts still needs (pipeline/plans.py)."""
    check_fonts_exist(sources.settings, edition.language)
    check_figures(sources, edition)


def check_figures(sources: Sources, edition: Edition | EditionSummary) -> None:
    """Every image the edition shows is a readable file of the project (or drawn by a template), at its line."""
    document = sources.document(edition.slug)
    wanted = [(b.src, b.line) for b in document.walk() if b.kind == "figure"]
    wanted += [(n.src, u.line) for u in document.units() for n in walk(parse_inline(u.text)) if isinstance(n, Image)]
    for src, line in wanted:
        try:
            load_image(sources.settings, src, edition.language, set(), draw=lambda _template: ("", ()))
        except FetchRefused as exc:  # at the line that shows the image; the file's own name in the message
            file = f"{exc.path}: " if exc.path and exc.path != "content" else ""
            raise ContentError(f"{file}{exc.message}", document.path, line, hint=exc.hint) from None


def validate(sources: Sources, languages: list[str]) -> None:
    """Everything the build checks before and while it renders, for every document in *languages*."""
    editions = [planned.edition for planned in plan_editions(sources, languages)]
    check_editions(sources, editions)
    for edition in editions:
        fill_templates(sources, edition, languages)


def fill_templates(sources: Sources, edition: Edition, languages: list[str]) -> None:
    """Every format's templates for *edition*, filled and thrown away (``Format.fill``, or the render of a
    format that is no more than that): template errors, located.

    The web page is given an empty file of each downloadable format, so its download links are filled too.
    """
    files = [fmt.artifact(edition, Output(b"", pages=1)) for fmt in FORMATS.values() if not fmt.lists_downloads]
    links = document_links(sources, edition, languages, files)
    for fmt in FORMATS.values():
        request = RenderRequest(sources, edition, links if fmt.lists_downloads else {})
        (fmt.fill or fmt.render)(request)
