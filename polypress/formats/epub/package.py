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
import zipfile
from collections.abc import Sequence
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

from polypress.formats.epub.book import (
    CONTENT_HREF,
    CSS_HREF,
    EPUB_TYPE,
    FONT_DIR,
    NAV_HREF,
    OEBPS,
    OPF_PATH,
    XHTML_NS,
    EpubBook,
    EpubFont,
    NavPoint,
    parse_xhtml,
    resource_media_type,
)
from polypress.formats.epub.checks import check_book
from polypress.formats.epub.fonts import font_media_type

# A zip entry's date: the format cannot store dates before 1980 or after 2107.
_ZIP_MIN = datetime.date(1980, 1, 1)
_ZIP_MAX = datetime.date(2107, 12, 31)
_DateTime = tuple[int, int, int, int, int, int]
_FILE_MODE = 0o100644  # regular file, rw-r--r--, the same on every machine
_COMPRESS_LEVEL = 9


# ----------------------------------------------------------------------------- packaging


def package_epub(book: EpubBook) -> bytes:
    """Return the EPUB's bytes: identical for identical input on any machine with the same zlib."""
    check_book(book)
    props = _content_properties(book.content_xhtml)
    files: dict[str, bytes] = {
        "META-INF/container.xml": _container_xml(),
        OPF_PATH: _package_opf(book, props),
        f"{OEBPS}/{CONTENT_HREF}": book.content_xhtml,
        f"{OEBPS}/{NAV_HREF}": book.nav_xhtml,
        f"{OEBPS}/{CSS_HREF}": _font_face_css(book.fonts) + book.css,
    }
    for font in book.fonts:
        files[f"{OEBPS}/{FONT_DIR}/{font.name}"] = font.data
    for res in book.resources:
        files[f"{OEBPS}/{res.href}"] = res.data
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
        f'    <rootfile full-path="{OPF_PATH}" media-type="application/oebps-package+xml"/>\n'
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
        items.append(f'    <item id="res-{n}" href="{res.href}" media-type="{resource_media_type(res.href)}"/>')

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
    root = parse_xhtml("content_xhtml", content_xhtml)
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
    if "noteref" in (el.get(EPUB_TYPE) or "").split():
        return el.tail or ""
    parts = [el.text or ""]
    for child in el:
        parts.append(_visible_text(child))
    return "".join(parts) + (el.tail or "")


def document_text(content_xhtml: bytes, nav_xhtml: bytes) -> str:
    """All character data of the chapter and the navigation: what subset_font must keep glyphs for; raises
    ValueError for a document that is not XHTML."""
    documents = (parse_xhtml("content_xhtml", content_xhtml), parse_xhtml("nav_xhtml", nav_xhtml))
    return "".join("".join(root.itertext()) for root in documents)
