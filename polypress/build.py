"""The build: plan one job per (document, language, format), skip what is up to date, run the rest in a pool."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import multiprocessing
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from polypress import __version__
from polypress.catalogs import TEMPLATES_DOMAIN, Lookup, Translations, po_path
from polypress.config import CONFIG_NAME, Project
from polypress.editions import Artifact, BuildReport, Edition, Job
from polypress.errors import BuildWarning, PolypressError
from polypress.progress import Progress
from polypress.render import RenderContext, render_template
from polypress.site import document_links, earlier_artifacts, site_languages, write_site
from polypress.sources import Sources
from polypress.status import write_status_page
from polypress.translate import translate_document
from polypress.writer import write_atomic, write_if_changed

# WeasyPrint (~0.9 s to import) and fontTools are imported only when something must be rendered
# or checked: a build with nothing to do never loads them.

PACKAGE_DIR = Path(__file__).parent
STATE_FILE = ".state.json"
#: Bump when the meaning of a state entry changes, so old entries are simply stale.
STATE_VERSION = 2


def plan_editions(sources: Sources, languages: list[str]) -> tuple[list[Edition], list[BuildWarning]]:
    """Translate every document into every language and apply the publishing policy."""
    project = sources.project
    editions: list[Edition] = []
    warnings: list[BuildWarning] = []
    for language in languages:
        for document in sources.documents:
            translations = sources.translations(language, document.slug)
            localized, coverage, found = translate_document(
                document, language, translations, sources.catalog_display(language, document.slug)
            )
            threshold = project.language(language).threshold
            below = coverage.percent < threshold
            # Fuzzy units are never published (translate_document falls back to English); below the
            # threshold the build says which policy it applied, so a language is never silently mixed.
            summary = (
                f"{document.slug} in {language} is {coverage.percent:.0f}% translated (threshold {threshold:.0f}%, "
                f"{coverage.fuzzy} fuzzy, {coverage.untranslated} untranslated)"
            )
            if below and project.below_threshold == "keep":
                warnings.append(
                    BuildWarning(
                        "below-threshold",
                        f"{summary}: not published, the last good release is kept",
                        sources.catalog_display(language, document.slug),
                    )
                )
                editions.append(Edition(localized, language, coverage, draft=False))
                continue
            warnings.extend(found)
            if below:
                warnings.append(
                    BuildWarning(
                        "below-threshold",
                        f"{summary}: published as a DRAFT, watermarked, missing units marked and shown in English",
                        sources.catalog_display(language, document.slug),
                    )
                )
            editions.append(Edition(localized, language, coverage, draft=below))
    return editions, warnings


def edition_text(sources: Sources, edition: Edition) -> list:
    """Every piece of text an edition prints, located at its msgstr or content line, for the font check."""
    from polypress.fonts import edition_sources

    return edition_sources(sources, edition)


# -- what a job read --------------------------------------------------------------------------


class RecordingTranslations(Translations):
    """Template-string lookups that remember which messages a render asked for."""

    def __init__(self, inner: Translations) -> None:
        super().__init__([])
        self.inner = inner
        self.used: set[str] = set()

    def lookup(self, source: str) -> Lookup:
        self.used.add(source)
        return self.inner.lookup(source)

    def plural_index(self, count: int) -> int:
        return self.inner.plural_index(count)


@dataclass
class Deps:
    """What one render read beyond its document: template files and template strings."""

    templates: set[str] = field(default_factory=set)
    strings: set[str] = field(default_factory=set)

    def as_dict(self) -> dict:
        return {"templates": sorted(self.templates), "strings": sorted(self.strings)}

    @classmethod
    def from_dict(cls, data: dict) -> Deps:
        return cls(set(data.get("templates", ())), set(data.get("strings", ())))


def _fetched_templates(project: Project, urls: list[str]) -> set[str]:
    """Files under templates/ WeasyPrint fetched (stylesheets, images), relative to templates/."""
    found = set()
    base = project.templates_dir.resolve()
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme != "file":
            continue
        path = Path(unquote(parts.path)).resolve()
        if path.is_relative_to(base):
            found.add(path.relative_to(base).as_posix())
    return found


# -- rendering -----------------------------------------------------------------------------


def render_print_html(sources: Sources, edition: Edition, deps: Deps | None = None) -> tuple[str, list[BuildWarning]]:
    from polypress.fonts import font_face_css
    from polypress.pdf import print_settings

    project = sources.project
    language = project.language(edition.language)
    strings = RecordingTranslations(sources.translations(edition.language, TEMPLATES_DOMAIN))
    context = RenderContext(project, language, strings, "print")
    document = edition.document
    adopted = document.meta.get("adopted")
    html = render_template(
        "print.html",
        context,
        doc=document,
        footnotes=document.footnotes,
        draft=edition.draft,
        font_faces=Markup(font_face_css(project, edition.language)),  # generated from settings, not text
        created=adopted.isoformat() if adopted else "",
        sheet=print_settings(project, document, language),
    )
    if deps is not None:
        deps.templates |= context.templates_read
        deps.strings |= strings.used
    return html, context.warnings


def render_pdf_job(sources: Sources, edition: Edition) -> tuple[bytes, int, list[BuildWarning], Deps]:
    from polypress.pdf import ProjectFetcher, render_pdf

    deps = Deps()
    html, warnings = render_print_html(sources, edition, deps)
    project = sources.project
    fetcher = ProjectFetcher([project.templates_dir], _font_paths(project))
    rendered = render_pdf(html, project.templates_dir, fetcher, edition.document.path, project.pdf_variant)
    deps.templates |= _fetched_templates(project, fetcher.requested)
    warnings.extend(
        BuildWarning("renderer", f"{edition.language}: {message}", edition.document.path)
        for message in rendered.messages
    )
    return rendered.data, rendered.pages, warnings, deps


def render_web_html(
    sources: Sources, edition: Edition, links: dict, deps: Deps | None = None
) -> tuple[bytes, list[BuildWarning]]:
    project = sources.project
    language = project.language(edition.language)
    strings = RecordingTranslations(sources.translations(edition.language, TEMPLATES_DOMAIN))
    context = RenderContext(project, language, strings, "web", links=links)
    html = render_template(
        "document.html", context, doc=edition.document, footnotes=edition.document.footnotes, draft=edition.draft
    )
    if deps is not None:
        deps.templates |= context.templates_read
        deps.strings |= strings.used
    return html.encode("utf-8"), context.warnings


def _font_paths(project: Project) -> set[Path]:
    # The files @font-face points at: a face copied out of a collection lives under build/fonts/.
    from polypress.fonts import font_files

    return font_files(project)


# -- incremental state -----------------------------------------------------------------------


class Fingerprints:
    """Digests of the build's inputs, each file read once per build however many jobs use it."""

    def __init__(self, sources: Sources) -> None:
        self.sources = sources
        self.project = sources.project
        self._files: dict[Path, str] = {}
        self._strings: dict[str, Translations] = {}

    def file(self, path: Path) -> str:
        if path not in self._files:
            try:
                self._files[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                self._files[path] = "missing"
        return self._files[path]

    @cached_property
    def common(self) -> str:
        """What every job reads: the package, the settings, the fonts, the list of template files."""
        project = self.project
        digest = hashlib.sha256(f"{__version__}|{STATE_VERSION}".encode())
        for path in sorted(PACKAGE_DIR.glob("*.py")):
            digest.update(f"{path.name}|{self.file(path)}".encode())
        digest.update(self.file(project.root / CONFIG_NAME).encode())
        # Settings the command line can override (build --pdf-variant), not only the file's.
        digest.update(f"|{project.pdf_variant}|{project.page_size}".encode())
        # Command-line overrides of the settings (--pdf-variant, --print-marks) change every PDF.
        digest.update(f"{project.page_size}|{project.pdf_variant}|{project.print_marks}".encode())
        # A template that appears or disappears can change which one is included (sections/<role>.html).
        listing = sorted(p.relative_to(project.templates_dir).as_posix() for p in project.templates_dir.rglob("*"))
        digest.update("\n".join(listing).encode())
        # The configured files, stat only: faces taken out of collections derive from them, and reading
        # them (57 MB for CJK) on a build with nothing to do would cost more than the whole check.
        configured = {path for face in project.fonts.values() for path in face.files.values()}
        for path in sorted(configured):
            try:
                stat = path.stat()
                digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}".encode())
            except OSError:
                digest.update(f"{path}|missing".encode())
        return digest.hexdigest()

    def strings(self, language: str) -> Translations:
        if language not in self._strings:
            self._strings[language] = self.sources.translations(language, TEMPLATES_DOMAIN)
        return self._strings[language]

    def key(self, job: Job, deps: Deps, extra: str = "") -> str:
        """Hash of everything *job* read: a job whose key is unchanged is not re-rendered."""
        project = self.project
        edition = job.edition
        digest = hashlib.sha256(f"{self.common}|{job.name}|{edition.draft}|{extra}".encode())
        digest.update(self.file(project.content_dir / f"{edition.document.slug}.md").encode())
        if edition.language != project.source_language:
            # Only this document's catalogue: a change to another document's leaves this job alone.
            digest.update(
                self.file(po_path(project.translations_dir, edition.language, edition.document.slug)).encode()
            )
        for name in sorted(deps.templates):
            digest.update(f"\0{name}|{self.file(project.templates_dir / name)}".encode())
        # Only the template strings this output showed, as the catalogue gives them now.
        strings = self.strings(edition.language)
        for message in sorted(deps.strings):
            found = strings.lookup(message)
            digest.update(f"\0{message}\0{found.string}\0{found.status}".encode())
        return digest.hexdigest()


