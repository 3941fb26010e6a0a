"""The build: plan one job per (document, language, format), skip what is up to date, run the rest in a pool."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from pathlib import Path

from markupsafe import Markup

from polypress import __version__
from polypress.catalogs import TEMPLATES_DOMAIN, po_path
from polypress.config import CONFIG_NAME
from polypress.editions import Artifact, BuildReport, Edition, Job
from polypress.errors import BuildWarning
from polypress.fonts import TextSource, check_coverage, check_fonts_exist, font_face_css, font_files
from polypress.pdf import ProjectFetcher, render_pdf
from polypress.progress import Progress
from polypress.render import RenderContext, render_template
from polypress.site import (
    copy_assets,
    document_links,
    write_landing_pages,
    write_manifest,
)
from polypress.sources import Sources
from polypress.translate import translate_document
from polypress.writer import write_atomic, write_if_changed

PACKAGE_DIR = Path(__file__).parent
STATE_FILE = ".state.json"


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
            below = coverage.percent < project.language(language).threshold
            if below and project.below_threshold == "keep":
                warnings.append(
                    BuildWarning(
                        "below-threshold",
                        f"{language} is {coverage.percent:.0f}% translated (threshold "
                        f"{project.language(language).threshold:.0f}%): last good release kept",
                        sources.catalog_display(language, document.slug),
                    )
                )
                editions.append(Edition(localized, language, coverage, draft=False))
                continue
            warnings.extend(found)
            editions.append(Edition(localized, language, coverage, draft=below))
    return editions, warnings


def edition_text(sources: Sources, edition: Edition) -> list[TextSource]:
    """Every piece of text an edition prints, with its location, for the font check."""
    language = edition.language
    texts: list[TextSource] = []
    catalog_path = sources.catalog_display(language, edition.document.slug)
    for unit in edition.document.units():
        texts.append(TextSource(unit.text, edition.document.path, unit.line))
    for value in edition.document.fields.values():
        texts.append(TextSource(value, catalog_path, None))
    catalog = sources.catalogs.get((language, TEMPLATES_DOMAIN))
    if catalog is not None:
        display = sources.catalog_display(language, TEMPLATES_DOMAIN)
        texts.extend(TextSource(m.string, display, m.lineno) for m in catalog if m.id and isinstance(m.string, str))
    return texts


# -- rendering -----------------------------------------------------------------------------


def render_print_html(sources: Sources, edition: Edition) -> tuple[str, list[BuildWarning]]:
    project = sources.project
    language = project.language(edition.language)
    context = RenderContext(project, language, sources.translations(edition.language, TEMPLATES_DOMAIN), "print")
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
        page_size=project.page_size,
    )
    return html, context.warnings


def render_pdf_job(sources: Sources, edition: Edition) -> tuple[bytes, int, list[BuildWarning]]:
    html, warnings = render_print_html(sources, edition)
    project = sources.project
    fetcher = ProjectFetcher([project.templates_dir], font_files(project))
    rendered = render_pdf(html, project.templates_dir, fetcher, edition.document.path, project.pdf_variant)
    warnings.extend(
        BuildWarning("renderer", f"{edition.language}: {message}", edition.document.path)
        for message in rendered.messages
    )
    return rendered.data, rendered.pages, warnings


def render_web_html(sources: Sources, edition: Edition, links: dict) -> tuple[bytes, list[BuildWarning]]:
    project = sources.project
    language = project.language(edition.language)
    context = RenderContext(
        project, language, sources.translations(edition.language, TEMPLATES_DOMAIN), "web", links=links
    )
    html = render_template(
        "document.html", context, doc=edition.document, footnotes=edition.document.footnotes, draft=edition.draft
    )
    return html.encode("utf-8"), context.warnings


# -- incremental state -----------------------------------------------------------------------


def input_key(sources: Sources, edition: Edition, fmt: str, extra: str = "") -> str:
    """Hash of everything a job reads: a job whose key is unchanged is not re-rendered."""
    project = sources.project
    digest = hashlib.sha256()

    def add_file(path: Path) -> None:
        digest.update(str(path.relative_to(project.root) if path.is_relative_to(project.root) else path).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")

    digest.update(f"{__version__}|{fmt}|{edition.language}|{edition.draft}|{extra}".encode())
    add_file(project.root / CONFIG_NAME)
    add_file(project.content_dir / f"{edition.document.slug}.md")
    if edition.language != project.source_language:
        for domain in (edition.document.slug, TEMPLATES_DOMAIN):
            add_file(po_path(project.translations_dir, edition.language, domain))
    for path in sorted(project.templates_dir.rglob("*")):
        if path.is_file():
            add_file(path)
    for path in sorted(PACKAGE_DIR.glob("*.py")):
        add_file(path)
    for path in sorted(font_files(project)):
        stat = path.stat() if path.exists() else None
        digest.update(f"{path}|{stat.st_size if stat else 0}|{stat.st_mtime_ns if stat else 0}".encode())
    return digest.hexdigest()


class BuildState:
    """Remembers, per job, the input key and output hash of the last successful render."""

    def __init__(self, build_dir: Path) -> None:
        self.path = build_dir / STATE_FILE
        try:
            self.jobs: dict[str, dict] = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.jobs = {}

    def fresh(self, job: Job, key: str, site_dir: Path) -> dict | None:
        """The recorded output if it is still on disk and was made from the same inputs."""
        entry = self.jobs.get(job.name)
        if not entry or entry.get("key") != key:
            return None
        target = site_dir / job.path
        try:
            if target.stat().st_size != entry["bytes"]:
                return None
        except OSError:
            return None
        return entry

    def record(self, job: Job, key: str, artifact: Artifact) -> None:
        self.jobs[job.name] = {"key": key, **artifact.as_dict()}

    def to_bytes(self) -> bytes:
        return json.dumps(self.jobs, indent=1, sort_keys=True).encode()


# -- parallel execution ---------------------------------------------------------------------

_WORKER_SOURCES: Sources | None = None


def _pdf_worker(edition: Edition) -> tuple[str, bytes, int, list[BuildWarning]]:
    assert _WORKER_SOURCES is not None
    data, pages, warnings = render_pdf_job(_WORKER_SOURCES, edition)
    return edition.key, data, pages, warnings


def run_pdf_jobs(sources: Sources, editions: list[Edition], jobs: int, progress) -> dict:
    """Render PDFs, in a pool of forked workers that imported WeasyPrint once."""
    global _WORKER_SOURCES
    results: dict = {}
    if not editions:
        return results
    if jobs <= 1 or len(editions) == 1:
        for edition in editions:
            progress.started(f"{edition.key}.pdf")
            key, data, pages, warnings = _pdf_worker_local(sources, edition)
            results[key] = (data, pages, warnings)
            progress.finished(f"{edition.key}.pdf")
        return results
    _WORKER_SOURCES = sources
    context = multiprocessing.get_context("fork")
    with context.Pool(min(jobs, len(editions))) as pool:
        for edition in editions:
            progress.started(f"{edition.key}.pdf")
        for key, data, pages, warnings in pool.imap_unordered(_pdf_worker, editions):
            results[key] = (data, pages, warnings)
            progress.finished(f"{key}.pdf")
    _WORKER_SOURCES = None
    return results


def _pdf_worker_local(sources: Sources, edition: Edition) -> tuple[str, bytes, int, list[BuildWarning]]:
    data, pages, warnings = render_pdf_job(sources, edition)
    return edition.key, data, pages, warnings


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


# -- the whole build ---------------------------------------------------------------------------


def build_site(sources: Sources, languages: list[str], jobs: int, progress: Progress) -> BuildReport:
    """Render what changed and write the site; inputs were validated by load_sources."""
    project = sources.project
    report = BuildReport(warnings=list(sources.warnings))
    editions, warnings = plan_editions(sources, languages)
    report.warnings.extend(warnings)
    for language in languages:
        check_fonts_exist(project, language)
    for edition in editions:
        check_coverage(project, edition.language, edition_text(sources, edition))

    site = project.site_dir
    state = BuildState(project.build_dir)
    kept = {e.key for e in editions if _keeps_last_release(sources, e)}
    publish = [e for e in editions if e.key not in kept]

    # PDFs first: the web pages show each PDF's size.
    pdf_jobs = {e.key: Job(e, "pdf") for e in publish}
    keys = {e.key: input_key(sources, e, "pdf") for e in publish}
    stale = [e for e in publish if not state.fresh(pdf_jobs[e.key], keys[e.key], site)]
    progress.start(len(stale) + len(publish))
    rendered = run_pdf_jobs(sources, stale, jobs, progress)
    pdf_artifacts: dict[str, Artifact] = {}
    for edition in publish:
        job = pdf_jobs[edition.key]
        if edition.key in rendered:
            data, pages, found = rendered[edition.key]
            report.warnings.extend(found)
            artifact = _artifact(job, data, pages)
            write_atomic(site / job.path, data)
            state.record(job, keys[edition.key], artifact)
            report.rendered.append(job.name)
        else:
            entry = state.jobs[job.name]
            artifact = _artifact_from_state(entry)
            report.reused.append(job.name)
        pdf_artifacts[edition.key] = artifact

    html_artifacts: dict[str, Artifact] = {}
    for edition in publish:
        job = Job(edition, "html")
        pdf = pdf_artifacts[edition.key]
        key = input_key(sources, edition, "html", extra=pdf.sha256 + ",".join(languages))
        progress.started(job.name)
        entry = state.fresh(job, key, site)
        if entry:
            html_artifacts[edition.key] = _artifact_from_state(entry)
            report.reused.append(job.name)
        else:
            links = document_links(sources, edition, languages, pdf)
            data, found = render_web_html(sources, edition, links)
            report.warnings.extend(found)
            artifact = _artifact(job, data, None)
            write_atomic(site / job.path, data)
            state.record(job, key, artifact)
            html_artifacts[edition.key] = artifact
            report.rendered.append(job.name)
        progress.finished(job.name)

    for key in sorted(kept):
        for fmt in ("pdf", "html"):
            entry = state.jobs.get(f"{key.replace('/', '.')}.{fmt}")
            if entry and (site / entry["path"]).exists():
                (pdf_artifacts if fmt == "pdf" else html_artifacts)[key] = _artifact_from_state(entry)
        report.kept.append(key)

    artifacts = [a for e in editions for a in (pdf_artifacts.get(e.key), html_artifacts.get(e.key)) if a]
    artifacts.extend(write_landing_pages(sources, editions, languages, pdf_artifacts, html_artifacts))
    copy_assets(sources)
    report.artifacts = artifacts
    write_manifest(sources, artifacts)
    write_if_changed(project.build_dir / ".state.json", state.to_bytes())
    progress.done()
    return report


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
