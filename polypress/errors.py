"""The project's one exception hierarchy and its located warnings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class PolypressError(Exception):
    """A problem the user can fix: printed as ``path:line: message — hint``."""

    category = "error"

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
        self.hint = hint

    def __str__(self) -> str:
        return format_location(self.path, self.line, self.message, self.hint)


class ContentError(PolypressError):
    """A canonical source file is malformed or incomplete."""


class CatalogError(PolypressError):
    """A PO/POT file is malformed or does not fit the project."""


class TemplateError(PolypressError):
    """A Jinja template does not parse or uses an undefined variable."""


class FontError(PolypressError):
    """A font is missing or lacks a glyph the text needs."""


class ConfigError(PolypressError):
    """The project configuration is wrong."""


class OutputError(PolypressError):
    """The build output cannot be written."""


class FetchRefused(PolypressError):
    """The renderer asked for a resource outside the project."""


def format_location(path: str | None, line: int | None, message: str, hint: str = "") -> str:
    where = ""
    if path:
        where = f"{path}:{line}: " if line else f"{path}: "
    return f"{where}{message}" + (f" — {hint}" if hint else "")


@dataclass(frozen=True)
class BuildWarning:
    """A survivable problem with its location; ``--strict`` makes it fatal."""

    category: str
    message: str
    path: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        return format_location(self.path, self.line, f"warning: {self.category}: {self.message}")
