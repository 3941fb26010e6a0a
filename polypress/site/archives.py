"""Each language's downloadable files in one zip, byte for byte reproducible."""

from __future__ import annotations

import io
import posixpath
import zipfile

from polypress.formats import FORMATS
from polypress.site.links import EPOCH, SiteFile, SiteInput, site_date


def language_zip(site: SiteInput, code: str) -> SiteFile | None:
    """Every downloadable file of one language's published editions, in source and format order."""
    chosen = [a for e in site.published(code) for a in site.files(e) if FORMATS[a.format].downloadable]
    if not chosen:
        return None
    folder = f"{site.sources.settings.slug}-{code}"
    # Entries need a date: the newest date the documents carry, never the clock.
    stamp = max(site_date(site), EPOCH).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for artifact in chosen:
            info = zipfile.ZipInfo(f"{folder}/{posixpath.basename(artifact.path)}", date_time=stamp)
            info.create_system = 3  # Unix, whatever machine builds it
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, site.read(artifact.path), compresslevel=9)
    return SiteFile(f"{code}/{folder}.zip", buffer.getvalue(), "zip", code, "")
