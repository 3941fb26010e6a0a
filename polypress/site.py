"""Assemble build/site: landing pages, language chooser, zips, sitemap, feeds, manifest and checksums."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin
from xml.etree import ElementTree as ET

from babel.units import format_unit

from polypress.catalogs import TEMPLATES_DOMAIN
from polypress.document import Document
from polypress.editions import Artifact, Edition
from polypress.render import RenderContext, render_template
from polypress.sources import Sources
from polypress.writer import write_if_changed

#: Static files copied from templates/css to build/site/assets.
ASSETS = ("site.css", "site-print.css")
#: Where the per-language Atom feed lives, relative to the language folder.
FEED_NAME = "feed.xml"
#: Zip entries need a date; builds must be reproducible, so it never comes from the clock.
ZIP_EPOCH = datetime.date(1980, 1, 1)
ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def file_size(size: int, locale: str) -> str:
    """A file size in the reader's language ("208 kB", "208 ko")."""
    if size >= 1_000_000:
        return format_unit(round(size / 1_000_000, 1), "digital-megabyte", "short", locale=locale)
    return format_unit(max(1, round(size / 1000)), "digital-kilobyte", "short", locale=locale)


def document_links(sources: Sources, edition: Edition, languages: list[str], pdf: Artifact) -> dict:
    """Relative links from a document page, so the site works from any prefix and file://."""
    project = sources.project
    slug = edition.document.slug
    code = edition.language
    return {
        "assets": "../assets/",
        "home": "index.html",
        "root": "../index.html#languages",
        "pdf": f"{slug}.pdf",
        "pdf_size": file_size(pdf.bytes, project.language(code).locale),
        "pdf_pages": pdf.pages,
        "feed": FEED_NAME,
        "alternates": [_alternate(sources, c, f"../{c}/{slug}.html") for c in languages],
        "x_default": f"../{_default_language(sources, languages)}/{slug}.html",
    }


def _alternate(sources: Sources, code: str, href: str) -> dict:
    language = sources.project.language(code)
    return {"code": code, "name": language.native_name, "direction": language.direction, "href": href}


def _default_language(sources: Sources, languages: list[str]) -> str:
    source = sources.project.source_language
    return source if source in languages or not languages else languages[0]


# -- what is on disk from earlier builds ------------------------------------------------------


def site_languages(sources: Sources, languages: list[str], state_jobs: dict[str, dict]) -> list[str]:
    """This build's languages plus those an earlier build left in build/site, in configured order.

    A `build --lang fr` must not drop the other languages from the switcher,
    the landing pages or the manifest.
    """
    site = sources.project.site_dir
    earlier = {
        entry.get("language") for entry in state_jobs.values() if entry.get("path") and (site / entry["path"]).is_file()
    }
    return [code for code in sources.project.languages if code in languages or code in earlier]


def earlier_artifacts(sources: Sources, state_jobs: dict[str, dict], languages: list[str]) -> list[Artifact]:
    """Documents of languages this build does not touch, still on disk exactly as recorded."""
    project = sources.project
    slugs = {d.slug for d in sources.documents}
    found = []
    for _name, entry in sorted(state_jobs.items()):
        code = entry.get("language")
        if code in languages or code not in project.languages or entry.get("document") not in slugs:
            continue
        path = project.site_dir / entry.get("path", "")
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            continue  # changed by hand since: not ours to vouch for
        fields = {k: entry.get(k) for k in ("document", "language", "format", "path", "sha256", "bytes", "pages")}
        found.append(Artifact(**fields, draft=bool(entry.get("draft"))))
    return found


# -- the site around the documents ---------------------------------------------------------------


@dataclass(frozen=True)
class SiteFile:
    """A file the site writes besides the documents, listed in the manifest."""

    path: str
    data: bytes
    format: str
    language: str = ""
    document: str = ""

    def artifact(self) -> Artifact:
        return Artifact(
            self.document, self.language, self.format, self.path, hashlib.sha256(self.data).hexdigest(), len(self.data)
        )


