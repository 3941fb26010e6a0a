"""A language zip is streamed to disk by the one writer, a member at a time: its memory does not grow with it.

Real files on disk and the real writer: members of incompressible bytes, packed as
the build packs them, under tracemalloc.
"""

from __future__ import annotations

import hashlib
import os
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from polypress.errors import OutputError
from polypress.files import opened
from polypress.site.archives import Archive, write_zip
from polypress.writer import write_stream

MEMBER_BYTES = 1 << 20
#: Python memory a zip may take while it is written, whatever its size: a few chunks of a member
#: (the 48-member zip below is twelve times as big).
BOUND = 4 * MEMBER_BYTES


def pack(site: Path, count: int) -> tuple[Path, int, dict[str, bytes]]:
    """*count* members of 1 MiB each in en/, zipped to en/archive.zip; the Python memory it took at its peak."""
    members = {}
    for n in range(count):
        data = os.urandom(MEMBER_BYTES)
        (site / "en").mkdir(parents=True, exist_ok=True)
        (site / "en" / f"doc-{n:03}.pdf").write_bytes(data)
        members[f"en/doc-{n:03}.pdf"] = data
    archive = Archive(
        "en/archive.zip", "en", tuple((f"archive-en/{Path(p).name}", p) for p in members), (2013, 10, 3, 0, 0, 0)
    )
    tracemalloc.start()
    try:
        streamed = write_stream(
            site / archive.path, lambda sink: write_zip(archive, sink, lambda p: opened(site / p, site, OutputError))
        )
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    path = site / archive.path
    assert streamed.written
    assert (streamed.bytes, streamed.sha256) == (path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest())
    return path, peak, members


@pytest.mark.parametrize("count", [4, 48])
def test_writing_a_zip_holds_a_chunk_not_the_zip(tmp_path: Path, count: int) -> None:
    path, peak, members = pack(tmp_path / "site", count)
    assert peak < BOUND, f"{peak:,} bytes of Python memory at the peak for a zip of {path.stat().st_size:,}"
    with zipfile.ZipFile(path) as written:
        assert written.namelist() == [f"archive-en/{Path(p).name}" for p in members]
        for info, data in zip(written.infolist(), members.values(), strict=True):
            assert written.read(info) == data
            assert info.date_time == (2013, 10, 3, 0, 0, 0)
            assert info.external_attr == 0o100644 << 16
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []
