"""build/units.json: on which page of each PDF every translation unit lands (formats/pdf.py, i18n/placement.py).

What a translator checks: the unit the map puts on page 2 is printed on page 2; every unit of the
catalogue is there with the line of its msgid; the map is the same whoever builds it, and marking
the units changes nothing a reader of the PDF could see.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader

from polypress import load_project
from polypress.formats import pdf as pdf_format
from polypress.i18n.placement import EditionUnits, Placement, UnitPages, page_label, units_json
from tests.conftest import run_cli


def units_map(built_project: Path) -> dict:
    return json.loads((built_project / "build" / "units.json").read_text(encoding="utf-8"))


def letters(text: str) -> str:
    """Only letters and digits: what survives hyphenation, line breaks and the PDF's text extraction."""
    return re.sub(r"[\W_]+", "", text).casefold()


def test_every_unit_of_a_catalogue_is_mapped_with_the_line_of_its_msgid(built_project):
    path = built_project / "translations" / "fr" / "LC_MESSAGES" / "a-res-68-4.po"
    catalog = read_po(path.open("rb"))
    edition = units_map(built_project)["documents"]["a-res-68-4"]["fr"]
    assert edition["catalogue"] == "translations/fr/LC_MESSAGES/a-res-68-4.po"
    assert edition["pdf"] == "fr/a-res-68-4.pdf"
    mapped = {(unit["msgctxt"], unit["msgid"]): unit for unit in edition["units"]}
    for message in catalog:
        if not message.id:  # the header; obsolete entries are not in the iteration
            continue
        unit = mapped.pop((message.context, message.id))
        assert unit["po_line"] == message.lineno
        assert unit["pages"] and all(page >= 1 for page in unit["pages"])
    assert mapped == {}  # nothing mapped that the catalogue does not hold


@pytest.mark.parametrize("language", ["fr", "ar", "zh"])
def test_a_unit_is_printed_on_the_pages_the_map_gives(built_project, language):
    pdf = built_project / "build" / "site" / language / "hld-report.pdf"
    pages = [letters(page.extract_text() or "") for page in PdfReader(pdf).pages]
    catalog = read_po((built_project / "translations" / language / "LC_MESSAGES" / "hld-report.po").open("rb"))
    checked = 0
    for unit in units_map(built_project)["documents"]["hld-report"][language]["units"]:
        # A short stretch of the translation, markup and cross-references aside: found on the first
        # page the map gives, and not on a page before it.
        string = catalog.get(unit["msgid"], context=unit["msgctxt"]).string
        words = letters(re.sub(r"\[[^\]]*\]\([^)]*\)|\[\^\w+\]|[*`]", "", string))[:12]
        if len(words) < 6 or sum(words in page for page in pages) != 1:
            continue  # too short, or printed on more than one page (running heads): not telling
        first = unit["pages"][0]
        assert words in pages[first - 1], (unit["msgid"], unit["pages"])
        checked += 1
    assert checked >= 20


def test_the_short_title_lands_in_the_running_heads_of_every_page_but_the_first(built_project):
    report = units_map(built_project)["documents"]["hld-report"]["fr"]
    short = next(u for u in report["units"] if u["msgid"] == "HLD Series: summary report")
    pages = len(PdfReader(built_project / "build" / "site" / "fr" / "hld-report.pdf").pages)
    assert short["pages"] == list(range(2, pages + 1))


def test_the_source_language_is_mapped_by_its_source_lines(built_project):
    english = units_map(built_project)["documents"]["a-res-68-4"]["en"]
    assert english["catalogue"] == ""
    assert all(u["po_line"] is None and u["source_line"] for u in english["units"])


def test_marking_the_units_changes_nothing_in_the_pdf_but_its_identifier(project, monkeypatch):
    """The marks are data attributes, read from the laid-out boxes: no named destination, same size,
    same content; only the identifier (a digest of the print HTML) differs."""
    marked = load_project(project).render("a-res-68-4", "fr", "pdf")
    render_view = pdf_format.render_view
    monkeypatch.setattr(pdf_format, "unit_marks", lambda document: {})
    monkeypatch.setattr(pdf_format, "render_view", lambda *args, **kw: render_view(*args, **{**kw, "unit_marks": None}))
    unmarked = load_project(project).render("a-res-68-4", "fr", "pdf")
    assert marked.units and not unmarked.units
    assert len(marked.data) == len(unmarked.data)
    identifier = re.compile(rb"/ID \[\([0-9a-f]+\) \([0-9a-f]+\)\]")
    assert identifier.sub(b"", marked.data) == identifier.sub(b"", unmarked.data)
    assert b"data-unit" not in marked.data