def write_site(
    sources: Sources, editions: list[Edition], artifacts: list[Artifact], rebuilt: list[str]
) -> list[Artifact]:
    """Everything around the documents: landing pages, chooser, zips, feeds, sitemap, assets, manifest.

    *editions* and *artifacts* cover every language on the site, not only the
    languages this build *rebuilt*. Returns every artefact, documents included.
    """
    project = sources.project
    by_path = {a.path: a for a in artifacts}
    languages = [c for c in project.languages if any(a.language == c for a in artifacts)]
    files: list[SiteFile] = []
    files.extend(_assets(sources))
    zips = {code: _language_zip(sources, editions, code, by_path) for code in languages}
    files.extend(z for z in zips.values() if z)
    files.extend(_feed(sources, editions, code, by_path) for code in languages)
    for code in languages:
        files.append(_landing_page(sources, editions, languages, code, by_path, zips[code]))
    files.append(_chooser(sources, languages))
    if project.site_url:
        files.append(_sitemap(sources, languages, by_path))
    for file in files:
        write_if_changed(project.site_dir / file.path, file.data)
    every = sorted([*artifacts, *(f.artifact() for f in files)], key=lambda a: a.path)
    write_manifest(sources, every, rebuilt)
    return every


def _assets(sources: Sources) -> list[SiteFile]:
    folder = sources.project.templates_dir / "css"
    return [SiteFile(f"assets/{name}", (folder / name).read_bytes(), "css") for name in ASSETS]


def copy_assets(sources: Sources) -> None:
    for file in _assets(sources):
        write_if_changed(sources.project.site_dir / file.path, file.data)


def _editions_in(editions: list[Edition], code: str, by_path: dict[str, Artifact]) -> list[Edition]:
    """A language's editions that have both their HTML and PDF on the site, in source order."""
    return [
        e
        for e in editions
        if e.language == code
        and f"{code}/{e.document.slug}.html" in by_path
        and f"{code}/{e.document.slug}.pdf" in by_path
    ]


def _landing_page(
    sources: Sources,
    editions: list[Edition],
    languages: list[str],
    code: str,
    by_path: dict[str, Artifact],
    archive: SiteFile | None,
) -> SiteFile:
    project = sources.project
    language = project.language(code)
    reports = []
    for edition in _editions_in(editions, code, by_path):
        slug = edition.document.slug
        versions = []
        for other in languages:
            html, pdf = by_path.get(f"{other}/{slug}.html"), by_path.get(f"{other}/{slug}.pdf")
            if not (html and pdf):
                continue
            versions.append(
                {
                    **_alternate(sources, other, f"../{other}/{slug}.html"),
                    "pdf": f"../{other}/{slug}.pdf",
                    "pdf_size": file_size(pdf.bytes, language.locale),
                    "pages": pdf.pages or 0,
                    "draft": pdf.draft,
                }
            )
        reports.append(
            {
                "doc": edition.document,
                "html": f"{slug}.html",
                "pdf": f"{slug}.pdf",
                "draft": edition.draft,
                "percent": edition.coverage.percent,
                "versions": versions,
            }
        )
    links = {
        "assets": "../assets/",
        "home": "index.html",
        "root": "../index.html#languages",
        "feed": FEED_NAME,
        "alternates": [_alternate(sources, c, f"../{c}/index.html") for c in languages],
        "x_default": "../index.html",
    }
    series = next((e.document for e in editions if e.language == code and e.document.meta.get("roundtables")), None)
    download = None
    if archive:
        download = {
            "href": Path(archive.path).name,
            "size": file_size(len(archive.data), language.locale),
            "count": len(reports),
        }
    context = RenderContext(project, language, sources.translations(code, TEMPLATES_DOMAIN), "web", links=links)
    html = render_template("index.html", context, reports=reports, series=series, doc=series, download=download)
    return SiteFile(f"{code}/index.html", html.encode("utf-8"), "html", code, "index")


