"""The project's one exception hierarchy and its located warnings."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path


class PolypressError(Exception):
    """A problem the user can fix: printed as ``path:line: message — hint``."""

    category = "error"
    #: The command's exit status: 1 for a problem in the project's files.
    exit_status = 1
    #: What to do, when the code that raised the error had nothing more specific to say.
    default_hint = "fix it and build again"

    def __init__(
        self,
        message: str,
        path: str | Path | None = None,
        line: int | None = None,
        hint: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint or self.default_hint

    def __str__(self) -> str:
        return format_location(self.path, self.line, self.message, self.hint)

    def __reduce__(self) -> tuple:
        # An error raised in a render worker crosses a process boundary by pickling; without
        # this only the message would survive and the user would lose the path and line.
        return (_rebuild, (type(self), self.message, dict(self.__dict__)))


def _rebuild(cls: type[PolypressError], message: str, state: dict) -> PolypressError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class ContentError(PolypressError):
    """A canonical source file is malformed or incomplete."""

    default_hint = "fix the source file and build again"


class CatalogError(PolypressError):
    """A PO/POT file is malformed or does not fit the project."""

    default_hint = "fix the catalogue and build again (`msgfmt -c` on it also shows PO problems)"


class TemplateError(PolypressError):
    """A Jinja template does not parse or uses an undefined variable."""

    default_hint = "fix the template and build again"


class FontError(PolypressError):
    """A font is missing or lacks a glyph the text needs."""

    default_hint = "install the font (`make`) or fix [fonts] in polypress.toml"


class ConfigError(PolypressError):
    """The project configuration is wrong."""

    default_hint = "fix polypress.toml (see README) and build again"


class UsageError(PolypressError):
    """A command-line option is wrong or cannot be honoured: located at the option, exit 2 like argparse's own."""

    exit_status = 2
    default_hint = "see `python -m polypress build --help`"


class OutputError(PolypressError):
    """The build output cannot be written."""

    default_hint = "check the build folder and build again"


class FetchRefused(PolypressError):
    """The renderer asked for a resource outside the project."""

    default_hint = "documents may only use files under templates/ and the configured fonts"


class BuildLocked(PolypressError):
    """Another build holds the project's lock."""


class WorkerDied(PolypressError):
    """A render worker ended without answering: killed by the system (out of memory) or by a signal."""

    default_hint = "build again with fewer --jobs (each worker holds one render in memory), or with more memory"

    def __init__(self, job: str, exitcode: int | None) -> None:
        how = f"killed by signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exit status {exitcode}"
        super().__init__(f"the worker rendering {job} died ({how}), so nothing was published")


class StrictFailure(PolypressError):
    """``--strict`` was given and the build produced warnings."""


def os_error_hint(exc: OSError) -> str:
    """What to do about a file the system would not read or write."""
    if exc.errno == 28:
        return "the disk is full: free some space and build again"
    if exc.errno == 27:
        return "a file grew past the size this process may write (disk quota or ulimit -f): free space or raise it"
    if exc.errno in (13, 30):
        return "the folder is not writable: check its permissions"
    if exc.errno in (17, 20, 21):
        return "a file or folder is in the way: move it away (or delete build/) and build again"
    return "check that it exists, is a file (not a folder) and is readable, then run again"


def format_location(path: str | None, line: int | None, message: str, hint: str = "") -> str:
    where = ""
    if path:
        where = f"{path}:{line}: " if line else f"{path}: "
    return f"{where}{message}" + (f" — {hint}" if hint else "")


def toml_error_location(exc: tomllib.TOMLDecodeError, last_line: int) -> tuple[str, int]:
    """The reason and 1-based line of a TOML error (Python 3.11 only puts them in the message)."""
    message = str(exc)
    if match := re.search(r"\s*\(at line (\d+), column \d+\)$", message):
        return message[: match.start()], int(match.group(1))
    return message.replace(" (at end of document)", ""), max(last_line, 1)


@dataclass(frozen=True)
class BuildWarning:
    """A survivable problem with its location; ``--strict`` makes it fatal."""

    category: str
    message: str
    path: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        return format_location(self.path, self.line, f"warning: {self.category}: {self.message}")
