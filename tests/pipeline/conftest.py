"""What the pipeline's tests share: the project with its French outputs built once, and a private copy of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from polypress.editions import BuildReport
from polypress.i18n.po import load_po, po_path, render_po
from polypress.pipeline.progress import Progress
from polypress.pipeline.run import build as build_site
from polypress.sources import load_sources
from tests.conftest import copy_project

FRENCH_PDFS = {"a-res-68-4.fr.pdf", "hld-report.fr.pdf", "hld-series.fr.pdf"}
FRENCH_HTML = {"a-res-68-4.fr.html", "hld-report.fr.html", "hld-series.fr.html"}
FRENCH_EPUBS = {"a-res-68-4.fr.epub", "hld-report.fr.epub", "hld-series.fr.epub"}
FRENCH = FRENCH_PDFS | FRENCH_HTML | FRENCH_EPUBS


def build(root: Path, jobs: int = 1) -> BuildReport:
    """Build French only (what these tests need) and return what was rendered and reused."""
    sources = load_sources(root)
    return build_site(sources, ["fr"], jobs, Progress(quiet=True))


@pytest.fixture(scope="module")
def built_fr(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with its French outputs built once, in a pool of two workers."""
    root = copy_project(tmp_path_factory.mktemp("incremental") / "project")
    report = build(root, jobs=2)
    assert set(report.rendered) == FRENCH
    return root


@pytest.fixture
def fr_project(built_fr: Path, tmp_path: Path) -> Path:
    """A private copy of the built French project, build state included."""
    target = tmp_path / "project"
    shutil.copytree(built_fr, target)
    return target


def change_msgstr(root: Path, domain: str, msgid: str | None, new: str) -> str:
    """Give one French message a new translation; None picks the first translated one."""
    path = po_path(root / "translations", "fr", domain)
    catalog = load_po(path, str(path), "fr")
    message = next(m for m in catalog if m.id and (m.id == msgid if msgid else m.string and not m.fuzzy))
    message.string = new
    message.flags.discard("fuzzy")
    path.write_bytes(render_po(catalog))
    return message.id
