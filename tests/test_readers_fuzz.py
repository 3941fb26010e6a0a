"""Property-based tests of the readers: any input gives a result or a located error, never an internal error.

Hypothesis generates PO files, Markdown sources with TOML front matter,
polypress.toml files, glossary CSV files and XLIFF/TBX files, built from the
pieces each format is made of (keywords, quotes, escapes, fences, values of
every TOML type, entity declarations, control and invisible characters) so
that most inputs get past the first line. The seed is fixed
(derandomize) and the number of examples bounded, so the suite stays fast;
``POLYPRESS_FUZZ_EXAMPLES=3000`` runs a longer campaign.
"""

from __future__ import annotations

import datetime
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polypress.characters import first_control
from polypress.content.reader import read_document
from polypress.errors import PolypressError
from polypress.i18n.po import parse_catalogue
from polypress.settings import read_settings
from polypress.toml_lines import toml_string
from tests.conftest import ROOT

EXAMPLES = int(os.environ.get("POLYPRESS_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)

#: Characters that break readers: controls, CR, quotes, backslashes, bidi overrides, BOM, non-Latin scripts.
NASTY = '\x00\x01\x07\x1b\x7f\x85\r\t"\\%{}[]#=+:\u202e\u2066\u200b\ufeffé中ع'
text = st.text(alphabet=st.one_of(st.sampled_from(NASTY), st.characters(codec="utf-8")), max_size=40)


def located(error: PolypressError, path: str) -> None:
    """A user error: it names the file it is about and, when it has one, a line that exists."""
    assert error.path is not None and error.path.endswith(path), (error.path, path)
    assert error.line is None or (isinstance(error.line, int) and error.line >= 1)
    assert error.message and "Traceback" not in str(error)


# -- PO ----------------------------------------------------------------------------------------

PO_HEADER = (
    'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
)
po_line = st.one_of(
    st.builds(
        lambda k, s: f"{k} {toml_string(s)}", st.sampled_from(["msgid", "msgstr", "msgctxt", "msgid_plural"]), text
    ),
    st.builds(lambda i, s: f"msgstr[{i}] {toml_string(s)}", st.integers(-1, 3), text),
    st.builds(lambda s: toml_string(s), text),
    st.sampled_from(["", "#, fuzzy", '#~ msgid "x"', '#| msgid "y"', '"Plural-Forms: nplurals=2; plural=n%0;\\n"']),
    st.builds(
        lambda e: f'"Plural-Forms: nplurals=2; plural={e};\\n"',
        st.text(alphabet="n()?:%/<>=!&|0123456789 ", max_size=30),
    ),
    text,
)
line_ending = st.sampled_from(["\n", "\r\n", "\r"])


@FUZZ
@given(st.lists(po_line, max_size=30), line_ending, st.booleans())
def test_the_po_reader_gives_a_catalogue_or_a_located_error(lines: list[str], ending: str, header: bool) -> None:
    data = ((PO_HEADER if header else "") + "\n".join(lines)).replace("\n", ending).encode("utf-8", "surrogatepass")
    try:
        parse_catalogue(data, "translations/fr/LC_MESSAGES/doc.po", "fr", "fr")
    except PolypressError as error:
        located(error, "doc.po")


@FUZZ
@given(st.binary(max_size=400))
def test_the_po_reader_takes_any_bytes(data: bytes) -> None:
    try:
        read = parse_catalogue(PO_HEADER.encode() + data, "translations/fr/LC_MESSAGES/doc.po", "fr", "fr")
    except PolypressError as error:
        located(error, "doc.po")
    else:  # what is read is text a page can hold: no control character reaches a translation
        assert all(no_controls(m.id) and no_controls(m.string) for m in read.catalog)


def no_controls(value: str | tuple | None) -> bool:
    values = value if isinstance(value, tuple | list) else (value or "",)
    return all(first_control(v or "") is None for v in values)


# -- front matter and Markdown -------------------------------------------------------------------

toml_scalar = st.one_of(
    text.map(toml_string),
    st.integers(-(10**30), 10**30).map(str),
    st.floats(allow_nan=True).map(lambda f: {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(str(f), repr(f))),
    st.booleans().map(lambda b: "true" if b else "false"),
    st.dates(min_value=datetime.date(1, 1, 1)).map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"),
    st.datetimes().map(lambda d: d.isoformat()),
)
toml_value = st.recursive(
    toml_scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda v: "[" + ", ".join(v) + "]"),
        st.dictionaries(st.sampled_from(["en", "fr", "a b", "x"]), inner, max_size=3).map(
            lambda d: "{ " + ", ".join(f"{toml_string(k)} = {v}" for k, v in d.items()) + " }"
        ),
    ),
    max_leaves=6,
)
FIELDS = [
    "kind", "title", "short_title", "author", "symbol", "published", "issued", "original_language", "job_number",
    "page_size", "resolution", "session", "agenda_item", "agenda_subitem", "adopted", "meeting", "draft",
    "main_committee", "committee_report", "roundtables", "report_languages", "unknown",
]  # fmt: skip
front_line = st.one_of(
    st.builds(lambda k, v: f"{k} = {v}", st.sampled_from(FIELDS), toml_value),
    st.just('kind = "resolution"'),
    text,
)
body_line = st.one_of(
    st.sampled_from(["", "::: chapeau", ":::", "# Heading", "1. *Recognize* that[^1]", "[^1]: A note.", "- item"]),
    text,
)


@FUZZ
@given(st.lists(front_line, max_size=14), st.lists(body_line, max_size=14), line_ending, st.booleans())
def test_the_markdown_reader_gives_a_document_or_a_located_error(
    front: list[str], body: list[str], ending: str, fenced: bool
) -> None:
    source = ("+++\n" if fenced else "") + "\n".join(front) + "\n+++\n" + "\n".join(body) + "\n"
    source = source.replace("\n", ending)
    with tempfile.TemporaryDirectory() as folder:  # read from a file, as the build reads it (any line ending)
        path = Path(folder) / "content" / "x.md"
        path.parent.mkdir()
        path.write_bytes(source.encode("utf-8", "surrogatepass"))
        try:
            document = read_document(path, Path(folder))
        except PolypressError as error:
            located(error, "content/x.md")
        else:  # every unit a translator and a page will see is text a page can hold
            assert all(no_controls(unit.text) for unit in document.units())


# -- polypress.toml ----------------------------------------------------------------------------

SETTINGS_TEXT = (ROOT / "polypress.toml").read_text(encoding="utf-8")
SETTINGS_LINES = SETTINGS_TEXT.splitlines()
KEYS = [n for n, line in enumerate(SETTINGS_LINES) if "=" in line and not line.lstrip().startswith("#")]


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(KEYS), st.one_of(toml_value, text)), min_size=1, max_size=3))
def test_the_settings_reader_gives_settings_or_a_located_error(changes: list[tuple[int, str]]) -> None:
    lines = list(SETTINGS_LINES)
    for number, value in changes:
        key = lines[number].split("=", 1)[0]
        lines[number] = f"{key}= {value}"
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "polypress.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        try:
            read_settings(Path(folder))
        except PolypressError as error:
            located(error, "polypress.toml")


