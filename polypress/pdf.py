"""Print HTML to PDF with WeasyPrint, fetching nothing outside the project."""

from __future__ import annotations

import hashlib
import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydyf
from markupsafe import Markup
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from polypress.barcode import code39_svg
from polypress.config import PAGE_SIZES, Language, Project
from polypress.document import Document
from polypress.errors import ContentError, FetchRefused


class ProjectFetcher(URLFetcher):
    """Serve files from allowed folders and font files only; refuse everything else."""

    def __init__(self, allowed_dirs: list[Path], allowed_files: set[Path]) -> None:
        super().__init__(allowed_protocols={"file"})
        self.allowed_dirs = [d.resolve() for d in allowed_dirs]
        self.allowed_files = {f.resolve() for f in allowed_files}
        self.requested: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        self.requested.append(url)
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return self._refuse(url)
        path = Path(unquote(parts.path)).resolve()
        allowed = path in self.allowed_files or any(path.is_relative_to(d) for d in self.allowed_dirs)
        if not allowed or not path.is_file():
            return self._refuse(url)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})

    def _refuse(self, url: str) -> URLFetcherResponse:
        self.refused.append(url)
        raise FatalURLFetchingError(f"refused to fetch {url}: outside the project")


@dataclass(frozen=True)
class PrintSettings:
    """What the print edition of one document in one language is printed with."""

    page_size: str = "A4"
    print_marks: bool = False
    #: "13-49245 (E)": the print shop's number with the language letter; "" when not set.
    job_number: str = ""
    #: Code 39 barcode of the job number's digits, or "" without a job number.
    barcode: Markup = Markup("")


def print_settings(project: Project, document: Document, language: Language) -> PrintSettings:
    """Settings from polypress.toml, overridden by the document's front matter.

    ``job_number`` is a string ("13-49245") or a table per language ({ en = "13-49245",
    fr = "13-49246" }); a language without one gets none: job numbers are never invented.
    """
    meta, lines = document.meta, document.meta_lines
    page_size = meta.get("page_size") or project.page_size
    if page_size not in PAGE_SIZES:
        raise ContentError(
            f"page_size must be one of {', '.join(PAGE_SIZES)}, not {page_size!r}",
            document.path,
            lines.get("page_size", 1),
        )
    job = meta.get("job_number") or ""
    if isinstance(job, dict):
        job = job.get(language.code, "")
    if not isinstance(job, str):
        raise ContentError(
            'job_number must be a quoted string like "13-49245" or a table per language',
            document.path,
            lines.get("job_number", 1),
        )
    job = job.strip()
    digits = "".join(char for char in job if char.isdigit())
    if job and not digits:
        raise ContentError(
            f"job_number {job!r} has no digits",
            document.path,
            lines.get("job_number", 1),
            hint='write it like "13-49245"',
        )
    suffix = f" ({language.job_suffix})" if job and language.job_suffix else ""
    return PrintSettings(
        page_size=page_size,
        print_marks=project.print_marks,
        job_number=job + suffix,
        barcode=code39_svg(digits) if digits else Markup(""),
    )


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    #: What WeasyPrint warned about (ignored CSS, missing resources…).
    messages: tuple[str, ...] = ()


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def render_pdf(
    html: str,
    base_dir: Path,
    fetcher: ProjectFetcher,
    source_path: str,
    variant: str = "",
) -> RenderedPdf:
    """Render print HTML to PDF bytes with a content-derived identifier (reproducible)."""
    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        document = HTML(string=html, base_url=base_dir.as_uri() + "/", url_fetcher=fetcher).render()
        identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
        options: dict = {"pdf_identifier": identifier, "pdf_tags": True}
        if variant:
            options["pdf_variant"] = variant
        data = document.write_pdf(finisher=_add_page_labels, **options)
    except FatalURLFetchingError as exc:
        raise FetchRefused(str(exc), source_path, hint="documents may only use files under templates/") from None
    finally:
        logger.removeHandler(collector)
    return RenderedPdf(data=data, pages=len(document.pages), messages=tuple(collector.messages))


def _add_page_labels(document, pdf: pydyf.PDF) -> None:
    """Page labels 1, 2, 3… matching the printed "n/N" (WeasyPrint 70 writes none)."""
    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array([0, pydyf.Dictionary({"S": "/D"})])})
