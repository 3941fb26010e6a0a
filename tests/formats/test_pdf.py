"""The print edition (formats/pdf.py): what a UN document officer checks on the printed pages.

First the Declaration's PDF in en, fr and es as the shipped project builds it (layout), then the
per-document and per-project print settings: job number, issue date, Original line, page size, print
marks, PDF/A.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pikepdf
import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader

from tests.conftest import comparable, copy_project, pdf_text, run_cli

LANGUAGES = ("en", "fr", "es")
SYMBOL = "A/RES/68/4"
A4_POINTS = (595.28, 841.89)

#: The fixed strings of page 1 and the closing lines, as the UN prints them
#: (shared/reference/un-resolution-format.md). fr and es come from templates.po.
FIXED_STRINGS = {
    "en": [
        "United Nations",
        "General Assembly",
        "Distr.: General",
        "Sixty-eighth session",
        "Agenda item 19 (b)",
        "Resolution adopted by the General Assembly on 3 October 2013",
        "[without reference to a Main Committee (A/68/L.5)]",
        "68/4. Declaration of the High-level Dialogue on International Migration and Development",
        "25th plenary meeting",
        "Please recycle",
    ],
    "fr": [
        "Nations Unies",
        "Assemblée générale",
        "Distr. générale",
        "Soixante-huitième session",
        "Point 19 b) de l'ordre du jour",
        "Résolution adoptée par l'Assemblée générale le 3 octobre 2013",
        "[sans renvoi à une grande commission (A/68/L.5)]",
        "68/4. Déclaration du Dialogue de haut niveau sur les migrations internationales et le développement",
        "25e séance plénière",
        "Merci de recycler",
    ],
    "es": [
        "Naciones Unidas",
        "Asamblea General",
        "Distr. general",
        "Sexagésimo octavo período de sesiones",
        "Tema 19 b) del programa",
        "Resolución aprobada por la Asamblea General el 3 de octubre de 2013",
        "[sin remisión previa a una Comisión Principal (A/68/L.5)]",
        "68/4. Declaración del Diálogo de Alto Nivel sobre la Migración Internacional y el Desarrollo",
        "25ª sesión plenaria",
        "Sírvase reciclar",
    ],
}
#: The closing date, with each language's long date (en_GB for UN English).
CLOSING_DATE = {"en": "3 October 2013", "fr": "3 octobre 2013", "es": "3 de octubre de 2013"}
#: English strings that must not appear in a French or Spanish PDF.
ENGLISH_ONLY = [
    "United Nations",
    "General Assembly",
    "Distr.: General",
    "Sixty-eighth session",
    "Agenda item",
    "Resolution adopted",
    "without reference",
    "plenary meeting",
    "Please recycle",
]


def declaration(site: Path, language: str) -> Path:
    return site / language / "a-res-68-4.pdf"


def same_text(text: str) -> str:
    """Text compared without spaces, hyphenation and apostrophe style (' or ’)."""
    return comparable(text).replace("’", "'")


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_is_a4_without_bleed_by_default(site, language):
    for page in PdfReader(declaration(site, language)).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 1), round(height, 1)) == (round(A4_POINTS[0], 1), round(A4_POINTS[1], 1))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_font_is_the_times_metric_serif_embedded_and_subset(site, language):
    embedded = {}
    with pikepdf.open(declaration(site, language)) as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                descriptor = (
                    font.DescendantFonts[0].FontDescriptor if "/DescendantFonts" in font else font.FontDescriptor
                )
                keys = ("/FontFile", "/FontFile2", "/FontFile3")
                embedded[str(font.BaseFont)] = any(key in descriptor for key in keys)
    assert embedded
    for name, is_embedded in embedded.items():
        assert is_embedded, f"{name} not embedded"
        assert re.match(r"/[A-Z]{6}\+", name), f"{name} is not a subset"
        assert "Liberation-Serif" in name


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pdf_is_tagged_in_its_language_with_page_labels(site, language):
    with pikepdf.open(declaration(site, language)) as pdf:
        assert str(pdf.Root.Lang) == language
        assert "/StructTreeRoot" in pdf.Root
        assert bool(pdf.Root.MarkInfo.Marked)
    reader = PdfReader(declaration(site, language))
    assert reader.page_labels == [str(n) for n in range(1, len(reader.pages) + 1)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_bookmarks_are_the_translated_headings(site, language):
    reader = PdfReader(declaration(site, language))
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    title = FIXED_STRINGS[language][7]
    assert any(same_text(title) == same_text(t) for t in titles), titles
    assert len(titles) >= 2  # the numbered title and the declaration's own heading


@pytest.mark.parametrize("language", LANGUAGES)
def test_metadata_is_in_the_documents_language(site, language):
    info = PdfReader(declaration(site, language)).metadata
    organization, title = FIXED_STRINGS[language][0], FIXED_STRINGS[language][7]
    assert same_text(info.title) == same_text(f"{SYMBOL} {title.removeprefix('68/4. ')}")
    assert info.author == organization
    assert same_text(FIXED_STRINGS[language][5]) == same_text(info.subject)
    assert SYMBOL in info["/Keywords"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_symbol_is_on_every_page_and_later_pages_are_numbered_n_of_n(site, language):
    pages = page_texts(declaration(site, language))
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert SYMBOL in text, f"page {number} has no symbol"
        if number > 1:
            assert f"{number}/{len(pages)}" in text, f"page {number} has no page number"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_fixed_strings_and_dates_are_in_the_language(site, language):
    text = same_text(pdf_text(declaration(site, language)))
    for expected in [*FIXED_STRINGS[language], CLOSING_DATE[language]]:
        assert same_text(expected) in text, f"{expected!r} missing from the {language} PDF"


@pytest.mark.parametrize("language", ["fr", "es"])
def test_a_translated_pdf_has_no_english_fixed_string(site, language):
    text = pdf_text(declaration(site, language))
    for english in ENGLISH_ONLY:
        assert english not in text, f"English {english!r} in the {language} PDF"


def test_french_spacing_reaches_the_pdf(site):
    text = pdf_text(declaration(site, "fr"))
    assert "\u202f;" in text  # narrow no-break space before ;
    assert "\u00a0:" in text  # no-break space before :
    assert not re.search(r"\S[;!?]", text.replace("\u202f", " ")), "a ; ! or ? without its space"


def test_the_french_meeting_ordinal_is_a_superscript_e(site):
    """ "25e séance plénière": the e is printed smaller than the digits."""
    sizes = {}

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            sizes.setdefault(text.strip(), font_size * tm[0])

    reader = PdfReader(declaration(site, "fr"))
    reader.pages[-1].extract_text(visitor_text=visit)
    assert "25" in sizes and "e" in sizes, sizes
    assert sizes["e"] < sizes["25"]


def _footnote_snippets(root: Path, language: str) -> tuple[str, str]:
    """(the words just before the footnote call, the footnote's text) in *language*."""
    source = (root / "content" / "a-res-68-4.md").read_text(encoding="utf-8")
    body = re.search(r"^\[\^1\]:\s+(.*)$", source, re.M).group(1)
    if language == "en":
        paragraph = next(p for p in source.split("\n\n") if "[^1]" in p and not p.startswith("[^1]:"))
    else:
        with open(root / "translations" / language / "LC_MESSAGES" / "a-res-68-4.po", "rb") as handle:
            catalog = read_po(handle)
        body = catalog[body].string
        paragraph = next(m.string for m in catalog if m.id and "[^1]" in m.id and m.id != body)
    before = re.sub(r"[,;.:]$", "", paragraph.split("[^1]")[0])
    return same_text(before)[-20:], same_text(body)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_footnote_is_at_the_foot_of_the_page_that_calls_it(site, built_project, language):
    before_call, note = _footnote_snippets(built_project, language)
    pages = [same_text(text) for text in page_texts(declaration(site, language))]
    call_pages = [n for n, text in enumerate(pages, 1) if before_call in text]
    note_pages = [n for n, text in enumerate(pages, 1) if note in text]
    assert len(call_pages) == 1 and call_pages == note_pages, (call_pages, note_pages)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_paragraph_number_is_left_without_its_text(site, language):
    pages = page_texts(declaration(site, language))
    lines = [line.strip() for text in pages for line in text.splitlines()]
    for line in lines:
        assert not re.fullmatch(r"\d{1,2}\.", line), f"paragraph number {line} alone on its line"
    numbers = [int(m.group(1)) for line in lines if (m := re.match(r"(\d{1,2})\.\s+\S", line))]
    assert numbers == list(range(1, 35)), numbers


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_number_hangs_and_the_text_starts_at_one_indent(site, language):
    """Every paragraph's first word starts where its later lines start: no extra space after the number."""
    starts: dict[str, list[float]] = {"first": [], "other": []}
    reader = PdfReader(declaration(site, language))

    def visit(text, cm, tm, font_dict, font_size):
        x = tm[4] * cm[0] + cm[4]
        if font_size * tm[0] * cm[0] < 9.75 or not text.strip():
            return
        if re.fullmatch(r"\d{1,2}\.\s*", text):
            starts["number"] = x
        elif "number" in starts:
            starts["first"].append(round(x, 1))
            del starts["number"]

    for page in reader.pages[1:]:
        page.extract_text(visitor_text=visit)
    assert starts["first"], "no numbered paragraph found"
    assert max(starts["first"]) - min(starts["first"]) < 1.0, sorted(set(starts["first"]))


RUNNING_DATES = {
    "en": r"4[ \u00a0]+October[ \u00a0]+2013",
    "fr": r"4[ \u00a0]+octobre[ \u00a0]+2013",
    "es": r"4[ \u00a0]+de[ \u00a0]+octubre[ \u00a0]+de[ \u00a0]+2013",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_date_in_the_first_paragraph_stays_on_one_line(site, language):
    lines = pdf_text(declaration(site, language)).splitlines()
    assert any(re.search(RUNNING_DATES[language], line) for line in lines)


@pytest.mark.parametrize("language", LANGUAGES)
def test_body_text_is_hyphenated_with_the_languages_patterns(site, language):
    lines = pdf_text(declaration(site, language)).splitlines()
    hyphenated = [line for line in lines if re.search(r"\w[\u2010-]$", line)]
    assert len(hyphenated) >= 3, "justified text with no hyphenation at all"


#: The footnote call after the comma in English, before it in French and Spanish.
FOOTNOTE_CALLS = {"en": "Families,1to", "fr": "famille1,au", "es": "Familiares1,al"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_footnote_call_sits_on_the_languages_side_of_the_comma(site, language):
    assert FOOTNOTE_CALLS[language] in same_text(pdf_text(declaration(site, language)))


# -- print settings: polypress.toml, the front matter and the command line -----------------------

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


def _words(text: str) -> set[str]:
    """Words as a reader searches them: runs of letters, runs of digits."""
    return set(re.findall(r"[^\W\d_]+|\d+", text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdftotext_finds_every_hyphenated_word_whole(site, built_project, language):
    """Line-end hyphens are plain "-", which text extraction joins: searching "importance" finds it."""
    import subprocess

    path = declaration(site, language)
    extracted = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True).stdout
    assert "\u2010" not in extracted
    pypdf_lines = pdf_text(path).splitlines()
    assert sum(line.endswith("-") for line in pypdf_lines) >= 3, "no line is hyphenated: the test proves nothing"
    catalog = "a-res-68-4.pot" if language == "en" else f"{language}/LC_MESSAGES/a-res-68-4.po"
    with open(built_project / "translations" / catalog, "rb") as handle:
        source = " ".join(message.string or message.id for message in read_po(handle) if message.id)
    missing = _words(re.sub(r"\[\^\d+\]", "", source)) - _words(extracted)
    assert not missing, f"words not found whole in the {language} PDF: {sorted(missing)}"


_RENDER_IN_A_WORKER_AND_HERE = """
import multiprocessing, os, sys, tempfile
import polypress

def render(_):
    project = polypress.load_project(sys.argv[1])
    project.render("hld-series", "en", "pdf")
    return sorted(name for name in os.listdir(tempfile.gettempdir()) if name.startswith("weasyprint-"))

if __name__ == "__main__":
    with multiprocessing.get_context("fork").Pool(1) as pool:
        result = pool.map_async(render, [0])
        pool.close()
        pool.join()
    print("worker:", len(result.get()[0]))
    print("here:", len(render(0)))
"""


def test_weasyprints_font_folders_are_removed_when_a_render_worker_or_the_build_ends(tmp_path):
    """A render worker keeps its font configuration for every PDF it renders; the folder WeasyPrint copies
    the @font-face files into (49 MB with the CJK face) must still go when the worker ends."""
    import subprocess
    import sys

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    script = tmp_path / "render.py"
    script.write_text(_RENDER_IN_A_WORKER_AND_HERE, encoding="utf-8")
    env = {**os.environ, "TMPDIR": str(temporary), "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    command = [sys.executable, str(script), str(Path(__file__).resolve().parents[2])]
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "worker: 1" in run.stdout and "here: 1" in run.stdout  # each process had its folder while it rendered
    assert [p.name for p in temporary.iterdir() if p.name.startswith("weasyprint-")] == []
