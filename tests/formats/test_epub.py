"""The e-book edition: valid EPUB 3 (epubcheck), reproducible, in its language and direction, the web page's text."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from fontTools.ttLib import TTFont

import polypress
from tests.conftest import ROOT, comparable

LANGUAGES = ["en", "fr", "es", "ar", "zh", "ru"]
DOCUMENTS = ["a-res-68-4", "hld-report", "hld-series"]
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB = "{http://www.idpf.org/2007/ops}"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def epubcheck_command() -> list[str]:
    """Debian's epubcheck is the jar itself (run through binfmt where that is set up): call Java on it."""
    found = shutil.which("epubcheck")
    assert found, "epubcheck is not installed: `make` installs Debian's epubcheck package"
    jar = os.path.realpath(found)
    if Path(jar).read_bytes()[:2] == b"PK":
        java = shutil.which("java")
        assert java, "epubcheck needs a Java runtime (Debian's default-jre, a dependency of epubcheck)"
        # The client compiler and the serial collector start Java about a quarter faster for a short check.
        return [java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar]
    return [found]


def epubcheck(path: Path, report: Path) -> dict:
    subprocess.run([*epubcheck_command(), str(path), "--json", str(report)], capture_output=True, timeout=300)
    return json.loads(report.read_text(encoding="utf-8"))


def read(epub: Path, name: str) -> bytes:
    with zipfile.ZipFile(epub) as book:
        return book.read(name)


def xml(epub: Path, name: str) -> ET.Element:
    return ET.fromstring(read(epub, name))


class Text(HTMLParser):
    """The text a reader reads in an (X)HTML document, without footnote call numbers."""

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0
        self.feed(data.decode("utf-8"))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if self.skipping or (tag == "a" and ("role", "doc-noteref") in attrs):
            self.skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(self.parts)


# -- validity ------------------------------------------------------------------------------------


def test_every_epub_passes_epubcheck_without_an_error_or_a_warning(site: Path, tmp_path: Path) -> None:
    books = sorted(site.glob("*/*.epub"))
    assert len(books) == len(LANGUAGES) * len(DOCUMENTS)
    # One Java start per book: two at a time on the two cores.
    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(lambda book: epubcheck(book, tmp_path / f"{book.parent.name}-{book.stem}.json"), books))
    for book, report in zip(books, reports, strict=True):
        checker = report["checker"]
        problems = [m for m in report["messages"] if m["severity"] in ("FATAL", "ERROR", "WARNING")]
        assert problems == [], f"{book.parent.name}/{book.name}: {problems}"
        assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0)
        assert report["publication"]["ePubVersion"].startswith("3")


# -- the package ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_package_is_laid_out_for_reproducible_bytes(site: Path, code: str) -> None:
    with zipfile.ZipFile(site / code / "a-res-68-4.epub") as book:
        infos = book.infolist()
        first = infos[0]
        # mimetype first, stored, no extra field: how a reading system recognises the file.
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED and first.extra == b""
        assert book.read(first) == b"application/epub+zip"
        names = [i.filename for i in infos[1:]]
        assert names == sorted(names)
        # Dated from the document (adopted 3 October 2013), never the clock.
        assert {i.date_time for i in infos} == {(2013, 10, 3, 0, 0, 0)}
        assert {i.create_system for i in infos} == {3}


def test_rendering_again_gives_the_same_bytes(site: Path) -> None:
    again = polypress.load_project(ROOT).render("hld-series", "ar", "epub").data
    assert again == (site / "ar" / "hld-series.epub").read_bytes()


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("slug", DOCUMENTS)
def test_each_epub_declares_its_language_direction_and_title(site: Path, slug: str, code: str) -> None:
    epub = site / code / f"{slug}.epub"
    package = xml(epub, "OEBPS/package.opf")
    metadata = package.find(f"{OPF}metadata")
    assert metadata.find(f"{DC}language").text == code
    assert metadata.find(f"{DC}title").text.strip()
    assert metadata.find(f"{DC}identifier").text == f"urn:polypress:hld-2013-reports:{slug}:{code}"
    (modified,) = [m for m in metadata.findall(f"{OPF}meta") if m.get("property") == "dcterms:modified"]
    assert modified.text in ("2013-10-03T00:00:00Z", "2013-09-17T00:00:00Z")  # the document's own date
    spine = package.find(f"{OPF}spine")
    direction = "rtl" if code == "ar" else "ltr"
    assert spine.get("page-progression-direction") == direction
    for document in ("OEBPS/content.xhtml", "OEBPS/nav.xhtml"):
        root = xml(epub, document)
        assert root.get("lang") == root.get(XML_LANG) == code
        assert root.get("dir") == direction
    # Cover-less, with title metadata: no cover image in the manifest.
    assert not [i for i in package.iter(f"{OPF}item") if "cover-image" in (i.get("properties") or "")]


# -- the content ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("slug", DOCUMENTS)
def test_the_epub_carries_every_unit_as_the_web_page_does(site: Path, slug: str, code: str) -> None:
    edition, _ = polypress.load_project(ROOT).edition(slug, code)
    rtl = code == "ar"
    book = comparable(Text(read(site / code / f"{slug}.epub", "OEBPS/content.xhtml")).text, punctuation=not rtl)
    page = comparable(Text((site / code / f"{slug}.html").read_bytes()).text, punctuation=not rtl)
    for unit in edition.document.units():
        if unit.kind in ("field:short_title", "alt"):
            continue  # the running head's text: print only; an image's alt text is an attribute
        # A cross-reference with no words is written by the build ("chapter II"): compare around it.
        for part in re.split(r"\[\]\([^)]*\)", unit.text):
            text = comparable(polypress_plain(part), punctuation=not rtl)
            assert text in book, f"{code}/{slug}: the e-book lacks {unit.text[:60]!r}"
            assert text in page


