"""Plain records of what the build makes: editions, jobs and the artefacts they produce."""

from __future__ import annotations

from dataclasses import dataclass, field

from polypress.document import Document
from polypress.errors import BuildWarning
from polypress.translate import Coverage


@dataclass(frozen=True)
class Edition:
    """One document in one language, translated and ready to render."""

    document: Document
    language: str
    coverage: Coverage
    draft: bool

    @property
    def key(self) -> str:
        return f"{self.document.slug}/{self.language}"


@dataclass(frozen=True)
class Job:
    """One output file: a document in one language in one format."""

    edition: Edition
    format: str  # "pdf" or "html"

    @property
    def name(self) -> str:
        return f"{self.edition.document.slug}.{self.edition.language}.{self.format}"

    @property
    def path(self) -> str:
        """Path relative to build/site."""
        return f"{self.edition.language}/{self.edition.document.slug}.{self.format}"


@dataclass
class Artifact:
    """A file written to build/site, as the manifest lists it."""

    document: str
    language: str
    format: str
    path: str
    sha256: str
    bytes: int
    pages: int | None = None
    draft: bool = False

    def as_dict(self) -> dict:
        data = {
            "document": self.document,
            "language": self.language,
            "format": self.format,
            "path": self.path,
            "sha256": self.sha256,
            "bytes": self.bytes,
        }
        if self.pages is not None:
            data["pages"] = self.pages
        if self.draft:
            data["draft"] = True
        return data


@dataclass
class BuildReport:
    """What a build did: artefacts, which jobs ran, warnings."""

    artifacts: list[Artifact] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    warnings: list[BuildWarning] = field(default_factory=list)
