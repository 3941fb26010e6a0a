"""What a build remembers between runs (build/.state.json, build/releases.json) and the fingerprints it compares."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import sys
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import BinaryIO

from polypress.editions import Artifact
from polypress.errors import BuildWarning, OutputError
from polypress.files import digest_when_read, file_digest, read_bytes
from polypress.formats import FORMATS
from polypress.formats.base import Deps
from polypress.i18n.placement import EditionUnits, Placement, read_placements
from polypress.i18n.po import TEMPLATES_DOMAIN, po_path
from polypress.pipeline.plan import Job
from polypress.releases import readable_snapshot
from polypress.settings import CONFIG_NAME
from polypress.sources import Sources
from polypress.version import __version__

PACKAGE_DIR = Path(__file__).resolve().parent.parent
STATE_FILE = ".state.json"
#: Where the build remembers, per edition, the units of its last release (build/, never published).
RELEASES_FILE = "releases.json"
#: What the last site assembly was made of (its key) and what it gave (build/, never published).
SITE_STATE_FILE = ".site.json"
#: Where the build keeps, per output, where its units land (build/.units/<job>.json), beside the state.
UNITS_DIR = ".units"
#: Bump when the meaning of a state entry changes, so old entries are simply stale.
STATE_VERSION = 4


class Fingerprints:
    """Digests of the build's inputs, each file read once per build however many jobs use it."""

    def __init__(self, sources: Sources) -> None:
        self.sources = sources
        self.settings = sources.settings
        self._files: dict[Path, str] = {}
        # Templates are read by the renders, later: their digests are taken now, before any render
        # starts, so a template saved during the build makes the next build render again.
        templates = self.settings.templates_dir
        for path in sorted(templates.rglob("*")) if templates.is_dir() else ():
            self._files[path] = file_digest(path)

    def file(self, path: Path) -> str:
        """The digest of *path* as the build read it (sources when they were loaded; catalogues: ``catalogue``)."""
        if path not in self._files:
            recorded = digest_when_read(path)
            if recorded is not None:
                self._files[path] = recorded
                return recorded
            self._files[path] = file_digest(path)
        return self._files[path]

    def catalogue(self, language: str, domain: str) -> str:
        """A catalogue's digest as this build first read it, or as the file is now when the build has not read
        it (an edition whose plan was read back, pipeline/plans.py); never as an earlier build in the same
        process read it (``file`` would give that: a long-lived process builds many times)."""
        path = po_path(self.settings.translations_dir, language, domain)
        if path not in self._files:
            self._files[path] = self.sources.catalogues.digests.get((language, domain)) or file_digest(path)
        return self._files[path]

    @property
    def used(self) -> dict[Path, str]:
        """Each file's digest as this build used it."""
        return dict(self._files)

    @cached_property
    def common(self) -> str:
        """What every job reads: the package, the settings, the fonts, the list of template files."""
        settings = self.settings
        digest = hashlib.sha256(f"{__version__}|{STATE_VERSION}".encode())
        for path in sorted(PACKAGE_DIR.rglob("*.py")):
            digest.update(f"{path.relative_to(PACKAGE_DIR).as_posix()}|{self.file(path)}".encode())
        digest.update(self.file(settings.root / CONFIG_NAME).encode())
        # Command-line overrides of the settings (--pdf-variant, --print-marks) change every PDF.
        digest.update(f"|{settings.page_size}|{settings.pdf_variant}|{settings.print_marks}".encode())
        # A template that appears or disappears can change which one is included (sections/<role>.html).
        templates = settings.templates_dir
        listing = sorted(p.relative_to(templates).as_posix() for p in templates.rglob("*"))
        digest.update("\n".join(listing).encode())
        # The configured font files, stat only: faces taken out of collections derive from them, and
        # reading them (57 MB for CJK) on a build with nothing to do would cost more than the whole check.
        configured = {path for face in settings.fonts.values() for path in face.files.values()}
        for path in sorted(configured):
            try:
                stat = path.stat()
                digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}".encode())
            except OSError:
                digest.update(f"{path}|missing".encode())
        return digest.hexdigest()

    def key(self, job: Job, deps: Deps, extra: str = "") -> str:
        """Hash of everything *job* read: a job whose key is unchanged is not rendered again.

        *extra* is what the output shows of the rest of the build (a web page: its links).
        """
        settings = self.settings
        edition = job.edition
        slug = edition.slug
        digest = hashlib.sha256(f"{self.common}|{job.name}|{edition.policy}|{extra}".encode())
        digest.update(self.file(settings.content_dir / f"{slug}.md").encode())
        if edition.language != settings.source_language:
            # Only this document's catalogue: a change to another document's leaves this job alone.
            digest.update(self.catalogue(edition.language, slug).encode())
        for name in sorted(deps.templates):
            digest.update(f"\0{name}|{self.file(settings.templates_dir / name)}".encode())
        # Only the template strings this output showed, as the catalogue gives them now.
        strings = self.sources.translations(edition.language, TEMPLATES_DOMAIN)
        for message in sorted(deps.strings):
            found = strings.lookup(message)
            digest.update(f"\0{message}\0{found.string}\0{found.status}".encode())
        return digest.hexdigest()

    def site_key(self, languages: list[str], artifacts: list[Artifact], revision: str, extra: bytes) -> str:
        """Hash of everything the site's own files are made of: the package and settings, every template,
        every document and its catalogues in *languages*, the document files (by their digests), the
        revision, and *extra* (the release snapshots, the kept editions)."""
        settings = self.settings
        digest = hashlib.sha256(f"{self.common}|{revision}|{','.join(languages)}".encode())
        for path in sorted(p for p in settings.templates_dir.rglob("*") if p.is_file()):
            digest.update(f"\0{path.relative_to(settings.templates_dir).as_posix()}|{self.file(path)}".encode())
        for path in sorted(settings.content_dir.glob("*.md")):
            digest.update(f"\0{path.name}|{self.file(path)}".encode())
        for language in languages:
            if language == settings.source_language:
                continue
            for domain in self.sources.domains():
                digest.update(f"\0{language}/{domain}|{self.catalogue(language, domain)}".encode())
        listed = sorted((a.as_dict() for a in artifacts), key=lambda a: a["path"])
        digest.update(json.dumps(listed, sort_keys=True).encode())
        digest.update(extra)
        return digest.hexdigest()


