"""An e-book as plain data (the book, its fonts and resources), the names inside the package, XHTML parsing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from xml.etree import ElementTree as ET

# Hrefs relative to the package document (OEBPS/package.opf). The caller's content document
# links CSS_HREF and its nav links CONTENT_HREF#id, so these names are part of the API.
CONTENT_HREF = "content.xhtml"
NAV_HREF = "nav.xhtml"
CSS_HREF = "style.css"
FONT_DIR = "fonts"
OEBPS = "OEBPS"
OPF_PATH = f"{OEBPS}/package.opf"
XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{EPUB_NS}}}type"
# EPUB 3.2 core media types for images (no fallback needed). WebP became core only in EPUB 3.3
# and epubcheck 4.2.6 wants a fallback for it, so it is left out.
IMAGE_MEDIA_TYPES = {
    ".gif": "image/gif",
    ".jpeg": "image/jpeg",
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class EpubFont:
    """One font file to embed; @font-face rules are generated from these fields."""

    family: str  # CSS font-family, e.g. "Liberation Serif"
    weight: str  # "normal" | "bold" (or a CSS number, "400", "700")
    style: str  # "normal" | "italic"
    data: bytes  # a single sfnt/WOFF/WOFF2 face: subset collections first (subset_font)
    name: str  # file name inside the EPUB, e.g. "LiberationSerif-Regular.ttf"


@dataclass(frozen=True)
class EpubResource:
    """Another file the documents or the CSS refer to (an image); media type from its extension."""

    href: str  # relative to the content document, e.g. "images/emblem.png"
    data: bytes


@dataclass(frozen=True)
class EpubBook:
    """Everything one EPUB is made of; no field may depend on the clock or randomness."""

    identifier: str  # stable, e.g. "urn:polypress:hld-2013:a-res-68-4:fr"
    language: str  # BCP 47, e.g. "fr", "ar", "zh"
    direction: str  # "ltr" | "rtl"
    title: str
    modified: datetime.date  # the document's own date -> dcterms:modified "2013-10-03T00:00:00Z"
    content_xhtml: bytes  # XHTML5 content document; links CSS_HREF
    nav_xhtml: bytes  # EPUB navigation document with <nav epub:type="toc">
    css: bytes  # the caller's stylesheet; @font-face rules for `fonts` are prepended
    fonts: tuple[EpubFont, ...] = ()
    resources: tuple[EpubResource, ...] = ()  # images referenced by content or CSS
    creator: str = ""
    publisher: str = ""
    date: datetime.date | None = None  # publication date (dc:date)
    subjects: tuple[str, ...] = ()
    description: str = ""
    rights: str = ""
    nav_in_spine: bool = False  # True: readers also show the nav document as a page before the content
    # (property, value) pairs written as <meta property=...>, e.g. schema.org accessibility metadata
    extra_meta: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class NavPoint:
    """One entry of the table of contents (the navigation document's template lists them)."""

    label: str
    href: str
    children: tuple[NavPoint, ...] = ()


def resource_media_type(href: str) -> str:
    ext = href[href.rfind(".") :].lower() if "." in href else ""
    try:
        return IMAGE_MEDIA_TYPES[ext]
    except KeyError:
        raise ValueError(f"resource {href!r}: not an EPUB 3.2 core image type {sorted(IMAGE_MEDIA_TYPES)}") from None


def parse_xhtml(what: str, data: bytes) -> ET.Element:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ValueError(f"{what} is not well-formed XML: {exc}") from exc
    if root.tag != f"{{{XHTML_NS}}}html":
        raise ValueError(f"{what}: root must be <html xmlns='{XHTML_NS}'>, not {root.tag}")
    return root