class BuildState:
    """Remembers, per job, the input key, what the render read, and the output of the last success."""

    def __init__(self, build_dir: Path) -> None:
        self.path = build_dir / STATE_FILE
        try:
            self.jobs: dict[str, dict] = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.jobs = {}

    def fresh(self, job: Job, prints: Fingerprints, site_dir: Path, extra: str = "") -> dict | None:
        """The recorded output if it is still on disk and nothing it read has changed since."""
        entry = self.jobs.get(job.name)
        if not entry or "deps" not in entry:
            return None
        if entry.get("key") != prints.key(job, Deps.from_dict(entry["deps"]), extra):
            return None
        try:
            if (site_dir / job.path).stat().st_size != entry["bytes"]:
                return None
        except OSError:
            return None
        return entry

    def record(self, job: Job, key: str, deps: Deps, artifact: Artifact, warnings: list[BuildWarning]) -> None:
        self.jobs[job.name] = {
            "key": key,
            "deps": deps.as_dict(),
            # Kept so a reused output repeats its warnings: --strict must not pass on a no-op rebuild.
            "warnings": [dataclasses.asdict(w) for w in warnings],
            **artifact.as_dict(),
        }

    def warnings(self, job: Job) -> list[BuildWarning]:
        """The warnings the last render of *job* gave."""
        return [BuildWarning(**w) for w in self.jobs.get(job.name, {}).get("warnings", [])]

    def to_bytes(self) -> bytes:
        return json.dumps(self.jobs, indent=1, sort_keys=True).encode()


