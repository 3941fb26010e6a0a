"""The print edition: the kind's print template in the UN layout, made a PDF by WeasyPrint, fetching nothing outside the project."""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup

from polypress.document import Document
from polypress.errors import BuildWarning, ContentError, FetchRefused
from polypress.formats.base import Deps, Format, Output, RenderRequest, render_view, unit_marks
from polypress.formats.pdfua import VARIANTS, declare_ua, tagged_by_polypress
from polypress.i18n.placement import Placement, merge
from polypress.render.barcode import code39_svg
from polypress.render.fonts import FontFiles, font_face_css
from polypress.render.templates import UNIT_ATTRIBUTE
from polypress.settings import Language, Settings

# WeasyPrint (~0.9 s to import) is imported only when a PDF is rendered: a build with nothing
# to do never loads it.


@dataclass(frozen=True)
class PrintSettings:
    """What the print edition of one document in one language is printed with."""

    page_size: str = "A4"
    print_marks: bool = False
    #: "13-49245 (E)": the print shop's number with the language letter; "" when not set.
    job_number: str = ""
    #: Code 39 barcode of the job number's digits, or "" without a job number.
    barcode: Markup = Markup("")


def print_settings(settings: Settings, document: Document, language: Language) -> PrintSettings:
    """Settings from polypress.toml, overridden by the document's front matter.

    ``job_number`` is a string ("13-49245") or a table per language ({ en = "13-49245",
    fr = "13-49246" }); a language without one gets none: job numbers are never invented.
    """
    meta = document.meta
    job = meta["job_number"] or ""
    if isinstance(job, dict):
        job = job.get(language.code, "")
    job = job.strip()
    digits = "".join(char for char in job if char.isdigit())
    if job and not digits:
        raise ContentError(
            f"job_number {job!r} has no digits",
            document.path,
            document.meta_lines.get("job_number", 1),
            hint='write it like "13-49245"',
        )
    suffix = f" ({language.job_suffix})" if job and language.job_suffix else ""
    return PrintSettings(
        page_size=meta["page_size"] or settings.page_size,
        print_marks=settings.print_marks,
        job_number=job + suffix,
        barcode=code39_svg(digits) if digits else Markup(""),
    )


def note_at_call(label: str, number: str, note: Markup | None, unit: int | None = None) -> Markup:
    """In print a footnote is its own text at its call: WeasyPrint floats it to the foot of that page.

    *unit* is the footnote's position in the document's walk, marked like any unit's element.
    """
    if note is None:
        return Markup('<sup class="footnote-ref">{}</sup>').format(number)
    mark = Markup(' {}="{}"').format(UNIT_ATTRIBUTE, unit) if unit is not None else Markup("")
    return Markup('<span class="footnote" id="fn-{}"{}>{}</span>').format(label, mark, note)


#: Where the print page finds the document's images, under templates/: the fetcher serves them from memory.
PICTURES = "_document-images"


def print_html(
    request: RenderRequest, fonts: FontFiles, deps: Deps, pictures: dict | None = None
) -> tuple[str, list[BuildWarning]]:
    """The HTML WeasyPrint lays out (the benchmark renders it with WeasyPrint alone, too)."""
    settings = request.sources.settings
    edition = request.edition
    language = settings.language(edition.language)
    dated = edition.document.kind.date(edition.document.meta)

    def url(face, path: Path) -> str:
        # An installed font by its absolute file URL; a face taken out of a collection by its
        # build/fonts/ name relative to templates/ (the print page's base URL), so the print
        # HTML, and with it the PDF's identifier, is the same wherever the project lives.
        file = fonts.file(face, path)
        if file.is_relative_to(settings.root):
            return quote(os.path.relpath(file, settings.templates_dir).replace(os.sep, "/"))
        return file.as_uri()

    marks = unit_marks(edition.document)
    notes = {label: marks.get(id(block)) for label, block in edition.document.footnotes.items()}
    return render_view(
        request,
        "print",
        "print.html",
        deps,
        marker=lambda label, number, note: note_at_call(label, number, note, notes.get(label)),
        unit_marks=marks,
        absolute_links=True,
        image_url=lambda picture: _picture_url(settings, picture, pictures),
        font_faces=Markup(font_face_css(settings, edition.language, url)),  # generated from settings, not text
        created=dated.isoformat() if dated else "",
        sheet=print_settings(settings, edition.document, language),
    )


