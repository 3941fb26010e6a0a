"""Package rendered XHTML into a reproducible EPUB 3: mimetype first and stored, fixed dates and order.

Plain data in, bytes out: formats/epub/__init__.py renders the content and navigation
documents with the project's templates; this module only checks and packages them.

Why not ebooklib: the files an EPUB adds around our XHTML are few and small (mimetype,
container.xml, package.opf), and writing them here is the only way to get the same bytes
from every build and to ship exactly the XHTML that was validated. Checked by building a
book twice with ebooklib 0.20: ``EpubBook()`` starts with a random ``uuid4`` identifier;
``EpubWriter`` writes ``dcterms:modified`` from the clock; it adds a generator meta whose
bytes change with every upgrade; every ZIP entry gets the wall-clock time and the
platform's ``create_system``; and ``EpubHtml.get_content()`` re-templates each document
(our ``<head>`` and stylesheet link replaced, ``dir`` copied onto ``<body>``). The two
builds, a second apart, differed from byte 11 on.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

from polypress.formats.epub.fonts import font_media_type

# Hrefs relative to the package document (OEBPS/package.opf). The caller's content document
# links CSS_HREF and its nav links CONTENT_HREF#id, so these names are part of the API.
CONTENT_HREF = "content.xhtml"
NAV_HREF = "nav.xhtml"
CSS_HREF = "style.css"
FONT_DIR = "fonts"
_OEBPS = "OEBPS"
_OPF_PATH = f"{_OEBPS}/package.opf"

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_EPUB_TYPE = f"{{{EPUB_NS}}}type"

# EPUB 3.2 core media types for images (no fallback needed). WebP became core only in EPUB 3.3
# and epubcheck 4.2.6 wants a fallback for it, so it is left out.
_IMAGE_MEDIA_TYPES = {
    ".gif": "image/gif",
    ".jpeg": "image/jpeg",
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}
_RESERVED_HREFS = {CONTENT_HREF, NAV_HREF, CSS_HREF, "package.opf"}

# A zip entry's date: the format cannot store dates before 1980 or after 2107.
_ZIP_MIN = datetime.date(1980, 1, 1)
_ZIP_MAX = datetime.date(2107, 12, 31)
_DateTime = tuple[int, int, int, int, int, int]
_FILE_MODE = 0o100644  # regular file, rw-r--r--, the same on every machine
_COMPRESS_LEVEL = 9

_LANG_RE = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
_FONT_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.(ttf|otf|woff|woff2)$")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CSS_STRING_BAD = re.compile(r'["\\\n\r\f]')
_HREF_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
# epubcheck 4.2.6 CSS-001 (an ERROR): EPUB style sheets must not set these; use dir="rtl" in the markup.
_CSS_FORBIDDEN = re.compile(r"(?<![\w-])(direction|unicode-bidi)\s*:", re.I)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)""", re.I)


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


# ----------------------------------------------------------------------------- packaging


def package_epub(book: EpubBook) -> bytes:
    """Return the EPUB's bytes: identical for identical input on any machine with the same zlib."""
    _check_book(book)
    props = _content_properties(book.content_xhtml)
    files: dict[str, bytes] = {
        "META-INF/container.xml": _container_xml(),
        _OPF_PATH: _package_opf(book, props),
        f"{_OEBPS}/{CONTENT_HREF}": book.content_xhtml,
        f"{_OEBPS}/{NAV_HREF}": book.nav_xhtml,
        f"{_OEBPS}/{CSS_HREF}": _font_face_css(book.fonts) + book.css,
    }
    for font in book.fonts:
        files[f"{_OEBPS}/{FONT_DIR}/{font.name}"] = font.data
    for res in book.resources:
        files[f"{_OEBPS}/{res.href}"] = res.data
    return _zip(files, _zip_date(book.modified))


def _zip(files: dict[str, bytes], date_time: _DateTime) -> bytes:
    """Write `mimetype` first and STORED, then the rest sorted and deflated, all metadata fixed."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        _write_entry(zf, "mimetype", b"application/epub+zip", date_time, zipfile.ZIP_STORED)
        for name in sorted(files):
            _write_entry(zf, name, files[name], date_time, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _write_entry(zf: zipfile.ZipFile, name: str, data: bytes, date_time: _DateTime, method: int) -> None:
    """ZipInfo defaults vary by platform (create_system) and clock; pin every field."""
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.compress_type = method
    info.create_system = 3  # Unix, whatever builds it
    info.create_version = 20
    info.extract_version = 20
    info.external_attr = _FILE_MODE << 16
    info.extra = b""  # epubcheck PKG-005: no extra field on mimetype; none anywhere keeps it simple
    info.comment = b""
    if method == zipfile.ZIP_DEFLATED:
        zf.writestr(info, data, compresslevel=_COMPRESS_LEVEL)
    else:
        zf.writestr(info, data)


def _zip_date(day: datetime.date) -> _DateTime:
    """The book's own date at midnight, clamped to what a zip header can hold."""
    if isinstance(day, datetime.datetime):
        day = day.date()
    day = min(max(day, _ZIP_MIN), _ZIP_MAX)
    return (day.year, day.month, day.day, 0, 0, 0)


