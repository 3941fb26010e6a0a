"""All six UN languages: each edition reads in its language, in its direction, in its script's fonts.

Arabic text is read with poppler's pdftotext, not pypdf: pypdf returns each run in the
order it is drawn, so a number or a Latin symbol inside an Arabic line comes out on the
wrong side ("2013 أكتوبر/ تشرين الأول3"); pdftotext rebuilds the logical order and marks
the runs with bidi embedding characters, which are dropped here.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from fontTools.ttLib import TTCollection, TTFont
from pypdf import PdfReader

from polypress.content.inline import plain_text
from polypress.settings import read_settings
from polypress.sources import load_sources
from tests.conftest import ROOT, comparable, copy_project, pdf_text, run_cli

PROJECT = read_settings(ROOT)
DOCUMENTS = ("a-res-68-4", "hld-series")
SIX = ("en", "fr", "es", "ar", "zh", "ru")
NEW = ("ar", "zh", "ru")

#: Bidi embedding and isolate controls and marks: layout information, not text.
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is installed by `make`")


def logical_text(path: Path, page: int | None = None) -> str:
    """The PDF's text in reading (logical) order, right-to-left runs included."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *pages, str(path), "-"], check=True, capture_output=True, text=True
    )
    return _BIDI_CONTROLS.sub("", result.stdout)


def read_back(site: Path, language: str, document: str) -> str:
    path = site / language / f"{document}.pdf"
    return logical_text(path) if language == "ar" else pdf_text(path)


def html_text(site: Path, language: str, document: str) -> str:
    html = (site / language / f"{document}.html").read_text(encoding="utf-8")
    return _BIDI_CONTROLS.sub("", re.sub(r"<[^>]+>", " ", html))


def translated(language: str, document: str, english: str) -> str:
    """The catalogue's translation of *english*, as plain text."""
    return plain_text(load_sources(ROOT).translations(language, document).gettext(english))


def font_names(path: Path) -> set[str]:
    """Base names of the fonts a PDF uses, without the subset prefix."""
    names = set()
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def words_on_page(path: Path, page: int) -> list[tuple[str, float, float]]:
    """(word, xMin, page width) of every word pdftotext finds on *page*."""
    return [(word, x, width) for word, x, _y, width in _boxes(path, page)]


def _boxes(path: Path, page: int) -> list[tuple[str, float, float, float]]:
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    width = float(re.search(r'<page width="([\d.]+)"', out).group(1))
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', out)
    return [(word, float(x), float(y), width) for x, y, word in found]


def top_line(path: Path) -> str:
    """The words of page 1 above the masthead's first rule (organization and symbol)."""
    boxes = _boxes(path, 1)
    bottom = min(y for _w, _x, y, _width in boxes) + 24
    # Cropped by pdftotext itself, which keeps the logical order of an Arabic line.
    crop = ["-x", "0", "-y", "0", "-W", str(int(boxes[0][3])), "-H", str(int(bottom))]
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", "1", "-l", "1", *crop, str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return _BIDI_CONTROLS.sub("", out)


# -- the site --------------------------------------------------------------------------------


def test_the_project_publishes_the_six_un_languages():
    assert set(SIX) <= set(PROJECT.languages)


@pytest.mark.parametrize("language", SIX)
def test_each_language_has_both_documents_as_html_and_pdf(site, language):
    for document in DOCUMENTS:
        assert (site / language / f"{document}.html").is_file()
        assert (site / language / f"{document}.pdf").is_file()


@pytest.mark.parametrize("language", SIX)
def test_pages_declare_language_and_direction(site, language):
    direction = "rtl" if language == "ar" else "ltr"
    for page in [*(f"{language}/{d}.html" for d in DOCUMENTS), f"{language}/index.html"]:
        html = (site / page).read_text(encoding="utf-8")
        assert f'<html lang="{language}" dir="{direction}">' in html, page