def _picture_url(settings: Settings, picture, pictures: dict | None) -> str:
    """An image of the document by a path under templates/ (the page's base): the print HTML, and the PDF's
    identifier with it, are the same wherever the project lives, and no data: URL is fetched."""
    name = f"{PICTURES}/{picture.name}"
    if pictures is not None:
        pictures[(settings.templates_dir / name).resolve()] = (picture.data, picture.media_type)
    return quote(name)


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    #: What WeasyPrint warned about (ignored CSS, missing resources…).
    messages: tuple[str, ...] = ()
    #: The pages (from 1) where each mark (``data-unit``: a block's position, or a field's name) landed.
    marked: dict[str, tuple[int, ...]] = field(default_factory=dict)


def marked_pages(document) -> dict[str, tuple[int, ...]]:
    """From WeasyPrint's laid-out document, the pages where each ``data-unit`` element has a box.

    Read from the boxes (each knows its element), so the mark needs no id: an id would add a named
    destination to the PDF for every unit. A unit split across a page break lands on both pages.
    """
    found: dict[str, set[int]] = {}
    for number, page in enumerate(document.pages, start=1):
        seen = None
        for box in page._page_box.descendants():
            element = box.element
            if element is None or element is seen:
                continue
            seen = element
            value = element.get(UNIT_ATTRIBUTE)
            if value is not None:
                found.setdefault(value, set()).add(number)
    return {position: tuple(sorted(pages)) for position, pages in found.items()}