def _container_xml() -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
        "  <rootfiles>\n"
        f'    <rootfile full-path="{_OPF_PATH}" media-type="application/oebps-package+xml"/>\n'
        "  </rootfiles>\n"
        "</container>\n"
    ).encode()


def _package_opf(book: EpubBook, content_props: Sequence[str]) -> bytes:
    """EPUB 3 package document; text is escaped here, nothing else is interpolated unchecked."""
    lang = quoteattr(book.language)
    meta: list[str] = [
        f'    <dc:identifier id="pub-id">{escape(book.identifier)}</dc:identifier>',
        f"    <dc:title>{escape(book.title)}</dc:title>",
        f"    <dc:language>{escape(book.language)}</dc:language>",
    ]
    if book.creator:
        meta.append(f"    <dc:creator>{escape(book.creator)}</dc:creator>")
    if book.publisher:
        meta.append(f"    <dc:publisher>{escape(book.publisher)}</dc:publisher>")
    if book.date is not None:
        meta.append(f"    <dc:date>{_date(book.date).isoformat()}</dc:date>")
    meta += [f"    <dc:subject>{escape(s)}</dc:subject>" for s in book.subjects]
    if book.description:
        meta.append(f"    <dc:description>{escape(book.description)}</dc:description>")
    if book.rights:
        meta.append(f"    <dc:rights>{escape(book.rights)}</dc:rights>")
    meta.append(f'    <meta property="dcterms:modified">{_modified(book.modified)}</meta>')
    meta += [f"    <meta property={quoteattr(p)}>{escape(v)}</meta>" for p, v in book.extra_meta]

    content_attr = f' properties="{" ".join(content_props)}"' if content_props else ""
    items = [
        f'    <item id="nav" href="{NAV_HREF}" media-type="application/xhtml+xml" properties="nav"/>',
        f'    <item id="content" href="{CONTENT_HREF}" media-type="application/xhtml+xml"{content_attr}/>',
        f'    <item id="css" href="{CSS_HREF}" media-type="text/css"/>',
    ]
    for n, font in enumerate(book.fonts, 1):
        items.append(
            f'    <item id="font-{n}" href="{FONT_DIR}/{font.name}" media-type="{font_media_type(font.data)}"/>'
        )

    for n, res in enumerate(book.resources, 1):
        items.append(f'    <item id="res-{n}" href="{res.href}" media-type="{_resource_media_type(res.href)}"/>')

    spine = []
    if book.nav_in_spine:
        spine.append('    <itemref idref="nav"/>')
    spine.append('    <itemref idref="content"/>')

    opf = "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id"'
            f' xml:lang={lang} dir="{book.direction}">',
            '  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">',
            *meta,
            "  </metadata>",
            "  <manifest>",
            *items,
            "  </manifest>",
            f'  <spine page-progression-direction="{book.direction}">',
            *spine,
            "  </spine>",
            "</package>",
            "",
        ]
    ).encode()
    ET.fromstring(opf)  # our own output must be well-formed; fails loudly on a template slip
    return opf


def _date(day: datetime.date) -> datetime.date:
    return day.date() if isinstance(day, datetime.datetime) else day


def _modified(when: datetime.date) -> str:
    """dcterms:modified needs CCYY-MM-DDThh:mm:ssZ; a plain date means midnight UTC."""
    if isinstance(when, datetime.datetime):
        if when.tzinfo is None:
            raise ValueError("EpubBook.modified: a datetime must be timezone-aware (or pass a date)")
        return when.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{when.isoformat()}T00:00:00Z"


def _font_face_css(fonts: Sequence[EpubFont]) -> bytes:
    """@font-face rules for the embedded fonts, in the caller's order, before the caller's CSS."""
    rules = []
    for font in fonts:
        rules.append(
            "@font-face {\n"
            f'  font-family: "{font.family}";\n'
            f"  font-weight: {font.weight};\n"
            f"  font-style: {font.style};\n"
            f'  src: url("{FONT_DIR}/{font.name}");\n'
            "}\n"
        )
    return ("".join(rules) + ("\n" if rules else "")).encode()


