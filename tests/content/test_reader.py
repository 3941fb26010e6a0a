"""The canonical sources read into documents with the structure of the originals."""

import datetime

import pytest

from polypress.content.reader import parse_document, read_document
from polypress.errors import ContentError
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def declaration():
    return read_document(ROOT / "content" / "a-res-68-4.md", ROOT)


def test_declaration_metadata_is_typed(declaration):
    meta = declaration.meta
    assert meta["symbol"] == "A/RES/68/4"
    assert meta["resolution"] == "68/4"
    assert meta["session"] == 68
    assert (meta["agenda_item"], meta["agenda_subitem"]) == (19, "b")
    assert meta["adopted"] == datetime.date(2013, 10, 3)
    assert meta["draft"] == "A/68/L.5"
    assert meta["meeting"] == 25


def test_declaration_has_34_numbered_paragraphs_in_order(declaration):
    numbers = [b.number for b in declaration.walk() if b.kind == "numbered"]
    assert numbers == [str(n) for n in range(1, 35)]


def test_each_numbered_paragraph_opens_with_an_emphasised_verb(declaration):
    for block in declaration.walk():
        if block.kind == "numbered":
            assert block.text.startswith("*"), block.number


def test_footnote_1_is_attached_to_paragraph_15(declaration):
    paragraph = next(b for b in declaration.walk() if b.kind == "numbered" and b.number == "15")
    assert "Members of Their Families,[^1]" in paragraph.text
    assert declaration.footnotes["1"].text == "United Nations, *Treaty Series*, vol. 2220, No. 39481."


def test_chapeau_and_closing_sections(declaration):
    roles = [b.role for b in declaration.blocks if b.kind == "section"]
    assert roles == ["chapeau", "closing"]
    chapeau = declaration.blocks[0]
    assert [c.text for c in chapeau.children] == ["*The General Assembly*", "*Adopts* the following declaration:"]


def test_series_page_has_six_roundtable_dates_and_five_points():
    page = read_document(ROOT / "content" / "hld-series.md", ROOT)
    assert len(page.meta["roundtables"]) == 6
    assert all(isinstance(day, datetime.date) for day in page.meta["roundtables"])
    assert page.meta["report"] == "hld-report"
    items = [b for b in page.walk() if b.kind == "item"]
    assert len(items) == 5
    assert items[-1].text == "Due recognition of IOM’s role as the global lead agency on migration"


def test_wrapped_lines_join_into_one_unit():
    doc = parse_document('+++\ntitle = "T"\n+++\n\nOne\ntwo\n  three\n\n- a\n  b\n', "x.md", "x")
    assert [u.text for u in doc.units()] == ["T", "One two three", "a b"]


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        ('title = "T"\n', 1, "no metadata header"),
        ('+++\ntitle = "T\n+++\n', 2, "not valid TOML"),
        ('+++\nkind = "resolution"\ntitle = "T"\n+++\n', 1, "needs `symbol`"),
        ('+++\ntitle = "T"\n+++\n\n::: chapeau\ntext\n', 5, "not closed"),
        ('+++\ntitle = "T"\n+++\n\nSee <b>this</b>.\n', 5, "raw HTML '<b>'"),
        ('+++\ntitle = "T"\n+++\n\n<div>\nblock\n</div>\n', 5, "raw HTML is not allowed"),
        ('+++\ntitle = "T"\n+++\n\n# A\n\nText.\n\n### C\n', 9, "heading level 3 follows level 1"),
        ('+++\ntitle = "T"\n+++\n\n# Background\n\nSee [](#backgrund).\n', 7, "did you mean #background?"),
        ('+++\ntitle = "T"\n+++\n\n| a | b |\n|---|---|\n| 1 | 2 | 3 |\n', 7, "3 cells, the header has 2"),
        ('+++\ntitle = "T"\n+++\n\n::: annex\nNo title.\n:::\n', 5, "annex without a title"),
        ('+++\ntitle = "T"\n+++\n\nA note.[^2]\n', 5, "[^2] is referenced but not defined"),
        ('+++\ntitle = "T"\n+++\n\n# A\n\nSee [the site][iom].\n', 7, "link reference [iom] is not defined"),
        ('+++\ntitle = "T"\n+++\n\n# Background\n\nSee [it][b].\n\n[b]: #backgrund\n', 7, "did you mean #background?"),
        ('+++\ntitle = "T"\n+++\n\n# A\n\nRun [it][js].\n\n[js]: javascript:alert(1)\n', 7, "[js] is not defined"),
    ],
)
def test_malformed_sources_name_the_line(source, line, words):
    with pytest.raises(ContentError) as caught:
        parse_document(source, "content/bad.md", "bad")
    assert caught.value.path == "content/bad.md"
    assert caught.value.line == line
    assert words in str(caught.value)


@pytest.mark.parametrize(
    ("src", "words"),
    [
        ("../secret.png", "is outside the project"),
        ("https://example.org/x.png", "is outside the project"),
        ("figures/none.svg", "does not exist"),
        ("figures/map.gif", "is not an SVG or PNG file"),
    ],
)
def test_an_image_must_be_an_svg_or_png_file_of_the_project(tmp_path, src, words):
    from polypress.content.reader import read_document

    (tmp_path / "content" / "figures").mkdir(parents=True)
    (tmp_path / "content" / "figures" / "map.gif").write_bytes(b"GIF89a")
    source = tmp_path / "content" / "x.md"
    source.write_text(f'+++\ntitle = "T"\n+++\n\nText.\n\n![A map]({src} "Caption")\n')
    with pytest.raises(ContentError) as caught:
        read_document(source, tmp_path)
    assert (caught.value.path, caught.value.line) == ("content/x.md", 7)
    assert words in str(caught.value)


def test_reference_links_are_read_as_the_inline_links_they_stand_for():
    source = (
        '+++\ntitle = "T"\n+++\n\n# Background\n\n'
        "The [Declaration][decl], the [IOM site][], [IOM], [back][top] and `[decl]` in code; [sic] stays text.\n\n"
        '[decl]: https://example.org/declaration "The Declaration"\n'
        "[IOM site]: <https://www.iom.int/hld 2013>\n"
        "[iom]: https://www.iom.int\n"
        "[top]: #background\n"
    )
    from polypress.content.inline import Link, parse_inline, walk

    doc = parse_document(source, "content/refs.md", "refs")
    (paragraph,) = [b for b in doc.walk() if b.kind == "paragraph"]
    links = [(n.target, n.title) for n in walk(parse_inline(paragraph.text)) if isinstance(n, Link)]
    assert links == [
        ("https://example.org/declaration", "The Declaration"),
        ("https://www.iom.int/hld%202013", ""),
        ("https://www.iom.int", ""),
        ("#background", ""),
    ]
    assert "`[decl]` in code; [sic] stays text." in paragraph.text
