"""A whole build (pipeline/run.py), with the slow formats rendered as a few fake bytes: what it writes, and where.

The web page is rendered for real (it is quick and holds the links); every downloadable
format is replaced by a stand-in, so a build of one language takes a fraction of a second.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import polypress
from polypress.editions import BuildReport
from polypress.formats import FORMATS
from polypress.formats.base import Output, RenderRequest
from polypress.pipeline.plans import EditionPlans
from polypress.site.links import file_size
from tests.conftest import copy_project

NAME = "résumé"


def fake_render(request: RenderRequest) -> Output:
    return Output(f"{request.edition.key} as a stand-in".encode(), pages=1)


def fake_render_marked(request: RenderRequest) -> Output:
    """A stand-in that leaves a mark (the file $POLYPRESS_TEST_RENDERING) when it runs, in whatever worker."""
    Path(os.environ["POLYPRESS_TEST_RENDERING"]).touch()
    return fake_render(request)


def listing(folder: Path, skip: str) -> dict[str, tuple[int, int]]:
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if relative.parts[0] != skip:
            found[str(relative)] = (path.stat().st_size, path.stat().st_mtime_ns)
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The project with a third document whose name is not ASCII, built in English with stand-in files."""
    root = copy_project(tmp_path_factory.mktemp("run") / "project")
    (root / "content" / f"{NAME}.md").write_text('+++\ntitle = "Summary"\n+++\n\nA short summary.\n', encoding="utf-8")
    before = listing(root, "build")
    report = build_english(root)
    return {"root": root, "report": report, "before": before, "site": root / "build" / "site"}


def build_english(root: Path) -> BuildReport:
    """The project built in English, its downloadable files stand-ins."""
    with pytest.MonkeyPatch.context() as patch:
        for name, fmt in FORMATS.items():
            if fmt.downloadable:
                patch.setitem(FORMATS, name, dataclasses.replace(fmt, render=fake_render))
        return polypress.load_project(root).build(languages=["en"], jobs=1)


def test_with_workers_renders_start_while_later_editions_are_still_planned(tmp_path, monkeypatch):
    """An edition is handed to a worker as soon as it is planned: the workers do not wait for the planning
    of the whole archive (a tenth of a build of few documents, seconds of a large archive's). Here every
    edition after the first is planned only once a render has started: rendered after planning, the build
    would wait 20 s for it and the test fail."""
    root = copy_project(tmp_path / "project")
    rendering = tmp_path / "a render started"
    monkeypatch.setenv("POLYPRESS_TEST_RENDERING", str(rendering))
    for name, fmt in FORMATS.items():
        if fmt.downloadable:
            monkeypatch.setitem(FORMATS, name, dataclasses.replace(fmt, render=fake_render_marked))
    plan, seen = EditionPlans.plan, []

    def plan_after_a_render(self, document, language):
        deadline = time.monotonic() + 20
        while seen and not rendering.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        seen.append(rendering.exists())
        return plan(self, document, language)

    monkeypatch.setattr(EditionPlans, "plan", plan_after_a_render)
    report = polypress.load_project(root).build(languages=["en"], jobs=2)
    assert seen[0] is False and all(seen[1:]) and len(seen) == 3
    assert len(report.rendered) == 3 * len(FORMATS)


def test_a_build_writes_under_build_only(built):
    assert listing(built["root"], "build") == built["before"]
    assert built["report"].written
    assert all(path.startswith("build/") for path in built["report"].written)


def test_every_file_the_manifest_lists_is_on_disk_with_its_size(built):
    site = built["site"]
    for artifact in built["report"].artifacts:
        assert (site / artifact.path).stat().st_size == artifact.bytes, artifact.path


def test_a_build_renders_every_planned_file_once(built):
    documents = ["a-res-68-4", "hld-report", "hld-series", NAME]
    assert sorted(built["report"].rendered) == sorted(f"{slug}.en.{name}" for slug in documents for name in FORMATS)


def test_a_document_whose_name_is_not_ascii_is_published_under_its_own_name(built):
    site = built["site"]
    landing = (site / "en" / "index.html").read_text(encoding="utf-8")
    hrefs = [h for h in landing.split('href="')[1:] if h.startswith("r%C3%A9sum%C3%A9") or h.startswith(NAME)]
    assert hrefs
    for href in (h.split('"', 1)[0] for h in hrefs):
        # What a browser or a web server asks for: the link's path, percent-decoded.
        target = site / "en" / unquote(urlsplit(href).path)
        assert target.is_file(), f"en/index.html links {href}, and there is no {target.relative_to(site)}"
    (archive,) = (site / "en").glob("*.zip")
    with zipfile.ZipFile(archive) as opened:
        names = [Path(name).name for name in opened.namelist()]
    assert f"{NAME}.pdf" in names, names


# -- the language zip, streamed to disk by the one writer ------------------------------------------


def test_the_language_zip_holds_the_sites_files_and_the_manifest_its_digest(built):
    site = built["site"]
    path = site / "en" / "hld-2013-reports-en.zip"
    downloadable = [a for a in built["report"].artifacts if a.format in FORMATS and FORMATS[a.format].downloadable]
    with zipfile.ZipFile(path) as written:
        names = written.namelist()
        assert sorted(names) == sorted(f"hld-2013-reports-en/{Path(a.path).name}" for a in downloadable)
        for name in names:
            assert written.read(name) == (site / "en" / Path(name).name).read_bytes(), name
    data = path.read_bytes()
    (listed,) = [a for a in built["report"].artifacts if a.format == "zip"]
    assert (listed.path, listed.bytes, listed.sha256) == ("en/hld-2013-reports-en.zip", len(data), sha256(data))
    assert f"{sha256(data)}  en/hld-2013-reports-en.zip\n" in (site / "SHA256SUMS").read_text()
    assert file_size(len(data), "en") in (site / "en" / "index.html").read_text(encoding="utf-8")
    assert not [p for p in site.rglob("*.tmp")]


def test_a_zip_packed_again_has_the_same_bytes_and_an_unchanged_one_is_left_alone(tmp_path):
    root = copy_project(tmp_path / "project")
    build_english(root)
    path = root / "build" / "site" / "en" / "hld-2013-reports-en.zip"
    first, stat = path.read_bytes(), path.stat()
    # The site is assembled again (its landing page is gone): the zip, packed again, is the same, not rewritten.
    (path.parent / "index.html").unlink()
    report = build_english(root)
    assert "build/site/en/index.html" in report.written
    assert "build/site/en/hld-2013-reports-en.zip" not in report.written
    assert path.stat().st_mtime_ns == stat.st_mtime_ns and path.stat().st_ino == stat.st_ino
    # Gone, it is written again, byte for byte.
    path.unlink()
    report = build_english(root)
    assert "build/site/en/hld-2013-reports-en.zip" in report.written
    assert path.read_bytes() == first


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
