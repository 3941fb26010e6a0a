"""The one place that writes files: atomically, so no half-written file is ever seen."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from polypress.errors import OutputError


def write_atomic(path: Path, data: bytes) -> None:
    """Write *data* to a temporary file beside *path*, then rename it into place."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", path, hint=_hint(exc)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(f"cannot write: {exc.strerror}", path, hint=_hint(exc)) from None
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


def _hint(exc: OSError) -> str:
    if exc.errno == 28:
        return "the disk is full: free some space and build again"
    if exc.errno in (13, 30):
        return "the folder is not writable: check its permissions"
    return ""
