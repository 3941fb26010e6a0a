"""Reading a project's files as untrusted input: regular files inside the project, of a sane size.

A committed symbolic link may point anywhere (``/proc/self/environ``, a device,
a FIFO that blocks forever): every project read goes through ``read_bytes``,
which resolves the path, refuses what lands outside the allowed folders or is
not a regular file, and never reads more than a limit. Its errors name the
file as the project knows it and never quote what a file outside holds.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from polypress.characters import describe, first_control
from polypress.errors import PolypressError

#: The longest text one translation unit may hold: a paragraph of a few thousand words is ~30,000.
MAX_UNIT_CHARS = 200_000
#: The largest source, catalogue, template or settings file read (the 10,000-unit benchmark catalogues are ~3 MB).
MAX_FILE_BYTES = 32 * 1024 * 1024


#: sha256 of the bytes each file had when this process read it, by real path: a build keys its outputs on
#: what it actually read, not on what the file holds by the time the render is done.
_DIGESTS: dict[str, str] = {}


def digest_when_read(path: Path) -> str | None:
    """The digest of *path* as this process last read it through ``read_bytes``, if it did."""
    return _DIGESTS.get(os.path.realpath(path))


def file_digest(path: Path) -> str:
    """sha256 of a regular file's bytes; "missing" for anything else (a FIFO is never opened for reading)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return "missing"
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return "missing"
        digest = hashlib.sha256()
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return "missing"
    finally:
        os.close(fd)


def display_path(path: Path, root: Path) -> str:
    """*path* as the user knows it: relative to the project when it is in it."""
    try:
        return str(path.absolute().relative_to(root.absolute()))
    except ValueError:
        return str(path)


def inside(path: Path, folders: list[Path]) -> bool:
    """Whether *path*, links followed, is in one of *folders*."""
    real = Path(os.path.realpath(path))
    return any(real.is_relative_to(Path(os.path.realpath(folder))) for folder in folders)


def read_bytes(
    path: Path,
    root: Path,
    error: type[PolypressError],
    *,
    display: str | None = None,
    allowed: list[Path] | None = None,
    limit: int | None = None,
    hint: str = "",
) -> bytes:
    """The bytes of *path*, a regular file in *root* (or in *allowed* folders), at most *limit* bytes.

    Raises *error* (located at *display*) for a missing file, a link out of the
    project, a FIFO, a device, a folder, or a file past the limit.
    """
    where = display or display_path(path, root)
    limit = MAX_FILE_BYTES if limit is None else limit
    with opened(path, root, error, display=where, allowed=allowed, hint=hint) as handle:
        try:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise error(
                    f"is {size:,} bytes, past the limit of {limit:,} for one file",
                    where,
                    hint="split it (one document or catalogue per file); a file this size is almost certainly a mistake",
                )
            chunks, size = [], 0
            while size <= limit:
                chunk = handle.read(min(1 << 20, limit + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        except OSError as exc:
            raise _unreadable(error, exc, where, hint) from None
    if size > limit:
        raise error(f"grew past the limit of {limit:,} bytes while being read", where, hint="build again")
    data = b"".join(chunks)
    _DIGESTS[os.path.realpath(path)] = hashlib.sha256(data).hexdigest()
    return data


@contextmanager
def opened(
    path: Path,
    root: Path,
    error: type[PolypressError],
    *,
    display: str | None = None,
    allowed: list[Path] | None = None,
    hint: str = "",
) -> Iterator[BinaryIO]:
    """*path* open for reading, checked as ``read_bytes`` checks it, with no size limit: for a file read
    in chunks rather than held (a language zip's members). Errors while reading are the caller's."""
    where = display or display_path(path, root)
    folders = allowed if allowed is not None else [root]
    if not inside(path, folders):
        raise error(
            "is a link to a file outside the project, which is not read",
            where,
            hint="replace the link by the file itself (inside the project)",
        )
    try:
        fd = os.open(os.path.realpath(path), os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOFOLLOW)
    except FileNotFoundError:
        raise error("not found", where, hint=hint or "check the name and that the file exists") from None
    except OSError as exc:
        raise _unreadable(error, exc, where, hint) from None
    # Checked before Python wraps the descriptor: FileIO itself refuses a folder, with an error of its own.
    try:
        mode = os.fstat(fd).st_mode
    except OSError as exc:
        os.close(fd)
        raise _unreadable(error, exc, where, hint) from None
    if not stat.S_ISREG(mode):
        os.close(fd)
        what = "a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "a device"
        raise error(f"cannot read: it is {what}, not a regular file", where, hint="put a regular file there")
    with os.fdopen(fd, "rb", buffering=0) as handle:
        yield handle


def _unreadable(error: type[PolypressError], exc: OSError, where: str, hint: str) -> PolypressError:
    return error(f"cannot read: {exc.strerror}", where, hint=hint or "check that it is a readable file")


def read_text(
    path: Path, root: Path, error: type[PolypressError], *, display: str | None = None, hint: str = ""
) -> str:
    """``read_bytes`` decoded as UTF-8 (a BOM is dropped), any line ending read as a newline."""
    data = read_bytes(path, root, error, display=display, hint=hint)
    where = display or display_path(path, root)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(f"not UTF-8 text ({exc.reason})", where, line, hint="save the file as UTF-8") from None
    text = normalize_newlines(text)
    refuse_controls(text, where, error)
    return text


def read_named(path: Path, error: type[PolypressError], *, limit: int | None = None) -> bytes:
    """A file the user named on the command line (an XLIFF or TBX export): it may be anywhere the user
    chose, but it is still a regular file of a sane size, never a FIFO or a device read forever."""
    return read_bytes(path, Path.cwd(), error, display=str(path), allowed=[Path("/")], limit=limit)


def refuse_controls(text: str, where: str, error: type[PolypressError]) -> None:
    """A control character (other than tab and newline) in a text file is an error at its line and column."""
    found = first_control(text)
    if found is not None:
        offset, char = found
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise error(
            f"control character {describe(char)} at column {column}",
            where,
            line,
            hint="remove it: it would make the pages and feeds invalid (only tab and newline are allowed)",
        )


def normalize_newlines(text: str) -> str:
    """CRLF (Windows) and lone CR (old Mac) line endings become LF: every reader counts lines the same way."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