def polypress_plain(text: str) -> str:
    from polypress.content.inline import plain_text

    return plain_text(text)


def test_footnotes_are_epub3_footnotes_with_a_way_back(site: Path) -> None:
    content = xml(site / "fr" / "a-res-68-4.epub", "OEBPS/content.xhtml")
    (note,) = [a for a in content.iter(f"{XHTML}aside") if a.get(f"{EPUB}type") == "footnote"]
    assert note.get("id") == "fn-1" and note.get("role") == "doc-footnote"
    (call,) = [a for a in content.iter(f"{XHTML}a") if a.get(f"{EPUB}type") == "noteref"]
    assert call.get("href") == "#fn-1" and call.get("id") == "fnref-1"
    (back,) = [a for a in note.iter(f"{XHTML}a") if a.get("role") == "doc-backlink"]
    assert back.get("href") == "#fnref-1"
    assert "Recueil des Traités" in "".join(note.itertext())


@pytest.mark.parametrize(("code", "contents"), [("fr", "Table des matières"), ("ar", "المحتويات"), ("zh", "目录")])
def test_the_navigation_document_lists_the_headings_in_the_language(site: Path, code: str, contents: str) -> None:
    epub = site / code / "hld-series.epub"
    nav = xml(epub, "OEBPS/nav.xhtml")
    (toc,) = [n for n in nav.iter(f"{XHTML}nav") if n.get(f"{EPUB}type") == "toc"]
    assert contents in "".join(toc.find(f"{XHTML}h1").itertext())
    targets = [a.get("href") for a in toc.iter(f"{XHTML}a")]
    ids = {e.get("id") for e in xml(epub, "OEBPS/content.xhtml").iter() if e.get("id")}
    assert len(targets) >= 2  # the title and the "Background Papers" heading
    assert all(t.startswith("content.xhtml#") and t.split("#")[1] in ids for t in targets)


@pytest.mark.parametrize("code", ["en", "ar", "zh"])
def test_the_fonts_are_embedded_as_subsets_that_cover_the_text(site: Path, code: str) -> None:
    epub = site / code / "a-res-68-4.epub"
    settings = polypress.load_project(ROOT).settings
    with zipfile.ZipFile(epub) as book:
        fonts = {n: book.read(n) for n in book.namelist() if n.startswith("OEBPS/fonts/")}
    stack = settings.font_stack(code)
    assert len(fonts) == sum(len(face.files) for face in stack)
    covered: set[int] = set()
    for data in fonts.values():
        face = TTFont(io.BytesIO(data))
        covered |= set(face.getBestCmap())
        assert len(data) < 2_000_000  # a subset: Noto Serif CJK's face alone is 24 MB
    text = Text(read(epub, "OEBPS/content.xhtml")).text
    missing = {c for c in text if not c.isspace() and ord(c) not in covered and c.isprintable()}
    assert missing == set()
    css = read(epub, "OEBPS/style.css").decode()
    assert css.count("@font-face") == len(fonts)
    assert f'html {{ font-family: "{stack[0].family}"' in css  # the language's first face leads the stack


# -- on the site ---------------------------------------------------------------------------------


def test_the_site_lists_every_epub(site: Path) -> None:
    manifest = json.loads((site / "manifest.json").read_text())
    listed = {a["path"]: a for a in manifest["artifacts"] if a["format"] == "epub"}
    assert set(listed) == {f"{c}/{s}.epub" for c in LANGUAGES for s in DOCUMENTS}
    sums = (site / "SHA256SUMS").read_text()
    for path, artifact in listed.items():
        assert f"{artifact['sha256']}  {path}\n" in sums
        assert artifact["bytes"] == (site / path).stat().st_size
        assert "pages" not in artifact  # reflowable: an e-book has no pages


def test_pages_and_feeds_link_the_epub_with_its_size(site: Path) -> None:
    page = (site / "fr" / "a-res-68-4.html").read_text()
    assert 'href="a-res-68-4.epub" type="application/epub+zip">EPUB</a>' in page
    size = round((site / "fr" / "a-res-68-4.epub").stat().st_size / 1000)
    assert re.search(rf"\({size}\s?ko\)", page)  # the size in French, whatever space Babel puts
    landing = (site / "ar" / "index.html").read_text()
    assert 'href="../fr/a-res-68-4.epub"' in landing and 'hreflang="fr" type="application/epub+zip"' in landing
    feed = (site / "es" / "feed.xml").read_text()
    assert 'type="application/epub+zip"' in feed and "es/hld-series.epub" in feed


def test_a_face_subset_to_the_same_characters_is_taken_from_the_user_cache(tmp_path, monkeypatch) -> None:
    """A clean build subsets the same faces to the same characters again: the subset is kept between builds
    (user_cache.py), and any other character, face or language system makes a new one."""
    from polypress.formats.epub.fonts import cached_subset, subset_font

    monkeypatch.setenv("POLYPRESS_CACHE_DIR", str(tmp_path / "cache"))
    font = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
    reads = []

    def read() -> bytes:
        reads.append(font)
        return font.read_bytes()

    fresh = subset_font(font.read_bytes(), "Résolution", ot_languages=["FRA"])
    assert cached_subset(font, "Liberation Serif", read, "Résolution", ["FRA"]) == fresh
    assert cached_subset(font, "Liberation Serif", read, "solution Ré", ["FRA"]) == fresh  # the same characters
    assert len(reads) == 1
    assert cached_subset(font, "Liberation Serif", read, "Résolutions à", ["FRA"]) != fresh
    cached_subset(font, "Liberation Serif", read, "Résolution", ["ENG"])
    assert len(reads) == 3
