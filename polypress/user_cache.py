"""What one build works out that the next may reuse, kept outside build/ in the user's cache folder.

Some work costs every build and depends only on files the build does not write: the faces taken out of
font collections (Noto Serif CJK SC out of its 26 MB collection, ~0.2 s a face in the parent and again in
each worker), the compiled templates (~17 ms each, ~25 of them), the e-books' font subsets, and each
source's parsed blocks (``content/parsed.py``, ~27 ms a document). They are kept as Fontconfig and Python
keep theirs, so a clean build reuses them: in ``$POLYPRESS_CACHE_DIR``, else ``$XDG_CACHE_HOME/polypress``,
else ``~/.cache/polypress``.

An entry is data like any other: it starts with the SHA-256 of the rest, and one cut short, changed or
not a regular file is ignored and written again. The caller names an entry by everything it depends on.
Nothing here is an output of a build: never journaled, never listed, and a folder that cannot be written
only means no cache.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from polypress.errors import OutputError, PolypressError
from polypress.files import opened

#: Bumped when the way entries are made changes: older entries are then never found.
FORMAT = "polypress-cache-1"
#: The largest entry read (a face is never larger than its collection: render/fonts.py's limit).
MAX_ENTRY_BYTES = 256 * 1024 * 1024 + 32
#: What one kind of entry may take on disk: past it, the entries used longest ago go (fonts are updated,
#: templates and texts change, and a cache must not grow forever). Twenty CJK faces.
MAX_KIND_BYTES = 512 * 1024 * 1024


def cache_dir() -> Path:
    configured = os.environ.get("POLYPRESS_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "polypress"


def entry_path(kind: str, *identity: object, suffix: str = "") -> Path:
    """Where the entry of *kind* that depends on *identity* (paths, sizes, dates, digests…) is kept."""
    name = hashlib.sha256("|".join(map(str, (FORMAT, kind, *identity))).encode()).hexdigest()[:40]
    return cache_dir() / kind / f"{name}{suffix}"


def file_identity(path: Path) -> tuple | None:
    """What tells a file from its next version without reading it: real path, size, dates, inode."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return os.path.realpath(path), info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


def cached(entry: Path | None, make: Callable[[], bytes]) -> bytes:
    """The entry's bytes if it checks out, else *make()*'s, kept for the next process."""
    if entry is None:
        return make()
    data = found(entry)
    if data is None:
        data = make()
        keep(entry, data)
    return data


def found(entry: Path) -> bytes | None:
    """The entry's bytes if it checks out (``read_entry``), dated as used: pruning keeps it longest."""
    data = read_entry(entry)
    if data is not None:
        _used(entry)
    return data


def keep(entry: Path, data: bytes) -> None:
    """``write_entry``, then the entry's folder kept to its size (``MAX_KIND_BYTES``)."""
    write_entry(entry, data)
    if entry.parent not in _PRUNED:  # once a process: a folder of thousands of entries is not listed at each write
        _PRUNED.add(entry.parent)
        _prune(entry.parent)


#: The folders this process has kept to their size already.
_PRUNED: set[Path] = set()


def read_entry(entry: Path) -> bytes | None:
    """The entry's bytes if it is a regular file in its folder (``files.opened``'s checks) whose first 32 bytes
    are the SHA-256 of the rest; None for anything else, which is then made again."""
    try:
        with opened(entry, entry.parent, OutputError) as handle:
            size = os.fstat(handle.fileno()).st_size
            if not 32 < size <= MAX_ENTRY_BYTES:
                return None
            digest, data = handle.read(32), handle.read(size - 32)
    except (PolypressError, OSError):
        return None
    return data if hashlib.sha256(data).digest() == digest else None


def write_entry(entry: Path, data: bytes) -> None:
    """Kept atomically (a reader sees a whole entry or none); any failure leaves the cache as it was."""
    temp = None
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=entry.parent, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(hashlib.sha256(data).digest())
            handle.write(data)
        os.replace(temp, entry)
        temp = None
    except OSError:
        pass
    finally:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)


def _used(entry: Path) -> None:
    """Dated now: pruning removes the entries used longest ago (access times are not kept on every mount)."""
    try:
        os.utime(entry)
    except OSError:
        pass


def _prune(folder: Path) -> None:
    """The entries used longest ago removed until the folder's entries fit in MAX_KIND_BYTES."""
    try:
        found = [(path.lstat(), path) for path in folder.iterdir()]
    except OSError:
        return
    total = sum(info.st_size for info, _ in found)
    for info, path in sorted(found, key=lambda pair: pair[0].st_mtime_ns):
        size = info.st_size
        if total <= MAX_KIND_BYTES:
            break
        try:
            path.unlink()
            total -= size
        except OSError:
            pass
