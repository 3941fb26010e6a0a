"""A source read again is not parsed again: its blocks come from the user cache while its text and the parser
are the same (content/parsed.py), and what depends on other files is still checked at every build."""

import json
import shutil
from pathlib import Path

import pytest

from polypress import user_cache
from polypress.content import parsed, reader
from polypress.content.parsed import keep_parsed, parser_identity, read_parsed
from polypress.content.reader import parse_document, read_document
from polypress.errors import ContentError
from tests.conftest import ROOT


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("POLYPRESS_CACHE_DIR", str(folder))
    return folder


def _unparsable(*args, **kwargs):
    raise AssertionError("parsed again")


@pytest.mark.parametrize("name", ["a-res-68-4.md", "hld-report.md", "hld-series.md"])
def test_a_source_read_again_gives_the_same_document_without_parsing_it(cache, monkeypatch, name):
    first = read_document(ROOT / "content" / name, ROOT)
    monkeypatch.setattr(reader, "parse_blocks", _unparsable)
    again = read_document(ROOT / "content" / name, ROOT)
    assert again == first
    assert [b.number for b in again.walk() if b.kind == "numbered"] == [
        b.number for b in first.walk() if b.kind == "numbered"
    ]


def test_a_changed_text_is_parsed_again(cache, monkeypatch):
    text = '+++\ntitle = "T"\n+++\n\n# Background\n\nOne paragraph.\n'
    parse_document(text, "content/x.md", "x")
    changed = parse_document(text.replace("One", "Another"), "content/x.md", "x")
    assert [b.text for b in changed.walk() if b.kind == "paragraph"] == ["Another paragraph."]


def test_the_front_matter_is_read_at_every_build(cache):
    """Only the body's blocks are kept: the front matter's typed values (dates) are read from the text."""
    text = '+++\nkind = "page"\ntitle = "T"\nroundtables = [2013-09-17]\n+++\n\nText.\n'
    parse_document(text, "content/x.md", "x")
    again = parse_document(text, "content/y.md", "y")
    assert (again.slug, again.path, again.kind.name, again.meta["title"]) == ("y", "content/y.md", "page", "T")
    assert str(again.meta["roundtables"][0]) == "2013-09-17"


def test_a_text_that_fails_a_check_is_never_kept(cache):
    text = '+++\ntitle = "T"\n+++\n\nA <b>raw</b> tag.\n'
    for _ in range(2):
        with pytest.raises(ContentError, match="raw HTML"):
            parse_document(text, "content/x.md", "x")
    assert read_parsed(text) is None


def test_what_depends_on_other_files_is_checked_even_when_the_blocks_are_kept(cache, tmp_path):
    figures = tmp_path / "content" / "figures"
    figures.mkdir(parents=True)
    (figures / "map.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    source = tmp_path / "content" / "x.md"
    source.write_text('+++\ntitle = "T"\n+++\n\nText.\n\n![A map](figures/map.svg "Caption")\n')
    read_document(source, tmp_path)
    (figures / "map.svg").unlink()
    with pytest.raises(ContentError, match="does not exist"):
        read_document(source, tmp_path)


@pytest.mark.parametrize(
    "entry",
    [
        b"{}",
        b"[1]",
        b'[["paragraph", "7", "Text.", 0, "", "", [], "source", "", false, false, "", "", ""]]',
        b'[["paragraph", 7, "Text.", 0, "", "", [], "source", "", 0, false, "", "", ""]]',
        b'[["paragraph", 7, "Text.", 0, "", "", [[1]], "source", "", false, false, "", "", ""]]',
        b'[["paragraph", 7, "Text."]]',
        b"[" * 100_000,
        b"not json",
    ],
)
def test_an_entry_that_is_not_blocks_is_parsed_again(cache, monkeypatch, entry):
    """An entry whose digest checks out may still have been written by someone else: each field is read
    back with its type, or the text is parsed again."""
    text = '+++\ntitle = "T"\n+++\n\nOne paragraph.\n'
    user_cache.keep(parsed._entry(text), entry)
    assert read_parsed(text) is None
    document = parse_document(text, "content/x.md", "x")
    assert [b.text for b in document.walk() if b.kind == "paragraph"] == ["One paragraph."]
    assert read_parsed(text) == document.blocks


def test_an_entry_is_named_by_the_parser_code(tmp_path, monkeypatch):
    """A change to content/, kinds/ or document.py (a new rule, a new field) makes every entry stale."""
    package = tmp_path / "polypress"
    source = Path(parsed.__file__).resolve().parent.parent
    for name in ("content", "kinds"):
        shutil.copytree(source / name, package / name)
    shutil.copy(source / "document.py", package / "document.py")
    monkeypatch.setattr(parsed, "_PACKAGE", package)
    parser_identity.cache_clear()
    try:
        before = parser_identity()
        numbering = package / "content" / "numbering.py"
        numbering.write_text(numbering.read_text() + "\n# a new rule\n")
        parser_identity.cache_clear()
        assert parser_identity() != before
    finally:
        parser_identity.cache_clear()


def test_blocks_kept_are_read_back_equal(cache):
    document = read_document(ROOT / "content" / "hld-report.md", ROOT)
    keep_parsed("another text", document.blocks)
    assert read_parsed("another text") == document.blocks
    assert json.loads(user_cache.found(parsed._entry("another text")))[0][0] == document.blocks[0].kind
