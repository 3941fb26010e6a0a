"""What a build may reuse from the last one, kept in the user's cache folder (user_cache.py): faces
taken out of font collections and compiled templates. An entry is data like any other: one that does not
check out is never used."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from polypress import user_cache
from polypress.render.fonts import _face_index
from polypress.render.sfnt import extract_face

COLLECTION = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
FAMILY = "Noto Serif CJK SC"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("POLYPRESS_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(scope="module")
def face() -> bytes:
    return extract_face(COLLECTION.read_bytes(), _face_index(COLLECTION, FAMILY))


class Extractions:
    """The real extraction, counted."""

    def __init__(self, face: bytes) -> None:
        self.face, self.count = face, 0

    def __call__(self) -> bytes:
        self.count += 1
        return self.face


def take_out(collection: Path, family: str, extract: Extractions) -> bytes:
    """As render/fonts.py names a face's entry."""
    identity = user_cache.file_identity(collection)
    return user_cache.cached(user_cache.entry_path("faces", *identity, family, suffix=".otf"), extract)


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "faces").glob("*.otf"))


def test_a_face_is_taken_out_once_and_read_from_the_cache_by_later_processes(cache, face):
    extract = Extractions(face)
    assert take_out(COLLECTION, FAMILY, extract) == face
    assert take_out(COLLECTION, FAMILY, extract) == face
    assert extract.count == 1
    assert len(_entries(cache)) == 1
    assert not [p for p in (cache / "faces").iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(
    "spoil",
    [
        lambda entry: entry.write_bytes(entry.read_bytes()[:1000]),  # cut short
        lambda entry: entry.write_bytes(entry.read_bytes()[:-1] + b"\0"),  # one byte changed
        lambda entry: entry.write_bytes(b""),
    ],
    ids=["cut short", "changed", "empty"],
)
def test_an_entry_that_does_not_check_out_is_never_used_and_is_written_again(cache, face, spoil):
    extract = Extractions(face)
    take_out(COLLECTION, FAMILY, extract)
    [entry] = _entries(cache)
    spoil(entry)
    assert take_out(COLLECTION, FAMILY, extract) == face
    assert extract.count == 2
    assert take_out(COLLECTION, FAMILY, extract) == face
    assert extract.count == 2


def test_an_entry_that_is_not_a_regular_file_is_not_read(cache, face, tmp_path):
    extract = Extractions(face)
    take_out(COLLECTION, FAMILY, extract)
    [entry] = _entries(cache)
    entry.unlink()
    os.mkfifo(entry)  # read forever if it were opened for reading as a file
    assert take_out(COLLECTION, FAMILY, extract) == face
    assert extract.count == 2


def test_another_face_or_a_changed_collection_is_another_entry(cache, face, tmp_path):
    copy = tmp_path / "fonts" / COLLECTION.name
    copy.parent.mkdir()
    copy.write_bytes(COLLECTION.read_bytes())
    extract = Extractions(face)
    take_out(copy, FAMILY, extract)
    take_out(copy, "Noto Serif CJK JP", extract)
    assert extract.count == 2
    os.utime(copy, ns=(copy.stat().st_atime_ns, copy.stat().st_mtime_ns + 1))  # the file was replaced
    take_out(copy, FAMILY, extract)
    assert extract.count == 3
    assert len(_entries(cache)) == 3


def test_a_cache_folder_that_cannot_be_written_only_means_no_cache(tmp_path, monkeypatch, face):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("POLYPRESS_CACHE_DIR", str(blocked))
    extract = Extractions(face)
    assert take_out(COLLECTION, FAMILY, extract) == face
    assert take_out(COLLECTION, FAMILY, extract) == face
    assert extract.count == 2


def test_the_cache_folder_follows_the_xdg_convention(monkeypatch, tmp_path):
    monkeypatch.delenv("POLYPRESS_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert user_cache.cache_dir() == tmp_path / "polypress"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert user_cache.cache_dir() == tmp_path / "home" / ".cache" / "polypress"


def test_compiled_templates_are_reused_by_the_next_process_and_a_spoiled_one_is_compiled_again(cache, tmp_path):
    from polypress.i18n.lookup import Translations
    from polypress.render import environment
    from polypress.render.templates import RenderContext, render_template
    from polypress.settings import read_settings
    from tests.conftest import copy_project

    root = copy_project(tmp_path / "project")
    (root / "templates" / "page.html").write_text("{{ _('Hello') }} {{ 6 * 7 }}", encoding="utf-8")
    settings = read_settings(root)

    def render() -> str:
        environment._BYTECODE_CACHE.store.clear()  # as a new process starts
        environment.render_environment.cache_clear()
        context = RenderContext(settings, settings.language("fr"), Translations(None), "screen")
        return render_template("page.html", context)

    assert render() == "Hello 42"
    [entry] = (cache / "templates").glob("*")
    written = entry.stat().st_mtime_ns
    assert render() == "Hello 42"
    assert entry.stat().st_mtime_ns == written  # read, not compiled and written again
    entry.write_bytes(entry.read_bytes()[:40])
    assert render() == "Hello 42"
    assert entry.stat().st_size > 40


def test_the_cache_keeps_to_its_size_by_removing_the_entries_used_longest_ago(cache, monkeypatch):
    monkeypatch.setattr(user_cache, "MAX_KIND_BYTES", 3000)
    monkeypatch.setattr(user_cache, "_PRUNED", set())
    entries = [user_cache.entry_path("subsets", n) for n in range(4)]
    for when, entry in enumerate(entries[:3]):
        user_cache.cached(entry, lambda: b"x" * 968)  # 1,000 bytes with its digest
        os.utime(entry, ns=(when * 10**9, when * 10**9))
    user_cache.cached(entries[0], lambda: b"not made: read")  # used now: the newest
    user_cache._PRUNED.clear()  # as the next process: it prunes at its first write
    user_cache.cached(entries[3], lambda: b"y" * 968)
    assert [e.exists() for e in entries] == [True, False, True, True]
