"""Render jobs one per core in forked worker processes (or here, with one job at a time), results as they finish."""

from __future__ import annotations

import ctypes
import gc
import heapq
import multiprocessing
import multiprocessing.connection
import os
import shutil
import signal
import tempfile
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from types import TracebackType

from polypress.errors import PolypressError, WorkerDied
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

    Each worker has a pipe of its own, and the parent hands it one job at a time. multiprocessing.Pool was
    used before: its workers share locked queues, and a worker terminated while it held one (a build
    stopped by an error while others rendered) left Pool.terminate() waiting for ever (a hang seen in the
    suite, reproduced under load; CPython #96995, open). With nothing shared, stopping is killing, a worker
    that dies (out of memory) is an error that names its job, and the parent chooses who renders what:
    an edition's jobs go to the worker that translated it, while another worker has other work.
    """

    def __init__(self, sources: Sources, workers: int, progress: Progress) -> None:
        self.sources = sources
        self.workers = workers
        self.progress = progress
        self._busy: dict[_Worker, Job] = {}
        self._idle: list[_Worker] = []
        self._scratch: str | None = None  # the workers' temporary folder, removed with the pool
        #: Jobs not yet handed out, by edition ("slug/lang"); the editions by size, largest first.
        self._waiting: dict[str, deque[tuple[Job, dict]]] = {}
        self._by_size: list[tuple[int, int, str]] = []  # a heap of (-size, arrival, edition)
        self._arrived = 0
        #: Answers received but not yet given to the build (collected while it planned).
        self._answered: deque[RenderResult | BaseException] = deque()
        self._pending = 0
        self._forked = False

    def __enter__(self) -> RenderPool:
        global _WORKER_SOURCES
        if self.workers > 1 and not self._forked:  # entered again (forked early by the build): as it is
            import polypress.formats.fetcher  # noqa: F401  WeasyPrint, imported once here for every worker

            _WORKER_SOURCES = self.sources
            self._forked = True
            self._scratch = tempfile.mkdtemp(prefix="polypress-workers-")
            with self.progress.paused():
                for _ in range(self.workers):
                    self._idle.append(_Worker.fork(self._scratch, self._idle))
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        global _WORKER_SOURCES
        workers = [*self._idle, *self._busy]
        self._idle, self._busy = [], {}
        for worker in workers:
            worker.stop(now=kind is not None)
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None
        _WORKER_SOURCES = None

    def submit(self, job: Job, links: dict) -> None:
        """Queued: handed out when the build next looks at the pool (collect, results)."""
        self._pending += 1
        key = job.edition.key
        if key not in self._waiting:
            self._waiting[key] = deque()
            self._arrived += 1
            heapq.heappush(self._by_size, (-job.edition.size, self._arrived, key))
        self._waiting[key].append((job, links))

    def collect(self) -> None:
        """Idle workers given jobs, finished ones' answers kept for results(), without waiting: the build
        calls it while it plans, so the workers render the editions planned so far."""
        if self._forked and (self._busy or self._waiting):
            self._receive(timeout=0)

    def results(self) -> Iterator[RenderResult]:
        """Each result as it finishes, until nothing is pending (jobs submitted meanwhile included)."""
        while self._pending:
            if not self._forked:
                job, links = self._take(None)
                self.progress.started(job.name)
                result: RenderResult | BaseException = render_job(self.sources, job, links)
            else:
                if not self._answered:
                    self._receive(timeout=None)
                result = self._answered.popleft()
            self._pending -= 1
            if isinstance(result, BaseException):
                raise result  # a bug in a worker: the parent reports it like its own
            yield result

    def _receive(self, timeout: float | None) -> None:
        """The answers of the busy workers that have one (waiting up to *timeout* for the first); a worker
        that died without one stops the build. A freed worker gets its next job before the parent writes
        the result."""
        self._hand_out()
        if not self._busy:
            raise AssertionError("results pending, but no worker has a job")
        connections = [w.connection for w in self._busy] + [w.sentinel for w in self._busy]
        ready = multiprocessing.connection.wait(connections, timeout)
        for worker, job in list(self._busy.items()):
            if worker.connection in ready or worker.sentinel in ready:
                answer = worker.answer()
                if answer is None:
                    raise WorkerDied(job.name, worker.exitcode())
                del self._busy[worker]
                self._idle.append(worker)
                self._answered.append(answer)
        self._hand_out()

    def _hand_out(self) -> None:
        """Give each idle worker a job: one of the edition it rendered last if there is one (it has that
        edition translated: plan.translated), else one of the largest edition no other worker is on (a long
        render started last would keep the build waiting for it alone), else of the largest."""
        while self._idle and self._waiting:
            worker = self._idle.pop()
            job, links = self._take(worker)
            self.progress.started(job.name)
            self._busy[worker] = job
            try:
                worker.send(job, links)
            except OSError:  # it died while it waited
                raise WorkerDied(job.name, worker.exitcode()) from None

    def _take(self, worker: _Worker | None) -> tuple[Job, dict]:
        waiting = self._waiting
        key = worker.edition if worker else ""
        if key not in waiting:
            taken = {job.edition.key for job in self._busy.values()} | {w.edition for w in self._idle}
            key = self._largest(taken)
        tasks = waiting[key]
        task = tasks.popleft()
        if not tasks:
            del waiting[key]  # its entry in _by_size goes when it reaches the top
        return task

    def _largest(self, taken: set[str]) -> str:
        """The largest waiting edition not in *taken*, else the largest waiting (first come among equals)."""
        heap, skipped, found = self._by_size, [], None
        while heap:
            key = heap[0][2]
            if key not in self._waiting:
                heapq.heappop(heap)  # every job of it handed out
            elif key in taken:
                skipped.append(heapq.heappop(heap))
            else:
                found = key
                break
        for entry in skipped:
            heapq.heappush(heap, entry)
        return found if found is not None else skipped[0][2]


class _Worker:
    """One forked render process and the parent's end of its pipe."""

    def __init__(self, process: multiprocessing.process.BaseProcess, connection: Connection) -> None:
        self.process = process
        self.connection = connection
        self.sentinel = process.sentinel
        #: The edition of the last job it was given ("slug/lang").
        self.edition = ""

    @classmethod
    def fork(cls, scratch: str, others: list[_Worker]) -> _Worker:
        """A new worker; it closes its copies of the *others*' pipes, which are the parent's alone."""
        context = multiprocessing.get_context("fork")
        ours, theirs = context.Pipe(duplex=True)
        inherited = [ours, *(w.connection for w in others)]
        process = context.Process(target=_serve, args=(theirs, inherited, os.getpid(), scratch), daemon=True)
        process.start()
        theirs.close()
        return cls(process, ours)

    def send(self, job: Job, links: dict) -> None:
        self.edition = job.edition.key
        self.connection.send((job, links))

    def answer(self) -> RenderResult | BaseException | None:
        """The worker's answer, or None when it died without one."""
        try:
            if self.connection.poll():
                return self.connection.recv()
        except (EOFError, OSError):
            pass
        return None

    def exitcode(self) -> int | None:
        """How it ended (negative: the signal that killed it), once the system has said."""
        self.process.join(timeout=5)
        return self.process.exitcode

    def stop(self, now: bool) -> None:
        """Let it finish (it is idle: told to end), or, *now*, kill it whatever it is doing."""
        try:
            if now:
                self.process.kill()
            else:
                self.connection.send(None)
        except OSError:  # already gone
            self.process.kill()
        self.process.join(timeout=10)
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join()
        self.connection.close()


def _serve(connection: Connection, inherited: list[Connection], parent: int, scratch: str) -> None:
    """A worker's life: render each job the parent sends until it sends None or goes away."""
    for other in inherited:
        other.close()
    _worker_start(parent, scratch)
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            answer: RenderResult | BaseException = _worker(task)
        except Exception as exc:  # a bug: sent to the parent, which reports it as its own
            answer = exc
        try:
            connection.send(answer)
        except Exception as exc:  # the bug's exception cannot be pickled: its words can
            connection.send(RuntimeError(f"{type(exc).__name__} in a render worker: {exc}"))
