"""What epubcheck would reject in an e-book, caught before packaging with a message that says what to fix."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from polypress.formats.epub.book import (
    CONTENT_HREF,
    CSS_HREF,
    EPUB_TYPE,
    FONT_DIR,
    NAV_HREF,
    XHTML_NS,
    XML_LANG,
    EpubBook,
    parse_xhtml,
    resource_media_type,
)
from polypress.formats.epub.fonts import font_media_type

_RESERVED_HREFS = {CONTENT_HREF, NAV_HREF, CSS_HREF, "package.opf"}
_LANG_RE = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
_FONT_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.(ttf|otf|woff|woff2)$")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CSS_STRING_BAD = re.compile(r'["\\\n\r\f]')
_HREF_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
# epubcheck 4.2.6 CSS-001 (an ERROR): EPUB style sheets must not set these; use dir="rtl" in the markup.
_CSS_FORBIDDEN = re.compile(r"(?<![\w-])(direction|unicode-bidi)\s*:", re.I)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)""", re.I)


def check_book(book: EpubBook) -> None:
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
    content = parse_xhtml("content_xhtml", book.content_xhtml)
    nav = parse_xhtml("nav_xhtml", book.nav_xhtml)
    for what, root in (("content_xhtml", content), ("nav_xhtml", nav)):
        lang, xml_lang = root.get("lang"), root.get(XML_LANG)
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
    if not any("toc" in (el.get(EPUB_TYPE) or "").split() for el in nav.iter(f"{{{XHTML_NS}}}nav")):
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
        resource_media_type(res.href)
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
