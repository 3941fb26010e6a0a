"""Every PDF the build writes is PDF/UA-1 as far as the Matterhorn checker (formats/pdfua/check.py) sees,
and reads, in structure order, as its source: every unit in order, nothing from page furniture, Arabic in
logical order, words whole at line ends.

Two builds, each made once: the shipped project (A4, PDF/UA-1, six languages) and the print shop's
(Letter, bleed and crop marks, a job number with its barcode, PDF/A-3a + PDF/UA-1).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pikepdf
import pytest

import polypress
import polypress.i18n.po
from polypress.content.inline import plain_text
from polypress.content.reader import discover_documents
from polypress.formats.pdfua.check import check, structure_text, structure_tree, walk
from polypress.settings import read_settings
from tests.conftest import ROOT, comparable, copy_project, run_cli

LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")
DOCUMENTS = [d.slug for d in discover_documents(read_settings(ROOT).content_dir, ROOT)]


@pytest.fixture(scope="session")
def print_shop_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project on Letter paper with print marks, a job number per language, as PDF/A-3a + PDF/UA-1."""
    root = copy_project(tmp_path_factory.mktemp("print-shop") / "project")
    content = root / "content" / "a-res-68-4.md"
    text = content.read_text(encoding="utf-8")
    jobs = ", ".join(f'{code} = "13-4924{n}"' for n, code in enumerate(LANGUAGES))
    content.write_text(text.replace('job_number = ""', f"job_number = {{ {jobs} }}", 1), encoding="utf-8")
    settings = root / "polypress.toml"
    text = settings.read_text(encoding="utf-8").replace('page_size = "A4"', 'page_size = "Letter"', 1)
    settings.write_text(text.replace("print_marks = false", "print_marks = true", 1), encoding="utf-8")
    assert run_cli("-C", str(root), "build", "--quiet", "--pdf-variant", "pdf/a-3a+ua-1") == 0
    return root / "build" / "site"


def pdfs(site: Path) -> list[Path]:
    found = sorted(site.glob("*/*.pdf"))
    assert len(found) == len(LANGUAGES) * len(DOCUMENTS)
    return found


def test_every_shipped_pdf_passes_the_checker(site):
    failures = {path.relative_to(site).as_posix(): [str(f) for f in check(path)] for path in pdfs(site)}
    assert not {name: found for name, found in failures.items() if found}


def test_every_print_shop_pdf_passes_the_checker_as_pdf_a_3a_and_ua_1(print_shop_site):
    for path in pdfs(print_shop_site):
        with pikepdf.open(path) as pdf:
            metadata = pdf.open_metadata()
            assert (metadata.get("pdfaid:part"), metadata.get("pdfaid:conformance")) == ("3", "A")
            assert metadata.get("pdfuaid:part") == "1"
            assert float(pdf.pages[0].MediaBox[2]) > 612  # Letter with its bleed
        assert [str(f) for f in check(path)] == [], path


def test_the_job_number_and_its_barcode_are_page_furniture(print_shop_site):
    """The page-1 foot (job number, barcode, "Please recycle") is drawn, and is an artifact."""
    path = print_shop_site / "en" / "a-res-68-4.pdf"
    with pikepdf.open(path) as pdf:
        operators = Counter()
        inside = []
        for operands, operator in pikepdf.parse_content_stream(pdf.pages[0]):
            name = str(operator)
            if name in ("BDC", "BMC"):
                inside.append(str(operands[0]))
            elif name == "EMC":
                inside.pop()
            elif name == "re" and "/Artifact" in inside:
                operators["artifact bars"] += 1
    assert operators["artifact bars"] >= 45  # *1349241*: nine Code 39 characters of five bars
    text = structure_text(path)
    assert "13-49241" not in text and "Please recycle" not in text


def test_the_checker_finds_what_weasyprints_own_tags_leave_out(site):
    """Its tags leave the running heads and page numbers reachable from no structure element."""
    from weasyprint import HTML

    html = "<html lang='en'><title>T</title><style>@page { @bottom-center { content: counter(page) } }</style>"
    html += '<h1>Title</h1><h3>Skipped a level</h3><p>Text</p><img src=\'data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>\'>'
    data = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    found = {failure.condition for failure in check(data)}
    assert {"01-005", "14-003", "13-004"} <= found


# -- reading order: the structure-order text is the source's ------------------------------------


def _units(root: Path, document: str, language: str) -> tuple[list[str], list[str]]:
    """(the body's units in order, the footnotes in order), as translated for *language*."""
    project = polypress.load_project(root)
    edition, _ = project.edition(document, language)
    body, notes = [], []
    for block in edition.document.blocks:
        for unit in block.walk():
            if "](#" in unit.text or re.fullmatch(r"[\d\s.,:/-]+", unit.text):
                continue  # the build writes a cross-reference's words and page, a number's or a date's digits
            text = plain_text(unit.text)
            if unit.kind == "footnote":
                notes.append(text)
            elif text and unit.kind not in ("list", "alt"):  # alt text is the figure's /Alt, not its text
                body.append(text)
    return body, notes


