"""The one place that writes files: atomically, and undoably for a whole build.

Every file is written to a temporary file beside it, fsynced, then renamed into
place, so no reader ever sees half a file. Inside ``transaction()`` each
replacement is first recorded in an undo journal (the old file is hard-linked
into it): a build that fails puts every file back as it was, and a build that
was killed leaves the journal behind for the next build to roll back first.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from polypress.errors import OutputError, os_error_hint
from polypress.files import file_digest, read_bytes

#: Folder under build/ holding the undo journal of the build in progress.
JOURNAL_NAME = ".journal"
#: Journal of the build in progress, or None outside a build.
_journal: Journal | None = None


def write_atomic(path: Path, data: bytes) -> None:
    """Write *data* to a temporary file beside *path*, then rename it into place."""

    def fill(handle: BinaryIO) -> bool:
        handle.write(data)
        return True

    _replace(path, fill)


@dataclass(frozen=True)
class Streamed:
    """What ``write_stream`` left at its path: the file's size and digest, and whether it was written."""

    bytes: int
    sha256: str
    written: bool


def write_stream(path: Path, fill: Callable[[BinaryIO], object]) -> Streamed:
    """A file too big to hold (a language zip), written by *fill* into the temporary file (it may seek back
    to patch what it wrote), then read back in chunks for its size and digest. As ``write_if_changed``, a
    file with the same bytes already there is left alone, so it keeps its date."""
    facts: list[Streamed] = []

    def measured(handle: BinaryIO) -> bool:
        fill(handle)
        handle.flush()
        handle.seek(0)
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
        size = os.fstat(handle.fileno()).st_size
        changed = file_digest(path) != digest
        facts.append(Streamed(size, digest, changed))
        return changed

    _replace(path, measured)
    return facts[0]


def _replace(path: Path, fill: Callable[[BinaryIO], bool]) -> None:
    """The one way a file is written: *fill* writes a temporary file beside *path* (opened for reading
    too), which is fsynced and renamed into place unless *fill* says the file there is already right."""
    try:
        if _journal is not None:
            _journal.before_mkdir(path.parent)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise _output_error(exc, path) from None
    try:
        with os.fdopen(fd, "w+b") as handle:
            if not fill(handle):
                Path(temp).unlink()
                return
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        if _journal is not None:
            _journal.before_write(path)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        # Name the file the user knows, not the temporary one the error is about.
        raise OutputError(f"cannot write: {exc.strerror}", path, hint=os_error_hint(exc)) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write only when the bytes differ, so unchanged files keep their dates."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(path, data)
    return True


def remove(path: Path) -> None:
    """Delete an output file (journaled inside a build, so a failed build puts it back)."""
    if not path.exists():
        return
    try:
        if _journal is not None:
            _journal.before_write(path)
        path.unlink()
    except OSError as exc:
        raise _output_error(exc, path) from None


# -- the build's undo journal ------------------------------------------------------------------


