"""The report kind, through the shipped report: contents whose page numbers are right, numbered chapters and
paragraphs, tables, the drawn figure, cross-references and links, footnotes on their page, an annex."""

from __future__ import annotations

import base64
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru")


def page_texts(path: Path) -> list[str]:
    """Each page's text in reading order (poppler), page 1 first."""
    count = len(PdfReader(path).pages)
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True, text=True
        ).stdout
        for n in range(1, count + 1)
    ]


def destinations(reader: PdfReader) -> dict[str, int]:
    """Named destinations (the ids links point at) with their page numbers, from 1."""
    return {name: reader.get_destination_page_number(dest) + 1 for name, dest in reader.named_destinations.items()}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_contents_give_the_page_each_chapter_really_starts_on(site: Path, language: str):
    pages = page_texts(site / language / "hld-report.pdf")
    contents = re.findall(r"^\s*([IVX]+\.|Annexe?)\s+(.+?)\s*\.{3,}\s*(\d+)\s*$", pages[0], re.M)
    assert len(contents) == 5, pages[0]
    for label, title, page in contents:
        words = title.split()[0]
        landed = [
            n
            for n, text in enumerate(pages[1:], start=2)
            if re.search(rf"^\s*{re.escape(label)}\s+{words}", text, re.M)
        ]
        if label.startswith("Annex"):  # the annex's label and title are two lines
            landed = [
                n for n, text in enumerate(pages[1:], start=2) if re.search(rf"^\s*{re.escape(title)}", text, re.M)
            ]
        assert landed and landed[0] == int(page), (label, title, page, landed)


def test_chapters_and_paragraphs_are_numbered_and_the_annex_is_last(site: Path):
    pages = page_texts(site / "en" / "hld-report.pdf")
    body = "\n".join(pages[1:])
    assert [m for m in re.findall(r"^(I|II|III|IV)\.\s+\S", body, re.M)] == ["I", "II", "III", "IV"]
    numbers = [int(n) for n in re.findall(r"^(\d+)\.\s{2,}\S", body, re.M)]
    assert numbers == list(range(1, 9))
    assert "Annex" in pages[-1] and "Documents referred to in this report" in pages[-1]
    assert "Summary" in pages[0] and "Contents" in pages[0]


def test_cross_references_are_written_in_the_language_with_their_page(site: Path):
    assert "(chapter I (p. 2))" in page_texts(site / "en" / "hld-report.pdf")[0]
    assert "(chapitre I (p. 2))" in page_texts(site / "fr" / "hld-report.pdf")[0]
    es = "\n".join(page_texts(site / "es" / "hld-report.pdf"))
    assert "cuadro 2 (pág." in es and "gráfico I (pág." in es
    # The translation places the number: Chinese wraps it, full-width brackets and no space before them.
    zh = "".join("".join(page_texts(site / "zh" / "hld-report.pdf")).split())
    assert re.search(r"章（第\d+页）", zh), zh[:400]
    ru = " ".join(" ".join(page_texts(site / "ru" / "hld-report.pdf")).split())
    assert re.search(r"\(стр\. \d+\)", ru)


@pytest.mark.parametrize("language", LANGUAGES)
def test_links_land_on_their_targets_and_other_documents_by_address(site: Path, language: str):
    reader = PdfReader(site / language / "hld-report.pdf")
    named = destinations(reader)
    internal, uris = [], []
    for page in reader.pages:
        for annot in page.get("/Annots", []) or []:
            annot = annot.get_object()
            action = annot.get("/A")
            if action and "/URI" in action:
                uris.append(str(action["/URI"]))
            elif "/Dest" in annot:
                internal.append(str(annot["/Dest"]))
    for target in ("background", "roundtables", "timeline", "addressed", "documents"):
        assert target in internal and target in named, target
    assert f"https://example.org/hld-2013/{language}/a-res-68-4.html#para-10" in uris
    assert named["documents"] == len(reader.pages)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_each_footnote_sits_on_the_page_of_its_call(site: Path, language: str):
    pages = page_texts(site / language / "hld-report.pdf")
    call = {"en": "together with its United Nations partners.1", "ru": "Объединенных Наций1."}[language]
    note = {"en": "See the page of IOM on the series", "ru": "См. страницу МОМ"}[language]
    called = [n for n, text in enumerate(pages) if call in re.sub(r"\s+", " ", text)]
    noted = [n for n, text in enumerate(pages) if note in text]
    assert called and called == noted


