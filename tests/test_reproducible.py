"""The same sources give the same bytes: in another folder, at another time, in another time zone."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import ROOT, copy_project

#: The clock of the second build, moved by faketime (Debian package, installed by `make`): two years and
#: a day ahead, so a date, a year or a time of day of the build would differ between the twins.
MOVED_CLOCK = ["faketime", "-f", "+731d"]


def build_english(root: Path, clock: list[str] | None = None, **env: str) -> None:
    """English and Chinese (a Latin and a CJK font path, the face taken out of a collection)."""
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | env
    result = subprocess.run(
        [*(clock or []), sys.executable, "-m", "polypress", "-C", str(root), "build", "--lang", "en", "--lang", "zh"]
        + ["--quiet"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr


def site_files(root: Path) -> dict[str, bytes]:
    """The site's files, and build/units.json (where each unit lands in the PDFs), which is held to the same rule."""
    site = root / "build" / "site"
    files = {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    return files | {"../units.json": (root / "build" / "units.json").read_bytes()}


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One project built twice: different folders (and path lengths), clocks (moved two years by faketime),
    time zones and SOURCE_DATE_EPOCH."""
    first = copy_project(tmp_path_factory.mktemp("first") / "project")
    second = copy_project(tmp_path_factory.mktemp("second-copy-in-a-longer-folder") / "elsewhere" / "project")
    build_english(first, TZ="UTC")
    build_english(second, MOVED_CLOCK, TZ="Pacific/Kiritimati", SOURCE_DATE_EPOCH="1")
    return first, second


def test_two_builds_in_two_folders_are_byte_identical(twins: tuple[Path, Path]) -> None:
    """Guarantee: no artefact contains the time of the build (the second build's clock is two years ahead)."""
    first, second = (site_files(root) for root in twins)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert any(name.endswith(".pdf") for name in first)
    assert any(name.endswith(".html") for name in first)


def test_no_artefact_holds_the_build_folder_or_the_build_time(twins: tuple[Path, Path]) -> None:
    today = datetime.datetime.now(datetime.UTC).date()
    for root in twins:
        markers = [str(root).encode(), root.as_uri().encode(), root.parent.name.encode()]
        markers += [today.isoformat().encode(), today.strftime("D:%Y%m%d").encode(), today.strftime("%Y%m%d").encode()]
        for name, data in site_files(root).items():
            found = [m.decode() for m in markers if m in data]
            assert found == [], f"{name} contains {found}"


def test_pdf_dates_come_from_the_document_not_the_clock(twins: tuple[Path, Path]) -> None:
    site = twins[0] / "build" / "site" / "en"
    resolution = PdfReader(site / "a-res-68-4.pdf").metadata
    assert resolution.creation_date.date() == datetime.date(2013, 10, 3)  # `adopted` in its front matter
    assert resolution.modification_date.date() == datetime.date(2013, 10, 3)
    # A page is dated by what its kind says dates it: the series page by its last roundtable.
    page = PdfReader(site / "hld-series.pdf").metadata
    assert page.creation_date.date() == datetime.date(2013, 9, 17)
    assert page.modification_date.date() == datetime.date(2013, 9, 17)


def test_pdf_identifier_follows_the_content(twins: tuple[Path, Path]) -> None:
    site = twins[0] / "build" / "site" / "en"
    ids = {name: PdfReader(site / name).trailer["/ID"][0] for name in ("a-res-68-4.pdf", "hld-series.pdf")}
    assert ids["a-res-68-4.pdf"] != ids["hld-series.pdf"]
    other = PdfReader(twins[1] / "build" / "site" / "en" / "a-res-68-4.pdf").trailer["/ID"][0]
    assert other == ids["a-res-68-4.pdf"]
