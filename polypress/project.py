"""The library API: load a project (everything validated), render one file to bytes, or build the site.

import polypress
project = polypress.load_project("path/to/project")
out = project.render("a-res-68-4", "fr", "pdf")     # Output: .data, .pages, .warnings
project.build(languages=["fr"], jobs=2)              # what `polypress build` does
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from polypress.editions import DRAFT, KEEP, BuildReport, Edition
from polypress.errors import BuildWarning, ConfigError
from polypress.formats import FORMATS
from polypress.formats.base import Format, Output, RenderRequest
from polypress.pipeline.plan import plan_editions
from polypress.pipeline.pool import default_jobs
from polypress.pipeline.progress import Progress
from polypress.pipeline.run import build
from polypress.pipeline.validate import check_editions
from polypress.settings import Settings, read_settings
from polypress.site.links import document_links
from polypress.sources import Sources, load_sources


class Project:
    """A project folder, read and validated: its settings, documents and catalogues."""

    def __init__(self, sources: Sources) -> None:
        self.sources = sources

    @property
    def settings(self) -> Settings:
        return self.sources.settings

    @property
    def documents(self) -> list[str]:
        return [document.slug for document in self.sources.documents]

    @property
    def languages(self) -> list[str]:
        return list(self.settings.languages)

    @property
    def formats(self) -> list[str]:
        return list(FORMATS)

    def edition(self, document: str, language: str) -> tuple[Edition, tuple[BuildWarning, ...]]:
        """One document in one language, translated, with the publishing policy applied as a build would."""
        self.sources.document(document)
        self.settings.language(language)
        planned = plan_editions(replace(self.sources, documents=[self.sources.document(document)]), [language])[0]
        return planned.edition, planned.warnings

    def render(self, document: str, language: str, format: str) -> Output:
        """One file as the build would publish it, as bytes; nothing is written.

        An edition the policy would keep at its last release is rendered as it
        stands now (a draft), with a warning. A format that shows the edition's
        other files (the web page) renders them first, for their sizes.
        """
        fmt = FORMATS.get(format)
        if fmt is None:
            raise ConfigError(f"unknown format {format!r}", hint=f"use one of {', '.join(FORMATS)}")
        edition, warnings = self.edition(document, language)
        if edition.policy == KEEP:
            warnings += (BuildWarning("below-threshold", f"{edition.key}: a build would keep its last release"),)
            edition = replace(edition, policy=DRAFT)
        check_editions(self.sources, [edition])  # what a build checks before it renders
        links = {}
        if fmt.lists_downloads:
            files = [
                other.artifact(edition, self._render(other, edition, {}))
                for other in FORMATS.values()
                if not other.lists_downloads
            ]
            links = document_links(self.sources, edition, self.languages, files)
        output = self._render(fmt, edition, links)
        return replace(output, warnings=warnings + output.warnings)

    def _render(self, fmt: Format, edition: Edition, links: dict) -> Output:
        return fmt.render(RenderRequest(self.sources, edition, links))

    def build(
        self,
        languages: list[str] | None = None,
        jobs: int = 0,
        progress: Progress | None = None,
        accept: Callable[[BuildReport], None] | None = None,
        documents: list[str] | None = None,
        scheduler: str | None = None,
    ) -> BuildReport:
        """What `polypress build` does: render what changed into build/site, under the lock, all or nothing.

        *scheduler* (``tcp://HOST:8786``) renders on a Dask distributed cluster instead of local processes.
        """
        languages = languages or self.languages
        for code in languages:
            self.settings.language(code)
        for slug in documents or ():
            self.sources.document(slug)  # an unknown slug is an error that names the known ones
        return build(self.sources, languages, jobs or default_jobs(), progress, accept, documents, scheduler)

    def review(self, language: str, documents: list[str] | None = None) -> list[Path]:
        """What `polypress review` does: the bilingual review edition of each document, written to
        build/review/<lang>/<document>.html and .pdf (never part of the site); returns the files."""
        from polypress.i18n.placement import UnitPages
        from polypress.review.render import render_review
        from polypress.review.units import review_edition
        from polypress.writer import write_atomic

        self.settings.language(language)
        if language == self.settings.source_language:
            raise ConfigError(
                f"{language} is the source language: there is nothing to review",
                "polypress.toml",
                hint=f"name a target language: {', '.join(self.settings.target_languages)}",
            )
        written = []
        pages = UnitPages.load(self.settings.build_dir)  # where the last build printed each unit, if it did
        for slug in documents or self.documents:
            rendered = render_review(self.settings, review_edition(self.sources, slug, language, pages))
            folder = self.settings.build_dir / "review" / language
            for suffix, data in ((".html", rendered.html), (".pdf", rendered.pdf)):
                write_atomic(folder / f"{slug}{suffix}", data)
                written.append(folder / f"{slug}{suffix}")
        return written


def load_project(root: str | Path = ".", **overrides: object) -> Project:
    """Read and validate a project: settings, every document, every catalogue; errors are located.

    *overrides* replace settings of polypress.toml for this use (``pdf_variant``, ``print_marks``…),
    checked as polypress.toml's are.
    """
    settings = read_settings(Path(root), **overrides)
    return Project(load_sources(settings.root, settings=settings))
