"""Render jobs on a Dask distributed cluster (``build --executor dask --scheduler tcp://HOST:8786``).

The same seam as the local pool (pipeline/pool.py): jobs go out as they become
ready, results come back as they finish, and only the build's parent writes
(writer.py), so the journal, the lock and the manifest work as they do locally.

What a worker needs comes with the work: the project (settings, documents,
catalogues, and the templates' files: a worker needs no checkout of the project)
is sent to every worker once per build; each job carries its edition and links.
The fonts are the worker's own installed files (the same ``make setup`` or a
worker image): each worker checks them against the client's digests before its
first render, so a worker with other fonts fails the build instead of making
different bytes. A job lost with its worker is run again elsewhere by the
scheduler; an unexpected exception is retried once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import TracebackType

from polypress.errors import ConfigError, FontError, TemplateError, UsageError
from polypress.files import file_digest, read_bytes
from polypress.pipeline.plan import Job
from polypress.pipeline.pool import RenderResult, fewer_collections, render_job
from polypress.pipeline.progress import Progress
from polypress.sources import Sources

#: Dask's transports a remote scheduler is reached by (``inproc`` is one process's own).
_SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")


def scheduler_address(text: str) -> str:
    """*text* as a Dask scheduler address (``tcp://HOST:PORT``), checked before anything is loaded or dialled:
    Dask itself would only fail later, from its client's finaliser, with a traceback."""
    scheme, sep, rest = text.partition("://")
    host, colon, port = rest.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host  # [::1]:8786
    problem = ""
    if not sep or scheme not in _SCHEMES:
        problem = f"{text!r} does not start with a Dask transport ({', '.join(s + '://' for s in _SCHEMES)})"
    elif not colon or not host or any(c in host for c in "/[]@ "):
        problem = f"{text!r} has no host and port after {scheme}://"
    elif not port.isascii() or not port.isdigit() or not 0 < int(port) < 65536:
        problem = f"{text!r} has no port number from 1 to 65535 after the host"
    if problem:
        raise UsageError(
            problem, "--scheduler", hint="give the scheduler's address as `dask scheduler` prints it: tcp://HOST:8786"
        )
    return text


def import_distributed() -> tuple:
    """Dask distributed's Client and as_completed, or a located error if it is missing or broken."""
    try:
        from distributed import Client, as_completed
    except Exception as exc:  # a missing package, or a broken install failing in its own imports
        missing = isinstance(exc, ModuleNotFoundError) and exc.name in ("distributed", "dask")
        reason = "is not installed" if missing else f"cannot be imported ({type(exc).__name__}: {exc})"
        raise UsageError(
            f"Dask distributed {reason}",
            "--executor dask",
            hint="install the extra (`make setup`, or pip install -c constraints.txt -e '.[dask]'), "
            "or build locally without --executor",
        ) from None
    return Client, as_completed


def check_executor(scheduler: str) -> None:
    """What ``--executor dask --scheduler ADDRESS`` needs here, checked before the project is loaded."""
    scheduler_address(scheduler)
    import_distributed()


@dataclass(frozen=True, eq=False)
class ProjectBundle:
    """Everything a worker renders from: the loaded sources, the templates' files, the fonts' digests."""

    sources: Sources
    #: Path under templates/ -> bytes.
    templates: dict[str, bytes]
    #: Configured font file -> sha256 of its bytes on the client.
    fonts: dict[str, str]
    digest: str


def bundle_project(sources: Sources) -> ProjectBundle:
    settings = sources.settings
    templates = {
        path.relative_to(settings.templates_dir).as_posix(): read_bytes(path, settings.root, TemplateError)
        for path in sorted(settings.templates_dir.rglob("*"))
        if path.is_file()
    }
    digest = hashlib.sha256()
    for name, data in templates.items():
        digest.update(f"{name}\0{hashlib.sha256(data).hexdigest()}\n".encode())
    files = sorted({str(path) for face in settings.fonts.values() for path in face.files.values()})
    # The catalogues travel as the bytes this build read (parsed on the worker when a job needs one).
    carried = dataclasses.replace(sources, catalogues=sources.catalogues.carried())
    return ProjectBundle(carried, templates, {path: _file_digest(path) for path in files}, digest.hexdigest())


@cache
def _file_digest(path: str) -> str:
    return file_digest(Path(path))  # a configured font that is a FIFO is "missing", never read


#: The sources of the last few bundles this worker rendered from (one per build), by bundle.
_PREPARED: dict[ProjectBundle, Sources] = {}


def _worker_sources(bundle: ProjectBundle) -> Sources:
    if bundle not in _PREPARED:
        while len(_PREPARED) >= 4:
            del _PREPARED[next(iter(_PREPARED))]
        _PREPARED[bundle] = _prepare(bundle)
    return _PREPARED[bundle]


def _prepare(bundle: ProjectBundle) -> Sources:
    """The bundle's sources as this worker renders them: its fonts checked, the templates laid out on disk
    (the renderer reads stylesheets and images from files) in a folder named by their digest."""
    for path, expected in bundle.fonts.items():
        if _file_digest(path) != expected:
            raise FontError(
                "this Dask worker's copy of the font differs from the build machine's (or is missing)",
                path,
                hint="install the same fonts on every worker (`make setup`, or the same worker image)",
            )
    root = Path(tempfile.gettempdir()) / "polypress-worker" / bundle.digest[:16]
    templates = root / "templates"
    if not (root / ".complete").exists():
        for name, data in bundle.templates.items():
            target = templates / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (root / ".complete").write_text(bundle.digest)
    settings = bundle.sources.settings
    if settings.templates_dir.is_dir() and _same_templates(settings.templates_dir, bundle):
        return bundle.sources  # the worker shares the project's folder (the tests; a shared file system)
    # Print HTML names faces and stylesheets relative to templates/, so the bytes do not depend on the root.
    return dataclasses.replace(bundle.sources, settings=dataclasses.replace(settings, root=root))


def _same_templates(folder: Path, bundle: ProjectBundle) -> bool:
    return all(
        file_digest(folder / name) == hashlib.sha256(data).hexdigest() for name, data in bundle.templates.items()
    )


def render_remote(bundle: ProjectBundle, job: Job, links: dict) -> RenderResult:
    """Run on a worker: one job, its result (bytes and what it read) sent back to the build."""
    try:
        sources = _worker_sources(bundle)
    except FontError as exc:
        return RenderResult(job.name, error=exc)
    with fewer_collections():
        return render_job(sources, job, links)


class DaskPool:
    """The local pool's interface (submit, results) over a Dask distributed scheduler."""

    def __init__(self, scheduler: str, sources: Sources, progress: Progress) -> None:
        self.scheduler = scheduler
        self.sources = sources
        self.progress = progress
        self._client = None
        self._bundle = None
        self._running = None

    def __enter__(self) -> DaskPool:
        Client, as_completed = import_distributed()
        scheduler_address(self.scheduler)
        try:
            # How long to wait for the scheduler is Dask's setting (distributed.comm.timeouts.connect, 30 s).
            self._client = Client(self.scheduler, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ConfigError(
                f"cannot reach the Dask scheduler at {self.scheduler}: {exc}",
                hint="start one (`dask scheduler`) and its workers (`dask worker tcp://HOST:8786`), or build locally",
            ) from None
        self._bundle = self._client.scatter(bundle_project(self.sources), broadcast=True, hash=False)
        self._running = as_completed([], loop=self._client.loop, with_results=False)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        if self._client is not None:
            if kind is not None and self._running is not None:
                self._client.cancel(list(self._running.futures))
            self._client.close()
            self._client = None

    def submit(self, job: Job, links: dict) -> None:
        assert self._client is not None and self._running is not None
        self.progress.started(job.name)
        future = self._client.submit(render_remote, self._bundle, job, links, pure=False, retries=1)
        self._running.add(future)

    def results(self) -> Iterator[RenderResult]:
        """Each result as it finishes, jobs submitted meanwhile included."""
        while self._running is not None and not self._running.is_empty():
            future = next(self._running)
            yield future.result()  # a worker's bug is raised here, as the local pool does
