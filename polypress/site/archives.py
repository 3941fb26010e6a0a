"""Each language's downloadable files in one zip, byte for byte reproducible, never held in memory.

The site only describes a zip (its entries, the site files they hold, their
date); the pipeline's one writer streams it to disk with ``write_zip``, one
member at a time, and hands the site back its size and digest for the landing
page and the manifest. A zip grows with the archive; the build's memory must not.
"""

from __future__ import annotations

import posixpath
import shutil
import zipfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import BinaryIO

from polypress.editions import Artifact
from polypress.formats import FORMATS
from polypress.site.links import EPOCH, SiteInput, site_date

#: How much of a member is held at once while it is copied into its zip.
CHUNK = 1 << 20


@dataclass(frozen=True)
class Archive:
    """A language zip as the site describes it: where it goes, and each entry's name and site file."""

    path: str
    language: str
    #: (entry name in the zip, site path of the file it holds), in source and format order.
    entries: tuple[tuple[str, str], ...]
    #: Every entry's date: the newest date the documents carry, never the clock.
    date_time: tuple[int, int, int, int, int, int]

    def artifact(self, sha256: str, size: int, revision: str = "") -> Artifact:
        """The zip as the manifest lists it, once the writer has told its size and digest."""
        return Artifact("", self.language, "zip", self.path, sha256, size, None, False, revision)


def language_zip(site: SiteInput, code: str) -> Archive | None:
    """Every downloadable file of one language's published editions, in source and format order."""
    chosen = [a for e in site.published(code) for a in site.files(e) if FORMATS[a.format].downloadable]
    if not chosen:
        return None
    folder = f"{site.sources.settings.slug}-{code}"
    entries = tuple((f"{folder}/{posixpath.basename(a.path)}", a.path) for a in chosen)
    stamp = max(site_date(site), EPOCH).timetuple()[:6]
    return Archive(f"{code}/{folder}.zip", code, entries, stamp)


def write_zip(archive: Archive, sink: BinaryIO, open_member: Callable[[str], AbstractContextManager[BinaryIO]]) -> None:
    """The zip's bytes into *sink* (seekable: each entry's header is patched once its member is copied),
    each member opened by its site path and copied a chunk at a time. Only this function lays out the
    bytes: the same entries, date and attributes give the same zip on any machine."""
    with zipfile.ZipFile(sink, "w") as out:
        for name, path in archive.entries:
            info = zipfile.ZipInfo(name, date_time=archive.date_time)
            info.create_system = 3  # Unix, whatever machine builds it
            info.external_attr = 0o100644 << 16
            # Stored, not deflated: PDFs and e-books are compressed already (deflate at level 9 saved 1-4 % of
            # the shipped zips and cost about 50 ms of the build's serial part per MB).
            info.compress_type = zipfile.ZIP_STORED
            with open_member(path) as member:
                # The size decides whether the entry needs ZIP64 fields, as writestr decides it.
                info.file_size = member.seek(0, 2)
                member.seek(0)
                with out.open(info, "w") as entry:
                    shutil.copyfileobj(member, entry, CHUNK)