def _check_book(book: EpubBook) -> None:
    """Catch what epubcheck would reject (or readers would silently ignore) with a clear message."""
    if book.direction not in ("ltr", "rtl"):
        raise ValueError(f"direction must be 'ltr' or 'rtl', not {book.direction!r}")
    if not _LANG_RE.match(book.language):
        raise ValueError(f"language {book.language!r} is not a BCP 47 tag")
    for what, text in [
        ("identifier", book.identifier),
        ("title", book.title),
        ("creator", book.creator),
        ("publisher", book.publisher),
        ("description", book.description),
        ("rights", book.rights),
        *[("subject", s) for s in book.subjects],
        *[("extra_meta", v) for _, v in book.extra_meta],
    ]:
        if _XML_INVALID.search(text):
            raise ValueError(f"{what} contains characters XML 1.0 cannot hold")
    if not book.identifier.strip() or not book.title.strip():
        raise ValueError("identifier and title must not be empty")
    names = [f.name for f in book.fonts]
    if len(set(names)) != len(names):
        raise ValueError(f"font file names must be unique: {names}")
    for font in book.fonts:
        if not _FONT_NAME_RE.match(font.name):
            raise ValueError(f"font name {font.name!r}: use [A-Za-z0-9._-] and .ttf/.otf/.woff/.woff2")
        if _CSS_STRING_BAD.search(font.family) or not font.family.strip():
            raise ValueError(f"font family {font.family!r} cannot go in a CSS string")
        if font.weight not in ("normal", "bold") and not font.weight.isdigit():
            raise ValueError(f"font weight {font.weight!r}: 'normal', 'bold' or a number")
        if font.style not in ("normal", "italic", "oblique"):
            raise ValueError(f"font style {font.style!r}: 'normal' or 'italic'")
        font_media_type(font.data)
    content = _parse_xhtml("content_xhtml", book.content_xhtml)
    nav = _parse_xhtml("nav_xhtml", book.nav_xhtml)
    for what, root in (("content_xhtml", content), ("nav_xhtml", nav)):
        lang, xml_lang = root.get("lang"), root.get(_XML_LANG)
        if lang is None and xml_lang is None:
            raise ValueError(f"{what}: <html> needs lang and xml:lang (screen readers and hyphenation use them)")
        if lang is not None and xml_lang is not None and lang != xml_lang:
            raise ValueError(f"{what}: lang={lang!r} and xml:lang={xml_lang!r} must be equal")
        if book.direction == "rtl" and root.get("dir") != "rtl":
            raise ValueError(f'{what}: an rtl book needs dir="rtl" on <html>')
    if not any(
        el.get("href") == CSS_HREF and "stylesheet" in (el.get("rel") or "").split()
        for el in content.iter(f"{{{XHTML_NS}}}link")
    ):
        raise ValueError(f'content_xhtml must link the stylesheet: <link rel="stylesheet" href="{CSS_HREF}"/>')
    if not any("toc" in (el.get(_EPUB_TYPE) or "").split() for el in nav.iter(f"{{{XHTML_NS}}}nav")):
        raise ValueError('nav_xhtml needs <nav epub:type="toc">')
    for what, root in (("content_xhtml", content), ("nav_xhtml", nav)):
        title = root.find(f"{{{XHTML_NS}}}head/{{{XHTML_NS}}}title")
        if title is None or not "".join(title.itertext()).strip():
            raise ValueError(f"{what}: <head> needs a non-empty <title> (epubcheck RSC-005)")
        for el in root.iter():
            if el.get("style") and _CSS_FORBIDDEN.search(el.get("style", "")):
                raise ValueError(f"{what}: style attribute sets direction/unicode-bidi (epubcheck CSS-001): use dir=")
    _check_css(book.css.decode("utf-8"))

    packaged = {f"{FONT_DIR}/{f.name}" for f in book.fonts}
    for res in book.resources:
        if not _HREF_RE.match(res.href) or res.href in _RESERVED_HREFS or res.href.startswith(f"{FONT_DIR}/"):
            raise ValueError(
                f"resource href {res.href!r}: a relative path of [A-Za-z0-9._-] parts, not a reserved name"
            )
        if res.href in packaged:
            raise ValueError(f"resource href {res.href!r} is given twice")
        _resource_media_type(res.href)
        packaged.add(res.href)
    missing = sorted(
        {ref for ref in (*_css_urls(book.css.decode("utf-8")), *_document_refs(content)) if ref not in packaged}
    )
    if missing:
        raise ValueError(f"referenced but not packaged (epubcheck RSC-007): {missing}; add them as EpubResource")


