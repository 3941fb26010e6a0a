"""The whole build's stamp (build/.stamp.json): what the last successful build read and left, so that a build
with nothing to do is known from file metadata alone, before any source or catalogue is loaded.

This is make's and ninja's way, with git's guards against what stat cannot see:

- every input (polypress.toml, content/, templates/, translations/, polypress's own files) is recorded with
  its size, mtime, ctime and inode *and* the digest of the bytes the build used; a file whose metadata
  differs at all is read and compared by digest, so a `touch` costs a read, never a rebuild, and a
  change is never taken on trust. ctime cannot be set back (``cp -p``, ``rsync -t`` and ``tar`` restore
  mtime, not ctime), and a rename or a rewrite in place changes it;
- a file whose timestamps are within RACY_NS of the stamp is "racy" (a second write in the same
  timestamp tick would leave its metadata as it was): it is always compared by digest;
- a stamp is written only if every input still has the digest the build used: a file saved while the
  build ran leaves no stamp, and the next build is a full one;
- the outputs (every file of build/site and the build's state files), the configured fonts, the git
  revision the manifest names, and the options (languages, documents, PDF variant) must all be as
  recorded; anything else (a missing or unreadable stamp, a journal left by a killed build) means a
  full build, which decides job by job as before.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from polypress.editions import Artifact, BuildReport
from polypress.errors import BuildWarning
from polypress.files import file_digest
from polypress.i18n.placement import UNITS_FILE
from polypress.settings import CONFIG_NAME, Settings
from polypress.writer import JOURNAL_NAME

STAMP_FILE = ".stamp.json"
#: Bump when what a stamp records changes: an older stamp is then simply not used.
STAMP_VERSION = 1
#: A file modified this close to the stamp (or after it) is compared by content: timestamps are coarse.
RACY_NS = 2_000_000_000
PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: The build's own records beside build/site, rewritten by a build that changed anything.
STATE_FILES = (".state.json", ".site.json", "releases.json", UNITS_FILE)


def _metadata(path: Path) -> list[int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return [found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino]


def _files(folder: Path) -> list[Path]:
    """Every file under *folder*, bytecode caches left out (Python rewrites them at will)."""
    found = []
    for parent, folders, names in os.walk(folder):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        found += [Path(parent, name) for name in sorted(names)]
    return found


def input_files(settings: Settings) -> list[Path]:
    """What a build may read from the project and from polypress itself."""
    folders = (settings.content_dir, settings.templates_dir, settings.translations_dir, PACKAGE_DIR)
    return [settings.root / CONFIG_NAME, *(path for folder in folders for path in _files(folder))]


def _font_files(settings: Settings) -> list[Path]:
    return sorted({path for face in settings.fonts.values() for path in face.files.values()})


def _outputs(settings: Settings) -> dict[str, list[int] | None]:
    found = {str(path): _metadata(path) for path in _files(settings.site_dir)}
    found.update({str(settings.build_dir / name): _metadata(settings.build_dir / name) for name in STATE_FILES})
    return found


def options(settings: Settings, languages: list[str], documents: list[str] | None) -> dict:
    """What the command line changes about a build's outputs (-j and the executor change no byte)."""
    return {
        "languages": list(languages),
        "documents": sorted(documents) if documents else None,
        "pdf_variant": settings.pdf_variant,
        "print_marks": settings.print_marks,
        "page_size": settings.page_size,
    }


def stamp_bytes(
    settings: Settings, used: dict[Path, str], chosen: dict, revision: str, report: BuildReport
) -> bytes | None:
    """The stamp of a build that just succeeded, or None when an input changed while it ran.

    *used* is the digest of each input as the build read it (Fingerprints' record); an input the build
    did not need is digested now.
    """
    taken = time.time_ns()
    used_by_name = {str(path): digest for path, digest in used.items()}
    inputs = {}
    for path in input_files(settings):
        metadata = _metadata(path)  # before the read: a write after it shows as changed metadata
        digest = file_digest(path)
        if metadata is None or digest != used_by_name.get(str(path), digest):
            return None
        inputs[str(path)] = [*metadata, digest]
    record = {
        "version": STAMP_VERSION,
        "taken_ns": taken,
        "options": chosen,
        "revision": revision,
        "inputs": inputs,
        "fonts": {str(path): _metadata(path) for path in _font_files(settings)},
        "outputs": _outputs(settings),
        "report": {
            "artifacts": [a.as_dict() for a in report.artifacts],
            "jobs": [*report.rendered, *report.reused],
            "kept": report.kept,
            "warnings": [[w.category, w.message, w.path, w.line] for w in dict.fromkeys(report.warnings)],
        },
    }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()


def unchanged_build(settings: Settings, chosen: dict, revision: str | None = None) -> BuildReport | None:
    """The last build's report if nothing it read or wrote has changed since (all its outputs reused);
    None when anything may have: the caller then builds as usual. Reads no source unless its metadata changed.

    *revision* is the sources' git revision when the caller has it (else asked of git here, last).
    """
    build_dir = settings.build_dir
    if (build_dir / JOURNAL_NAME).exists():
        return None  # a killed build: its changes are rolled back by the full build
    try:
        record = json.loads((build_dir / STAMP_FILE).read_bytes())
        if record.get("version") != STAMP_VERSION or record.get("options") != chosen:
            return None
        inputs, taken = record["inputs"], record["taken_ns"]
        if not _inputs_unchanged(settings, inputs, taken):
            return None
        if record["fonts"] != {str(path): _metadata(path) for path in _font_files(settings)}:
            return None
        if record["outputs"] != _outputs(settings):
            return None
        if revision is None:
            from polypress.pipeline.revision import source_revision

            revision = source_revision(settings.root)
        if record["revision"] != revision:
            return None
        found = record["report"]
        return BuildReport(
            artifacts=[Artifact.from_dict(a) for a in found["artifacts"]],
            reused=list(found["jobs"]),
            kept=list(found["kept"]),
            warnings=[BuildWarning(*w) for w in found["warnings"]],
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no stamp, or not one this version can trust: a full build decides


def _inputs_unchanged(settings: Settings, inputs: dict, taken: int) -> bool:
    paths = input_files(settings)
    if len(paths) != len(inputs):
        return False  # a file added or removed
    for path in paths:
        recorded = inputs.get(str(path))
        if recorded is None:
            return False
        metadata = _metadata(path)
        racy = max(recorded[1], recorded[2]) >= taken - RACY_NS
        if metadata != recorded[:4] or racy:
            if file_digest(path) != recorded[4]:
                return False
    return True
