"""The site's own pages: each language's landing page, the language chooser, the stylesheets."""

from __future__ import annotations

from babel.lists import format_list

from polypress.editions import Artifact
from polypress.errors import TemplateError
from polypress.files import read_bytes
from polypress.formats import FORMATS, PAGE
from polypress.site.links import (
    FEED_NAME,
    SiteFile,
    SiteInput,
    alternate,
    downloads,
    file_size,
    href,
    render_page,
)

#: Static files copied from templates/css to build/site/assets.
ASSETS = ("site.css", "site-print.css")


def assets(site: SiteInput) -> list[SiteFile]:
    settings = site.sources.settings
    folder = settings.templates_dir / "css"
    return [
        SiteFile(f"assets/{name}", read_bytes(folder / name, settings.root, TemplateError), "css") for name in ASSETS
    ]


def landing_page(site: SiteInput, code: str, archive: Artifact | None) -> SiteFile:
    """A language's home: the home document's text, every report in every language with its files."""
    sources = site.sources
    settings = sources.settings
    page = f"{code}/index.html"
    languages = site.languages
    reports = []
    for edition in site.published(code):
        slug = edition.slug
        versions = []
        for other in site.by_document[slug]:
            if other.language not in languages:
                continue
            files = site.files(other)
            if not any(a.format == PAGE.name for a in files):
                continue
            versions.append(
                {
                    **alternate(sources, other.language, href(page, PAGE.path(slug, other.language))),
                    "downloads": downloads(sources, page, files, code),
                    "draft": other.draft,
                }
            )
        versions.sort(key=lambda v: languages.index(v["code"]))
        reports.append(
            {
                "doc": edition.front,
                "href": href(page, PAGE.path(slug, code)),
                "draft": edition.draft,
                "percent": edition.coverage.percent,
                "versions": versions,
            }
        )
    links = {
        "assets": href(page, "assets/"),
        "home": "index.html",
        "root": href(page, "index.html") + "#languages",
        "feed": FEED_NAME,
        "alternates": [alternate(sources, c, href(page, f"{c}/index.html")) for c in languages],
        "x_default": href(page, "index.html"),
    }
    home = site.homes.get(code)
    formats = [fmt for fmt in FORMATS.values() if fmt.downloadable]
    locale = settings.language(code).locale
    bundle = None
    if archive:
        bundle = {
            "href": href(page, archive.path),
            "size": file_size(archive.bytes, locale),
            "count": len(reports),
            "formats": format_list([fmt.label for fmt in formats], locale=locale),
        }
    html = render_page(
        sources, code, "index.html", links, reports=reports, series=home, doc=home, download=bundle, formats=formats
    )
    return SiteFile(page, html, "html", code, "index")


def chooser(site: SiteInput) -> SiteFile:
    """The site's root: every language by its own name; no script needed to choose."""
    sources = site.sources
    choices = [alternate(sources, c, f"{c}/index.html") for c in site.languages]
    links = {
        "assets": "assets/",
        "alternates": choices,
        "x_default": "index.html",
        "home": "index.html",
        "root": "index.html",
    }
    html = render_page(sources, sources.settings.source_language, "chooser.html", links, choices=choices)
    return SiteFile("index.html", html, "html", "", "index")
