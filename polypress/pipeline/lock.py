"""One build at a time per project: an flock on build/.lock that names its holder."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

from polypress.errors import BuildLocked, OutputError

LOCK_NAME = ".lock"
#: Descriptors of the locks this process holds: a forked worker closes its copies (close_inherited_locks).
_HELD: set[int] = set()


def close_inherited_locks() -> None:
    """In a forked child: drop the copies of the parent's lock descriptors, so only the build holds the lock."""
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


class BuildLock:
    """Held for the whole build; a second build refuses at once instead of mixing its files in.

    The kernel drops an flock when its holder dies, so a killed build never leaves a stale lock:
    the file stays (removing it would race with a build taking it) and only its PID line changes.
    """

    def __init__(self, build_dir: Path, display: str | None = None) -> None:
        self.build_dir = build_dir
        self.path = build_dir / LOCK_NAME
        self.display = display or str(self.path)
        self._fd: int | None = None
        self.taken_over: int | None = None

    def acquire(self) -> None:
        try:
            self.build_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(
                f"cannot create the build lock: {exc.strerror}",
                self.display,
                hint="the build folder must be a writable folder: check build/ and its permissions",
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            if holder and not _alive(holder):
                raise BuildLocked(
                    f"the build PID {holder} is gone, but processes it started still hold this lock",
                    self.display,
                    hint=f"stop them (`fuser -v {self.display}` lists them), then build again",
                ) from None
            who = f"PID {holder}" if holder else "another process"
            raise BuildLocked(
                f"another build ({who}) is running on this project and holds this lock",
                self.display,
                hint="wait for it to finish, then build again",
            ) from None
        previous = _read_pid(fd)
        #: The PID of a build that died holding the lock (the kernel released it): said, then taken over.
        self.taken_over = previous if previous and previous != os.getpid() and not _alive(previous) else None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        _HELD.add(fd)

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
        except OSError:
            pass
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        _HELD.discard(self._fd)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> BuildLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.release()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        return int(text) if text else None
    except (OSError, ValueError):
        return None
