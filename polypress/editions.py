"""Plain records of what a build makes: editions (a document in a language), the files published, the report."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from polypress.document import Document
from polypress.errors import BuildWarning

if TYPE_CHECKING:  # an annotation only: a build with nothing to do reads reports without the translator
    from polypress.i18n.translate import Coverage

#: What the publishing policy decided for an edition, once, when it was planned.
PUBLISH = "publish"  # complete enough: published as it is
DRAFT = "draft"  # below its language's threshold: published with a DRAFT watermark, missing units marked
KEEP = "keep"  # below its threshold: not rebuilt, the last complete release stays on the site
POLICIES = (PUBLISH, DRAFT, KEEP)


class _Named:
    """How an edition and its summary are known: "slug/language", and whether it is a draft."""

    language: str
    policy: str

    @property
    def slug(self) -> str:
        raise NotImplementedError

    @property
    def key(self) -> str:
        return f"{self.slug}/{self.language}"

    @property
    def draft(self) -> bool:
        return self.policy == DRAFT


@dataclass(frozen=True)
class Edition(_Named):
    """One document in one language, translated, with what the publishing policy decided for it."""

    document: Document
    language: str
    coverage: Coverage
    policy: str = PUBLISH

    @property
    def slug(self) -> str:
        return self.document.slug


def text_digest(text: str) -> bytes:
    """What a summary and a release snapshot keep of a unit's text: the first eight bytes of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).digest()[:8]


@dataclass(frozen=True)
class EditionSummary(_Named):
    """An edition without its text: what a build schedules and the site lists, for every edition at once.

    A build holds one for each edition of the archive, not its translated text (0.5 MB a document, which
    grew the build with the archive): an edition is translated where it is planned and checked, then where
    it is rendered (pipeline/plan.py ``translated``). The site needs only its front matter and, per unit, a
    status and a digest of the text published (the status page compares them with the last release).
    """

    #: The document's front matter in this language (title, symbol, dates), with none of its blocks.
    front: Document
    language: str
    coverage: Coverage
    policy: str = PUBLISH
    #: Each unit's status (Block.status), in reading order, front matter first (Document.units()).
    statuses: tuple[str, ...] = ()
    #: Eight bytes per unit, in the same order: the text_digest of its text as published, zeros when it
    #: is not published (fuzzy, untranslated).
    digests: bytes = b""
    #: How many blocks the document has: the longest renders start first.
    size: int = 0
    #: SHA-256 of the catalogue the edition was planned from ("": none); a render translates from the same.
    catalogue: str = ""

    @property
    def slug(self) -> str:
        return self.front.slug


@dataclass(frozen=True)
class Artifact:
    """A file on the site, as the manifest lists it."""

    document: str
    language: str
    format: str
    path: str
    sha256: str
    bytes: int
    pages: int | None = None
    draft: bool = False
    #: The sources' revision this file was built from ("" for files the build does not vouch for).
    source_revision: str = ""

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
        if self.source_revision:
            data["source_revision"] = self.source_revision
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Artifact:
        return cls(
            document=data["document"],
            language=data["language"],
            format=data["format"],
            path=data["path"],
            sha256=data["sha256"],
            bytes=data["bytes"],
            pages=data.get("pages"),
            draft=bool(data.get("draft")),
            source_revision=data.get("source_revision", ""),
        )


@dataclass
class BuildReport:
    """What a build did: every file on the site, which outputs were rendered, reused or kept, the warnings."""

    artifacts: list[Artifact] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    #: Every file the build wrote, relative to the project (unchanged files are not listed).
    written: list[str] = field(default_factory=list)
    warnings: list[BuildWarning] = field(default_factory=list)
    #: A build killed earlier had left its journal: its changes were undone first.
    recovered: bool = False
    #: PID of a build that died holding the lock, whose lock this build took over (None: none did).
    taken_over: int | None = None
