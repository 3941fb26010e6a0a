"""Faces taken out of font collections, kept between builds in the user's cache folder.

Taking Noto Serif CJK's face out of its 26 MB collection costs every process that renders Chinese about
0.2 s (read the collection, find the face, copy its tables): the build's parent for the glyph check, then
each render worker. The face depends only on the collection's bytes and the face's family, so it is kept
outside build/ (a clean build keeps it, as Fontconfig keeps its cache), in ``$POLYPRESS_CACHE_DIR``, else
``$XDG_CACHE_HOME/polypress``, else ``~/.cache/polypress``.

An entry is named by the collection's path, size, dates and inode (what the build's fingerprints and stamp
trust for fonts) and the face's family, and starts with the SHA-256 of the face: an entry cut short, changed or of another kind
is ignored and written again. It is not an output of a build: never journaled, never listed, and a cache
folder that cannot be written only means no cache.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

#: Bumped when the way faces are taken out changes (render/sfnt.py): older entries are then never found.
FORMAT = "polypress-face-1"
#: The largest entry read: a face is never larger than its collection (render/fonts.py's limit).
MAX_ENTRY_BYTES = 256 * 1024 * 1024 + 32


def cache_dir() -> Path:
    configured = os.environ.get("POLYPRESS_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "polypress"


def cached_face(collection: Path, family: str, extract: Callable[[], bytes]) -> bytes:
    """The face named *family* in *collection*: from the cache if an entry for the file as it is now checks out,
    else *extract()*ed and kept for the next process."""
    entry = _entry(collection, family)
    if entry is None:
        return extract()
    found = _read(entry)
    if found is not None:
        return found
    face = extract()
    _write(entry, face)
    return face


def _entry(collection: Path, family: str) -> Path | None:
    try:
        info = os.stat(collection)
    except OSError:
        return None  # the caller's own read says what is wrong with the file
    identity = f"{FORMAT}|{os.path.realpath(collection)}|{info.st_size}|{info.st_mtime_ns}|{info.st_ctime_ns}"
    identity += f"|{info.st_ino}|{family}"
    return cache_dir() / "faces" / f"{hashlib.sha256(identity.encode()).hexdigest()[:40]}.otf"


def _read(entry: Path) -> bytes | None:
    """The entry's face if it is a regular file whose first 32 bytes are the SHA-256 of the rest."""
    try:
        fd = os.open(entry, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not (stat.S_ISREG(info.st_mode) and 32 < info.st_size <= MAX_ENTRY_BYTES):
                return None
            digest, face = handle.read(32), handle.read(info.st_size - 32)
    except OSError:
        return None
    return face if hashlib.sha256(face).digest() == digest else None


def _write(entry: Path, face: bytes) -> None:
    """Kept atomically (a reader sees a whole entry or none); any failure leaves the cache as it was."""
    temp = None
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=entry.parent, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(hashlib.sha256(face).digest())
            handle.write(face)
        os.replace(temp, entry)
        temp = None
    except OSError:
        pass
    finally:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)