# -- parallel execution ---------------------------------------------------------------------

_WORKER_SOURCES: Sources | None = None


@dataclass
class PdfResult:
    """A worker's answer: the PDF, or the user error that stopped it."""

    key: str
    data: bytes = b""
    pages: int = 0
    warnings: list[BuildWarning] = field(default_factory=list)
    deps: Deps = field(default_factory=Deps)
    error: PolypressError | None = None


def _render_one(sources: Sources, edition: Edition) -> PdfResult:
    try:
        data, pages, warnings, deps = render_pdf_job(sources, edition)
    except PolypressError as exc:
        # Returned, not raised: the parent re-raises it as is, located, without a pool traceback.
        return PdfResult(edition.key, error=exc)
    return PdfResult(edition.key, data, pages, warnings, deps)


def _pdf_worker(edition: Edition) -> PdfResult:
    assert _WORKER_SOURCES is not None
    return _render_one(_WORKER_SOURCES, edition)


def run_pdf_jobs(sources: Sources, editions: list[Edition], jobs: int, progress: Progress):
    """Render PDFs, yielding each as it is done; in a pool of forked workers when there are several."""
    global _WORKER_SOURCES
    if not editions:
        return
    if jobs <= 1 or len(editions) == 1:
        for edition in editions:
            progress.started(f"{edition.key}.pdf")
            yield _render_one(sources, edition)
        return
    import polypress.pdf  # noqa: F401  imported once here, shared by every forked worker

    _WORKER_SOURCES = sources
    workers = min(jobs, len(editions))
    try:
        context = multiprocessing.get_context("fork")
        with progress.paused():
            pool = context.Pool(workers)
        with pool:
            # The pool hands jobs out in order: the next one starts as one finishes.
            for edition in editions[:workers]:
                progress.started(f"{edition.key}.pdf")
            for done, result in enumerate(pool.imap_unordered(_pdf_worker, editions), start=workers):
                if done < len(editions):
                    progress.started(f"{editions[done].key}.pdf")
                yield result
    finally:
        _WORKER_SOURCES = None


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


