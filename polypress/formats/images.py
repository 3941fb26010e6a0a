"""A document's images, for every format: files under content/ (per language when there is a version),
or figures the build draws from a template under templates/figures/.

Not in fetcher.py: that module loads WeasyPrint, which a web page or an e-book does not need.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote

from polypress.errors import FetchRefused
from polypress.files import display_path, read_bytes
from polypress.settings import Settings

#: Image files a document may show, by suffix: what every format (and EPUB 3 without fallback) takes.
IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}
#: Where the templates of drawn figures live, under templates/.
DRAWN = "figures"


@dataclass(frozen=True)
class Picture:
    """One image as a format embeds it."""

    name: str
    media_type: str
    data: bytes


def data_uri(picture: Picture) -> str:
    """The image inside the page: the web page and the PDF need no other file."""
    return f"data:{picture.media_type};base64,{base64.b64encode(picture.data).decode('ascii')}"


def load_image(settings: Settings, src: str, language: str, read: set[str], draw: Callable[[str], str]) -> Picture:
    """The image *src* of a document in *language*: ``figures/x.fr.svg`` when there is one, else
    ``figures/x.svg`` under content/, else the figure the template ``templates/figures/x.svg`` draws
    (dates and labels in the language). What it read goes into *read* (paths relative to templates/)."""
    relative = PurePosixPath(unquote(src))
    suffix = relative.suffix.lower()
    if suffix not in IMAGE_TYPES or relative.is_absolute() or ".." in relative.parts:
        raise FetchRefused(f"image {src!r} is not a .svg or .png file of the project", "content")
    path = settings.content_dir / relative
    for candidate in (path.with_name(f"{path.stem}.{language}{path.suffix}"), path):
        if os.path.lexists(candidate):  # a link out of the project, a FIFO or a folder is refused, never skipped
            data = read_bytes(candidate, settings.root, FetchRefused, display=display_path(candidate, settings.root))
            read.add(os.path.relpath(candidate, settings.templates_dir).replace(os.sep, "/"))
            return Picture(candidate.name, IMAGE_TYPES[suffix], data)
    template = f"{DRAWN}/{relative.name}"
    if suffix == ".svg" and (settings.templates_dir / template).is_file():
        return Picture(f"{relative.stem}.{language}.svg", IMAGE_TYPES[suffix], draw(template).encode("utf-8"))
    raise FetchRefused(
        f"image {src!r} not found under content/ nor drawn by templates/{template}",
        "content",
        hint="put the image under content/ (figures/x.svg) and link it relative to the document",
    )