def _check_css(css: str) -> None:
    """Refuse what epubcheck 4.2.6 reports as an ERROR in an EPUB style sheet."""
    match = _CSS_FORBIDDEN.search(_CSS_COMMENT.sub("", css))
    if match:
        raise ValueError(f"css sets {match.group(1)!r} (epubcheck CSS-001): set dir= on the markup instead")


def _css_urls(css: str) -> list[str]:
    """Local files the style sheet loads; remote and data: URLs are refused, fragments ignored."""
    refs = []
    for m in _CSS_URL.finditer(_CSS_COMMENT.sub("", css)):
        url = next(g for g in m.groups() if g is not None)
        refs += _local_ref(url, "css")
    return refs


def _document_refs(root: ET.Element) -> list[str]:
    """Files an XHTML document embeds (img, audio, video, source, svg image); links to sites stay links."""
    refs = []
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in (f"{{{XHTML_NS}}}{n}" for n in ("img", "audio", "video", "source", "track", "iframe", "embed")):
            refs += _local_ref(el.get("src") or "", "content_xhtml")
        elif tag == "{http://www.w3.org/2000/svg}image":
            href = el.get("href") or el.get("{http://www.w3.org/1999/xlink}href") or ""
            refs += _local_ref(href, "content_xhtml")
        elif tag == f"{{{XHTML_NS}}}link" and el.get("href") != CSS_HREF:
            if "stylesheet" in (el.get("rel") or "").split():
                refs += _local_ref(el.get("href") or "", "content_xhtml")
    return refs


def _local_ref(url: str, where: str) -> list[str]:
    url = url.strip().split("#", 1)[0]
    if not url:
        return []
    if ":" in url.split("/", 1)[0]:
        raise ValueError(f"{where} loads {url!r}: an EPUB must carry its own resources (remote or data: URL)")
    return [url[2:] if url.startswith("./") else url]


def _resource_media_type(href: str) -> str:
    ext = href[href.rfind(".") :].lower() if "." in href else ""
    try:
        return _IMAGE_MEDIA_TYPES[ext]
    except KeyError:
        raise ValueError(f"resource {href!r}: not an EPUB 3.2 core image type {sorted(_IMAGE_MEDIA_TYPES)}") from None


def _parse_xhtml(what: str, data: bytes) -> ET.Element:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ValueError(f"{what} is not well-formed XML: {exc}") from exc
    if root.tag != f"{{{XHTML_NS}}}html":
        raise ValueError(f"{what}: root must be <html xmlns='{XHTML_NS}'>, not {root.tag}")
    return root


def _content_properties(content: bytes) -> list[str]:
    """Manifest properties epubcheck requires (OPF-014) when the document uses these features."""
    root = ET.fromstring(content)
    props = set()
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag.startswith("{http://www.w3.org/1998/Math/MathML}"):
            props.add("mathml")
        elif tag.startswith("{http://www.w3.org/2000/svg}"):
            props.add("svg")
        elif tag == f"{{{XHTML_NS}}}script":
            props.add("scripted")
    return sorted(props)


# ----------------------------------------------------------------------------- navigation


def toc_from_headings(content_xhtml: bytes, levels: int = 3) -> list[NavPoint]:
    """The table of contents of a content document: its h1 to h{levels}, nested, each linked by its id."""
    root = _parse_xhtml("content_xhtml", content_xhtml)
    tags = {f"{{{XHTML_NS}}}h{n}": n for n in range(1, levels + 1)}
    stack: list[tuple[int, list[NavPoint], str, str]] = []  # (level, children, label, href)
    top: list[NavPoint] = []

    def close_to(level: int) -> None:
        while stack and stack[-1][0] >= level:
            _, kids, label, href = stack.pop()
            point = NavPoint(label, href, tuple(kids))
            (stack[-1][1] if stack else top).append(point)

    for el in root.iter():
        if el.tag not in tags:
            continue
        ident = el.get("id")
        label = " ".join(_visible_text(el).split())
        if not ident:
            raise ValueError(f"heading {label!r} has no id: the navigation cannot link it")
        close_to(tags[el.tag])
        stack.append((tags[el.tag], [], label, f"{CONTENT_HREF}#{ident}"))
    close_to(0)
    return top


def _visible_text(el: ET.Element) -> str:
    """Heading text without footnote reference marks."""
    if "noteref" in (el.get(_EPUB_TYPE) or "").split():
        return el.tail or ""
    parts = [el.text or ""]
    for child in el:
        parts.append(_visible_text(child))
    return "".join(parts) + (el.tail or "")


def document_text(*xhtml: bytes) -> str:
    """All character data of the documents: what subset_font must keep glyphs for."""
    return "".join("".join(ET.fromstring(doc).itertext()) for doc in xhtml)
