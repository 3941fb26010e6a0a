"""Document kinds: the fields a front matter may carry, their types, the date and the spoken values of a kind.

Front matter is written here as a writer would, and read with the content reader, so
every error is checked where a writer sees it: file, line and what to do.
"""

from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path

import pytest

import polypress
from polypress.content.reader import parse_document
from polypress.errors import ContentError
from polypress.kinds import DEFAULT_KIND, KINDS
from tests.conftest import ROOT, run_cli

PATH = "content/test.md"

#: A complete resolution front matter, one `key = value` line each (line 2 onwards in the file).
RESOLUTION = {
    "kind": '"resolution"',
    "title": '"Declaration"',
    "symbol": '"A/RES/68/4"',
    "resolution": '"68/4"',
    "session": "68",
    "agenda_item": "19",
    "adopted": "2013-10-03",
    "meeting": "25",
}


def front_matter(fields: dict[str, str], body: str = "Text.\n") -> str:
    lines = [f"{key} = {value}" for key, value in fields.items()]
    return "+++\n" + "\n".join(lines) + "\n+++\n\n" + body


def line_of(fields: dict[str, str], key: str) -> int:
    """The 1-based line of *key* in front_matter(fields): the opening +++ is line 1."""
    return list(fields).index(key) + 2


def resolution(**changes: str | None) -> dict[str, str]:
    """RESOLUTION with fields changed, added, or (None) removed."""
    fields = dict(RESOLUTION)
    for key, value in changes.items():
        if value is None:
            fields.pop(key)
        else:
            fields[key] = value
    return fields


def read(fields: dict[str, str]):
    return parse_document(front_matter(fields), PATH, "test")


def refused(fields: dict[str, str]) -> ContentError:
    with pytest.raises(ContentError) as caught:
        read(fields)
    assert caught.value.path == PATH
    return caught.value


# -- validation ------------------------------------------------------------------------------------


def test_a_complete_resolution_is_read_with_typed_values():
    meta = read(RESOLUTION).meta
    assert meta["kind"] == "resolution"
    assert meta["session"] == 68 and meta["meeting"] == 25
    assert meta["adopted"] == datetime.date(2013, 10, 3)
    # Every field of the kind is there: None when the writer left it out.
    assert set(meta) == set(KINDS["resolution"].fields)
    assert meta["agenda_subitem"] is None and meta["issued"] is None


@pytest.mark.parametrize("missing", ["title", "symbol", "resolution", "session", "agenda_item", "adopted", "meeting"])
def test_a_resolution_without_a_required_field_is_refused_with_what_to_add(missing):
    error = refused(resolution(**{missing: None}))
    assert f"a resolution needs `{missing}`" in error.message
    assert error.line == 1  # the header that lacks it
    assert f"add {missing} = " in error.hint


def test_an_empty_required_field_counts_as_missing():
    error = refused(resolution(adopted='""'))
    assert "needs `adopted`" in error.message


def test_a_string_where_a_date_belongs_is_refused_at_its_line():
    fields = resolution(adopted='"3 October 2013"')
    error = refused(fields)
    assert error.line == line_of(fields, "adopted")
    assert "`adopted` must be a date like 2013-10-03" in error.message
    assert '"3 October 2013"' in error.message  # as it is written in TOML


def test_a_date_with_a_time_is_not_a_date():
    fields = resolution(adopted="2013-10-03T10:00:00")
    assert refused(fields).line == line_of(fields, "adopted")


@pytest.mark.parametrize("name", ["session", "meeting"])
def test_a_boolean_is_not_a_whole_number(name):
    # TOML `true` reads as Python True, and True is an int in Python: the kind must not take it for 1.
    fields = resolution(**{name: "true"})
    error = refused(fields)
    assert error.line == line_of(fields, name)
    assert f"`{name}` must be" in error.message and error.message.endswith("not true")  # as TOML writes it


def test_a_fraction_is_not_a_whole_number():
    fields = resolution(agenda_item="19.5")
    assert refused(fields).line == line_of(fields, "agenda_item")