def weasyprint_pdf(html: str, base_dir: Path, fetcher, source: str, variant: str = "", font_config=None) -> RenderedPdf:
    """Print HTML to PDF bytes with a content-derived identifier (reproducible); a refused fetch is
    an error located at *source*, the document that asked for it."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        document = HTML(string=html, base_url=base_dir.as_uri() + "/", url_fetcher=fetcher).render(
            font_config=font_config
        )
        identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
        options: dict = {"pdf_identifier": identifier, "pdf_tags": True}
        weasyprint_variant, declares_ua = VARIANTS[variant]
        if weasyprint_variant:
            options["pdf_variant"] = weasyprint_variant

        def finish(document, pdf) -> None:
            _add_page_labels(document, pdf)
            if declares_ua:
                declare_ua(pdf)

        with tagged_by_polypress():
            data = document.write_pdf(finisher=finish, **options)
    except FatalURLFetchingError as exc:
        raise FetchRefused(str(exc), source, hint="documents may only use files under templates/") from None
    finally:
        logger.removeHandler(collector)
    return RenderedPdf(data, len(document.pages), tuple(collector.messages), marked_pages(document))


def render_pdf(request: RenderRequest) -> Output:
    from polypress.formats.fetcher import ProjectFetcher, fetched_templates

    settings = request.sources.settings
    deps = Deps()
    fonts = FontFiles(settings)
    pictures: dict = {}
    html, warnings = print_html(request, fonts, deps, pictures)
    fetcher = ProjectFetcher([settings.templates_dir], fonts, pictures)
    source = request.edition.document.path
    config = font_configuration(settings, request.edition.language, fonts)
    rendered = weasyprint_pdf(html, settings.templates_dir, fetcher, source, settings.pdf_variant, config)
    deps.templates |= {n for n in fetched_templates(settings, fetcher.requested) if not n.startswith(PICTURES)}
    language = request.edition.language
    warnings.extend(BuildWarning("renderer", f"{language}: {message}", source) for message in rendered.messages)
    units = placements(request, rendered.marked)
    return Output(rendered.data, deps, pages=rendered.pages, warnings=tuple(warnings), units=units)


def placements(request: RenderRequest, marked: dict[str, tuple[int, ...]]) -> tuple[Placement, ...]:
    """Each marked unit as its catalogue knows it (msgid, line), with the pages where it landed, in reading
    order (front matter first).

    A mark names a block of the English source by its position, or a field of its front matter by name:
    its text is the msgid. The line of the msgid comes from the catalogue the render read, so the map
    agrees with this PDF.
    """
    edition = request.edition
    source = request.sources.document(edition.document.slug)
    catalogue = request.sources.catalogues.get((edition.language, edition.document.slug))
    units: list[tuple[str | None, str, int]] = []  # (msgctxt the source declares, msgid, source line), by mark
    marks: list[str] = []
    for name in source.kind.translatable:
        if source.meta.get(name):
            marks.append(name)
            units.append((source.kind.fields[name].context, source.meta[name], source.meta_lines.get(name, 1)))
    for position, block in enumerate(source.walk()):
        if block.is_unit:
            marks.append(str(position))
            units.append((None, block.text, block.line))
    entries: dict[str, list] = {}  # msgid -> its entries in the catalogue, whatever their msgctxt
    for message in catalogue.catalog if catalogue is not None else ():
        if isinstance(message.id, str) and message.id:
            entries.setdefault(message.id, []).append(message)
    found = []
    for mark, (declared, msgid, line) in zip(marks, units, strict=True):
        pages = marked.get(mark)
        if not pages:
            continue
        # The entry in the context the source declares (the short title's), else the one without a context,
        # else the only one with this msgid: the map is keyed on (msgctxt, msgid) as the catalogue is.
        candidates = entries.get(msgid, [])
        message = next(
            (m for m in candidates if m.context == declared),
            candidates[0] if len(candidates) == 1 else None,
        )
        context = message.context if message is not None else declared
        po_line = message.lineno if message is not None and message.lineno else None
        found.append(Placement(msgid, pages, context, line, po_line))
    return merge(found)


#: Fontconfig configurations by the font files they hold, kept for the life of the process (a render worker).
_FONT_CONFIGS: dict[tuple, object] = {}


def font_configuration(settings: Settings, language: str, fonts: FontFiles):
    """One Fontconfig configuration per font stack and process, reused by every PDF in it.

    A fresh one per PDF loads the system's font list and copies each @font-face file into it again
    (24 MB for the CJK face). Keyed on the stack's files as they are on disk, so a changed font gets a
    new one; one per stack (never one for all languages) so a PDF sees exactly its own faces, whatever
    the worker rendered before: the output does not depend on which worker renders it. Languages with
    the same stack share one (English, French, Spanish and Russian here): 0.15 s a language and process.
    """
    from weasyprint.text.fonts import FontConfiguration

    key: list = []
    for face in settings.font_stack(language):
        for path in face.files.values():
            file = fonts.file(face, path)
            try:
                stat = path.stat()
                key.append((face.family, str(file), stat.st_size, stat.st_mtime_ns))
            except OSError:
                key.append((face.family, str(file)))
    config = _FONT_CONFIGS.get(tuple(key))
    if config is None:
        if len(_FONT_CONFIGS) >= 16:  # a long-lived process (serve) whose fonts keep changing
            _FONT_CONFIGS.clear()
        _remove_font_folders_at_exit()
        config = _FONT_CONFIGS[tuple(key)] = FontConfiguration()
        config.polypress_owner = os.getpid()  # a forked worker leaves its parent's folders to the parent
    return config


#: The process that registered the removal of the font folders (a forked worker registers its own).
_REMOVAL_REGISTERED_IN: list[int] = []


def _remove_font_folders_at_exit() -> None:
    """Each configuration copies its @font-face files (49 MB with the CJK face) into a folder of its own
    under the temporary directory, which WeasyPrint removes only in ``__del__``: a kept configuration is
    never collected in a render worker, which ends with ``os._exit``, so every worker of every build
    left its folder behind. Removed here instead, once per process, at its normal end (multiprocessing
    runs its finalizers in a worker before ``os._exit``, and at exit in any other process)."""
    from multiprocessing.util import Finalize

    if _REMOVAL_REGISTERED_IN != [os.getpid()]:
        _REMOVAL_REGISTERED_IN[:] = [os.getpid()]
        Finalize(None, _remove_font_folders, exitpriority=10)


def _remove_font_folders() -> None:
    import shutil

    for config in _FONT_CONFIGS.values():
        if getattr(config, "polypress_owner", None) == os.getpid() and config._folder:
            folder, config._folder = config._folder, None
            shutil.rmtree(folder, ignore_errors=True)


class _Collector(logging.Handler):
    """WeasyPrint's warnings (ignored CSS, missing resources…), to report with the document's location."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _add_page_labels(document, pdf) -> None:
    """Page labels 1, 2, 3… matching the printed "n/N" (WeasyPrint 70 writes none)."""
    import pydyf

    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array([0, pydyf.Dictionary({"S": "/D"})])})


def fill_pdf(request: RenderRequest) -> None:
    """The print HTML, not laid out (``check``)."""
    print_html(request, FontFiles(request.sources.settings), Deps())


FORMAT = Format(name="pdf", suffix=".pdf", media_type="application/pdf", label="PDF", render=render_pdf, fill=fill_pdf)
