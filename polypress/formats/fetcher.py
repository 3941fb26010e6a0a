"""The renderer's only way to read a file: the project's templates and the configured fonts, nothing else."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from polypress.errors import FetchRefused
from polypress.files import read_bytes
from polypress.render.fonts import FontFiles
from polypress.settings import Settings


class ProjectFetcher(URLFetcher):
    """Serve files from allowed folders and the configured font files only; refuse everything else.

    Records what it was asked for: the build keys an output on the stylesheets and images it read.
    """

    def __init__(
        self,
        allowed_dirs: list[Path],
        fonts: FontFiles | None = None,
        pictures: dict[Path, tuple[bytes, str]] | None = None,
    ) -> None:
        super().__init__(allowed_protocols={"file"})
        self.allowed_dirs = [d.resolve() for d in allowed_dirs]
        self.fonts = fonts
        #: The document's images, by the path the page gives them (formats/images.py): served from memory.
        self.pictures = pictures or {}
        self.requested: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        self.requested.append(url)
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return self._refuse(url)
        path = Path(unquote(parts.path))
        if path in self.pictures:
            data, media_type = self.pictures[path]
            return URLFetcherResponse(path.as_uri(), data, {"Content-Type": media_type})
        font = self.fonts.read(path) if self.fonts is not None else None
        if font is not None:
            return URLFetcherResponse(path.as_uri(), font, {"Content-Type": "font/otf"})
        path = path.resolve()
        if not any(path.is_relative_to(d) for d in self.allowed_dirs) or not path.is_file():
            return self._refuse(url)
        try:  # a regular file of a sane size, as every project file
            data = read_bytes(path, self.allowed_dirs[0], FetchRefused, allowed=self.allowed_dirs)
        except FetchRefused as exc:
            return self._refuse(url, exc.message)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), data, {"Content-Type": mime})

    def _refuse(self, url: str, reason: str = "outside the project") -> URLFetcherResponse:
        self.refused.append(url)
        raise FatalURLFetchingError(f"refused to fetch {url}: {reason}")


def fetched_templates(settings: Settings, urls: list[str]) -> set[str]:
    """Files under templates/ that were fetched (stylesheets, images), relative to templates/."""
    found = set()
    base = settings.templates_dir.resolve()
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme != "file":
            continue
        path = Path(unquote(parts.path)).resolve()
        if path.is_relative_to(base):
            found.add(path.relative_to(base).as_posix())
    return found
