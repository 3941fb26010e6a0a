"""Print HTML to PDF with WeasyPrint, fetching nothing outside the project."""

from __future__ import annotations

import hashlib
import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from polypress.errors import FetchRefused


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
        data = document.write_pdf(**options)
    except FatalURLFetchingError as exc:
        raise FetchRefused(str(exc), source_path, hint="documents may only use files under templates/") from None
    finally:
        logger.removeHandler(collector)
    return RenderedPdf(data=data, pages=len(document.pages), messages=tuple(collector.messages))