# -- the whole build ---------------------------------------------------------------------------


def build_site(sources: Sources, languages: list[str], jobs: int, progress: Progress) -> BuildReport:
    """Render what changed and write the site; inputs were validated by load_sources."""
    try:
        return _build_site(sources, languages, jobs, progress)
    finally:
        # Whatever failed, the live display ends before the error is printed under it.
        progress.done()


def _build_site(sources: Sources, languages: list[str], jobs: int, progress: Progress) -> BuildReport:
    project = sources.project
    report = BuildReport(warnings=list(sources.warnings))
    editions, warnings = plan_editions(sources, languages)
    report.warnings.extend(warnings)

    site = project.site_dir
    state = BuildState(project.build_dir)
    prints = Fingerprints(sources)
    kept = {e.key for e in editions if _keeps_last_release(sources, e)}
    publish = [e for e in editions if e.key not in kept]
    # `build --lang fr` keeps the languages an earlier build published in every language switcher.
    on_site = site_languages(sources, languages, state.jobs)

    # PDFs first: the web pages show each PDF's size.
    pdf_jobs = {e.key: Job(e, "pdf") for e in publish}
    html_jobs = {e.key: Job(e, "html") for e in publish}
    stale = [e for e in publish if not state.fresh(pdf_jobs[e.key], prints, site)]
    stale_keys = {e.key for e in stale}
    html_stale = {
        e.key
        for e in publish
        if e.key in stale_keys
        or not state.fresh(
            html_jobs[e.key], prints, site, _links_key(sources, e, on_site, state.jobs[pdf_jobs[e.key].name])
        )
    }
    _check_fonts(sources, [e for e in publish if e.key in stale_keys | html_stale])
    # Biggest documents first, so a long render does not start last and keep the pool waiting.
    stale.sort(key=lambda e: -len(e.document.blocks))
    progress.start(len(stale) + len(html_stale))

    html_artifacts: dict[str, Artifact] = {}

    def web_page(edition: Edition) -> None:
        job = html_jobs[edition.key]
        pdf = pdf_artifacts[edition.key]
        extra = _links_key(sources, edition, on_site, pdf.as_dict())
        entry = state.fresh(job, prints, site, extra) if edition.key in html_stale else state.jobs[job.name]
        if entry:
            html_artifacts[edition.key] = _artifact_from_state(entry)
            report.reused.append(job.name)
            report.warnings.extend(state.warnings(job))
            if edition.key in html_stale:
                progress.finished(f"{job.name} (unchanged)")
            return
        progress.started(job.name)
        links = document_links(sources, edition, on_site, pdf)
        deps = Deps()
        data, found = render_web_html(sources, edition, links, deps)
        report.warnings.extend(found)
        artifact = _artifact(job, data, None)
        write_atomic(site / job.path, data)
        state.record(job, prints.key(job, deps, extra), deps, artifact, found)
        html_artifacts[edition.key] = artifact
        report.rendered.append(job.name)
        progress.finished(job.name)

    pdf_artifacts: dict[str, Artifact] = {}
    by_key = {e.key: e for e in stale}
    try:
        for result in run_pdf_jobs(sources, stale, jobs, progress):
            if result.error is not None:
                raise result.error
            edition = by_key[result.key]
            job = pdf_jobs[edition.key]
            report.warnings.extend(result.warnings)
            artifact = _artifact(job, result.data, result.pages)
            write_atomic(site / job.path, result.data)
            # Keyed on what the render actually read, as the files are now.
            state.record(job, prints.key(job, result.deps), result.deps, artifact, result.warnings)
            report.rendered.append(job.name)
            pdf_artifacts[edition.key] = artifact
            progress.finished(job.name)
            # Its web page now, while the workers render the other PDFs.
            web_page(edition)
    except BaseException:
        # What finished is recorded even when another job failed: the next build resumes from there.
        progress.done()
        write_if_changed(project.build_dir / STATE_FILE, state.to_bytes())
        raise
    for edition in publish:
        job = pdf_jobs[edition.key]
        if edition.key not in pdf_artifacts:
            pdf_artifacts[edition.key] = _artifact_from_state(state.jobs[job.name])
            report.reused.append(job.name)
            report.warnings.extend(state.warnings(job))
            web_page(edition)

    for key in sorted(kept):
        for fmt in ("pdf", "html"):
            entry = state.jobs.get(f"{key.replace('/', '.')}.{fmt}")
            # Only a complete release is kept: an earlier draft is not a "last good release".
            if entry and not entry.get("draft") and (site / entry["path"]).exists():
                (pdf_artifacts if fmt == "pdf" else html_artifacts)[key] = _artifact_from_state(entry)
        if key in html_artifacts:
            report.kept.append(key)
        else:
            report.warnings.append(
                BuildWarning("below-threshold", f"{key}: no earlier complete release to keep, so it is not published")
            )

    artifacts = [a for e in editions for a in (pdf_artifacts.get(e.key), html_artifacts.get(e.key)) if a]
    artifacts.extend(earlier_artifacts(sources, state.jobs, languages))
    others = [code for code in on_site if code not in languages]
    other_editions = plan_editions(sources, others)[0] if others else []
    artifacts.append(write_status_page(sources, editions + other_editions, report.kept))
    report.artifacts = write_site(sources, editions + other_editions, artifacts, languages)
    write_if_changed(project.build_dir / STATE_FILE, state.to_bytes())
    progress.done()
    return report