def test_tables_have_header_cells_and_numbers_and_dates_written_per_language(site: Path):
    html = (site / "fr" / "hld-report.html").read_text()
    assert re.search(r'<table id="roundtables">\s*<caption>', html)
    assert '<th scope="col" class="align-right">Table ronde</th>' in html
    assert "12 octobre 2012" in html and "Jours avant le Dialogue" in html
    assert '<span class="nobr">356</span>' in html


def drawn_timeline(page: str) -> tuple[str, list[tuple[float, str]]]:
    """The timeline's drawing (SVG) and its labels (left in percent, text) as a page lays them out over it."""
    figure = re.search(r'<figure id="timeline">(.*?)</figure>', page, re.S).group(1)
    source = re.search(r'<img src="([^"]+)"', figure).group(1)
    svg = base64.b64decode(source.split(",", 1)[1]).decode() if source.startswith("data:") else source
    labels = re.findall(r'<li style="left: ([\d.]+)%; top: [\d.]+%">([^<]*)</li>', figure)
    return svg, [(float(left), text) for left, text in labels]


def test_the_timeline_is_drawn_in_each_language_and_runs_right_to_left_in_arabic(site: Path):
    (english_svg, english), (arabic_svg, arabic) = (
        drawn_timeline((site / language / "hld-report.html").read_text()) for language in ("en", "ar")
    )
    assert english[0][1] == "12 October 2012" and english[-1][1] == "3 October 2013"
    assert arabic[0][1] == "12 تشرين الأول/أكتوبر 2012"
    assert english[0][0] < english[-1][0] and arabic[0][0] > arabic[-1][0]
    first, *_, last = [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', english_svg)]
    assert first < last
    first, *_, last = [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', arabic_svg)]
    assert first > last
    assert "12 octobre 2012" in "\n".join(page_texts(site / "fr" / "hld-report.pdf"))


def test_no_drawn_figure_leaves_its_words_to_the_svg_renderer(site: Path):
    """WeasyPrint draws SVG text unshaped (Arabic letters unjoined, reversed): a drawn figure has none."""
    for language in LANGUAGES:
        svg, labels = drawn_timeline((site / language / "hld-report.html").read_text())
        assert "<text" not in svg and len(labels) == 7, language


def test_a_drawn_figure_with_svg_text_is_refused_at_its_line(project: Path, capsys: pytest.CaptureFixture[str]):
    import polypress

    drawing = project / "templates" / "figures" / "timeline.svg"
    drawing.write_text(drawing.read_text().replace("</svg>", '<text x="1" y="9">{{ doc.meta.title }}</text>\n</svg>'))
    with pytest.raises(polypress.PolypressError) as refused:
        polypress.load_project(project).render("hld-report", "ar", "html")
    assert str(refused.value).startswith("templates/figures/timeline.svg:")
    assert "label(x, y, text)" in str(refused.value)
    from tests.conftest import run_cli

    assert run_cli("-C", str(project), "check", "--quiet", "--lang", "ar") == 1  # check says so before a build
    assert "templates/figures/timeline.svg:" in capsys.readouterr().err


def test_the_arabic_timeline_reads_in_logical_order_in_the_pdf(site: Path):
    import datetime

    from polypress.render.localize import long_date
    from tests.conftest import comparable, pdf_logical_body_text

    text = pdf_logical_body_text(site / "ar" / "hld-report.pdf")
    caption = "الموائد المستديرة والحوار الرفيع المستوى"
    figure = text[text.rindex(caption) : text.index("ثالثا", text.rindex(caption))]
    days = ("2012-10-12", "2013-01-24", "2013-02-20", "2013-04-23", "2013-06-07", "2013-09-17", "2013-10-03")
    for day in days:
        written = long_date(datetime.date.fromisoformat(day), "ar")
        assert comparable(written, punctuation=False) in comparable(figure, punctuation=False), written
        assert written.split()[-1] in figure  # the year's digits in their order


def test_the_e_book_carries_the_timeline_of_its_language(site: Path):
    import zipfile

    with zipfile.ZipFile(site / "zh" / "hld-report.epub") as book:
        svg, labels = drawn_timeline(book.read("OEBPS/content.xhtml").decode())
        drawing = book.read(f"OEBPS/{svg}").decode()
    assert "<circle" in drawing and "<text" not in drawing
    assert labels[0][1] == "2012年10月12日"


def test_bookmarks_follow_the_chapters(site: Path):
    def titles(items) -> list[str]:
        return [t for item in items for t in (titles(item) if isinstance(item, list) else [item.title])]

    outline = titles(PdfReader(site / "en" / "hld-report.pdf").outline)
    assert any("Background" in title for title in outline)
    assert any("Documents referred to" in title for title in outline)


def rendered_text(page: Path) -> str:
    """What a reader sees of a web page or an e-book's document with its own stylesheets applied (screen media,
    list markers included), laid out by WeasyPrint and read back by poppler."""
    import weasyprint

    pdf = weasyprint.HTML(filename=str(page), media_type="screen").write_pdf()
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode()


def contents_lines(text: str, first: str) -> list[str]:
    """The lines of the contents, from the line of the first chapter's title to the annex's."""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if first in line)
    return lines[start : start + 5]


def test_web_and_e_book_contents_show_the_chapter_numbers_only(site: Path, tmp_path: Path):
    import zipfile

    with zipfile.ZipFile(site / "en" / "hld-report.epub") as book:
        book.extractall(tmp_path)
    pages = {
        "web page": site / "en" / "hld-report.html",
        "e-book text": tmp_path / "OEBPS" / "content.xhtml",
        "e-book navigation": tmp_path / "OEBPS" / "nav.xhtml",
    }
    for name, page in pages.items():
        lines = contents_lines(rendered_text(page), "Background")
        assert lines[:4] == [
            "I. Background",
            "II. The series of roundtables",
            "III. The five points of IOM",
            "IV. The Declaration of the High-level Dialogue",
        ], (name, lines)
        assert lines[4] in ("Annex Documents referred to in this report", "Annex", "Annex Documents"), (name, lines)


#: How each language's UN reports number chapters (A/71/1007 in Arabic, A/57/270 in Chinese), and the words of
#: a cross-reference to chapter I.
CHAPTERS = {
    "ar": (["أولا -", "ثانيا -", "ثالثا -", "رابعا -"], "الفصل أولا"),
    "zh": (["一.", "二.", "三.", "四."], "第一章"),
    "en": (["I.", "II.", "III.", "IV."], "chapter I"),
}


@pytest.mark.parametrize("language", CHAPTERS)
def test_chapters_are_numbered_as_the_language_numbers_them_in_every_format(site: Path, language: str):
    import zipfile

    from tests.conftest import pdf_logical_body_text

    labels, crossref = CHAPTERS[language]
    html = (site / language / "hld-report.html").read_text()
    assert re.findall(r'<span class="heading-number">([^<]*)</span>', html)[:4] == labels
    assert re.findall(r'<span class="toc-number">([^<]*)</span>', html)[:4] == labels
    assert f'href="#background">{crossref}</a>' in html
    with zipfile.ZipFile(site / language / "hld-report.epub") as book:
        nav = book.read("OEBPS/nav.xhtml").decode()
        chapter = book.read("OEBPS/content.xhtml").decode()
    entries = re.findall(r'<a href="content.xhtml#[^"]*">([^<]*)</a>', nav)
    chapters = entries[2:6]  # after the title and the summary
    assert all(entry.startswith(label + " ") for entry, label in zip(chapters, labels, strict=True)), entries
    assert f'href="#background">{crossref}</a>' in chapter
    pdf = " ".join(pdf_logical_body_text(site / language / "hld-report.pdf").split())
    for label in labels:
        assert label.rstrip(" -.") in pdf
    assert crossref in pdf
    if language != "en":
        assert not re.search(r"\b(?:II|III|IV)\b", pdf), "a Latin chapter number is left"


def test_sections_and_chapters_past_ten_are_written_the_language_s_way():
    from polypress.kinds.report import KIND
    from polypress.render.localize import heading_number

    styles = KIND.heading_numbers
    assert heading_number("11.2", styles, "en", whole=True) == "XI.B"
    assert heading_number("11.2", styles, "ar", whole=True) == "حادي عشر - باء"
    assert heading_number("2.4", styles, "ar") == "دال"
    assert heading_number("20", styles, "zh") == "二十" and heading_number("11.2", styles, "zh", whole=True) == "十一.B"
    assert heading_number("3.1.2", styles, "ru", whole=True) == "III.A.2"


#: How each language's UN reports number figures and annexes: an ordinal adjective after the noun in Arabic
#: (الشكل الأول, المرفق الثاني), Chinese numerals in Chinese (图一, 附件二), Roman numerals in English.
FIGURES = {
    "ar": ("الشكل الأول", "الشكل الأول"),
    "zh": ("图一", "图一"),
    "en": ("Figure I", "figure I"),
}


@pytest.mark.parametrize("language", FIGURES)
def test_figures_are_numbered_as_the_language_numbers_them_in_every_format(site: Path, language: str):
    import zipfile

    from tests.conftest import pdf_logical_body_text

    label, crossref = FIGURES[language]
    html = (site / language / "hld-report.html").read_text()
    captions = re.findall(r'<span class="caption-label">([^<]*)</span>', html)
    assert captions.count(label) == 2, captions  # above the figure and in the list of figures
    assert f'href="#timeline">{crossref}</a>' in html
    with zipfile.ZipFile(site / language / "hld-report.epub") as book:
        chapter = book.read("OEBPS/content.xhtml").decode()
    assert f'<span class="caption-label">{label}</span>' in chapter
    assert f'href="#timeline">{crossref}</a>' in chapter
    pdf = " ".join(pdf_logical_body_text(site / language / "hld-report.pdf").split())
    assert label in pdf and crossref in pdf
    if language != "en":
        assert not re.search(r"[^\sA-Za-z]\s?I\b", pdf), "a Latin figure number is left"


def test_several_annexes_are_numbered_as_the_language_numbers_them(project: Path):
    import polypress

    source = project / "content" / "hld-report.md"
    text = source.read_text()
    second = "::: annex\n{#sources}\n# Sources\n\nThe sources are listed in [](#documents).\n:::\n\n[^1]:"
    source.write_text(text.replace("\n[^1]:", "\n" + second, 1))
    loaded = polypress.load_project(project)
    expected = {
        "en": (["Annex I", "Annex II"], "annex I"),
        "ar": (["المرفق الأول", "المرفق الثاني"], "المرفق الأول"),
        "zh": (["附件一", "附件二"], "附件一"),
    }
    for language, (labels, crossref) in expected.items():
        html = loaded.render("hld-report", language, "html").data.decode()
        headings = [h for h in re.findall(r'<span class="heading-number">([^<]*)</span>', html) if h in labels]
        assert headings == labels, (language, headings)
        assert re.findall(r'<span class="toc-number">([^<]*)</span>', html)[-2:] == labels
        assert f'href="#documents">{crossref}</a>' in html


def test_figure_and_annex_numbers_past_ten_are_written_the_language_s_way():
    from polypress.render.localize import label_number

    assert [label_number(n, "en") for n in ("1", "4", "12")] == ["I", "IV", "XII"]
    assert [label_number(n, "ar") for n in ("1", "2", "11", "12", "20")] == [
        "الأول",
        "الثاني",
        "الحادي عشر",
        "الثاني عشر",
        "العشرون",
    ]
    assert [label_number(n, "zh") for n in ("1", "10", "12", "21")] == ["一", "十", "十二", "二十一"]
    assert label_number("21", "ar") == "21"  # past the table: digits, never a Latin numeral
    assert label_number("", "ar") == ""  # the one annex: "Annex", no number
