"""What a build remembers (build/.state.json, build/releases.json, the undo journal) is untrusted too.

A corrupt state file is set aside with a warning and the build goes on as from
scratch for what it forgot; it never drops a language or a document from the site.
A journal record that names a file outside build/ is refused, never obeyed.
"""

from __future__ import annotations

import json
import re
import shutil
import tracemalloc
from pathlib import Path

import pytest

import polypress
from polypress.i18n.placement import UNITS_FILE
from polypress.pipeline.state import RELEASES_FILE, STATE_FILE, UNITS_DIR, BuildState
from polypress.releases import units_by_source
from polypress.writer import JOURNAL_NAME, Journal, write_stream
from tests.test_bad_input import BAD, build

ALL = ["ar", "en", "es", "fr", "ru", "zh"]


@pytest.fixture
def built(built_project: Path, tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(built_project, target, symlinks=True)
    return target


def manifest_languages(root: Path) -> list[str]:
    manifest = json.loads((root / "build/site/manifest.json").read_text(encoding="utf-8"))
    return sorted({a["language"] for a in manifest["artifacts"] if a["language"]})


@pytest.mark.parametrize("damage", ["truncated", "not an object", "wrong entries"])
def test_a_corrupt_state_never_unpublishes_the_other_languages(built: Path, damage: str) -> None:
    """Guarantee: a corrupt build/.state.json is set aside with a warning; `build --lang fr` keeps all six languages."""
    assert manifest_languages(built) == ALL
    state = built / "build" / STATE_FILE
    text = state.read_text(encoding="utf-8")
    damaged = {
        "truncated": text[: len(text) // 2],
        "not an object": (BAD / "state-not-an-object.json").read_text(),
        "wrong entries": '{"a.fr.pdf": {"key": 5}}',
    }
    state.write_text(damaged[damage])
    # One document is enough: what the state forgot is rebuilt, the rest of the site must stay.
    result = build(built, "--lang", "fr", "--doc", "hld-series", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert "build/.state.json" in result.stderr and "set aside" in result.stderr
    assert manifest_languages(built) == ALL
    json.loads(state.read_text(encoding="utf-8"))  # replaced by a good one


def test_corrupt_release_records_are_set_aside_with_a_warning(built: Path) -> None:
    releases = built / "build" / RELEASES_FILE
    data = json.loads(releases.read_text(encoding="utf-8"))
    data.update(json.loads((BAD / "releases-malformed.json").read_text()))
    releases.write_text(json.dumps(data))
    result = build(built, "--lang", "fr", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "build/releases.json: warning: state: 1 malformed entries: set aside" in result.stderr
    releases.write_text("{")
    result = build(built, "--lang", "fr", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "build/releases.json: warning: state: not valid JSON" in result.stderr


def test_release_records_written_before_the_compact_form_keep_their_numbers(built: Path) -> None:
    """build/releases.json from before the compact snapshots (a dict per unit): read as it is, each
    edition's release number kept (nothing released again), the file rewritten compact."""
    releases = built / "build" / RELEASES_FILE
    compact = json.loads(releases.read_text(encoding="utf-8"))
    assert compact and all(isinstance(entry["units"], str) for entry in compact.values())
    older = {key: {**entry, "release": 4, "units": units_by_source(entry["units"])} for key, entry in compact.items()}
    releases.write_text(json.dumps(older, indent=1, sort_keys=True))
    result = build(built, "--lang", "fr", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "releases.json" not in result.stderr
    now = json.loads(releases.read_text(encoding="utf-8"))
    assert all(isinstance(entry["units"], str) for entry in now.values())
    assert {key: entry["release"] for key, entry in now.items()} == dict.fromkeys(compact, 4)
    assert {key: units_by_source(entry["units"]) for key, entry in now.items()} == {
        key: entry["units"] for key, entry in older.items()
    }


def test_a_journal_record_outside_build_is_refused_and_reported(built: Path, tmp_path: Path) -> None:
    """Guarantee: a rollback touches only build/; a record naming any other file is refused and reported."""
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me\n")
    source = built / "content" / "hld-series.md"
    journal = built / "build" / JOURNAL_NAME
    journal.mkdir()
    records = [
        {"remove": str(victim)},
        {"remove": str(source)},
        {"remove": str(built / "build" / ".." / "polypress.toml")},
        {"restore": str(built / "build" / "site" / "index.html"), "from": "../../content/hld-series.md"},
        ["not", "a", "record"],
        {"rmdir": 5},
    ]
    (journal / Journal.LOG).write_text("".join(json.dumps(r) + "\n" for r in records))
    result = build(built, "--lang", "en", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("refused a journal record") == len(records)
    assert victim.read_text() == "keep me\n"
    assert source.is_file() and (built / "polypress.toml").is_file()
    assert not journal.exists()


def test_a_catalogue_saved_during_a_build_is_not_recorded_as_built(built: Path) -> None:
    """Guarantee: an output is keyed on the bytes its render read, when they were read, not on the file afterwards."""
    project = polypress.load_project(built)  # reads every catalogue, as a build does before rendering
    catalogue = built / "translations/fr/LC_MESSAGES/hld-series.po"
    text = catalogue.read_text(encoding="utf-8")
    # Whatever the translator wrote for this unit, the save replaces it.
    saved = re.sub(
        r'(msgid "HLD Series Report:"\nmsgstr )"[^"\n]*"', r'\1"Rapport de la série modifié :"', text, count=1
    )
    catalogue.write_text(saved, encoding="utf-8")
    assert 'msgstr "Rapport de la série modifié :"' in catalogue.read_text(encoding="utf-8")
    project.build(["fr"], jobs=1)  # renders what it read: the text before the save
    result = build(built, "--lang", "fr", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "Rapport de la série modifié" in (built / "build/site/fr/hld-series.html").read_text(encoding="utf-8")


def test_the_state_is_written_a_piece_at_a_time_with_the_bytes_it_always_had(tmp_path: Path) -> None:
    """The state grows with the archive (an entry per output): writing it holds a fraction of it."""
    unit = {"context": "", "msgid": "A paragraph of the report " * 4, "pages": [3, 4], "line": 12, "count": 1}
    jobs = {f"doc-{n:04}.fr.pdf": {"key": f"{n:064x}", "units": [unit] * 40, "warnings": []} for n in range(400)}
    state = BuildState(tmp_path / "build", jobs)
    tracemalloc.start()
    try:
        streamed = write_stream(tmp_path / STATE_FILE, state.dump)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    data = (tmp_path / STATE_FILE).read_bytes()
    assert streamed.bytes == len(data) > 3_000_000
    assert peak < len(data) / 8, f"{peak:,} bytes held to write {len(data):,}"
    assert data == json.dumps(jobs, indent=1, sort_keys=True, ensure_ascii=False).encode()


def test_a_state_as_big_as_a_large_archive_s_is_read_not_set_aside(tmp_path: Path) -> None:
    """build/.state.json grows with the archive (69 MB for 200 documents in six languages): past the 32 MB a
    project file may have, it was set aside at every build and everything was rendered again."""
    entry = {"key": "k", "deps": {"templates": [], "strings": []}, "warnings": []}
    entry |= {"document": "d", "language": "fr", "format": "pdf", "path": "fr/d.pdf", "sha256": "0" * 64, "bytes": 1}
    data = json.dumps({"d.fr.pdf": entry}).encode()
    (tmp_path / STATE_FILE).write_bytes(data[:-1] + b" " * (33 * 1024 * 1024) + b"}")  # valid JSON, 33 MB
    warnings: list = []
    state = BuildState.load(tmp_path, warnings)
    assert warnings == []
    assert state.entry("d.fr.pdf") is not None


# -- where units land, kept beside the state -----------------------------------------------------


def units_map(root: Path) -> dict:
    return json.loads((root / "build" / UNITS_FILE).read_text(encoding="utf-8"))["documents"]


def test_each_pdf_s_placements_are_kept_in_a_file_of_their_own_not_in_the_state(built: Path) -> None:
    """An archive's placements (0.3 MB a document) are neither in build/.state.json nor held by the build."""
    build_dir = built / "build"
    kept = sorted(p.name for p in (build_dir / UNITS_DIR).iterdir())
    pdfs = sorted(f"{p.stem}.{p.parent.name}.pdf.json" for p in (build_dir / "site").glob("*/*.pdf"))
    assert kept == pdfs
    state = json.loads((build_dir / STATE_FILE).read_text(encoding="utf-8"))
    assert all(set(entry.get("units", {})) <= {"bytes", "sha256"} for entry in state.values())
    assert "msgid" not in (build_dir / STATE_FILE).read_text(encoding="utf-8")
    placements = json.loads((build_dir / UNITS_DIR / "a-res-68-4.fr.pdf.json").read_text(encoding="utf-8"))
    assert units_map(built)["a-res-68-4"]["fr"]["units"] == sorted(placements, key=lambda u: u["po_line"] or 0)


def test_a_lost_placements_file_renders_its_pdf_again_and_the_map_stays_whole(built: Path) -> None:
    before = units_map(built)
    (built / "build" / UNITS_DIR / "hld-series.ar.pdf.json").unlink()
    result = build(built, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    state = json.loads((built / "build" / STATE_FILE).read_text(encoding="utf-8"))
    assert (built / "build" / UNITS_DIR / "hld-series.ar.pdf.json").is_file()
    assert state["hld-series.ar.pdf"]["source_revision"]
    assert units_map(built) == before


def test_a_placements_file_changed_by_hand_is_not_shown_and_nothing_fails(built: Path) -> None:
    """Same size, other bytes: not what the build recorded, so the map leaves that PDF out (a help, never a
    reason to fail); the other languages' and documents' placements stay."""
    path = built / "build" / UNITS_DIR / "hld-series.ru.pdf.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"pages": [1]', '"pages": [9]', 1), encoding="utf-8")
    assert path.read_text(encoding="utf-8") != text
    (built / "content" / "hld-report.md").write_text(
        (built / "content" / "hld-report.md").read_text(encoding="utf-8") + "\nA new closing paragraph.\n",
        encoding="utf-8",
    )  # the site is assembled again, from every recorded placement
    result = build(built, "--doc", "hld-report", "--lang", "en", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    documents = units_map(built)
    assert "ru" not in documents["hld-series"] and set(documents["a-res-68-4"]) == set(ALL)


def test_an_earlier_version_s_state_with_placements_inside_is_rebuilt_without_a_warning(built: Path) -> None:
    state = built / "build" / STATE_FILE
    entries = json.loads(state.read_text(encoding="utf-8"))
    for entry in entries.values():  # the version is part of every key: an earlier version's keys all differ
        entry["key"] = "a key of version 3"
        if "units" in entry:
            entry["units"] = [{"msgctxt": None, "msgid": "Old", "pages": [1], "po_line": None, "source_line": 1}]
    state.write_text(json.dumps(entries), encoding="utf-8")
    result = build(built, "--doc", "hld-series", "--lang", "fr", "--jobs", "1")
    assert result.returncode == 0 and "state" not in result.stderr, result.stderr
    assert json.loads(state.read_text(encoding="utf-8"))["hld-series.fr.pdf"]["units"]["bytes"] > 0
