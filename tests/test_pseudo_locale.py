"""A pseudo-language proves that every visible string of every format goes through the catalogues.

As Sphinx's tests do with their "xx" language: a temporary project gains a language
whose every msgstr is its msgid between markers (‹…›). Built with --strict (no
fallback allowed), whatever a reader sees outside the markers must be what no
translator writes: dates, numbers and language names from the locale's data, document
symbols, file sizes and the names of the formats.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel import Locale

from polypress.formats import FORMATS
from polypress.i18n.po import load_po, render_po
from polypress.render.typography import SYMBOL
from polypress.settings import read_settings
from tests.conftest import copy_project, run_cli

OPEN, CLOSE = "‹", "›"
LOCALE = "en_GB"


@pytest.fixture(scope="module")
def pseudo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with an "xx" language fully translated into marked English, built."""
    root = copy_project(tmp_path_factory.mktemp("pseudo") / "project")
    with (root / "polypress.toml").open("a", encoding="utf-8") as config:
        config.write(f'\n[languages.xx]\nlocale = "{LOCALE}"\nfonts = ["serif"]\nthreshold = 100\n')
    assert run_cli("-C", str(root), "update", "--lang", "xx") == 0
    for path in (root / "translations" / "xx" / "LC_MESSAGES").glob("*.po"):
        catalog = load_po(path, str(path), "xx", LOCALE)
        for message in catalog:
            if isinstance(message.id, tuple):
                message.string = tuple(f"{OPEN}{message.id[min(i, 1)]}{CLOSE}" for i in range(catalog.num_plurals))
            elif message.id:
                message.string = f"{OPEN}{message.id}{CLOSE}"
        path.write_bytes(render_po(catalog))
    assert run_cli("-C", str(root), "build", "--lang", "xx", "--strict", "--quiet") == 0
    return root


def unmarked(text: str) -> str:
    """What is left of *text* outside the markers (which may nest: a string inside a string)."""
    kept, depth = [], 0
    for char in text:
        depth += (char == OPEN) - (char == CLOSE)
        if depth == 0 and char not in (OPEN, CLOSE):
            kept.append(char)
    return "".join(kept)


def words(text: str) -> set[str]:
    """Words outside the markers, document symbols (A/RES/68/4) aside: they are never translated."""
    return set(re.findall(r"[^\W\d_]+", SYMBOL.sub(" ", unmarked(text))))


def allowed(root: Path) -> set[str]:
    """Words no catalogue holds: the locale's month and language names, format names, symbols."""
    locale = Locale.parse(LOCALE)
    settings = read_settings(root)
    names = [*locale.months["format"]["wide"].values(), *locale.languages.values()]
    names += [settings.language(code).native_name for code in settings.languages]
    names += [fmt.label for fmt in FORMATS.values()]
    names += ["kB", "th"]  # a file size's unit, the ordinal suffix of "25th plenary meeting"
    names += ["I", "II", "III", "IV"]  # chapter and figure numbers the build writes
    return {word for name in names for word in re.findall(r"[^\W\d_]+", name)}


class Visible(HTMLParser):
    """The text a reader sees in an (X)HTML page: not scripts, styles or the head."""

    def __init__(self, data: str) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0
        self.feed(data)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style", "head"):
            self.hidden += 1
        for name, value in attrs:  # what a screen reader or a tooltip says is visible too
            if name in ("alt", "title", "aria-label") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def outputs(site: Path) -> dict[str, str]:
    """The text of every document file (web page, PDF, e-book) and the landing page of xx."""
    found = {}
    for page in sorted(site.glob("*.html")):
        found[page.name] = " ".join(Visible(page.read_text(encoding="utf-8")).parts)
    for pdf in sorted(site.glob("*.pdf")):
        found[pdf.name] = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    for epub in sorted(site.glob("*.epub")):
        with zipfile.ZipFile(epub) as book:
            for name in ("OEBPS/content.xhtml", "OEBPS/nav.xhtml"):
                found[f"{epub.name}:{name}"] = " ".join(Visible(book.read(name).decode()).parts)
    return found


def test_every_format_of_every_document_is_built_in_the_pseudo_language(pseudo: Path) -> None:
    site = pseudo / "build" / "site" / "xx"
    slugs = [p.stem for p in (pseudo / "content").glob("*.md")]
    for slug in slugs:
        for fmt in FORMATS.values():
            assert (site / f"{slug}{fmt.suffix}").is_file()


def test_nothing_a_reader_sees_bypasses_the_catalogues(pseudo: Path) -> None:
    site = pseudo / "build" / "site" / "xx"
    ok = allowed(pseudo)
    texts = outputs(site)
    assert len(texts) >= 3 * 2 + 1
    for name, text in texts.items():
        assert OPEN in text, f"{name} shows no translated string at all"
        assert words(text) <= ok, f"{name} shows text that no catalogue holds: {sorted(words(text) - ok)}"


def test_the_markers_reach_every_kind_of_string(pseudo: Path) -> None:
    site = pseudo / "build" / "site" / "xx"
    page = (site / "a-res-68-4.html").read_text(encoding="utf-8")
    for english in ("Skip to content", "General Assembly", "Declaration of the High-level Dialogue"):
        assert f"{OPEN}{english}" in page  # a template string, the masthead, a document unit
    pdf = subprocess.run(["pdftotext", str(site / "a-res-68-4.pdf"), "-"], capture_output=True, text=True).stdout
    assert f"{OPEN}Please recycle{CLOSE}" in pdf  # page furniture
    with zipfile.ZipFile(site / "hld-series.epub") as book:
        assert f"{OPEN}Contents{CLOSE}" in book.read("OEBPS/nav.xhtml").decode()
