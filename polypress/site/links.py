"""What the site is assembled from, and how its pages link: relative hrefs, file facts, dates from the documents."""

from __future__ import annotations

import datetime
import hashlib
import json
import posixpath
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote, urljoin

from babel.units import format_unit

from polypress.document import Document
from polypress.editions import Artifact, Edition, EditionSummary
from polypress.formats import FORMATS, PAGE
from polypress.i18n.placement import UnitPages
from polypress.i18n.po import TEMPLATES_DOMAIN
from polypress.render.templates import RenderContext, render_template
from polypress.sources import Sources

#: Where the per-language Atom feed lives, relative to the language folder.
FEED_NAME = "feed.xml"
#: Zip entries and feeds need a date; builds must be reproducible, so it never comes from the clock.
EPOCH = datetime.date(1980, 1, 1)


@dataclass(frozen=True)
class SiteInput:
    """Everything the site is made of: the build's results as plain data. The site reads no file itself."""

    sources: Sources
    #: Every edition of every language on the site (not only the languages this build rendered), without
    #: its text: the site shows titles, dates and each unit's status.
    editions: list[EditionSummary]
    #: Every document file on the site: rendered, reused, kept from a release or left by an earlier build.
    artifacts: list[Artifact]
    #: The sources' revision ("…-dirty" when they differ from it), for the manifest.
    revision: str = "unknown"
    #: The units of each edition's last release (the status page compares against them).
    releases: dict = field(default_factory=dict)
    #: Editions kept at their last release by the publishing policy ("slug/lang").
    kept: tuple[str, ...] = ()
    #: Where each unit lands in the PDFs (build/units.json); empty when nothing says.
    unit_pages: UnitPages = field(default_factory=UnitPages)
    #: The home document (settings' home_document) of each language, translated: its landing page shows it.
    homes: dict[str, Document] = field(default_factory=dict)

    @property
    def languages(self) -> list[str]:
        """Languages with files on the site, in configured order."""
        present = {a.language for a in self.artifacts}
        return [code for code in self.sources.settings.languages if code in present]

    def files(self, edition: EditionSummary) -> list[Artifact]:
        """An edition's files on the site, in the registry's order of formats."""
        by_path = self.by_path
        found = [by_path.get(fmt.path(edition.slug, edition.language)) for fmt in FORMATS.values()]
        return [a for a in found if a is not None]

    @cached_property
    def by_path(self) -> dict[str, Artifact]:
        return {a.path: a for a in self.artifacts}

    @cached_property
    def by_document(self) -> dict[str, list[EditionSummary]]:
        """Each document's editions, in the order of the editions: a landing page lists a report's languages
        without scanning the whole archive for each."""
        found: dict[str, list[EditionSummary]] = {}
        for edition in self.editions:
            found.setdefault(edition.slug, []).append(edition)
        return found

    def published(self, code: str) -> list[EditionSummary]:
        """A language's editions whose web page is on the site, in source order."""
        by_path = self.by_path
        return [e for e in self.editions if e.language == code and PAGE.path(e.slug, code) in by_path]


@dataclass(frozen=True)
class SiteFile:
    """A file the site writes besides the documents, listed in the manifest."""

    path: str
    data: bytes
    format: str
    language: str = ""
    document: str = ""

    def artifact(self, revision: str = "") -> Artifact:
        digest = hashlib.sha256(self.data).hexdigest()
        return Artifact(
            self.document, self.language, self.format, self.path, digest, len(self.data), None, False, revision
        )


def href(source: str, target: str) -> str:
    """The link from the page at *source* to *target*, both site paths (file paths): relative, so the
    site works under any prefix and from file://, and percent-encoded. Every link is made here."""
    start = posixpath.dirname(source) or "."
    relative = posixpath.relpath(target, start) + ("/" if target.endswith("/") else "")
    return quote(relative)


def absolute(sources: Sources, path: str) -> str:
    """A site path as an absolute URL under site_url (sitemap, feeds: standards that want one)."""
    base = sources.settings.site_url
    return urljoin(base if base.endswith("/") else base + "/", quote(path))


def file_size(size: int, locale: str) -> str:
    """A file size in the reader's language ("208 kB", "208 ko")."""
    if size >= 1_000_000:
        return format_unit(round(size / 1_000_000, 1), "digital-megabyte", "short", locale=locale)
    return format_unit(max(1, round(size / 1000)), "digital-kilobyte", "short", locale=locale)


def alternate(sources: Sources, code: str, link: str) -> dict:
    """A language version of a page as switchers and hreflang links show it."""
    language = sources.settings.language(code)
    return {"code": code, "name": language.native_name, "direction": language.direction, "href": link}


def default_language(sources: Sources, languages: list[str]) -> str:
    source = sources.settings.source_language
    return source if source in languages or not languages else languages[0]


def downloads(sources: Sources, page: str, artifacts: list[Artifact], reader_language: str) -> list[dict]:
    """An edition's downloadable files as a page at *page* links to them, sizes in the reader's language."""
    locale = sources.settings.language(reader_language).locale
    found = []
    for artifact in artifacts:
        fmt = FORMATS.get(artifact.format)
        if fmt is None or not fmt.downloadable:
            continue
        found.append(
            {
                "format": fmt.name,
                "label": fmt.label,
                "media_type": fmt.media_type,
                "href": href(page, artifact.path),
                "size": file_size(artifact.bytes, locale),
                "pages": artifact.pages,
            }
        )
    return found


def document_links(
    sources: Sources, edition: Edition | EditionSummary, languages: list[str], files: list[Artifact]
) -> dict:
    """The links of an edition's web page: the same document in each language on the site, its downloads."""
    slug, code = edition.slug, edition.language
    page = PAGE.path(slug, code)
    return {
        "assets": href(page, "assets/"),
        "home": href(page, f"{code}/index.html"),
        "root": href(page, "index.html") + "#languages",
        "feed": href(page, f"{code}/{FEED_NAME}"),
        "downloads": downloads(sources, page, files, code),
        "alternates": [alternate(sources, c, href(page, PAGE.path(slug, c))) for c in languages],
        "x_default": href(page, PAGE.path(slug, default_language(sources, languages))),
    }


def shown_links(links: dict | None) -> str:
    """A page's links as it shows them (sizes in kB, pages, languages), not its files' bytes: part of the
    page's key, so a print-only change that leaves the shown size alone does not render the page again."""
    return json.dumps(links, sort_keys=True, ensure_ascii=False)


def render_page(sources: Sources, code: str, template: str, links: dict, **variables: object) -> bytes:
    """A site page (landing page, chooser, status) in one language."""
    settings = sources.settings
    language = settings.language(code)
    context = RenderContext(settings, language, sources.translations(code, TEMPLATES_DOMAIN), "screen", links=links)
    return render_template(template, context, **variables).encode("utf-8")


def release_date(edition: EditionSummary) -> datetime.date | None:
    """The date a document carries (adoption, publication…), from its own front matter, never the clock."""
    return edition.front.kind.date(edition.front.meta)


def site_date(site: SiteInput) -> datetime.date:
    dates = [d for d in (release_date(e) for e in site.editions) if d]
    return max(dates) if dates else EPOCH