def load_site_state(build_dir: Path) -> dict:
    """The key and files of the last site assembly ({} when unknown: the site is assembled)."""
    try:
        data = json.loads(
            read_bytes(build_dir / SITE_STATE_FILE, build_dir, OutputError, limit=MAX_STATE_BYTES).decode()
        )
    except (OutputError, ValueError):
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("files"), dict) else {}


def still_there(site_dir: Path, files: dict) -> bool:
    """Every site file the last assembly wrote (.site.json's "files") is on disk with its size (stat only)."""
    for path, size in files.items():
        try:
            if (site_dir / path).stat().st_size != size:
                return False
        except (OSError, TypeError, ValueError):
            return False
    return True


#: The largest state file read. They grow with the archive (build/.state.json kept where every unit of every
#: PDF lands, 69 MB for 200 documents in six languages, before build/.units/); at the 32 MB a project file
#: may have, an archive past ~90 documents lost its state at every build (found by `make bench-scale`).
MAX_STATE_BYTES = 1024 * 1024 * 1024


@dataclasses.dataclass(frozen=True)
class Recorded:
    """A file the build keeps for itself, as written: its size and digest."""

    bytes: int
    sha256: str


def units_path(build_dir: Path, name: str) -> Path:
    """The file of a job's placements (a job's name is a document slug, a language code and a format)."""
    return build_dir / UNITS_DIR / f"{name}.json"


