"""Atom feeds per language and sitemap.xml: the standards that want absolute URLs and dates from the documents."""

from __future__ import annotations

import datetime
from xml.etree import ElementTree as ET

from polypress.formats import FORMATS, PAGE
from polypress.i18n.po import TEMPLATES_DOMAIN
from polypress.site.links import (
    EPOCH,
    FEED_NAME,
    SiteFile,
    SiteInput,
    absolute,
    default_language,
    href,
    release_date,
    site_date,
)

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _stamp(day: datetime.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def feed(site: SiteInput, code: str) -> SiteFile:
    """An Atom feed of the reports in one language: each entry links its page and encloses its files."""
    sources = site.sources
    settings = sources.settings
    language = settings.language(code)
    ET.register_namespace("", ATOM)

    def url(path: str) -> str:
        return absolute(sources, path) if settings.site_url else href(f"{code}/{FEED_NAME}", path)

    chosen = site.published(code)
    # The feed speaks its language: the site's name and the file facts come from the templates' catalogue.
    translations = sources.translations(code, TEMPLATES_DOMAIN)
    name = translations.gettext(settings.name)
    atom = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": code})
    ET.SubElement(atom, f"{{{ATOM}}}title").text = f"{name} ({language.native_name})"
    ET.SubElement(atom, f"{{{ATOM}}}id").text = url(f"{code}/{FEED_NAME}")
    newest = max([release_date(e) or EPOCH for e in chosen], default=site_date(site))
    ET.SubElement(atom, f"{{{ATOM}}}updated").text = _stamp(newest)
    ET.SubElement(
        atom, f"{{{ATOM}}}link", {"rel": "self", "type": "application/atom+xml", "href": url(f"{code}/{FEED_NAME}")}
    )
    ET.SubElement(atom, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": url(f"{code}/index.html")})
    author = ET.SubElement(atom, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = name
    for edition in sorted(chosen, key=lambda e: (release_date(e) or EPOCH, e.slug), reverse=True):
        document = edition.front
        page = PAGE.path(document.slug, code)
        entry = ET.SubElement(atom, f"{{{ATOM}}}entry")
        title = document.fields.get("title") or document.meta["title"]
        symbol = document.meta.get("symbol")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = f"{symbol}: {title}" if symbol else title
        ET.SubElement(entry, f"{{{ATOM}}}id").text = url(page)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(release_date(edition) or site_date(site))
        ET.SubElement(
            entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": PAGE.media_type, "hreflang": code, "href": url(page)}
        )
        facts = []
        for artifact in site.files(edition):
            fmt = FORMATS[artifact.format]
            if not fmt.downloadable:
                continue
            link = {"rel": "enclosure", "type": fmt.media_type, "hreflang": code, "length": str(artifact.bytes)}
            ET.SubElement(entry, f"{{{ATOM}}}link", {**link, "href": url(artifact.path)})
            pages = ""
            if artifact.pages:
                found = translations.ngettext("%(num)s page", "%(num)s pages", artifact.pages).string
                pages = ", " + found.replace("%(num)s", str(artifact.pages))
            facts.append(f"{fmt.label}{pages}, SHA-256 {artifact.sha256}")
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = f"{title} ({'; '.join(facts)})"
    return SiteFile(f"{code}/{FEED_NAME}", _xml(atom), "atom", code, "")


def sitemap(site: SiteInput) -> SiteFile:
    """sitemap.xml: every page with its translations as hreflang alternates (absolute URLs)."""
    sources = site.sources
    languages = site.languages
    by_path = site.by_path
    ET.register_namespace("", SITEMAP)
    ET.register_namespace("xhtml", XHTML)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    default = default_language(sources, languages)
    groups = [([f"{c}/index.html" for c in languages], "index.html")]
    for document in sources.documents:
        paths = [PAGE.path(document.slug, c) for c in languages if PAGE.path(document.slug, c) in by_path]
        if paths:
            groups.append((paths, PAGE.path(document.slug, default)))
    for paths, x_default in groups:
        for path in paths:
            url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
            ET.SubElement(url, f"{{{SITEMAP}}}loc").text = absolute(sources, path)
            for other in paths:
                ET.SubElement(
                    url,
                    f"{{{XHTML}}}link",
                    {"rel": "alternate", "hreflang": other.split("/")[0], "href": absolute(sources, other)},
                )
            ET.SubElement(
                url,
                f"{{{XHTML}}}link",
                {"rel": "alternate", "hreflang": "x-default", "href": absolute(sources, x_default)},
            )
    return SiteFile("sitemap.xml", _xml(urlset), "sitemap")