@pytest.mark.parametrize("name", ["session", "meeting"])
def test_a_negative_number_is_not_a_whole_number(name):
    fields = resolution(**{name: "-68"})
    assert refused(fields).line == line_of(fields, name)


def test_a_number_where_text_belongs_is_refused():
    fields = resolution(symbol="68")
    error = refused(fields)
    assert error.line == line_of(fields, "symbol")
    assert "`symbol` must be a quoted string" in error.message


def test_an_unknown_field_is_refused_with_the_closest_known_one():
    fields = resolution(adpoted="2013-10-03", adopted=None)
    error = refused(fields)
    assert error.message == "unknown field `adpoted` for a resolution"
    assert error.line == line_of(fields, "adpoted")
    assert error.hint == "did you mean `adopted`?"
    assert str(error) == f"{PATH}:{error.line}: unknown field `adpoted` for a resolution — did you mean `adopted`?"


def test_an_unknown_field_like_no_known_one_lists_what_the_kind_knows():
    error = refused(resolution(colour='"blue"'))
    assert "did you mean" not in error.hint
    assert "a resolution knows:" in error.hint and "adopted" in error.hint and "meeting" in error.hint


def test_a_field_of_another_kind_is_unknown_to_this_one():
    # `roundtables` belongs to a page: a resolution does not silently drop it.
    error = refused(resolution(roundtables="[2013-09-17]"))
    assert "unknown field `roundtables` for a resolution" in error.message


def test_an_empty_string_means_an_optional_date_is_not_known():
    meta = read(resolution(issued='""', published='""')).meta
    assert meta["issued"] is None and meta["published"] is None
    # Not known is not a date: the resolution is still dated by its adoption.
    assert KINDS["resolution"].date(meta) == datetime.date(2013, 10, 3)


def test_a_job_number_is_text_or_a_table_of_text_per_language():
    assert read(resolution(job_number='{ en = "13-49245" }')).meta["job_number"] == {"en": "13-49245"}
    fields = resolution(job_number="{ en = 1349245 }")
    assert refused(fields).line == line_of(fields, "job_number")


def test_a_page_size_is_one_the_print_edition_knows():
    assert read(resolution(page_size='"Letter"')).meta["page_size"] == "Letter"
    fields = resolution(page_size='"B5"')
    error = refused(fields)
    assert error.line == line_of(fields, "page_size") and '"A4" or "Letter"' in error.message


# -- dates and spoken values -------------------------------------------------------------------------

PAGE = {
    "title": '"Series"',
    "roundtables": "[2013-06-07, 2013-09-17, 2012-10-12]",
}


def test_a_resolution_is_dated_by_its_adoption_even_when_published_later():
    meta = read(resolution(published="2013-12-01")).meta
    assert KINDS["resolution"].date(meta) == datetime.date(2013, 10, 3)


def test_a_page_without_a_publication_date_is_dated_by_its_latest_roundtable():
    # The latest, not the last listed: the series page lists its roundtables newest first.
    meta = read(PAGE).meta
    assert KINDS["page"].date(meta) == datetime.date(2013, 9, 17)


def test_a_published_page_is_dated_by_its_publication():
    meta = read({**PAGE, "published": "2014-01-15"}).meta
    assert KINDS["page"].date(meta) == datetime.date(2014, 1, 15)


def test_a_page_with_no_date_at_all_has_none():
    meta = read({"title": '"Plain"'}).meta
    assert KINDS["page"].date(meta) is None


def test_the_shipped_documents_are_dated_as_the_feeds_show_them():
    from polypress.content.reader import read_document

    for slug, day in (("a-res-68-4", datetime.date(2013, 10, 3)), ("hld-series", datetime.date(2013, 9, 17))):
        document = read_document(ROOT / "content" / f"{slug}.md", ROOT)
        assert document.kind.date(document.meta) == day, slug


def test_spoken_values_are_the_dates_and_ordinals_a_resolution_spells_out():
    meta = read(resolution(issued="2013-10-21")).meta
    spoken = KINDS["resolution"].spoken_values(meta)
    assert sorted(spoken) == sorted(
        [
            ("issued", "date", datetime.date(2013, 10, 21)),
            ("adopted", "date", datetime.date(2013, 10, 3)),
            ("meeting", "ordinal", 25),
        ]
    )
    # Numbers that are only printed as figures (the session, the agenda item) are not spoken.
    assert not {name for name, _, _ in spoken} & {"session", "agenda_item"}