def test_the_landing_page_lists_six_languages_each_in_its_own_name_and_direction(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    own_names = {
        "en": "English",
        "fr": "Français",
        "es": "Español",
        "ar": "العربية",
        "zh": "中文",
        "ru": "Русский",
    }
    for code, name in own_names.items():
        direction = "rtl" if code == "ar" else "ltr"
        assert re.search(rf'lang="{code}" dir="{direction}"[^>]*>{name}<', html), (code, name)


# -- text, read back in each language ---------------------------------------------------------


@needs_pdftotext
@pytest.mark.parametrize("language", NEW)
def test_title_chapeau_and_operative_text_read_back_from_the_pdf(site, language):
    text = comparable(read_back(site, language, "a-res-68-4"))
    sources = load_sources(ROOT)
    declaration = sources.document("a-res-68-4")
    for english in (
        declaration.meta["title"],
        "*The General Assembly*",
        "*Adopts* the following declaration:",
    ):
        assert comparable(translated(language, "a-res-68-4", english)) in text, english
    # A whole operative paragraph, in reading order (for Arabic: with its numbers and dates).
    first = next(u.text for u in declaration.units() if u.text.startswith("*Recognize* that international"))
    assert comparable(translated(language, "a-res-68-4", first)) in text


@needs_pdftotext
@pytest.mark.parametrize(
    ("language", "title", "chapeau"),
    [
        ("ar", "إعلان الحوار الرفيع المستوى", "إن الجمعية العامة"),
        ("zh", "国际移徙与发展高级别对话宣言", "大会"),
        ("ru", "Декларация Диалога на высоком уровне", "Генеральная Ассамблея"),
    ],
)
def test_the_pdf_and_the_web_page_carry_the_un_title_and_chapeau(site, language, title, chapeau):
    for text in (read_back(site, language, "a-res-68-4"), html_text(site, language, "a-res-68-4")):
        assert comparable(title) in comparable(text)
        assert comparable(chapeau) in comparable(text)


@needs_pdftotext
def test_arabic_mixed_runs_read_in_logical_order(site):
    text = logical_text(site / "ar" / "a-res-68-4.pdf")
    # Numbers sit where the sentence puts them, not where the line ends (pdftotext's spacing
    # around left-to-right runs is its own, hence the comparison without spaces).
    assert comparable("يومي 3 و 4 تشرين الأول/أكتوبر 2013") in comparable(text)
    assert "A/RES/68/4" in text


@needs_pdftotext
@pytest.mark.parametrize(
    ("language", "date"),
    [("ar", "3 تشرين الأول/أكتوبر 2013"), ("zh", "2013年10月3日"), ("ru", "3 октября 2013 года")],
)
def test_the_closing_date_is_written_the_un_way(site, language, date):
    assert comparable(date) in comparable(read_back(site, language, "a-res-68-4"))


@needs_pdftotext
def test_arabic_editions_use_european_digits_as_un_arabic_documents_do(site):
    for document in DOCUMENTS:
        text = logical_text(site / "ar" / f"{document}.pdf")
        assert "2013" in text
        assert not re.search("[\u0660-\u0669\u06f0-\u06f9]", text), "Arabic-Indic digits printed"


@needs_pdftotext
def test_arabic_numbers_paragraphs_and_the_resolution_with_a_dash(site):
    text = logical_text(site / "ar" / "a-res-68-4.pdf")
    # pdftotext writes the left-to-right run "1 -" as drawn ("- 1"); either way no period.
    assert re.search(r"(68/4 -|- 68/4)", text)
    assert not re.search(r"68/4\.|\.68/4", text)
    assert re.search(r"(?m)^\s*(- ?1|1 -)\s*نسلم بأن الهجرة الدولية", text)


def test_russian_meeting_ordinal_and_hyphenation(site):
    text = pdf_text(site / "ru" / "a-res-68-4.pdf")
    assert "25-е" in text
    # Some lines end in a hyphen that splits a word of the catalogue (Pyphen's ru patterns).
    sources = load_sources(ROOT)
    catalogue = comparable(
        " ".join(translated("ru", "a-res-68-4", unit.text) for unit in sources.document("a-res-68-4").units())
    )
    splits = re.findall(r"([а-яё]+)[-‐]\n([а-яё]+)", text)
    assert splits, "no hyphenated line in the Russian edition"
    assert all(comparable(a + b) in catalogue for a, b in splits)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_chinese_lines_never_start_with_closing_punctuation_nor_end_hyphenated(site, document):
    lines = [line for line in pdf_text(site / "zh" / f"{document}.pdf").splitlines() if line.strip()]
    assert len(lines) > 10
    for line in lines:
        assert line.strip()[0] not in "。，、；：？！）」』》", line
        assert not re.search(r"[\u4e00-\u9fff]-$", line.strip()), line


@pytest.mark.parametrize("document", DOCUMENTS)
def test_chinese_text_uses_full_width_punctuation(site, document):
    text = pdf_text(site / "zh" / f"{document}.pdf")
    assert "，" in text
    assert "。" in text or "；" in text
    # An ASCII comma right after a Chinese character would be a half-width slip.
    assert not re.search(r"[\u4e00-\u9fff],", text)


# -- direction of the page ------------------------------------------------------------------


@needs_pdftotext
def test_arabic_running_heads_keep_symbol_and_page_number_on_the_outer_edge(site):
    path = site / "ar" / "a-res-68-4.pdf"
    pages = len(PdfReader(path).pages)
    assert pages >= 3
    # A right-to-left document starts on a left page: page 2 is a right page, page 3 a left one.
    for page, outer in ((2, "right"), (3, "left")):
        words = words_on_page(path, page)
        for wanted in ("A/RES/68/4", f"{page}/{pages}"):
            x, width = next((x, w) for word, x, w in words if word == wanted)
            assert (x > width / 2) == (outer == "right"), (page, wanted, x)


@needs_pdftotext
def test_arabic_masthead_is_mirrored(site):
    words = words_on_page(site / "ar" / "a-res-68-4.pdf", 1)
    symbol_x, width = next((x, w) for word, x, w in words if word == "A/RES/68/4")
    assert symbol_x < width / 2, "the symbol stands at the left of an Arabic masthead"
    # The resolution number heads the title at the right; the day stands right of the year.
    number_x = next(x for word, x, _w in words if word == "68/4")
    assert number_x > width / 2
    day_x = next(x for word, x, _w in words if word == "3")
    year_x = next(x for word, x, _w in words if word == "2013")
    assert day_x > year_x, "3 تشرين الأول/أكتوبر 2013 reads from the right"


# -- fonts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        ("ar", "Noto-Naskh-Arabic", "Noto-Serif-CJK"),
        ("zh", "Noto-Serif-CJK-SC", "Noto-Naskh"),
        ("ru", "Liberation-Serif", "Noto"),
    ],
)
def test_each_script_is_set_in_its_face(site, language, expected, absent):
    for document in DOCUMENTS:
        names = font_names(site / language / f"{document}.pdf")
        assert any(name.startswith(expected) for name in names), names
        assert not any(absent in name for name in names), names