def _chooser(sources: Sources, languages: list[str]) -> SiteFile:
    project = sources.project
    source = project.language(project.source_language)
    choices = [_alternate(sources, c, f"{c}/index.html") for c in languages]
    links = {
        "assets": "assets/",
        "alternates": choices,
        "x_default": "index.html",
        "home": "index.html",
        "root": "index.html",
    }
    context = RenderContext(project, source, sources.translations(source.code, TEMPLATES_DOMAIN), "web", links=links)
    html = render_template("chooser.html", context, choices=choices)
    return SiteFile("index.html", html.encode("utf-8"), "html", "", "index")


# -- archives, feeds, sitemap -------------------------------------------------------------------


def project_slug(sources: Sources) -> str:
    """The project's name as a file name ("hld-2013-reports")."""
    return re.sub(r"[^a-z0-9]+", "-", sources.project.name.lower()).strip("-") or "reports"


def release_date(document: Document) -> datetime.date | None:
    """The date a document was issued, from its own front matter (never the clock)."""
    for name in ("published", "adopted"):
        value = document.meta.get(name)
        if isinstance(value, datetime.date):
            return value if not isinstance(value, datetime.datetime) else value.date()
    days = [d for d in document.meta.get("roundtables", ()) if isinstance(d, datetime.date)]
    return max(days) if days else None


def _site_date(sources: Sources) -> datetime.date:
    dates = [d for d in (release_date(doc) for doc in sources.documents) if d]
    return max(dates) if dates else ZIP_EPOCH


def _language_zip(
    sources: Sources, editions: list[Edition], code: str, by_path: dict[str, Artifact]
) -> SiteFile | None:
    """Every report of one language as PDFs in one zip, byte-for-byte reproducible."""
    project = sources.project
    chosen = _editions_in(editions, code, by_path)
    if not chosen:
        return None
    folder = f"{project_slug(sources)}-{code}"
    stamp = max(_site_date(sources), ZIP_EPOCH).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for edition in chosen:  # source order, so the listing is the same every time
            slug = edition.document.slug
            info = zipfile.ZipInfo(f"{folder}/{slug}.pdf", date_time=stamp)
            info.create_system = 3  # Unix, whatever machine builds it
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (project.site_dir / code / f"{slug}.pdf").read_bytes(), compresslevel=9)
    return SiteFile(f"{code}/{folder}.zip", buffer.getvalue(), "zip", code, "")


def _absolute(sources: Sources, path: str) -> str:
    base = sources.project.site_url
    return urljoin(base if base.endswith("/") else base + "/", path)


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _feed(sources: Sources, editions: list[Edition], code: str, by_path: dict[str, Artifact]) -> SiteFile:
    """An Atom feed of the reports in one language; dates come from the documents."""
    project = sources.project
    language = project.language(code)
    ET.register_namespace("", ATOM)
    base = project.site_url or ""

    def url(path: str) -> str:
        return _absolute(sources, path) if base else f"../{path}"

    def stamp(day: datetime.date) -> str:
        return f"{day.isoformat()}T00:00:00Z"

    chosen = _editions_in(editions, code, by_path)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": code})
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"{project.name} ({language.native_name})"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = url(f"{code}/{FEED_NAME}")
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = stamp(
        max([release_date(e.document) or ZIP_EPOCH for e in chosen], default=_site_date(sources))
    )
    ET.SubElement(
        feed, f"{{{ATOM}}}link", {"rel": "self", "type": "application/atom+xml", "href": url(f"{code}/{FEED_NAME}")}
    )
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": url(f"{code}/index.html")})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = project.name
    for edition in sorted(chosen, key=lambda e: (release_date(e.document) or ZIP_EPOCH, e.document.slug), reverse=True):
        slug = edition.document.slug
        pdf = by_path[f"{code}/{slug}.pdf"]
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        title = edition.document.fields.get("title") or edition.document.meta.get("title", slug)
        symbol = edition.document.meta.get("symbol")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = f"{symbol}: {title}" if symbol else title
        ET.SubElement(entry, f"{{{ATOM}}}id").text = url(f"{code}/{slug}.html")
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = stamp(release_date(edition.document) or _site_date(sources))
        ET.SubElement(
            entry,
            f"{{{ATOM}}}link",
            {"rel": "alternate", "type": "text/html", "hreflang": code, "href": url(f"{code}/{slug}.html")},
        )
        ET.SubElement(
            entry,
            f"{{{ATOM}}}link",
            {
                "rel": "enclosure",
                "type": "application/pdf",
                "hreflang": code,
                "length": str(pdf.bytes),
                "href": url(f"{code}/{slug}.pdf"),
            },
        )
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = f"{title} ({code}, PDF {pdf.pages} p., sha256 {pdf.sha256})"
    return SiteFile(f"{code}/{FEED_NAME}", _xml(feed), "atom", code, "")