def _links_key(sources: Sources, edition: Edition, on_site: list[str], pdf: dict) -> str:
    """The web page's links as it shows them (PDF size in kB, pages, languages), not the PDF's bytes:
    a print-only change that leaves the shown size alone does not re-render the page."""
    shown = Artifact(**{k: pdf.get(k) for k in ("document", "language", "format", "path", "sha256", "bytes", "pages")})
    return json.dumps(document_links(sources, edition, on_site, shown), sort_keys=True, default=str)


def _check_fonts(sources: Sources, editions: list[Edition]) -> None:
    """Glyph coverage of what will be rendered; an output that is up to date passed it already."""
    if not editions:
        return
    from polypress.fonts import check_coverage, check_fonts_exist

    for language in dict.fromkeys(e.language for e in editions):
        check_fonts_exist(sources.project, language)
    for edition in editions:
        check_coverage(sources.project, edition.language, edition_text(sources, edition))


def _keeps_last_release(sources: Sources, edition: Edition) -> bool:
    project = sources.project
    threshold = project.language(edition.language).threshold
    return project.below_threshold == "keep" and edition.coverage.percent < threshold


def _artifact(job: Job, data: bytes, pages: int | None) -> Artifact:
    return Artifact(
        document=job.edition.document.slug,
        language=job.edition.language,
        format=job.format,
        path=job.path,
        sha256=hashlib.sha256(data).hexdigest(),
        bytes=len(data),
        pages=pages,
        draft=job.edition.draft,
    )


def _artifact_from_state(entry: dict) -> Artifact:
    fields = {k: entry.get(k) for k in ("document", "language", "format", "path", "sha256", "bytes", "pages")}
    return Artifact(**fields, draft=bool(entry.get("draft")))
