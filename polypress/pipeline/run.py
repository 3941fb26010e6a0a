"""A whole build: plan, render what changed in the pool, assemble the site, and write it all through the one writer.

Every file a build produces is written here (writer.py does the writing), under
the project's lock and inside an undo journal: a build that fails, is refused or
is killed leaves the site as it was.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from polypress.document import Document
from polypress.editions import KEEP, Artifact, BuildReport, EditionSummary
from polypress.errors import BuildWarning, OutputError
from polypress.files import file_digest, opened
from polypress.formats import FORMATS
from polypress.i18n.placement import UNITS_FILE, UnitPages, placements_bytes, write_units_json
from polypress.pipeline.cluster import DaskPool
from polypress.pipeline.lock import LOCK_NAME, BuildLock
from polypress.pipeline.plan import Job, languages_on_site, plan_jobs
from polypress.pipeline.plans import EditionPlans, Plan, plan_bytes
from polypress.pipeline.pool import RenderPool, RenderResult, fewer_collections
from polypress.pipeline.progress import Progress
from polypress.pipeline.revision import source_revision
from polypress.pipeline.stamp import STAMP_FILE, stamp_bytes, unchanged_build
from polypress.pipeline.stamp import options as stamp_options
from polypress.pipeline.state import (
    RELEASES_FILE,
    SITE_STATE_FILE,
    STATE_FILE,
    BuildState,
    Fingerprints,
    Recorded,
    load_releases,
    load_site_state,
    still_there,
    units_path,
    write_releases,
)
from polypress.pipeline.validate import check_editions, check_files
from polypress.site import Archive, SiteInput, archives, assemble_site
from polypress.site.archives import write_zip
from polypress.site.links import document_links, shown_links
from polypress.sources import Sources
from polypress.writer import JOURNAL_NAME, Streamed, remove, transaction, write_atomic, write_if_changed, write_stream


def build(
    sources: Sources,
    languages: list[str],
    jobs: int,
    progress: Progress | None = None,
    accept: Callable[[BuildReport], None] | None = None,
    documents: list[str] | None = None,
    scheduler: str | None = None,
) -> BuildReport:
    """Build *languages* (only *documents*, if given) into build/site, one build at a time, all or nothing.

    *accept* sees the report before the build is committed and may raise to
    refuse it (``--strict``): every file is then put back as it was. With a
    *scheduler* address the renders run on that Dask cluster (pipeline/cluster.py),
    else in a local pool of *jobs* processes.
    """
    settings = sources.settings
    progress = progress or Progress(quiet=True)
    with BuildLock(settings.build_dir, sources.display(settings.build_dir / LOCK_NAME)) as lock:
        with transaction(settings.build_dir / JOURNAL_NAME) as recovered:
            chosen = stamp_options(settings, languages, documents)
            try:
                # Nothing changed since the last build (file metadata, or digests where it changed): its
                # report stands, and nothing is planned, checked, rendered or written.
                report = None if recovered else unchanged_build(settings, chosen)
                if report is None:
                    run = _Build(sources, languages, jobs, progress, documents, scheduler)
                    with fewer_collections():
                        report = run.run()
                    run.stamp(chosen)
            finally:
                # Whatever failed, the live display ends before the error is printed under it.
                progress.done()
            report.recovered = recovered
            report.taken_over = lock.taken_over
            if accept is not None:
                accept(report)
    return report


class _Build:
    """One run of the build; holds what it learns as jobs finish."""

    def __init__(
        self,
        sources: Sources,
        languages: list[str],
        jobs: int,
        progress: Progress,
        documents: list[str] | None = None,
        scheduler: str | None = None,
    ) -> None:
        self.sources = sources
        self.scheduler = scheduler
        #: Documents this build renders; the others keep their files and stay on the site's pages.
        self.documents = set(documents) if documents else {d.slug for d in sources.documents}
        self.settings = sources.settings
        self.languages = languages
        self.workers = jobs
        self.progress = progress
        self.site_dir = self.settings.site_dir
        self.report = BuildReport(warnings=list(sources.warnings))
        self.state = BuildState.load(self.settings.build_dir, self.report.warnings)
        self.prints = Fingerprints(sources)
        self.revision = source_revision(self.settings.root)
        #: Every file of this build's editions, by job name, as it becomes known.
        self.artifacts: dict[str, Artifact] = {}
        #: What each page shows of the rest of the build (its links), by job name: part of its key.
        self.extras: dict[str, str] = {}
        self.pages_done: set[str] = set()

    # -- the steps ---------------------------------------------------------------------------------

    def run(self) -> BuildReport:
        # Forked before planning: the workers inherit the project as loaded, not the archive's translated
        # editions (their memory does not grow with it), and render each edition once it is planned.
        self.early = None
        if not self.scheduler and self.workers > 1:
            self.early = RenderPool(self.sources, self.workers, self.progress)
        with self.early or nullcontext():
            return self._run()

    def _run(self) -> BuildReport:
        self.languages, self.on_site, forgotten = languages_on_site(
            self.settings, self.languages, self.state.jobs, self.sources.display(self.site_dir)
        )
        self.report.warnings.extend(forgotten)
        editions, building = self._plan()
        stale = self.stale | self.stale_pages
        self.progress.start(len(stale))
        try:
            with self._pool(busy=bool(stale)) as pool:
                for job in self.jobs:
                    if job.format.lists_downloads:
                        continue
                    if job.name not in self.stale:
                        self._reuse(job, self.state.entry(job.name))
                    elif pool is not self.early:  # the early pool has had it since it was planned
                        pool.submit(job, {})
                for edition in building:
                    self._pages_when_ready(edition, pool)
                for result in pool.results():
                    job = self._finish(result)
                    self._pages_when_ready(job.edition, pool)
        except BaseException:
            # What finished is recorded even when another job failed: the next build resumes from there.
            self._write_state()
            raise
        self._keep_releases([e for e in building if e.policy == KEEP])
        self._publish_site(editions)
        return self.report

    def _plan(self) -> tuple[list[EditionSummary], list[EditionSummary]]:
        """Every edition on the site (and those this build makes), one at a time: planned (or its plan read
        back, plans.py), its stale jobs found, checked and given to the early pool if it is to be rendered,
        kept as a summary only (no archive's worth of translated text). Listed language by language."""
        editions: list[EditionSummary] = []
        self.stale: set[str] = set()
        self.stale_pages: set[str] = set()
        #: Each language's home document, translated: its landing page shows its text.
        self.homes: dict[str, Document] = {}
        plans = EditionPlans(self.sources, self.prints, self.settings.build_dir)
        for document in self.sources.documents:
            for language in self.on_site:
                plan = plans.plan(document, language)
                if language in self.languages:
                    self.report.warnings.extend(plan.warnings)
                editions.append(plan.summary)
                if document.slug == self.settings.home_document:
                    self.homes[language] = plans.text(plan).document
                jobs = plan_jobs([plan.summary])
                to_render = self._builds(language, document.slug) and self._stale(jobs)
                done = self._check(plans, plan) if to_render else plan
                if done.edition is not None or done is not plan:  # planned, or checked, by this build
                    self._write(plans.path(document.slug, language), plan_bytes(done), listed=False)
                if to_render and self.early is not None:
                    self._render_early(jobs, self.early)
        order = {code: number for number, code in enumerate(self.on_site)}
        editions.sort(key=lambda e: order[e.language])
        building = [e for e in editions if self._builds(e.language, e.slug)]
        self.jobs = plan_jobs(building)
        self.by_name = {job.name: job for job in self.jobs}
        #: Each edition's jobs: asked once a job finishes, so never a scan of the whole archive's.
        self.by_edition: dict[str, list[Job]] = {}
        for job in self.jobs:
            self.by_edition.setdefault(job.edition.key, []).append(job)
        return editions, building

    def _render_early(self, jobs: list[Job], pool: RenderPool) -> None:
        """An edition's renders start once it is planned: the workers do not wait for the whole archive's."""
        for job in jobs:
            if job.name in self.stale and not job.format.lists_downloads:
                pool.submit(job, {})
        pool.collect()

    def _check(self, plans: EditionPlans, plan: Plan) -> Plan:
        """What an edition to be rendered is checked for (validate.py): its glyphs unless its plan passed
        that check with the same texts and fonts, its fonts and figures always."""
        if plan.checked:
            check_files(self.sources, plan.summary)
            return plan
        check_editions(self.sources, [plans.text(plan)])
        return replace(plan, checked=True)

    def _stale(self, jobs: list[Job]) -> bool:
        """Which of an edition's *jobs* render again; a page when what it shows of its files changed, or when
        it did (guessed here from the files the last build made, for the progress count; decided when its
        files are known)."""
        stale = {j.name for j in jobs if not j.format.lists_downloads and not self._fresh(j)}
        for job in jobs:
            if job.format.lists_downloads and not stale:
                files = self._recorded_files(jobs)
                links = document_links(self.sources, job.edition, self.on_site, files) if files is not None else None
                self.extras[job.name] = shown_links(links)
        pages = {j.name for j in jobs if j.format.lists_downloads and not self._fresh(j)}
        self.stale |= stale
        self.stale_pages |= pages
        return bool(stale or pages)

    def _pool(self, busy: bool) -> RenderPool | DaskPool:
        """Where renders run; with nothing to render, nowhere: no worker is forked, no cluster reached."""
        if not busy:
            return RenderPool(self.sources, 1, self.progress)
        if self.scheduler:
            return DaskPool(self.scheduler, self.sources, self.progress)
        return self.early or RenderPool(self.sources, self.workers, self.progress)

    def _builds(self, language: str | None, document: str | None) -> bool:
        return language in self.languages and document in self.documents

    def _pages_when_ready(self, edition: EditionSummary, pool: RenderPool | DaskPool) -> None:
        """Once every file of an edition is known, its page (which shows their sizes) is reused or rendered."""
        own = self.by_edition.get(edition.key, [])  # none for an edition the policy keeps
        files = [self.artifacts.get(j.name) for j in own if not j.format.lists_downloads]
        if any(f is None for f in files):
            return
        for job in own:
            if not job.format.lists_downloads or job.name in self.pages_done:
                continue
            self.pages_done.add(job.name)
            links = document_links(self.sources, edition, self.on_site, [f for f in files if f])
            self.extras[job.name] = shown_links(links)
            entry = self._fresh(job)
            if entry:
                self._reuse(job, entry)
                if job.name in self.stale_pages:
                    self.progress.finished(f"{job.name} (unchanged)")
            else:
                pool.submit(job, links)

    def _recorded_files(self, jobs: list[Job]) -> list[Artifact] | None:
        """The files of an edition's *jobs* as the last build recorded them, None if one is missing."""
        files = []
        for job in jobs:
            if not job.format.lists_downloads:
                entry = self.state.entry(job.name)
                if entry is None:
                    return None
                files.append(Artifact.from_dict(entry))
        return files

    def _fresh(self, job: Job) -> dict | None:
        return self.state.fresh(job, self.prints, self.site_dir, self.extras.get(job.name, ""))

    def _reuse(self, job: Job, entry: dict) -> None:
        artifact = Artifact.from_dict({**entry, "source_revision": self.revision})
        self.artifacts[job.name] = artifact
        self.state.jobs[job.name]["source_revision"] = self.revision
        self.report.reused.append(job.name)
        self.report.warnings.extend(self.state.warnings(job.name))

    def _finish(self, result: RenderResult) -> Job:
        if result.error is not None:
            raise result.error
        job, output = self.by_name[result.name], result.output
        assert output is not None
        artifact = job.format.artifact(job.edition, output, self.revision)
        self._write(self.site_dir / job.path, output.data, only_if_changed=False)
        # Keyed on what the render actually read, as the files are now.
        key = self.prints.key(job, output.deps, self.extras.get(job.name, ""))
        units = None
        if output.units:  # kept on disk, not in memory: an archive's placements would grow the build with it
            placements = placements_bytes(output.units)
            self._write(units_path(self.settings.build_dir, job.name), placements, listed=False)
            units = Recorded(len(placements), hashlib.sha256(placements).hexdigest())
        self.state.record(job, key, output.deps, artifact, output.warnings, units)
        self.artifacts[job.name] = artifact
        self.report.warnings.extend(output.warnings)
        self.report.rendered.append(job.name)
        self.progress.finished(job.name)
        return job

    def _keep_releases(self, kept: list[EditionSummary]) -> None:
        """Editions the policy keeps: their last complete release stays, if there is one on disk."""
        for edition in kept:
            found = []
            for fmt in FORMATS.values():
                entry = self.state.entry(f"{edition.slug}.{edition.language}.{fmt.name}")
                # Only a complete release is kept: an earlier draft is not a "last good release".
                if entry and not entry.get("draft") and (self.site_dir / entry["path"]).is_file():
                    found.append(Artifact.from_dict(entry))
            if any(not FORMATS[a.format].downloadable for a in found):
                self.artifacts.update({f"{a.document}.{a.language}.{a.format}": a for a in found})
                self.report.kept.append(edition.key)
            else:
                self.report.warnings.append(
                    BuildWarning(
                        "below-threshold", f"{edition.key}: no earlier complete release to keep, so it is not published"
                    )
                )

    def _earlier_artifacts(self) -> list[Artifact]:
        """Files of languages and documents this build does not touch, still on disk exactly as recorded."""
        slugs = {d.slug for d in self.sources.documents}

        def untouched(language: object, document: object) -> bool:
            return not self._builds(language, document) and language in self.settings.languages and document in slugs

        return self.state.files_on_site(self.site_dir, untouched)

    def _publish_site(self, editions: list[EditionSummary]) -> None:
        """Assemble and write the site's own files, unless nothing they are made of changed since the last
        build and they are all still there: a no-op build then renders no landing page, packs no zip."""
        build_dir = self.settings.build_dir
        artifacts = [*self.artifacts.values(), *self._earlier_artifacts()]
        # Where the units of every PDF on the site land, from the renders that made them (this build's or an
        # earlier one's): `build --lang fr` keeps the other languages' entries.
        placed = self.state.placements(artifacts, self.sources)
        units = self._stream(build_dir / UNITS_FILE, lambda sink: write_units_json(placed.editions(), sink))
        releases = load_releases(build_dir, self.report.warnings)
        kept = json.dumps(self.report.kept).encode()
        extra = file_digest(build_dir / RELEASES_FILE).encode() + kept + units.sha256.encode()
        key = self.prints.site_key(self.on_site, artifacts, self.revision, extra)
        last = load_site_state(build_dir)
        if last.get("key") == key and still_there(self.site_dir, last["files"]):
            self.report.artifacts = [Artifact.from_dict(a) for a in last.get("artifacts", [])]
            self._write_state()
            return
        given = SiteInput(
            sources=self.sources,
            editions=editions,
            artifacts=artifacts,
            revision=self.revision,
            releases=releases,
            kept=tuple(self.report.kept),
            unit_pages=UnitPages(load=placed.edition),
            homes=self.homes,
        )
        zips = [self._write_zip(archive) for archive in archives(given)]
        site = assemble_site(given, zips)
        for file in site.files:
            self._write(self.site_dir / file.path, file.data)
        written = self._stream(build_dir / RELEASES_FILE, lambda sink: write_releases(site.releases, sink))
        self._write_state()
        self.report.artifacts = site.artifacts
        # The key is of the inputs as they were before this assembly: the releases it just wrote are
        # its output, so the next build, with nothing changed, recomputes the key from them.
        after = written.sha256.encode() + kept + units.sha256.encode()
        recorded = {
            "key": self.prints.site_key(self.on_site, artifacts, self.revision, after),
            "files": {**{f.path: len(f.data) for f in site.files}, **{z.path: z.bytes for z in zips}},
            "artifacts": [a.as_dict() for a in site.artifacts],
        }
        self._write(build_dir / SITE_STATE_FILE, json.dumps(recorded, indent=1, sort_keys=True).encode())

    def stamp(self, chosen: dict) -> None:
        """Record what this build read and left (pipeline/stamp.py), for the next build to compare by stat;
        an input saved while it ran leaves the last stamp removed instead, so the next build is a full one."""
        path = self.settings.build_dir / STAMP_FILE
        data = stamp_bytes(self.settings, self.prints.used, chosen, self.revision, self.report)
        if data is not None:
            write_atomic(path, data)
        elif path.exists():
            remove(path)

    # -- the one writer ------------------------------------------------------------------------------

    def _write(self, path: Path, data: bytes, only_if_changed: bool = True, listed: bool = True) -> None:
        """*listed* in the report (`wrote …`): not the records kept per output (.units/, .plans/), noise there."""
        if only_if_changed:
            if not write_if_changed(path, data):
                return
        else:
            write_atomic(path, data)
        if listed:
            self.report.written.append(self.sources.display(path))

    def _stream(self, path: Path, fill: Callable[[BinaryIO], object]) -> Streamed:
        """A file written a piece at a time by *fill* (writer.write_stream), never held whole."""
        streamed = write_stream(path, fill)
        if streamed.written:
            self.report.written.append(self.sources.display(path))
        return streamed

    def _write_state(self) -> None:
        """build/.state.json, as it grows with the archive: written a piece at a time, never held whole."""
        self._stream(self.settings.build_dir / STATE_FILE, self.state.dump)

    def _write_zip(self, archive: Archive) -> Artifact:
        """A language zip streamed to disk a member at a time (it is as big as the archive: never held)."""
        path = self.site_dir / archive.path

        def member(site_path: str) -> AbstractContextManager[BinaryIO]:
            return opened(self.site_dir / site_path, self.site_dir, OutputError)

        streamed = self._stream(path, lambda sink: write_zip(archive, sink, member))
        return archive.artifact(streamed.sha256, streamed.bytes, self.revision)