class Journal:
    """Write-ahead undo log: each record is on disk before the change it undoes is made."""

    LOG = "undo.jsonl"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._seen: set[Path] = set()
        self._count = 0
        self._log = None

    def open(self) -> None:
        self.folder.mkdir(parents=True)
        self._log = open(self.folder / self.LOG, "a", encoding="utf-8")  # noqa: SIM115 (closed in close())

    def close(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def _append(self, record: dict) -> None:
        assert self._log is not None
        self._log.write(json.dumps(record) + "\n")
        self._log.flush()
        os.fsync(self._log.fileno())

    def before_mkdir(self, folder: Path) -> None:
        missing = []
        current = folder.absolute()
        while not current.exists() and current not in self._seen:
            missing.append(current)
            current = current.parent
        for created in reversed(missing):
            self._seen.add(created)
            self._append({"rmdir": str(created)})

    def before_write(self, path: Path) -> None:
        path = path.absolute()
        if path in self._seen:
            return  # the first record already restores the state before this build
        self._seen.add(path)
        if path.exists() and not path.is_file():
            return  # a folder in the way: the rename fails and there is nothing to put back
        if path.is_file():
            backup = self.folder / str(self._count)
            self._count += 1
            try:
                os.link(path, backup)  # the old bytes stay on disk under a second name: no copy
            except OSError:
                shutil.copy2(path, backup)
            self._append({"restore": str(path), "from": backup.name})
        else:
            self._append({"remove": str(path)})

    def commit(self) -> None:
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def rollback(self) -> None:
        self.close()
        rollback(self.folder)


@dataclass
class Recovery:
    """What the rollback of an interrupted build did: true when there was one to roll back."""

    rolled_back: bool = False
    #: Journal records that were not obeyed: they named a file outside build/, or were not records.
    refused: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.rolled_back


def _confined(value: object, build_dir: Path) -> Path | None:
    """A journal record's path, if it is a path inside build/ (a journal is data, and data may lie)."""
    if not isinstance(value, str) or not value or "\0" in value:
        return None
    path = Path(os.path.normpath(os.path.abspath(value)))
    root = Path(os.path.normpath(os.path.abspath(build_dir)))
    return path if path != root and path.is_relative_to(root) else None


def _backup(folder: Path, name: object) -> Path | None:
    """The journal's copy of a replaced file: a plain name inside the journal folder."""
    if not isinstance(name, str) or not name.isdigit():
        return None
    return folder / name


def rollback(folder: Path) -> Recovery:
    """Undo what the journal in *folder* records, newest first; only files under build/ are touched."""
    log = folder / Journal.LOG
    if not folder.is_dir() or folder.is_symlink():
        return Recovery()
    build_dir = folder.parent
    recovery = Recovery(rolled_back=True)
    records = []
    try:  # what a killed build left: a regular file in build/ of a sane size, or nothing to undo
        data = read_bytes(log, build_dir, OutputError) if os.path.lexists(log) else b""
    except OutputError as exc:
        recovery.refused.append(exc.message)
        data = b""
    lines = data.decode("utf-8", errors="replace").splitlines()
    for line in lines:
        try:
            records.append(json.loads(line))
        except ValueError:
            break  # a record cut short by a kill: the change it announces was never made
    try:
        for record in reversed(records):
            action = next((k for k in ("restore", "remove", "rmdir") if isinstance(record, dict) and k in record), None)
            target = _confined(record.get(action), build_dir) if action else None
            if target is None:
                recovery.refused.append(str(record)[:200])
                continue
            if action == "restore":
                backup = _backup(folder, record.get("from"))
                if backup is None:
                    recovery.refused.append(str(record)[:200])
                elif backup.is_file():
                    os.replace(backup, target)
            elif action == "remove":
                if target.is_file() or target.is_symlink():
                    target.unlink()
            else:
                try:
                    target.rmdir()
                except OSError:
                    pass  # not empty or already gone: leave it
    except OSError as exc:
        raise OutputError(
            f"cannot restore the files of an interrupted build: {exc.strerror}",
            exc.filename or folder,
            hint=f"fix the problem and build again; the journal stays in {folder} until then",
        ) from None
    shutil.rmtree(folder, ignore_errors=True)
    return recovery


@contextmanager
def transaction(folder: Path) -> Iterator[Recovery]:
    """All writes inside are undone if the block raises (or the process dies before it ends).

    Yields the Recovery of a journal left by a killed build (true when one was rolled back first).
    """
    global _journal
    recovered = rollback(folder)
    journal = Journal(folder)
    try:
        journal.open()
    except OSError as exc:
        raise _output_error(exc, folder) from None
    _journal = journal
    try:
        yield recovered
    except BaseException:
        _journal = None
        journal.rollback()
        raise
    _journal = None
    journal.commit()


def _output_error(exc: OSError, path: Path) -> OutputError:
    return OutputError(f"cannot write: {exc.strerror}", exc.filename or path, hint=os_error_hint(exc))
