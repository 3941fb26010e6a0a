"""Any CommonMark document (GFM tables, footnotes) builds in every format, with nothing project-specific in it."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

import polypress
from polypress.content.reader import read_document
from polypress.i18n.extract import document_template
from tests.conftest import copy_project
from tests.formats.test_epub import epubcheck_command

SOURCE = """+++
title = "A plain CommonMark document"
+++

# Background

Some **strong**, *emphasis*, `code`, a [link](https://example.org/hld), a
cross-reference to [the tables](#tables)[^n] and a line\\
break.

## Tables

| Roundtable | Date | Participants |
|:-----------|-----:|-------------:|
| First | 12 October 2012 | 120 |
| Second | 24 January 2013 | 1500 |

![A grey box](figures/map.png "The map of routes")

1. one
   - nested item
2. two

> A quoted sentence.

[^n]: A note on the tables.
"""


#: Named footnotes, defined in another order than they are called: readers see 1, 2, 3 in reading order.
NOTES = """+++
title = "Notes in their order"
+++

# Sources

A first claim.[^zeta-source] A second claim.[^alpha-source]

A third claim[^first-defined] and the first again.[^zeta-source]

See the [Declaration][decl], the [IOM site][] and [the sources][top]; a
[file server][ftp] is no link, as inline.

[decl]: https://example.org/declaration "The Declaration"
[IOM site]: https://www.iom.int/
[top]: #sources
[ftp]: ftp://example.org/archive

[^first-defined]: Defined first, called third.

[^alpha-source]: Called second.

[^zeta-source]: Called first.
"""


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("commonmark") / "project")
    from PIL import Image

    (root / "content" / "figures").mkdir()
    Image.new("RGB", (40, 10), (200, 200, 200)).save(root / "content" / "figures" / "map.png")
    (root / "content" / "plain.md").write_text(SOURCE)
    (root / "content" / "notes.md").write_text(NOTES)
    return root


@pytest.fixture(scope="module")
def outputs(plain: Path) -> dict[str, bytes]:
    project = polypress.load_project(plain)
    return {fmt: project.render("plain", "en", fmt).data for fmt in ("html", "pdf", "epub")}


@pytest.fixture(scope="module")
def notes(plain: Path) -> dict[str, bytes]:
    project = polypress.load_project(plain)
    return {fmt: project.render("notes", "en", fmt).data for fmt in ("html", "pdf", "epub")}


def pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def calls_and_notes(page: str) -> tuple[list[str], list[str]]:
    """The numbers of the footnote calls in reading order, and the notes as listed: "1 Called first."."""
    calls = re.findall(r'role="doc-noteref"[^>]*><sup>([^<]*)</sup>', page)
    listed = re.findall(r'<li id="fn-[^"]*" value="([^"]*)"[^>]*>(.*?) <a [^>]*role="doc-backlink"', page, re.S)
    listed += re.findall(
        r'<aside [^>]*id="fn-[^"]*"[^>]*><p><a [^>]*role="doc-backlink"[^>]*>([^<]*)</a>(.*?)</p>', page
    )
    return calls, [f"{number} {re.sub(r'<[^>]+>', '', body).strip()}" for number, body in listed]


def test_named_footnotes_are_numbered_in_the_order_of_their_first_call_in_every_format(notes):
    wanted = ["1 Called first.", "2 Called second.", "3 Defined first, called third."]
    for name, page in (("web page", notes["html"].decode()), ("e-book", epub_chapter(notes["epub"]))):
        calls, listed = calls_and_notes(page)
        assert calls == ["1", "2", "3", "1"], name
        assert listed == wanted, name
        assert "zeta" not in re.sub(r'(id|href)="[^"]*"', "", page), name  # a label never shows
        assert page.count('id="fnref-zeta-source"') == 1, name  # the note links back to its first call
    text = pdf_text(notes["pdf"])
    assert "A first claim.1 A second claim.2" in text and "A third claim3 and the first again.1" in text
    assert "1 Called first." in text and "2 Called second." in text and "3 Defined first, called third." in text
    assert text.count("Called first.") == 1  # a second call to a note is its number, not a second note


def test_a_book_with_a_note_called_twice_passes_epubcheck(notes, tmp_path: Path):
    path = tmp_path / "notes.epub"
    path.write_bytes(notes["epub"])
    result = subprocess.run([*epubcheck_command(), str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def epub_chapter(data: bytes) -> str:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return book.read("OEBPS/content.xhtml").decode()


def test_each_text_is_a_unit_with_a_comment_and_numbers_are_not(plain: Path):
    source = plain / "content" / "plain.md"
    catalog = document_template(read_document(source, plain), source, plain)
    units = {m.id: m.auto_comments for m in catalog if m.id}
    assert "Roundtable" in units and "12 October 2012" in units
    assert "120" not in units and "1500" not in units
    assert units["The map of routes"] == ["Caption."]
    assert units["A grey box"][0].startswith("Description of the image")
    linked = next(c for m, c in units.items() if m.startswith("Some **strong**"))
    assert "Links: translate [the words], keep (the target) as it is." in linked


def test_the_web_page_has_header_cells_a_figure_links_and_nested_lists(outputs):
    html = outputs["html"].decode()
    assert re.search(r"<thead>\s*<tr>\s*<th scope=\"col\"[^>]*>Roundtable</th>", html)
    assert '<img src="data:image/png;base64,' in html and 'alt="A grey box"' in html
    assert (
        '<a href="https://example.org/hld">link</a>' in html and '<a class="xref" href="#tables">the tables</a>' in html
    )
    assert "<strong>strong</strong>" in html and "<code" in html and "<br />" in html
    assert re.search(r"<ol>\s*<li>one<ul>\s*<li>nested item</li>", html)


def test_the_pdf_has_the_cells_the_image_and_link_annotations(outputs, tmp_path: Path):
    import pikepdf

    path = tmp_path / "plain.pdf"
    path.write_bytes(outputs["pdf"])
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for words in ("Roundtable", "24 January 2013", "1,500", "The map of routes", "A note on the tables."):
        assert words in text
    with pikepdf.open(path) as pdf:
        uris, internal, images = [], 0, 0
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []):
                action = annot.get("/A")
                if action is not None and "/URI" in action:
                    uris.append(str(action.URI))
                elif "/Dest" in annot or (action is not None and "/D" in action):
                    internal += 1
            images += len(page.get_images())
        assert "https://example.org/hld" in uris
        assert internal >= 1
        assert images >= 1


def test_the_e_book_carries_the_image_and_passes_epubcheck(plain: Path, outputs, tmp_path: Path):
    path = tmp_path / "plain.epub"
    path.write_bytes(outputs["epub"])
    with zipfile.ZipFile(path) as book:
        assert book.read("OEBPS/images/map.png") == (plain / "content" / "figures" / "map.png").read_bytes()
        assert 'src="images/map.png"' in book.read("OEBPS/content.xhtml").decode()
    result = subprocess.run([*epubcheck_command(), str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_reference_links_are_links_in_every_format(notes):
    for name, page in (("web page", notes["html"].decode()), ("e-book", epub_chapter(notes["epub"]))):
        assert '<a href="https://example.org/declaration">Declaration</a>' in page, name
        assert '<a href="https://www.iom.int/">IOM site</a>' in page, name
        assert '<a class="xref" href="#sources">the sources</a>' in page, name
        assert "file server is no link" in page and "ftp:" not in page, name
        assert "][" not in page, name
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(notes["pdf"])) as pdf:
        uris = [
            str(annot.A.URI)
            for page in pdf.pages
            for annot in page.obj.get("/Annots", [])
            if "/A" in annot and "/URI" in annot.A
        ]
    assert "https://example.org/declaration" in uris and "https://www.iom.int/" in uris
    assert "[Declaration][decl]" not in pdf_text(notes["pdf"])


def test_footnotes_are_numbered_by_their_calls_in_the_translation(tmp_path: Path):
    """A translation may call a sentence's notes in the other order: its notes are numbered in its order."""
    from babel.messages.pofile import write_po

    project = copy_project(tmp_path / "project")
    source = project / "content" / "notes.md"
    source.write_text(NOTES)
    catalog = document_template(read_document(source, project), source, project)
    catalog.locale = "fr"
    for message in catalog:
        if message.id:
            message.string = message.id  # every unit "translated", as it is
    swapped = catalog["A first claim.[^zeta-source] A second claim.[^alpha-source]"]
    swapped.string = "Second claim first.[^alpha-source] Then the first.[^zeta-source]"
    folder = project / "translations" / "fr" / "LC_MESSAGES"
    with (folder / "notes.po").open("wb") as po:
        write_po(po, catalog, width=0)
    html = polypress.load_project(project).render("notes", "fr", "html").data.decode()
    calls, listed = calls_and_notes(html)
    assert calls == ["1", "2", "3", "2"]
    assert listed == ["1 Called second.", "2 Called first.", "3 Defined first, called third."]
