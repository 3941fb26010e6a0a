"""Render jobs one per core in forked worker processes (or here, with one job at a time), results as they finish."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import queue
import shutil
import signal
import tempfile
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType

from polypress.errors import PolypressError
from polypress.formats.base import Output, RenderRequest
from polypress.pipeline.lock import close_inherited_locks
from polypress.pipeline.plan import Job, translated
from polypress.pipeline.progress import Progress
from polypress.sources import Sources

#: The sources every forked worker renders from: set before the fork, so never pickled.
_WORKER_SOURCES: Sources | None = None


@dataclass
class RenderResult:
    """A worker's answer: the output, or the user error that stopped it (returned, not raised, so the
    parent re-raises it as it is, located, without a pool traceback).

    The job is named, not sent back: the parent has it, and pickling its translated edition again (to
    unpickle a copy in the parent) cost both sides time and the parent memory."""

    name: str
    output: Output | None = None
    error: PolypressError | None = None


def render_job(sources: Sources, job: Job, links: dict) -> RenderResult:
    try:
        edition = translated(sources, job.edition)
        return RenderResult(job.name, job.format.render(RenderRequest(sources, edition, links)))
    except PolypressError as exc:
        return RenderResult(job.name, error=exc)


#: Allocations between two collections of the youngest generation while rendering (Python's default: 700).
RENDER_GC_THRESHOLD = 10_000


@contextmanager
def fewer_collections() -> Iterator[None]:
    """For a whole build (its forked workers inherit it) or a Dask worker's job: WeasyPrint allocates millions
    of short-lived objects, and at Python's default a clean build of the shipped project ran 1,206 young and
    10 full collections, a tenth of its CPU or more. The older generations keep their ratios, so cyclic
    garbage is still collected as often per object made (peak memory +5 %)."""
    before = gc.get_threshold()
    gc.set_threshold(RENDER_GC_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _worker(task: tuple[Job, dict]) -> RenderResult:
    assert _WORKER_SOURCES is not None
    return render_job(_WORKER_SOURCES, *task)


def _worker_start(parent: int, scratch: str) -> None:
    """A render worker lives and dies with its build, and never holds the build's lock.

    Its temporary files (WeasyPrint's font folders, up to 49 MB each) go in *scratch*, a folder of the pool's
    that the parent removes when the pool ends: a worker terminated or killed cannot clean up after itself.

    Signals are the parent's to handle (Ctrl-C reaches the whole process group; the parent
    rolls back and terminates the pool): a worker ignores SIGINT and dies quietly on SIGTERM,
    with no traceback. If the build is killed outright (SIGKILL), the kernel kills its workers
    (PR_SET_PDEATHSIG), so none outlives it holding the lock's file descriptor.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    close_inherited_locks()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent check below still stops a late orphan
        pass
    if os.getppid() != parent:  # the build died before prctl took effect
        os._exit(1)
    tempfile.tempdir = scratch


#: prctl option: the signal the kernel sends this process when its parent dies (Linux).
_PR_SET_PDEATHSIG = 1


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class RenderPool:
    """Jobs are submitted as they become ready (a web page after its edition's PDF) and come back as they finish.

    Workers are forked once, after the parent has imported WeasyPrint and loaded the project (settings and
    documents; the build forks them before it plans, so they do not inherit every translated edition), so
    each job costs only its own render and the catalogues it is the first in its worker to need.
    """

    def __init__(self, sources: Sources, workers: int, progress: Progress) -> None:
        self.sources = sources
        self.workers = workers
        self.progress = progress
        self._pool = None
        self._scratch: str | None = None  # the workers' temporary folder, removed with the pool
        self._finished: queue.Queue = queue.Queue()
        self._waiting: deque[tuple[Job, dict]] = deque()
        self._pending = 0

    def __enter__(self) -> RenderPool:
        global _WORKER_SOURCES
        if self.workers > 1 and self._pool is None:  # entered again (forked early by the build): as it is
            import polypress.formats.fetcher  # noqa: F401  WeasyPrint, imported once here for every worker

            _WORKER_SOURCES = self.sources
            context = multiprocessing.get_context("fork")
            self._scratch = tempfile.mkdtemp(prefix="polypress-workers-")
            with self.progress.paused():
                self._pool = context.Pool(
                    self.workers, initializer=_worker_start, initargs=(os.getpid(), self._scratch)
                )
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        global _WORKER_SOURCES
        if self._pool is not None:
            if kind is None:
                self._pool.close()
            else:
                self._pool.terminate()
            self._pool.join()
            self._pool = None
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None
        _WORKER_SOURCES = None

    def submit(self, job: Job, links: dict) -> None:
        self._pending += 1
        if self._pool is None:
            self._waiting.append((job, links))
            return
        self.progress.started(job.name)
        self._pool.apply_async(_worker, ((job, links),), callback=self._finished.put, error_callback=self._finished.put)

    def results(self) -> Iterator[RenderResult]:
        """Each result as it finishes, until nothing is pending (jobs submitted meanwhile included)."""
        while self._pending:
            if self._pool is None:
                job, links = self._waiting.popleft()
                self.progress.started(job.name)
                result = render_job(self.sources, job, links)
            else:
                result = self._finished.get()
            self._pending -= 1
            if isinstance(result, BaseException):
                raise result  # a bug in a worker: the parent reports it like its own
            yield result