class BuildState:
    """Remembers, per job, the input key, what the render read, and the file the last success published."""

    def __init__(self, build_dir: Path, jobs: dict[str, dict] | None = None) -> None:
        #: Where the state and the placements files are (build/): always the project's, never the working folder.
        self.build_dir = build_dir
        self.jobs: dict[str, dict] = jobs or {}

    @classmethod
    def load(cls, build_dir: Path, warnings: list[BuildWarning] | None = None) -> BuildState:
        """The state an earlier build left; what cannot be read is forgotten (the outputs render again).

        A file that is there but malformed is reported in *warnings*: the build then proceeds as from
        scratch for what it forgot, and replaces the file when it succeeds.
        """
        data = _read_json(build_dir, STATE_FILE, warnings)
        if data is None:
            return cls(build_dir)
        if not isinstance(data, dict):
            _corrupt(build_dir, STATE_FILE, "not a JSON object", warnings)
            return cls(build_dir)
        for entry in data.values():
            if isinstance(entry, dict) and isinstance(entry.get("units"), list):
                # Placements as versions before 4 kept them, in the entry: the output renders again (its key
                # has changed), and its placements are then kept as this version keeps them.
                del entry["units"]
            deps = entry.get("deps") if isinstance(entry, dict) else None
            for name in ("templates", "strings") if isinstance(deps, dict) else ():
                # Every output names much the same template strings: one copy each, as Deps.as_dict keeps them.
                if isinstance(deps.get(name), list):
                    deps[name] = [sys.intern(s) if isinstance(s, str) else s for s in deps[name]]
        jobs = {name: entry for name, entry in data.items() if _valid_entry(entry)}
        if len(jobs) < len(data):
            _corrupt(build_dir, STATE_FILE, f"{len(data) - len(jobs)} malformed entries", warnings)
        return cls(build_dir, jobs)

    def entry(self, name: str) -> dict | None:
        return self.jobs.get(name)

    def fresh(self, job: Job, prints: Fingerprints, site_dir: Path, extra: str = "") -> dict | None:
        """The recorded output if it is still on disk (with its units' placements) and nothing it read has
        changed since."""
        entry = self.jobs.get(job.name)
        if not entry:
            return None
        if entry["key"] != prints.key(job, Deps.from_dict(entry["deps"]), extra):
            return None
        try:
            if (site_dir / job.path).stat().st_size != entry["bytes"]:
                return None
            if "units" in entry and units_path(self.build_dir, job.name).stat().st_size != entry["units"]["bytes"]:
                return None
        except OSError:
            return None
        return entry

    def record(
        self,
        job: Job,
        key: str,
        deps: Deps,
        artifact: Artifact,
        warnings: tuple[BuildWarning, ...],
        units: Recorded | None = None,
    ) -> None:
        """What the render of *job* gave; *units*: the file its placements were written to, if it has any."""
        self.jobs[job.name] = {
            "key": key,
            "deps": deps.as_dict(),
            # Kept so a reused output repeats its warnings: --strict must not pass on a no-op rebuild.
            "warnings": [dataclasses.asdict(w) for w in warnings],
            **artifact.as_dict(),
        }
        if units is not None:
            # Kept (in a file of its own: the state would grow 0.3 MB a document) so build/units.json still
            # lists a reused PDF's units, and another language's.
            self.jobs[job.name]["units"] = {"bytes": units.bytes, "sha256": units.sha256}

    def files_on_site(self, site_dir: Path, wanted: Callable[[object, object], bool]) -> list[Artifact]:
        """The files of the outputs *wanted* (by language and document) still on the site exactly as recorded."""
        found = []
        for _name, entry in sorted(self.jobs.items()):
            if not wanted(entry.get("language"), entry.get("document")) or entry.get("format") not in FORMATS:
                continue
            try:  # the state names the file: inside build/site, a regular file, or not ours
                data = read_bytes(site_dir / entry["path"], site_dir, OutputError)
            except (OutputError, TypeError):
                continue
            if hashlib.sha256(data).hexdigest() == entry.get("sha256"):  # changed by hand since: not ours to vouch for
                found.append(Artifact.from_dict(entry))
        return found

    def units(self, name: str) -> tuple[Placement, ...]:
        """Where the units of the job's output landed, as its last render found; () when the file is not the
        one recorded (the map then shows no page for them: a help, never a reason to fail)."""
        recorded = self.jobs.get(name, {}).get("units")
        if not recorded:
            return ()
        try:
            path = units_path(self.build_dir, name)
            data = read_bytes(path, self.build_dir, OutputError, limit=MAX_STATE_BYTES)
            if hashlib.sha256(data).hexdigest() != recorded["sha256"]:
                return ()
            return read_placements(data)
        except (OutputError, ValueError, TypeError, KeyError, AttributeError):
            return ()

    def placements(self, artifacts: list[Artifact], sources: Sources) -> Placements:
        """The PDFs among *artifacts* whose placements were recorded, one per edition."""
        found = {}
        for artifact in sorted(artifacts, key=lambda a: (a.document, a.language, a.format)):
            name = f"{artifact.document}.{artifact.language}.{artifact.format}"
            if (artifact.document, artifact.language) not in found and "units" in self.jobs.get(name, {}):
                found[(artifact.document, artifact.language)] = (name, artifact.path)
        return Placements(self, sources, found)

    def warnings(self, name: str) -> list[BuildWarning]:
        """The warnings the last render of the job gave."""
        return [BuildWarning(**w) for w in self.jobs.get(name, {}).get("warnings", [])]

    def dump(self, handle: BinaryIO) -> None:
        """The state as JSON into *handle* a piece at a time: ``json.dumps`` with an indent first lists
        every piece and joins them, about 4.5 times the file (95 MB of the parent's peak at 60 documents)."""
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        json.dump(self.jobs, text, indent=1, sort_keys=True, ensure_ascii=False)
        text.flush()
        text.detach()  # the handle is the writer's to close