# -- glossaries and the XML a CAT tool sends back ----------------------------------------------

glossary_cell = st.one_of(text, st.builds(lambda s: '"' + s, text), st.sampled_from(["verified", "to-verify", '""']))


@FUZZ
@given(st.lists(st.lists(glossary_cell, max_size=6), max_size=12), line_ending)
def test_the_glossary_reader_gives_a_glossary_or_a_located_error(rows: list[list[str]], ending: str) -> None:
    from polypress.i18n.glossary import parse_glossary  # here, so the other readers' tests run on any version

    text = ending.join(["english,target,status,source,note", *(",".join(row) for row in rows)])
    try:
        glossary = parse_glossary(text, "translations/fr/glossary.csv")
    except PolypressError as error:
        located(error, "translations/fr/glossary.csv")
        assert error.line is None or error.line <= text.count("\n") + text.count("\r") + 1
    else:
        assert all(term.english and term.targets for term in glossary.entries)


xml_piece = st.one_of(
    text,
    st.sampled_from(
        [
            '<?xml version="1.0"?>',
            '<?xml version="1.0" encoding="UTF-16"?>',
            '<!DOCTYPE x [<!ENTITY a "b">]>',
            '<!ENTITY e SYSTEM "file:///etc/passwd">',
            "&a;",
            "&e;",
            "&#133;",
            "&#x1b;",
            "<tbx>",
            "</tbx>",
            '<martif type="TBX-Basic" xml:lang="en">',
            "</martif>",
            "<termEntry><langSet xml:lang='fr'><tig><term>",
            "</term></tig></langSet></termEntry>",
            '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="fr">',
            "</xliff>",
            "<![CDATA[",
            "]]>",
            "\n",
        ]
    ),
)


@FUZZ
@given(st.lists(xml_piece, max_size=16), st.sampled_from(["utf-8", "utf-16", "utf-16-le"]))
def test_the_xml_readers_give_terms_or_a_located_error(pieces: list[str], encoding: str) -> None:
    """TBX and XLIFF as a CAT tool might send them, in any encoding, with entity declarations and character
    references: a result or a located error, and no control character in what is read."""
    from polypress.i18n.tbx import read_tbx
    from polypress.i18n.xliff import read_xliff

    data = "".join(pieces).encode(encoding, errors="surrogatepass")
    readers = {
        "import.tbx": lambda path: read_tbx(data, path, "en", "fr"),
        "import.xlf": lambda path: read_xliff(data, path),
    }
    for path, read in readers.items():
        try:
            result = read(path)
        except PolypressError as error:
            located(error, path)
        else:
            values = [t.english + "".join(t.targets) for t in result] if isinstance(result, list) else []
            values += [target for target, _state in getattr(result, "targets", {}).values()]
            assert all(first_control(value) is None for value in values)