@pytest.mark.parametrize("language", SIX)
def test_fonts_are_embedded_and_subset(site, language):
    for document in DOCUMENTS:
        for page in PdfReader(site / language / f"{document}.pdf").pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                assert re.match(r"/[A-Z]{6}\+", str(font["/BaseFont"])), font["/BaseFont"]
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor


@pytest.mark.parametrize("language", ("ar", "zh"))
def test_no_slanted_face_where_the_script_has_no_italics(site, language):
    for document in DOCUMENTS:
        names = font_names(site / language / f"{document}.pdf")
        assert not any("Oblique" in name or "Italic" in name for name in names), names


def test_chinese_glyphs_come_from_the_simplified_chinese_face(site):
    """Noto Serif CJK is one .ttc with JP, KR, SC, TC and HK faces; the PDF must draw the SC shapes."""
    face = PROJECT.fonts["cjk-serif"]
    collection = TTCollection(str(face.files["regular"]), lazy=True)
    faces = {}
    for font in collection.fonts:
        family = font["name"].getDebugName(1)
        faces[family] = font.getBestCmap()
    reader = PdfReader(site / "zh" / "a-res-68-4.pdf")
    font = next(
        f.get_object()
        for f in reader.pages[0]["/Resources"]["/Font"].values()
        if str(f.get_object()["/BaseFont"]).endswith("Noto-Serif-CJK-SC")
    )
    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    embedded = TTFont(io.BytesIO(descriptor["/FontFile3"].get_object().get_data())).getBestCmap()
    # Characters whose glyph differs between the faces tell which face was embedded.
    telling = [c for c in embedded if len({cmap.get(c) for cmap in faces.values()}) > 1]
    assert len(telling) > 50
    matches = Counter(family for c in telling for family, cmap in faces.items() if cmap.get(c) == embedded[c])
    assert matches["Noto Serif CJK SC"] == len(telling), matches