def test_every_date_of_a_list_is_spoken():
    spoken = KINDS["page"].spoken_values(read(PAGE).meta)
    assert spoken == [
        ("roundtables", "date", datetime.date(2013, 6, 7)),
        ("roundtables", "date", datetime.date(2013, 9, 17)),
        ("roundtables", "date", datetime.date(2012, 10, 12)),
    ]


# -- translatable fields, registry, templates -------------------------------------------------------


@pytest.mark.parametrize("name", ["resolution", "page"])
def test_only_prose_fields_are_translatable(name):
    kind = KINDS[name]
    assert kind.translatable == ("title", "short_title", "author")
    # Translators get prose: a symbol, a number or a date is never sent to them.
    assert all(kind.fields[field].type.name == "text" for field in kind.translatable)
    assert "symbol" not in kind.translatable


def test_the_translatable_fields_of_the_shipped_documents_are_in_their_templates():
    """What a kind declares translatable is what the catalogues offer translators."""
    from polypress.content.reader import read_document

    for slug in ("a-res-68-4", "hld-series"):
        document = read_document(ROOT / "content" / f"{slug}.md", ROOT)
        pot = (ROOT / "translations" / f"{slug}.pot").read_text(encoding="utf-8")
        for name in document.kind.translatable:
            if document.meta[name]:
                assert f'msgid "{document.meta[name]}"' in pot.replace('"\n"', ""), (slug, name)


def test_the_registry_knows_resolutions_and_pages_and_a_document_is_a_page_by_default():
    assert {"resolution", "page"} <= set(KINDS)
    assert all(kind.name == name for name, kind in KINDS.items())
    assert DEFAULT_KIND == "page" and DEFAULT_KIND in KINDS
    assert read({"title": '"No kind named"'}).kind is KINDS["page"]


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_kind_has_its_print_and_screen_templates(name):
    for view in ("print", "screen"):
        assert (ROOT / "templates" / KINDS[name].template(view)).is_file(), (name, view)


@pytest.mark.parametrize("value", ['"memo"', '"Resolution"', "3"])
def test_an_unknown_kind_is_refused_at_its_line_with_the_known_ones(value):
    fields = {"title": '"T"', "kind": value}
    with pytest.raises(ContentError) as caught:
        read(fields)
    error = caught.value
    assert (error.path, error.line) == (PATH, line_of(fields, "kind"))
    assert error.message.startswith("unknown kind ")
    assert all(name in error.hint for name in KINDS)


def test_a_shorter_short_title_changes_the_running_heads_and_not_the_title(project: Path):
    """The short title is its own unit (msgctxt "short title") even where its English is the title's."""
    po = project / "translations/fr/LC_MESSAGES/a-res-68-4.po"
    text = po.read_text(encoding="utf-8")
    unit = re.search(r'msgctxt "short title"\nmsgid ""\n(?:".*"\n)+msgstr ""\n(?:".*"\n)+', text)
    assert unit is not None, "the short title is a unit of its own"
    msgid = unit.group(0).split("msgstr")[0]
    po.write_text(text.replace(unit.group(0), msgid + 'msgstr "Déclaration du Dialogue sur les migrations"\n'))
    assert run_cli("-C", str(project), "check", "--quiet") == 0  # the glossary's full title is not asked of it
    pdf = project / "fr.pdf"
    pdf.write_bytes(polypress.load_project(project).render("a-res-68-4", "fr", "pdf").data)

    def page(number: int) -> str:
        args = ["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"]
        return " ".join(subprocess.run(args, capture_output=True, text=True, check=True).stdout.split())

    assert "Déclaration du Dialogue sur les migrations" in page(2)  # the running head
    assert "Déclaration du Dialogue de haut niveau sur les migrations internationales et le" not in page(2)
    first = page(1)
    assert "Déclaration du Dialogue de haut niveau sur les migrations internationales et le développement" in first
    assert "Déclaration du Dialogue sur les migrations" not in first
