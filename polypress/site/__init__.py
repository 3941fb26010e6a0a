"""The published site around the documents: pure functions from the build's results to files (path → bytes).

Nothing here writes a file or reads the build's state: ``assemble_site`` takes
a SiteInput (plain data, and a way to read a document file it must pack) and
gives back every file with the release snapshots brought up to date; the
pipeline's one writer writes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from polypress.editions import Artifact
from polypress.site.archives import language_zip
from polypress.site.feeds import feed, sitemap
from polypress.site.links import SiteFile, SiteInput
from polypress.site.manifest import manifest
from polypress.site.pages import assets, chooser, landing_page
from polypress.site.status import status_page


@dataclass(frozen=True)
class Site:
    """Every file the site adds to the documents, and every file on the site as the manifest lists it."""

    files: list[SiteFile]
    artifacts: list[Artifact]
    #: The release snapshots, brought up to date (the pipeline keeps them in build/).
    releases: dict


def assemble_site(site: SiteInput) -> Site:
    """Landing pages, chooser, zips, feeds, sitemap, stylesheets, status page, manifest and checksums."""
    languages = site.languages
    files: list[SiteFile] = [*assets(site)]
    zips = {code: language_zip(site, code) for code in languages}
    files.extend(archive for archive in zips.values() if archive)
    files.extend(feed(site, code) for code in languages)
    files.extend(landing_page(site, code, zips[code]) for code in languages)
    files.append(chooser(site))
    if site.sources.settings.site_url:
        files.append(sitemap(site))
    status, releases = status_page(site)
    files.append(status)
    every = sorted([*site.artifacts, *(f.artifact(site.revision) for f in files)], key=lambda a: a.path)
    files.extend(manifest(site, every))
    return Site(files, every, releases)


__all__ = ["Site", "SiteFile", "SiteInput", "assemble_site"]