def test_a_rebuild_of_one_language_keeps_the_other_languages_units(project):
    assert run_cli("-C", str(project), "build", "--quiet", "--doc", "hld-series", "--lang", "fr") == 0
    first = units_map(project)["documents"]["hld-series"]
    assert run_cli("-C", str(project), "build", "--quiet", "--doc", "hld-series", "--lang", "ar") == 0
    second = units_map(project)["documents"]["hld-series"]
    assert second["fr"] == first["fr"] and second["ar"]["units"]


def test_the_map_is_valid_json_whatever_the_msgids_hold_and_reads_back():
    hostile = ['"quoted" \\ back\\slash', "</script><b>", "line\nbreak\ttab", "عربي \u202e", "\u2028\U0001f600", ""]
    units = tuple(Placement(text, (1, 3), None if n % 2 else "ctx", n + 1, n + 10) for n, text in enumerate(hostile))
    edition = EditionUnits("doc", "ar", "ar/doc.pdf", "translations/ar/LC_MESSAGES/doc.po", units)
    data = units_json([edition])
    assert data == units_json([edition])
    assert json.loads(data)["documents"]["doc"]["ar"]["units"][0]["msgid"] == hostile[0]
    # One unit a line, so `grep` finds a msgid with its pages.
    lines = [json.loads(line.strip().rstrip(",")) for line in data.decode().split("\n") if '"msgid"' in line]
    assert sorted(unit["msgid"] for unit in lines) == sorted(hostile)


def test_the_map_reads_back_and_a_damaged_map_shows_no_pages(tmp_path):
    units = (Placement("Hello", (2,), None, 4, 12), Placement("Hello", (5,), "menu", 6, 16))
    edition = EditionUnits("doc", "fr", "fr/doc.pdf", "translations/fr/LC_MESSAGES/doc.po", units)
    (tmp_path / "units.json").write_bytes(units_json([edition]))
    loaded = UnitPages.load(tmp_path)
    assert loaded.pages("doc", "fr", "Hello") == (2,)
    assert loaded.pages("doc", "fr", "Hello", "menu") == (5,)
    assert loaded.where("translations/fr/LC_MESSAGES/doc.po", "Hello") == "doc, p. 2"
    assert loaded.pages("doc", "fr", "Bye") == ()
    only = UnitPages([EditionUnits("doc", "fr", "fr/doc.pdf", "", (Placement("Title", (1,), "heading"),))])
    assert only.pages("doc", "fr", "Title") == (1,)  # asked without a context: the one entry, whatever its own
    for damaged in ("{", "[]", '{"version": 1, "documents": {"doc": {"fr": {"units": [{"msgid": 3}]}}}}'):
        (tmp_path / "units.json").write_text(damaged)
        assert not UnitPages.load(tmp_path)
    assert not UnitPages.load(tmp_path / "nowhere")


def test_page_labels_name_a_page_a_range_or_a_list():
    assert page_label([2]) == "p. 2"
    assert page_label([3, 2]) == "pp. 2\u20133"
    assert page_label([2, 5]) == "pp. 2, 5"
    assert page_label([]) == ""


def test_a_unit_with_a_context_is_mapped_under_its_msgctxt(project):
    """The map is keyed on (msgctxt, msgid): a catalogue that gives a unit a context keeps it."""
    po = project / "translations" / "fr" / "LC_MESSAGES" / "hld-series.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(
        text.replace(
            'msgid "Background Papers HLD Series"', 'msgctxt "heading"\nmsgid "Background Papers HLD Series"', 1
        ),
        "utf-8",
    )
    units = {u.msgid: u for u in load_project(project).render("hld-series", "fr", "pdf").units}
    assert units["Background Papers HLD Series"].msgctxt == "heading"
    assert units["Specifically, IOM would welcome:"].msgctxt is None