def _same(text: str) -> str:
    return comparable(text).replace("’", "'").replace("\u2011", "")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_structure_reads_as_the_source_in_order(site, built_project, document, language):
    path = site / language / f"{document}.pdf"
    body, notes = _units(built_project, document, language)
    text = _same(structure_text(path, skip=("Note", "Reference")))
    position = 0
    for unit in body:
        found = text.find(_same(unit), position)
        assert found >= 0, f"{language}/{document}: unit not found in order: {unit[:60]!r}"
        position = found + len(_same(unit))
    note_text = _same(structure_text(path, skip=("Lbl",)))
    for note in notes:
        assert _same(note) in note_text


@pytest.mark.parametrize("language", LANGUAGES)
def test_page_furniture_is_not_read(site, language):
    path = site / language / "a-res-68-4.pdf"
    with pikepdf.open(path) as pdf:
        pages = len(pdf.pages)
    text = structure_text(path)
    assert text.count("A/RES/68/4") == 1  # the masthead's; not the running heads'
    for number in range(2, pages + 1):
        assert f"{number}/{pages}" not in text


def test_generated_arabic_words_read_in_logical_order(site):
    """Words the stylesheet writes (a cross-reference's "(p. 2)", from the template string) are read as written,
    not in the visual order their glyphs are drawn in: a screen reader would read "ةحفصلا" for "الصفحة"."""
    catalog = polypress.i18n.po.load_po(
        ROOT / "translations/ar/LC_MESSAGES/templates.po", "templates.po", "ar"
    )  # the translation the print stylesheet puts after each cross-reference
    words = _words(re.sub(r"%\(\w+\)s", " ", catalog.get("(p. %(page)s)").string))
    assert words
    text = _words(structure_text(site / "ar" / "hld-report.pdf"))
    assert words <= text
    assert not {word[::-1] for word in words} & text


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]+", text))


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "zh"])
def test_words_stay_whole_at_line_ends(site, built_project, language):
    """No "impor-tance", no "dimensionssociale": every word of the source is a word of the structure text.

    (Chinese has no spaces between words: the reading-order test above covers it.)
    """
    body, notes = _units(built_project, "a-res-68-4", language)
    source = re.sub(r"\[\^\d+\]|\*", " ", " ".join(body + notes))
    missing = _words(source) - _words(structure_text(site / language / "a-res-68-4.pdf"))
    assert not missing, sorted(missing)[:20]


def test_a_drafts_untranslated_unit_says_it_is_english_and_its_watermark_is_an_artifact(project):
    catalog = project / "translations" / "fr" / "LC_MESSAGES" / "a-res-68-4.po"
    lines = catalog.read_text(encoding="utf-8").split("\n")
    start = next(n for n, line in enumerate(lines) if line.startswith('"*Constatons* que'))
    end = start
    while lines[end + 1].startswith('"'):
        end += 1
    del lines[start : end + 1]  # msgstr "" (untranslated): the paragraph falls back to English
    catalog.write_text("\n".join(lines), encoding="utf-8")
    output = polypress.load_project(project).render("a-res-68-4", "fr", "pdf")
    assert [str(failure) for failure in check(output.data)] == []
    with pikepdf.open(io.BytesIO(output.data)) as pdf:
        tree, _ = structure_tree(pdf)
        assert [(e.type, str(e.item.Lang)) for e in walk(tree) if "/Lang" in e.item] == [("LI", "en")]
        watermark = sum(page.Contents.read_bytes().count(b"/Artifact") for page in pdf.pages)
    assert watermark and "PROJET" not in structure_text(output.data)


@pytest.mark.parametrize("language", ["ar", "zh"])
def test_the_numbered_paragraphs_are_one_list_across_pages(site, language):
    """print.css declares them (--pdf-role): 34 items, each a label ("1.", "1 -") and a body."""
    with pikepdf.open(site / language / "a-res-68-4.pdf") as pdf:
        tree, _ = structure_tree(pdf)
        (paragraphs,) = [e for e in walk(tree) if e.type == "L"]
        items = [kid for kid in paragraphs.kids if kid.type == "LI"]
        assert len(items) == len(paragraphs.kids) == 34
        assert all([kid.type for kid in item.kids] == ["Lbl", "LBody"] for item in items)
        assert len({page for e in walk(paragraphs) for page, _ in (k for k in e.kids if isinstance(k, tuple))}) > 1
