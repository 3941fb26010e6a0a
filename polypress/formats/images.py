"""A document's images, for every format: files under content/ (per language when there is a version),
or figures the build draws from a template under templates/figures/.

A drawn figure's words are never SVG text: WeasyPrint draws SVG ``<text>`` glyph by glyph, with no shaping
and no bidi (Arabic letters unjoined and reversed), and an e-book reader may lack the font. The template
calls ``label(x, y, text)`` instead; each label comes back with the picture and the page lays it out over
the drawing as HTML, shaped by the same text engine as the paragraphs around it, in every script.

Not in fetcher.py: that module loads WeasyPrint, which a web page or an e-book does not need.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote

from polypress.errors import FetchRefused
from polypress.files import display_path, read_bytes, read_text
from polypress.settings import Settings

#: Image files a document may show, by suffix: what every format (and EPUB 3 without fallback) takes.
IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}
#: Where the templates of drawn figures live, under templates/.
DRAWN = "figures"
#: An SVG element that draws text (``<text>``, ``<tspan>``, ``<textPath>``), which a drawn figure may not use.
_SVG_TEXT = re.compile(r"<\s*(?:[\w-]+:)?(?:text|tspan|textPath)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Label:
    """Words of a drawn figure, centred on a point given in percent of the drawing's width and height."""

    left: float
    top: float
    text: str


@dataclass(frozen=True)
class Picture:
    """One image as a format embeds it, with the labels the page lays out over it (drawn figures)."""

    name: str
    media_type: str
    data: bytes
    labels: tuple[Label, ...] = ()


#: What drawing a figure gives: the SVG (lines and marks only) and its labels.
Drawing = tuple[str, tuple[Label, ...]]


def data_uri(picture: Picture) -> str:
    """The image inside the page: the web page and the PDF need no other file."""
    return f"data:{picture.media_type};base64,{base64.b64encode(picture.data).decode('ascii')}"


def load_image(settings: Settings, src: str, language: str, read: set[str], draw: Callable[[str], Drawing]) -> Picture:
    """The image *src* of a document in *language*: ``figures/x.fr.svg`` when there is one, else
    ``figures/x.svg`` under content/, else the figure the template ``templates/figures/x.svg`` draws
    (its labels, dates in the language, beside it). What it read goes into *read* (paths relative to templates/)."""
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
        svg, labels = draw(template)
        if _SVG_TEXT.search(svg):
            source = read_text(settings.templates_dir / template, settings.root, FetchRefused)
            found = _SVG_TEXT.search(source)
            raise FetchRefused(
                "the drawn figure has SVG text, which is printed unshaped (Arabic letters unjoined and reversed)",
                f"templates/{template}",
                source.count("\n", 0, found.start()) + 1 if found else None,
                hint="write the figure's words with label(x, y, text): the page lays them out as HTML",
            )
        return Picture(f"{relative.stem}.{language}.svg", IMAGE_TYPES[suffix], svg.encode("utf-8"), labels)
    raise FetchRefused(
        f"image {src!r} not found under content/ nor drawn by templates/{template}",
        "content",
        hint="put the image under content/ (figures/x.svg) and link it relative to the document",
    )
