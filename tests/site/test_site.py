"""The distribution site: landing pages, accessible document pages, and files a distributor can verify."""

from __future__ import annotations

import json
import posixpath
import re
import shutil
import subprocess
import urllib.request
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from pypdf import PdfReader

from polypress.content.reader import discover_documents
from polypress.settings import read_settings
from tests.conftest import ROOT, run_cli

PROJECT = read_settings(ROOT)
LANGUAGES = list(PROJECT.languages)
DOCUMENTS = [d.slug for d in discover_documents(PROJECT.content_dir, ROOT)]
SITE_URL = PROJECT.site_url
ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


class Page(HTMLParser):
    """What a reader's tools see in a page: attributes by tag, headings, links, text."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[int] = []
        self.text: list[str] = []
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag: str, **wanted) -> list[dict]:
        return [a for t, a in self.tags if t == tag and all(a.get(k.rstrip("_")) == v for k, v in wanted.items())]

    @property
    def plain(self) -> str:
        return " ".join("".join(self.text).split())


@pytest.fixture(scope="module")
def manifest(site):
    return json.loads((site / "manifest.json").read_text())


# -- integrity ----------------------------------------------------------------------------------


def test_sha256sum_accepts_the_checksums(site):
    result = subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=site, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "manifest.json: OK" in result.stdout


def test_checksums_and_manifest_cover_every_file_on_the_site(site, manifest):
    on_disk = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    summed = {line.split("  ", 1)[1] for line in (site / "SHA256SUMS").read_text().splitlines()}
    assert summed == on_disk - {"SHA256SUMS"}
    assert {a["path"] for a in manifest["artifacts"]} == on_disk - {"SHA256SUMS", "manifest.json"}


def test_every_artifact_says_what_it_is_and_where_it_comes_from(manifest):
    assert manifest["languages"] == LANGUAGES
    for artifact in manifest["artifacts"]:
        assert set(artifact) >= {"document", "language", "format", "path", "sha256", "bytes", "source_revision"}
        if artifact["format"] == "pdf":
            assert artifact["pages"] >= 1
    # The copy under test is not a git checkout, and says so rather than inventing a commit.
    assert manifest["source_revision"] == "unknown"


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_language_has_a_zip_of_its_reports(site, code):
    (archive,) = (site / code).glob("*.zip")
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
        # Every downloadable file of each report, PDF then e-book, in source order.
        assert names == [f"{archive.stem}/{slug}{suffix}" for slug in DOCUMENTS for suffix in (".pdf", ".epub")]
        for info in opened.infolist():
            assert opened.read(info) == (site / code / Path(info.filename).name).read_bytes()
            # Fixed from the documents' own dates, never the clock: rebuilding gives the same bytes.
            assert info.date_time == (2013, 10, 3, 0, 0, 0)


def test_the_sitemap_lists_every_page_with_its_translations(site):
    root = ET.parse(site / "sitemap.xml").getroot()
    urls = {u.find(f"{SM}loc").text: u for u in root.findall(f"{SM}url")}
    for code in LANGUAGES:
        for page in ["index.html", *(f"{slug}.html" for slug in DOCUMENTS)]:
            url = urls[f"{SITE_URL}{code}/{page}"]
            alternates = {a.get("hreflang"): a.get("href") for a in url.findall(f"{XHTML}link")}
            assert set(alternates) == {*LANGUAGES, "x-default"}
            assert all(href.startswith(SITE_URL) for href in alternates.values())
            assert alternates["ar"] == f"{SITE_URL}ar/{page}"


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_atom_feed_dates_releases_from_the_content(site, code):
    feed = ET.parse(site / code / "feed.xml").getroot()
    entries = {e.find(f"{ATOM}id").text: e for e in feed.findall(f"{ATOM}entry")}
    resolution = entries[f"{SITE_URL}{code}/a-res-68-4.html"]
    assert resolution.find(f"{ATOM}updated").text == "2013-10-03T00:00:00Z"  # adopted
    series = entries[f"{SITE_URL}{code}/hld-series.html"]
    assert series.find(f"{ATOM}updated").text == "2013-09-17T00:00:00Z"  # last roundtable
    enclosure = resolution.find(f"{ATOM}link[@rel='enclosure']")
    assert int(enclosure.get("length")) == (site / code / "a-res-68-4.pdf").stat().st_size


def test_a_second_build_writes_identical_bytes(built_project, tmp_path):
    copy = tmp_path / "again"
    shutil.copytree(built_project, copy)
    before = {p.relative_to(copy): p.read_bytes() for p in (copy / "build" / "site").rglob("*") if p.is_file()}
    assert run_cli("-C", str(copy), "build", "--quiet") == 0
    after = {p.relative_to(copy): p.read_bytes() for p in (copy / "build" / "site").rglob("*") if p.is_file()}
    assert after.keys() == before.keys()
    assert [str(p) for p in before if before[p] != after[p]] == []


def test_a_subset_build_keeps_the_languages_built_before(project):
    site = project / "build" / "site"
    assert run_cli("-C", str(project), "build", "--quiet", "--lang", "fr") == 0
    assert run_cli("-C", str(project), "build", "--quiet", "--lang", "es") == 0
    manifest = json.loads((site / "manifest.json").read_text())
    assert manifest["languages"] == ["fr", "es"]
    assert {(a["language"], a["format"]) for a in manifest["artifacts"]} >= {("fr", "pdf"), ("es", "pdf")}
    spanish = Page(site / "es" / "index.html")
    assert spanish.all("a", href="../fr/a-res-68-4.pdf") and spanish.all("a", href="../fr/index.html")
    french = Page(site / "fr" / "index.html")
    assert french.all("a", href="../es/a-res-68-4.pdf")
    result = subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=site, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# -- landing pages ---------------------------------------------------------------------------------


def link(code: str, target: str) -> str:
    """The relative link from a page in the *code* folder to a site path ("../fr/x.html", or "x.html" beside it)."""
    return posixpath.relpath(target, code)


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_landing_page_presents_the_series_and_every_version(site, manifest, code):
    page = Page(site / code / "index.html")
    assert page.headings[0] == 1 and page.all("html", lang=code)
    assert len(page.all("time")) == 6  # the roundtables
    items = [a for t, a in page.tags if t == "li"]
    assert len(items) >= 5  # IOM's five points (and the roundtables)
    by_path = {a["path"]: a for a in manifest["artifacts"]}
    for slug in DOCUMENTS:
        for other in LANGUAGES:
            for suffix in (".html", ".pdf"):
                assert page.all("a", href=link(code, f"{other}/{slug}{suffix}"), hreflang=other)
    # Sizes and page counts are the real files' ("3 pages" in English).
    if code == "en":
        pages = by_path["en/a-res-68-4.pdf"]["pages"]
        assert f"{round(by_path['en/a-res-68-4.pdf']['bytes'] / 1000)} kB, {pages} pages" in page.plain
    (archive,) = (site / code).glob("*.zip")
    assert page.all("a", href=archive.name)


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_series_report_line_links_the_report_in_every_language_it_is_published_in(site, code):
    published = [other for other in LANGUAGES if (site / other / "hld-report.html").exists()]
    assert len(published) == len(LANGUAGES)
    for page in (Page(site / code / "index.html"), Page(site / code / "hld-series.html")):
        line = page.all("a", class_="report-language")
        assert [a["hreflang"] for a in line] == published
        landed = [posixpath.normpath(posixpath.join(code, a["href"])) for a in line]
        assert landed == [f"{other}/hld-report.html" for other in published]


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_series_report_line_sets_its_languages_apart_from_its_words(site, code):
    """ "HLD Series Report: English · French …": a space after the colon, except after the full-width colon
    of Chinese, which carries its own space."""
    for name in ("index.html", "hld-series.html"):
        html = (site / code / name).read_text(encoding="utf-8")
        before = html[: html.index('<a class="report-language"')]
        assert before.endswith("：" if code == "zh" else ": "), before[-40:]


def test_the_english_landing_page_carries_the_seed_text(site):
    text = Page(site / "en" / "index.html").plain
    assert "2013 High-Level Dialogue on International Migration and Development Series" in text
    assert "Background Papers HLD Series" in text
    assert "Due recognition of IOM’s role as the global lead agency on migration" in text
    assert "17 September 2013" in text and "12 October 2012" in text


def test_the_root_offers_every_language_without_script(site):
    page = Page(site / "index.html")
    for code in LANGUAGES:
        (link,) = page.all("a", href=f"{code}/index.html")
        assert link["lang"] == code
    assert page.all("link", rel="alternate", hreflang="x-default")


# -- document pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("slug", DOCUMENTS)
def test_document_pages_are_accessible_and_linked_to_their_translations(site, code, slug):
    page = Page(site / code / f"{slug}.html")
    (html,) = page.all("html")
    assert html["lang"] == code and html["dir"] == ("rtl" if code == "ar" else "ltr")
    hreflangs = {a["hreflang"]: a["href"] for a in page.all("link", rel="alternate") if "hreflang" in a}
    expected = {c: link(code, f"{c}/{slug}.html") for c in LANGUAGES}
    assert hreflangs == {**expected, "x-default": link(code, f"en/{slug}.html")}
    switcher = {a["hreflang"]: a["href"] for a in page.all("a", rel="alternate")}
    assert switcher == {c: href for c, href in expected.items() if c != code}
    assert page.all("a", href="#main", class_="skip-link") and page.all("main", id="main")
    assert page.all("header", class_="site-header") and page.all("nav") and page.all("footer", class_="site-footer")
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False)), page.headings
    assert page.all("a", href=f"{slug}.pdf", type="application/pdf")
    assert page.all("link", rel="stylesheet", media="print", href="../assets/site-print.css")
    pages = len(PdfReader(site / code / f"{slug}.pdf").pages)
    assert re.search(rf"(?<!\d){pages}(?!\d)", page.plain)


def test_every_link_in_the_site_is_relative(site):
    for path in site.rglob("*.html"):
        page = Page(path)
        for tag, attrs in page.tags:
            for name in ("href", "src"):
                value = attrs.get(name)
                # "data:," is the empty icon; a document's images are carried inside its page.
                if value is not None and value != "data:," and not value.startswith("data:image/"):
                    assert not re.match(r"^([a-z]+:|/)", value), f"{path.relative_to(site)}: <{tag} {name}={value}>"


def test_the_stylesheet_uses_logical_properties_for_right_to_left(site):
    css = (site / "assets" / "site.css").read_text()
    assert not re.search(r"(margin|padding|border)-(left|right)\b|\b(left|right)\s*:|text-align:\s*(left|right)", css)


# -- serve ---------------------------------------------------------------------------------------


def test_serve_publishes_the_site_on_localhost(built_project):
    import sys

    server = subprocess.Popen(
        [sys.executable, "-m", "polypress", "-C", str(built_project), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    try:
        line = server.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
        with urllib.request.urlopen(url + "fr/index.html", timeout=30) as response:
            assert response.status == 200
            assert 'lang="fr"' in response.read().decode()
        with urllib.request.urlopen(url + "SHA256SUMS", timeout=30) as response:
            data = response.read()
        assert data == (built_project / "build" / "site" / "SHA256SUMS").read_bytes()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_without_a_site_says_to_build_first(project, capsys):
    assert run_cli("-C", str(project), "serve", "--port", "0") == 1
    assert "build it first" in capsys.readouterr().err


def test_a_feed_speaks_its_language(site):
    """The feed's title and each entry's summary come from the language's catalogue, not English."""
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(site / "ru" / "feed.xml").getroot()
    assert feed.find(f"{atom}title").text == "Доклады о Диалоге на высоком уровне 2013 года (Русский)"
    summaries = [e.find(f"{atom}summary").text for e in feed.iter(f"{atom}entry")]
    assert summaries and all(re.search(r"PDF, \d+ страниц", s) for s in summaries)
    assert not any(" p.," in s for s in summaries)