def test_a_collection_face_that_does_not_exist_is_a_located_error(tmp_path, capsys):
    root = copy_project(tmp_path / "project")
    settings = root / "polypress.toml"
    settings.write_text(settings.read_text().replace('"Noto Serif CJK SC"', '"Noto Serif CJK XX"'))
    assert run_cli("-C", str(root), "build", "--lang", "zh", "--quiet") != 0
    err = capsys.readouterr().err
    assert "NotoSerifCJK-Regular.ttc" in err
    assert "no face named 'Noto Serif CJK XX'" in err
    assert "Noto Serif CJK SC" in err  # the hint lists the faces there are
    assert "Traceback" not in err


def test_pdf_sizes_stay_reasonable(site):
    """Subset fonts: a Chinese PDF stays far below the 24 MB face it draws from."""
    for language in SIX:
        for document in DOCUMENTS:
            size = (site / language / f"{document}.pdf").stat().st_size
            limit = 1_000_000 if language == "zh" else 150_000
            assert size < limit, (language, document, size)


# -- fixed strings from templates.po --------------------------------------------------------------


def _templates_translated(language: str, *messages: str) -> bool:
    path = ROOT / "translations" / language / "LC_MESSAGES" / "templates.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return all((m := catalog.get(message)) is not None and m.string and not m.fuzzy for message in messages)


def _waits_for(language: str, *messages: str):
    """Expected to fail while templates.po leaves these strings untranslated (English fallback)."""
    return pytest.mark.xfail(
        not _templates_translated(language, *messages),
        reason=f"templates.po ({language}) does not translate {', '.join(messages)} yet",
        strict=True,
    )


def _sized_text(path: Path, page: int, minimum: float) -> str:
    """Text on *page* set at *minimum* points or more (the masthead's organ is 20 pt)."""
    runs: list[str] = []

    def visit(text, cm, tm, font_dict, font_size):
        if font_size * cm[0] >= minimum:
            runs.append(text)

    PdfReader(path).pages[page - 1].extract_text(visitor_text=visit)
    return "".join(runs)


ORGANS = {"ar": "الجمعية العامة", "zh": "大会", "ru": "Генеральная Ассамблея"}
ORGANIZATIONS = {"ar": "الأمم المتحدة", "zh": "联合国", "ru": "Организация Объединенных Наций"}
MEETINGS = {"ar": "الجلسة العامة 25", "zh": "第25次全体会议", "ru": "25-е пленарное заседание"}


@needs_pdftotext
@pytest.mark.parametrize(
    "language",
    [pytest.param(code, marks=_waits_for(code, "General Assembly", "United Nations")) for code in NEW],
)
def test_the_masthead_names_the_organ_and_the_organization_in_the_language(site, language):
    path = site / language / "a-res-68-4.pdf"
    organ = _sized_text(path, 1, 19.5)
    assert comparable(ORGANS[language]) in comparable(organ)
    assert comparable(ORGANIZATIONS[language]) in comparable(top_line(path))


@needs_pdftotext
@pytest.mark.parametrize(
    "language",
    [pytest.param(code, marks=_waits_for(code, "%(ordinal)s plenary meeting")) for code in NEW],
)
def test_the_meeting_line_is_the_un_form(site, language):
    assert comparable(MEETINGS[language]) in comparable(read_back(site, language, "a-res-68-4"))


@needs_pdftotext
@pytest.mark.parametrize(
    "language",
    [
        pytest.param(
            code,
            marks=_waits_for(
                code,
                "Sixty-eighth session",
                "Agenda item %(number)s (%(letter)s)",
                "Resolution adopted by the General Assembly on %(date)s",
                "%(ordinal)s plenary meeting",
            ),
        )
        for code in NEW
    ],
)
def test_session_and_adoption_lines_carry_no_english(site, language):
    text = read_back(site, language, "a-res-68-4")
    for english in ("Sixty-eighth session", "Resolution adopted by", "plenary meeting", "Agenda item"):
        assert english not in text
