"""The kind seam: a kind registered in one line, with its two templates, builds in every format."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from polypress.formats import FORMATS
from polypress.kinds import KINDS
from polypress.kinds.base import DATE, TEXT, Field, Kind
from polypress.pipeline.progress import Progress
from polypress.pipeline.run import build
from polypress.sources import load_sources

NOTE = Kind(
    name="note",
    description="a note verbale: addressee and date above the text",
    own_fields=(Field("addressee", TEXT, required=True), Field("dated", DATE, required=True)),
    date_fields=("dated",),
)
SOURCE = """+++
kind = "note"
title = "Note verbale on the High-level Dialogue"
addressee = "the Permanent Missions"
dated = 2013-11-04
+++

The Secretariat presents its compliments to the Permanent Missions.
"""
PRINT = """{% extends layout %}
{% block front %}<p class="addressee">{{ doc.meta.addressee }}</p><p class="dated">{{ date(doc.meta.dated) }}</p>{{ super() }}{% endblock %}
"""
SCREEN = """{% extends layout %}
{% block front %}<p class="addressee">{{ doc.meta.addressee }}</p>{{ super() }}{% endblock %}
"""


@pytest.fixture
def note_project(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setitem(KINDS, NOTE.name, NOTE)  # the registration line
    folder = project / "templates" / "kinds" / "note"
    folder.mkdir()
    (folder / "print.html").write_text(PRINT)
    (folder / "screen.html").write_text(SCREEN)
    (project / "content" / "note.md").write_text(SOURCE)
    return project


def test_a_registered_kind_builds_in_every_format(note_project: Path) -> None:
    build(load_sources(note_project), ["en"], 1, Progress(quiet=True))
    site = note_project / "build" / "site" / "en"
    for fmt in FORMATS.values():
        assert (site / f"note{fmt.suffix}").is_file()
    page = (site / "note.html").read_text()
    assert '<p class="addressee">the Permanent Missions</p>' in page
    with zipfile.ZipFile(site / "note.epub") as book:
        assert "the Permanent Missions" in book.read("OEBPS/content.xhtml").decode()
        assert (
            '<meta property="dcterms:modified">2013-11-04T00:00:00Z</meta>' in book.read("OEBPS/package.opf").decode()
        )
    manifest = json.loads((note_project / "build" / "site" / "manifest.json").read_text())
    assert {a["format"] for a in manifest["artifacts"] if a["document"] == "note"} == set(FORMATS)


def test_its_fields_are_checked_like_any_other_kind(note_project: Path) -> None:
    from polypress.errors import ContentError

    (note_project / "content" / "note.md").write_text(SOURCE.replace("dated = 2013-11-04", 'dated = "4 November"'))
    with pytest.raises(ContentError) as error:
        load_sources(note_project)
    assert error.value.path == "content/note.md" and error.value.line == 5
    assert "`dated` must be a date" in error.value.message
