"""Per-document and per-project print settings: job number, issue date, Original line, page size, print marks, PDF/A."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from tests.conftest import copy_project, run_cli

LETTER = (612.0, 792.0)
A4 = (595.28, 841.89)
BLEED = 3 / 25.4 * 72  # 3 mm in points


def _set(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with an English job number, an issue date, an Original line, Letter paper,
    print marks set in polypress.toml, built as PDF/A-3b in English and Spanish."""
    root = copy_project(tmp_path_factory.mktemp("production") / "project")
    content = root / "content" / "a-res-68-4.md"
    _set(content, 'job_number = ""', 'job_number = { en = "13-49245" }')
    _set(content, 'issued = ""', "issued = 2013-10-21")
    _set(content, 'original_language = ""', 'original_language = "en"')
    settings = root / "polypress.toml"
    _set(settings, 'page_size = "A4"', 'page_size = "Letter"')
    _set(settings, "print_marks = false", "print_marks = true")
    args = ("-C", str(root), "build", "--quiet", "--lang", "en", "--lang", "es", "--pdf-variant", "pdf/a-3b")
    assert run_cli(*args) == 0
    return root / "build" / "site"


def first_page(path: Path) -> str:
    return PdfReader(path).pages[0].extract_text()


def rectangles(path: Path) -> int:
    """Filled rectangles drawn on page 1 (the barcode's bars are rectangles)."""
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        contents = page.Contents if isinstance(page.Contents, pikepdf.Array) else [page.Contents]
        data = b"".join(stream.read_bytes() for stream in contents)
    return len(re.findall(rb"\sre\b", data))


def test_the_job_number_carries_the_language_letter_and_a_barcode(production):
    english = production / "en" / "a-res-68-4.pdf"
    assert "13-49245 (E)" in first_page(english)
    # "*1349245*": nine Code 39 characters of five bars each.
    assert rectangles(english) - rectangles(production / "es" / "a-res-68-4.pdf") >= 45


def test_a_language_without_a_job_number_gets_none_invented(production):
    text = "\n".join(page.extract_text() for page in PdfReader(production / "es" / "a-res-68-4.pdf").pages)
    assert "13-" not in text and "(S)" not in text


def test_the_issue_date_and_original_line_sit_under_the_distribution(production):
    english = first_page(production / "en" / "a-res-68-4.pdf")
    assert "21 October 2013" in english
    assert "Original: English" in english
    spanish = first_page(production / "es" / "a-res-68-4.pdf")
    assert "21 de octubre de 2013" in spanish
    assert "inglés" in spanish


def test_print_marks_add_a_3mm_bleed_around_the_trimmed_letter_page(production):
    with pikepdf.open(production / "en" / "a-res-68-4.pdf") as pdf:
        page = pdf.pages[0]
        trim = [float(v) for v in page.TrimBox]
        media = [float(v) for v in page.MediaBox]
    assert trim == pytest.approx([0, 0, *LETTER], abs=0.1)
    assert media == pytest.approx([-BLEED, -BLEED, LETTER[0] + BLEED, LETTER[1] + BLEED], abs=0.1)


def test_the_print_marks_flag_and_a_documents_own_page_size(project):
    """`--print-marks` for one build; `page_size` in a document's front matter wins over polypress.toml."""
    _set(project / "content" / "a-res-68-4.md", 'job_number = ""', 'page_size = "Letter"\njob_number = ""')
    assert run_cli("-C", str(project), "build", "--quiet", "--lang", "en", "--print-marks") == 0
    site = project / "build" / "site" / "en"
    page = PdfReader(site / "a-res-68-4.pdf").pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (width, height) == pytest.approx((LETTER[0] + 2 * BLEED, LETTER[1] + 2 * BLEED), abs=0.1)
    page = PdfReader(site / "hld-series.pdf").pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (width, height) == pytest.approx((A4[0] + 2 * BLEED, A4[1] + 2 * BLEED), abs=0.1)


@pytest.mark.parametrize("language", ["en", "es"])
def test_pdf_a_3b_has_its_identification_output_intent_and_embedded_fonts(production, language):
    with pikepdf.open(production / language / "a-res-68-4.pdf") as pdf:
        metadata = pdf.open_metadata()
        assert metadata.get("pdfaid:part") == "3"
        assert metadata.get("pdfaid:conformance") == "B"
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFA1"
        assert "/DestOutputProfile" in intent
        assert str(pdf.Root.Lang) == language
        assert "/StructTreeRoot" in pdf.Root
        assert len(pdf.trailer.ID) == 2
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                descriptor = font.DescendantFonts[0].FontDescriptor
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, str(font.BaseFont)


def test_a_job_number_without_digits_is_refused_with_its_line(project, capsys):
    _set(project / "content" / "a-res-68-4.md", 'job_number = ""', 'job_number = "pending"')
    assert run_cli("-C", str(project), "build", "--quiet", "--lang", "en") == 1
    error = capsys.readouterr().err
    assert re.search(r"content/a-res-68-4\.md:\d+: job_number 'pending' has no digits", error)
    assert "Traceback" not in error
