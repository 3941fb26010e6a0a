"""Assemble build/site: every edition's HTML and PDF, landing pages, manifest and checksums."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

from babel.units import format_unit

from polypress.catalogs import TEMPLATES_DOMAIN
from polypress.editions import Artifact, Edition
from polypress.render import RenderContext, render_template
from polypress.sources import Sources
from polypress.writer import write_if_changed

#: Static files copied from templates/css to build/site/assets.
ASSETS = ("site.css", "site-print.css")


def file_size(size: int, locale: str) -> str:
    """A file size in the reader's language ("208 kB", "208 ko")."""
    if size >= 1_000_000:
        return format_unit(round(size / 1_000_000, 1), "digital-megabyte", "short", locale=locale)
    return format_unit(max(1, round(size / 1000)), "digital-kilobyte", "short", locale=locale)


def document_links(sources: Sources, edition: Edition, languages: list[str], pdf: Artifact) -> dict:
    """Relative links from a document page, so the site works from any prefix and file://."""
    project = sources.project
    slug = edition.document.slug
    return {
        "assets": "../assets/",
        "home": "index.html",
        "root": "../index.html",
        "pdf": f"{slug}.pdf",
        "pdf_size": file_size(pdf.bytes, project.language(edition.language).locale),
        "pdf_pages": pdf.pages,
        "alternates": [_alternate(sources, code, f"../{code}/{slug}.html") for code in languages],
        "x_default": f"../{project.source_language}/{slug}.html",
    }


def _alternate(sources: Sources, code: str, href: str) -> dict:
    language = sources.project.language(code)
    return {"code": code, "name": language.native_name, "direction": language.direction, "href": href}


def write_landing_pages(
    sources: Sources,
    editions: list[Edition],
    languages: list[str],
    pdfs: dict[str, Artifact],
    htmls: dict[str, Artifact],
) -> list[Artifact]:
    """One landing page per language and the root language chooser."""
    project = sources.project
    artifacts = []
    for code in languages:
        language = project.language(code)
        reports = []
        for edition in (e for e in editions if e.language == code):
            pdf, html = pdfs.get(edition.key), htmls.get(edition.key)
            if not (pdf and html):
                continue
            reports.append(
                {
                    "doc": edition.document,
                    "html": f"{edition.document.slug}.html",
                    "pdf": f"{edition.document.slug}.pdf",
                    "pdf_size": file_size(pdf.bytes, language.locale),
                    "pages": pdf.pages,
                    "draft": edition.draft,
                    "percent": edition.coverage.percent,
                }
            )
        links = {
            "assets": "../assets/",
            "home": "index.html",
            "root": "../index.html",
            "alternates": [_alternate(sources, c, f"../{c}/index.html") for c in languages],
            "x_default": "../index.html",
        }
        series = next((e.document for e in editions if e.language == code and e.document.meta.get("roundtables")), None)
        context = RenderContext(project, language, sources.translations(code, TEMPLATES_DOMAIN), "web", links=links)
        html = render_template("index.html", context, reports=reports, series=series).encode("utf-8")
        path = f"{code}/index.html"
        write_if_changed(project.site_dir / path, html)
        artifacts.append(Artifact("index", code, "html", path, hashlib.sha256(html).hexdigest(), len(html)))
    source = project.language(project.source_language)
    links = {"assets": "assets/", "alternates": [], "x_default": "", "home": "index.html", "root": "index.html"}
    context = RenderContext(project, source, sources.translations(source.code, TEMPLATES_DOMAIN), "web", links=links)
    choices = [_alternate(sources, c, f"{c}/index.html") for c in languages]
    html = render_template("chooser.html", context, choices=choices).encode("utf-8")
    write_if_changed(project.site_dir / "index.html", html)
    artifacts.append(Artifact("index", "", "html", "index.html", hashlib.sha256(html).hexdigest(), len(html)))
    return artifacts


def copy_assets(sources: Sources) -> None:
    project = sources.project
    for name in ASSETS:
        source = project.templates_dir / "css" / name
        write_if_changed(project.site_dir / "assets" / name, source.read_bytes())


def source_revision(root: Path) -> str:
    """The git commit the sources come from, or "unknown" outside a checkout."""
    if shutil.which("git") is None:
        return "unknown"
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, check=True
        )
    except (subprocess.SubprocessError, OSError):
        return "unknown"
    return result.stdout.strip() or "unknown"


def write_manifest(sources: Sources, artifacts: list[Artifact]) -> None:
    """manifest.json and SHA256SUMS, the distributor's proof of what was published."""
    project = sources.project
    ordered = sorted(artifacts, key=lambda a: a.path)
    manifest = {
        "project": project.name,
        "source_revision": source_revision(project.root),
        "languages": list(dict.fromkeys(a.language for a in ordered if a.language)),
        "artifacts": [a.as_dict() for a in ordered],
    }
    write_if_changed(
        project.site_dir / "manifest.json", (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    )
    sums = "".join(f"{a.sha256}  {a.path}\n" for a in ordered)
    write_if_changed(project.site_dir / "SHA256SUMS", sums.encode())