def _valid_entry(entry: object) -> bool:
    """An entry this version wrote: anything else is stale, as if it were not there."""
    if not isinstance(entry, dict):
        return False
    try:
        Artifact.from_dict(entry)
        Deps.from_dict(entry["deps"])
        [BuildWarning(**w) for w in entry.get("warnings", [])]
        units = entry.get("units", {"bytes": 0, "sha256": ""})
        if (
            not isinstance(units["bytes"], int)
            or isinstance(units["bytes"], bool)
            or not isinstance(units["sha256"], str)
        ):
            return False
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    return isinstance(entry.get("key"), str)


class Placements:
    """Recorded placements by (document, language), each edition's read from its file only when asked: the
    map (build/units.json) and the status page go through an archive's editions one at a time."""

    def __init__(self, state: BuildState, sources: Sources, outputs: dict[tuple[str, str], tuple[str, str]]) -> None:
        self.state = state
        self.sources = sources
        #: (job name, PDF path on the site) by (document, language), in that order.
        self.outputs = outputs

    def edition(self, document: str, language: str) -> EditionUnits | None:
        """One edition's placements; None when none were recorded or their file is not the one recorded."""
        if (document, language) not in self.outputs:
            return None
        name, pdf = self.outputs[(document, language)]
        units = self.state.units(name)
        if not units:
            return None
        source = language == self.sources.settings.source_language
        catalogue = "" if source else self.sources.catalog_display(language, document)
        return EditionUnits(document, language, pdf, catalogue, units)

    def editions(self) -> Iterator[EditionUnits]:
        """Every edition's placements in (document, language) order, read as they are asked for."""
        for document, language in self.outputs:
            found = self.edition(document, language)
            if found is not None:
                yield found


def load_releases(build_dir: Path, warnings: list[BuildWarning] | None = None) -> dict:
    """The units of each edition's last release, for the status page's "changed since" (releases.py);
    malformed ones forgotten."""
    data = _read_json(build_dir, RELEASES_FILE, warnings)
    if data is None:
        return {}
    if not isinstance(data, dict):
        _corrupt(build_dir, RELEASES_FILE, "not a JSON object", warnings)
        return {}
    releases = {key: found for key, value in data.items() if (found := readable_snapshot(value)) is not None}
    if len(releases) < len(data):
        _corrupt(build_dir, RELEASES_FILE, f"{len(data) - len(releases)} malformed entries", warnings)
    return releases


def _read_json(build_dir: Path, name: str, warnings: list[BuildWarning] | None) -> object | None:
    """A state file's JSON; None (with a warning if it was there but unreadable) when there is none to use."""
    path = build_dir / name
    if not path.exists() and not path.is_symlink():
        return None
    try:
        return json.loads(read_bytes(path, build_dir, OutputError, limit=MAX_STATE_BYTES).decode("utf-8"))
    except (OutputError, ValueError) as exc:
        reason = exc.message if isinstance(exc, OutputError) else "not valid JSON"
        _corrupt(build_dir, name, reason, warnings)
        return None


def _corrupt(build_dir: Path, name: str, reason: str, warnings: list[BuildWarning] | None) -> None:
    if warnings is not None:
        warnings.append(
            BuildWarning(
                "state",
                f"{reason}: set aside; what it recorded is rebuilt, and the file is replaced when this build succeeds",
                str(Path(build_dir.name) / name),
            )
        )


def write_releases(releases: dict, sink: BinaryIO) -> None:
    """build/releases.json, an edition at a time (json.dumps of each by the C encoder: the file as one
    string would be a second copy of every snapshot); the same bytes as json.dumps(releases, sort_keys=True,
    separators=(",", ":")), newline-terminated."""
    sink.write(b"{")
    for number, key in enumerate(sorted(releases)):
        entry = json.dumps(releases[key], sort_keys=True, separators=(",", ":"))
        sink.write(f"{',' if number else ''}{json.dumps(key)}:{entry}".encode())
    sink.write(b"}\n")
