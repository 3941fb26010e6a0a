"""manifest.json and SHA256SUMS: the distributor's proof of what was published, and from which sources."""

from __future__ import annotations

import hashlib
import json

from polypress.editions import Artifact
from polypress.site.links import SiteFile, SiteInput


def manifest(site: SiteInput, artifacts: list[Artifact]) -> list[SiteFile]:
    """The manifest of every file (each with the revision it was built from) and the checksums file."""
    ordered = sorted(artifacts, key=lambda a: a.path)
    settings = site.sources.settings
    document = {
        "project": settings.name,
        "source_revision": site.revision,
        "languages": [c for c in settings.languages if any(a.language == c for a in ordered)],
        "artifacts": [{**a.as_dict(), "source_revision": a.source_revision or "unknown"} for a in ordered],
    }
    data = (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()
    sums = [(a.sha256, a.path) for a in ordered] + [(hashlib.sha256(data).hexdigest(), "manifest.json")]
    checksums = "".join(f"{digest}  {path}\n" for digest, path in sorted(sums, key=lambda x: x[1])).encode()
    return [SiteFile("manifest.json", data, "json"), SiteFile("SHA256SUMS", checksums, "checksums")]
