"""The build's stamp: a build with nothing to do is known from metadata, and a change is never taken on trust.

These check the rules on a project that is not built (no render: cheap); the command-line builds that use
the stamp are in test_incremental.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from polypress.editions import BuildReport
from polypress.errors import BuildWarning
from polypress.pipeline.stamp import RACY_NS, STAMP_FILE, options, stamp_bytes, unchanged_build
from polypress.settings import Settings, read_settings
from polypress.writer import JOURNAL_NAME
from tests.conftest import copy_project

REPORT = BuildReport(
    reused=["a-res-68-4.fr.pdf"], warnings=[BuildWarning("fallback", "one unit in English", "x.po", 3)]
)


@pytest.fixture
def stamped(tmp_path: Path) -> tuple[Settings, dict]:
    """A project copy with a stamp that says its last build used every file as it is now."""
    settings = read_settings(copy_project(tmp_path / "project"))
    chosen = options(settings, list(settings.languages), None)
    data = stamp_bytes(settings, {}, chosen, "rev-1", REPORT)
    assert data is not None
    settings.build_dir.mkdir()
    (settings.build_dir / STAMP_FILE).write_bytes(data)
    return settings, chosen


def edit_stamp(settings: Settings, change) -> None:
    path = settings.build_dir / STAMP_FILE
    record = json.loads(path.read_bytes())
    change(record)
    path.write_text(json.dumps(record))


def test_with_nothing_changed_the_last_report_stands_with_its_warnings(stamped: tuple[Settings, dict]) -> None:
    settings, chosen = stamped
    report = unchanged_build(settings, chosen, "rev-1")
    assert report is not None
    assert report.reused == ["a-res-68-4.fr.pdf"] and report.rendered == [] and report.written == []
    assert report.warnings == REPORT.warnings


def test_a_file_saved_again_with_the_same_bytes_is_read_and_found_unchanged(stamped: tuple[Settings, dict]) -> None:
    settings, chosen = stamped
    catalogue = settings.translations_dir / "fr" / "LC_MESSAGES" / "hld-series.po"
    catalogue.write_bytes(catalogue.read_bytes())
    assert unchanged_build(settings, chosen, "rev-1") is not None


@pytest.mark.parametrize("change", ["edit", "add", "remove"])
def test_a_source_edited_added_or_removed_means_a_full_build(stamped: tuple[Settings, dict], change: str) -> None:
    settings, chosen = stamped
    source = settings.content_dir / "hld-series.md"
    if change == "edit":
        source.write_text(source.read_text() + "\nOne more paragraph.\n")
    elif change == "add":
        (settings.content_dir / "new.md").write_text("# New\n")
    else:
        (settings.translations_dir / "fr" / "LC_MESSAGES" / "hld-series.po").unlink()
    assert unchanged_build(settings, chosen, "rev-1") is None


def test_a_racy_file_is_compared_by_content_even_when_its_metadata_is_as_recorded(
    stamped: tuple[Settings, dict],
) -> None:
    """Written within the timestamp tick of the stamp, a second write could leave size and times as they were:
    here the recorded digest stands for such a write, and only reading the file shows it."""
    settings, chosen = stamped
    name = str(settings.content_dir / "hld-series.md")

    def second_write_in_the_same_tick(record: dict) -> None:
        record["inputs"][name][4] = "0" * 64
        record["taken_ns"] = max(record["inputs"][name][1:3])  # the stamp was taken in the file's tick

    edit_stamp(settings, second_write_in_the_same_tick)
    assert unchanged_build(settings, chosen, "rev-1") is None


def test_a_file_untouched_since_well_before_the_stamp_is_trusted_by_its_metadata(
    stamped: tuple[Settings, dict],
) -> None:
    """What makes a no-op cheap: such a file is not read (the wrong digest recorded here is never compared)."""
    settings, chosen = stamped
    name = str(settings.content_dir / "hld-series.md")

    def old_file(record: dict) -> None:
        record["inputs"][name][4] = "0" * 64
        record["taken_ns"] = max(record["inputs"][name][1:3]) + RACY_NS + 1

    edit_stamp(settings, old_file)
    assert unchanged_build(settings, chosen, "rev-1") is not None


def test_an_input_saved_while_the_build_ran_leaves_no_stamp(tmp_path: Path) -> None:
    settings = read_settings(copy_project(tmp_path / "project"))
    source = settings.content_dir / "hld-series.md"
    used = {source: "the digest of the bytes the build read, before the save"}
    assert stamp_bytes(settings, used, options(settings, ["fr"], None), "rev-1", REPORT) is None


def test_other_options_another_revision_or_a_killed_builds_journal_mean_a_full_build(
    stamped: tuple[Settings, dict],
) -> None:
    settings, chosen = stamped
    assert unchanged_build(settings, options(settings, ["fr"], None), "rev-1") is None
    assert unchanged_build(settings, options(settings, list(settings.languages), ["hld-series"]), "rev-1") is None
    assert unchanged_build(settings, chosen, "rev-2") is None
    (settings.build_dir / JOURNAL_NAME).mkdir()
    assert unchanged_build(settings, chosen, "rev-1") is None


def test_an_output_changed_or_removed_means_a_full_build(tmp_path: Path) -> None:
    settings = read_settings(copy_project(tmp_path / "project"))
    page = settings.site_dir / "fr" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<p>a page</p>")
    chosen = options(settings, list(settings.languages), None)
    (settings.build_dir / STAMP_FILE).write_bytes(stamp_bytes(settings, {}, chosen, "rev-1", REPORT))
    assert unchanged_build(settings, chosen, "rev-1") is not None
    page.write_text("<p>a page</p>")  # same bytes, written again: an output is never read, so never trusted
    assert unchanged_build(settings, chosen, "rev-1") is None


#: What a build keeps beside build/site, named here as a user finds them in build/.
BUILD_RECORDS = (".state.json", ".site.json", "releases.json", "units.json")


@pytest.mark.parametrize("name", BUILD_RECORDS)
def test_a_state_file_of_the_build_removed_means_a_full_build(tmp_path: Path, name: str) -> None:
    """The build's own records (build/units.json among them) are outputs too: one deleted is written again."""
    settings = read_settings(copy_project(tmp_path / "project"))
    settings.build_dir.mkdir()
    for each in BUILD_RECORDS:
        (settings.build_dir / each).write_text("{}")
    chosen = options(settings, list(settings.languages), None)
    (settings.build_dir / STAMP_FILE).write_bytes(stamp_bytes(settings, {}, chosen, "rev-1", REPORT))
    assert unchanged_build(settings, chosen, "rev-1") is not None
    (settings.build_dir / name).unlink()
    assert unchanged_build(settings, chosen, "rev-1") is None


def test_a_malformed_stamp_is_no_stamp(stamped: tuple[Settings, dict]) -> None:
    settings, chosen = stamped
    for garbage in (b"", b"[]", b'{"version": 1}', b"\xff\xfe"):
        (settings.build_dir / STAMP_FILE).write_bytes(garbage)
        assert unchanged_build(settings, chosen, "rev-1") is None
