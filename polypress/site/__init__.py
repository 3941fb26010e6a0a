"""The published site around the documents: pure functions from the build's results to files (path → bytes).

Nothing here writes a file or reads the build's state: ``archives`` describes
each language's zip for the pipeline's one writer to stream to disk (a zip is
as big as the archive: it is never held), and ``assemble_site`` takes a
SiteInput (plain data) and the zips as written, and gives back every other file
with the release snapshots brought up to date; the one writer writes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from polypress.editions import Artifact
from polypress.site.archives import Archive, language_zip
from polypress.site.feeds import feed, sitemap
from polypress.site.links import SiteFile, SiteInput
from polypress.site.manifest import manifest
from polypress.site.pages import assets, chooser, landing_page
from polypress.site.status import status_page


@dataclass(frozen=True)
class Site:
    """Every file the site adds to the documents (but the zips, already written), and every file on the
    site as the manifest lists it."""

    files: list[SiteFile]
    artifacts: list[Artifact]
    #: The release snapshots, brought up to date (the pipeline keeps them in build/).
    releases: dict


def archives(site: SiteInput) -> list[Archive]:
    """The language zips to write, described: entries, the site files they hold, their date."""
    found = (language_zip(site, code) for code in site.languages)
    return [archive for archive in found if archive]


def assemble_site(site: SiteInput, zips: list[Artifact]) -> Site:
    """Landing pages, chooser, feeds, sitemap, stylesheets, status page, manifest and checksums, given the
    language zips as the writer wrote them (each landing page shows its zip's size)."""
    languages = site.languages
    files: list[SiteFile] = [*assets(site)]
    by_language = {archive.language: archive for archive in zips}
    files.extend(feed(site, code) for code in languages)
    files.extend(landing_page(site, code, by_language.get(code)) for code in languages)
    files.append(chooser(site))
    if site.sources.settings.site_url:
        files.append(sitemap(site))
    status, releases = status_page(site)
    files.append(status)
    every = sorted([*site.artifacts, *zips, *(f.artifact(site.revision) for f in files)], key=lambda a: a.path)
    files.extend(manifest(site, every))
    return Site(files, every, releases)


__all__ = ["Archive", "Site", "SiteFile", "SiteInput", "archives", "assemble_site"]
