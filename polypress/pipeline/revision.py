"""The revision the sources come from, asked of git once per build (the manifest names it)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from polypress.settings import SOURCE_PARTS


def source_revision(root: Path) -> str:
    """The git commit the sources come from ("…-dirty" if they differ from it), or "unknown"."""
    if shutil.which("git") is None:
        return "unknown"

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()

    try:
        head = git("rev-parse", "HEAD")
        changed = git("status", "--porcelain", "--", *SOURCE_PARTS)
    except (subprocess.SubprocessError, OSError):
        return "unknown"
    if not head:
        return "unknown"
    return f"{head}-dirty" if changed else head