def _sitemap(sources: Sources, languages: list[str], by_path: dict[str, Artifact]) -> SiteFile:
    """sitemap.xml: every page with its translations as hreflang alternates (absolute URLs)."""
    ET.register_namespace("", SITEMAP)
    ET.register_namespace("xhtml", XHTML)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    default = _default_language(sources, languages)
    groups = [("index", [f"{c}/index.html" for c in languages], "index.html")]
    for document in sources.documents:
        paths = [f"{c}/{document.slug}.html" for c in languages if f"{c}/{document.slug}.html" in by_path]
        if paths:
            groups.append((document.slug, paths, f"{default}/{document.slug}.html"))
    for _name, paths, x_default in groups:
        for path in paths:
            url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
            ET.SubElement(url, f"{{{SITEMAP}}}loc").text = _absolute(sources, path)
            for other in paths:
                ET.SubElement(
                    url,
                    f"{{{XHTML}}}link",
                    {"rel": "alternate", "hreflang": other.split("/")[0], "href": _absolute(sources, other)},
                )
            ET.SubElement(
                url,
                f"{{{XHTML}}}link",
                {"rel": "alternate", "hreflang": "x-default", "href": _absolute(sources, x_default)},
            )
    return SiteFile("sitemap.xml", _xml(urlset), "sitemap")


# -- manifest and checksums --------------------------------------------------------------------------


def source_revision(root: Path) -> str:
    """The git commit the sources come from ("…-dirty" if they differ from it), or "unknown"."""
    if shutil.which("git") is None:
        return "unknown"
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
        changed = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "status",
                "--porcelain",
                "--",
                "content",
                "templates",
                "translations",
                "polypress.toml",
            ],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (subprocess.SubprocessError, OSError):
        return "unknown"
    if not head:
        return "unknown"
    return f"{head}-dirty" if changed else head


def _earlier_revisions(site_dir: Path) -> dict[tuple[str, str], str]:
    """(path, sha256) → revision from the last manifest, for files this build did not touch."""
    try:
        data = json.loads((site_dir / "manifest.json").read_text(encoding="utf-8"))
        return {(a["path"], a["sha256"]): a["source_revision"] for a in data["artifacts"] if "source_revision" in a}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def write_manifest(sources: Sources, artifacts: list[Artifact], languages: list[str] | None = None) -> None:
    """manifest.json and SHA256SUMS, the distributor's proof of what was published.

    Each artefact names the source revision it was built from: a file kept
    from an earlier build keeps the revision the earlier manifest gave it.
    """
    project = sources.project
    revision = source_revision(project.root)
    earlier = _earlier_revisions(project.site_dir)
    ordered = sorted(artifacts, key=lambda a: a.path)
    entries = []
    for artifact in ordered:
        entry = artifact.as_dict()
        rebuilt = languages is None or not artifact.language or artifact.language in languages
        entry["source_revision"] = revision if rebuilt else earlier.get((artifact.path, artifact.sha256), "unknown")
        entries.append(entry)
    manifest = {
        "project": project.name,
        "source_revision": revision,
        "languages": [c for c in project.languages if any(a.language == c for a in ordered)],
        "artifacts": entries,
    }
    data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    write_if_changed(project.site_dir / "manifest.json", data)
    sums = [(a.sha256, a.path) for a in ordered] + [(hashlib.sha256(data).hexdigest(), "manifest.json")]
    write_if_changed(
        project.site_dir / "SHA256SUMS", "".join(f"{s}  {p}\n" for s, p in sorted(sums, key=lambda x: x[1])).encode()
    )
