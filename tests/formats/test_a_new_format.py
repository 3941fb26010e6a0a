"""The format seam: a format registered in one line is planned, rendered, listed and packed with no other change."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from polypress.formats import FORMATS
from polypress.formats.base import Deps, Format, Output, RenderRequest
from polypress.pipeline.progress import Progress
from polypress.pipeline.run import build
from polypress.sources import load_sources


def render_text(request: RenderRequest) -> Output:
    """A plain-text edition: the units of the translated document, one per paragraph."""
    units = [unit.text for unit in request.edition.document.units()]
    return Output("\n\n".join(units).encode("utf-8"), Deps())


TEXT = Format(name="txt", suffix=".txt", media_type="text/plain", label="TXT", render=render_text)


@pytest.fixture
def with_text_format(monkeypatch: pytest.MonkeyPatch) -> Format:
    # What one registration line in polypress/formats/__init__.py does.
    monkeypatch.setitem(FORMATS, TEXT.name, TEXT)
    return TEXT


def test_a_registered_format_goes_everywhere_the_others_go(project: Path, with_text_format: Format) -> None:
    report = build(load_sources(project), ["fr"], 2, Progress(quiet=True))
    site = project / "build" / "site"
    text = (site / "fr" / "a-res-68-4.txt").read_text(encoding="utf-8")
    assert "Déclaration du Dialogue de haut niveau" in text
    assert "a-res-68-4.fr.txt" in report.rendered

    manifest = json.loads((site / "manifest.json").read_text())
    listed = {a["path"]: a for a in manifest["artifacts"]}
    assert listed["fr/hld-series.txt"]["format"] == "txt"
    assert "fr/hld-series.txt" in (site / "SHA256SUMS").read_text()
    # The web page links it with its size, the landing page has a column for it, the zip holds it.
    assert 'href="a-res-68-4.txt" type="text/plain">TXT</a>' in (site / "fr" / "a-res-68-4.html").read_text()
    assert '<th scope="col">TXT</th>' in (site / "fr" / "index.html").read_text()
    (archive,) = (site / "fr").glob("*.zip")
    assert any(name.endswith("/a-res-68-4.txt") for name in zipfile.ZipFile(archive).namelist())
    assert 'type="text/plain"' in (site / "fr" / "feed.xml").read_text()
    assert 'href="fr/a-res-68-4.txt"' in (site / "status.html").read_text()

    # And it is incremental like the others: nothing changed, nothing is rendered.
    again = build(load_sources(project), ["fr"], 1, Progress(quiet=True))
    assert again.rendered == [] and "a-res-68-4.fr.txt" in again.reused
