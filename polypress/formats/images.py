"""A document's images, for every format: found under content/ only, per language when there is a version.

Not in fetcher.py: that module loads WeasyPrint, which a web page or an e-book does not need.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path
from urllib.parse import quote, unquote

from polypress.errors import FetchRefused
from polypress.settings import Settings

#: Image files a document may show, by suffix: what every format (and EPUB 3 without fallback) takes.
IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}


def image_file(settings: Settings, src: str, language: str) -> Path:
    """The file of an image a document shows: ``figures/x.fr.svg`` for French when there is one, else
    ``figures/x.svg``; only under content/, so a source cannot show a file from elsewhere."""
    base = settings.content_dir.resolve()
    path = (settings.content_dir / unquote(src)).resolve()
    localized = path.with_name(f"{path.stem}.{language}{path.suffix}")
    for candidate in (localized, path):
        if candidate.is_relative_to(base) and candidate.suffix.lower() in IMAGE_TYPES and candidate.is_file():
            return candidate
    raise FetchRefused(
        f"image {src!r} is not a .svg or .png file under content/",
        "content",
        hint="put the image under content/ (figures/x.svg) and link it relative to the document",
    )


def image_relative_url(settings: Settings, src: str, language: str, read: set[str]) -> str:
    """An image's URL relative to templates/ (the print page's base): the print HTML, and the PDF's
    identifier with it, do not depend on where the project lives. The path goes into *read*, so
    the build renders again when the image changes."""
    path = image_file(settings, src, language)
    relative = os.path.relpath(path, settings.templates_dir.resolve()).replace(os.sep, "/")
    read.add(relative)
    return quote(relative)


def image_data_uri(settings: Settings, src: str, language: str, read: set[str]) -> str:
    """An image as a data: URI: the web page and the e-book carry it inside, the site has no extra file."""
    path = image_file(settings, src, language)
    read.add(os.path.relpath(path, settings.templates_dir.resolve()).replace(os.sep, "/"))
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"data:{IMAGE_TYPES[path.suffix.lower()]};base64,{data}"
