"""The local render pool: who renders what, and how it stops when a job fails or a worker dies.

The renders are stand-ins (the workers are forked after the test replaces ``render_job``, so they run it):
what is under test is the pool's handing out and stopping, with real forked processes.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest

from polypress.errors import ContentError, WorkerDied
from polypress.pipeline import pool as pool_module
from polypress.pipeline.plan import Job, plan_editions, plan_jobs, summarize
from polypress.pipeline.pool import RenderPool, RenderResult
from polypress.pipeline.progress import Progress
from polypress.sources import Sources, load_sources
from tests.conftest import copy_project

LANGUAGES = ["fr", "es", "ru"]


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Sources:
    return load_sources(copy_project(tmp_path_factory.mktemp("pool") / "project"))


@pytest.fixture(scope="module")
def jobs(sources: Sources) -> list[Job]:
    """Every job of nine editions (three documents in three languages), in the build's order."""
    return plan_jobs([summarize(sources, planned.edition) for planned in plan_editions(sources, LANGUAGES)])


def run_all(sources: Sources, jobs: list[Job], workers: int = 2) -> list[RenderResult]:
    with RenderPool(sources, workers, Progress(quiet=True)) as pool:
        for job in jobs:
            pool.submit(job, {})
        return list(pool.results())


def test_each_edition_is_rendered_by_one_worker_while_there_is_other_work(sources, jobs, monkeypatch):
    """A worker that translated an edition renders its other formats too (plan.translated keeps it); only
    when every job left is of an edition another worker is on does a second worker share it."""

    def render(sources: Sources, job: Job, links: dict) -> RenderResult:
        time.sleep(0.05)
        return RenderResult(f"{job.name} {os.getpid()}")

    monkeypatch.setattr(pool_module, "render_job", render)
    results = run_all(sources, jobs)
    by_job = dict(result.name.split(" ") for result in results)
    assert set(by_job) == {job.name for job in jobs}
    editions = {job.edition.key for job in jobs}
    assert len(editions) == 9 and len(set(by_job.values())) == 2  # both workers rendered
    shared = {(job.edition.key, by_job[job.name]) for job in jobs}
    assert len(shared) <= len(editions) + 1  # at most the last edition split between the two


def test_a_worker_killed_while_rendering_stops_the_build_naming_its_job(sources, jobs, monkeypatch):
    """As the system's out-of-memory killer would: the build does not wait for ever for its answer."""
    victim = jobs[3].name

    def render(sources: Sources, job: Job, links: dict) -> RenderResult:
        if job.name == victim:
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.05)
        return RenderResult(job.name)

    monkeypatch.setattr(pool_module, "render_job", render)
    with pytest.raises(WorkerDied) as raised:
        run_all(sources, jobs)
    message = str(raised.value)
    assert f"the worker rendering {victim} died (killed by signal {signal.SIGKILL.value})" in message
    assert "fewer --jobs" in message
    assert multiprocessing.active_children() == []


def test_a_failed_job_stops_the_others_at_once(sources, jobs, monkeypatch, tmp_path: Path):
    """The build stops on the first error; a render still running in the other worker is killed, not waited
    for (nor, as with multiprocessing.Pool, waited for for ever when it was killed holding a shared lock)."""
    started = tmp_path / "long render started"

    def render(sources: Sources, job: Job, links: dict) -> RenderResult:
        if job.name == jobs[0].name:
            started.touch()
            time.sleep(600)
        while not started.exists():
            time.sleep(0.01)
        return RenderResult(job.name, error=ContentError("broken", "content/x.md", 3))

    monkeypatch.setattr(pool_module, "render_job", render)
    with pytest.raises(ContentError), RenderPool(sources, 2, Progress(quiet=True)) as pool:
        for job in jobs:
            pool.submit(job, {})
        for result in pool.results():
            if result.error:
                raise result.error
    assert started.exists()
    assert multiprocessing.active_children() == []


def test_a_bug_in_a_worker_is_raised_in_the_build(sources, jobs, monkeypatch):
    def render(sources: Sources, job: Job, links: dict) -> RenderResult:
        raise ValueError(f"no render for {job.name}")

    monkeypatch.setattr(pool_module, "render_job", render)
    with pytest.raises(ValueError, match="no render for"):
        run_all(sources, jobs)
    assert multiprocessing.active_children() == []


def test_one_worker_renders_here_in_order(sources, jobs, monkeypatch):
    def render(sources: Sources, job: Job, links: dict) -> RenderResult:
        return RenderResult(f"{job.name} {os.getpid()}")

    monkeypatch.setattr(pool_module, "render_job", render)
    results = run_all(sources, jobs, workers=1)
    assert [r.name for r in results] == [f"{job.name} {os.getpid()}" for job in jobs]


def test_the_largest_edition_is_rendered_first_whatever_order_it_came_in(sources, jobs, monkeypatch):
    """The build submits editions as it plans them; a long render started last would keep it waiting."""

    def render(sources: Sources, job: Job, links: dict) -> RenderResult:
        return RenderResult(job.name)

    monkeypatch.setattr(pool_module, "render_job", render)
    results = run_all(sources, list(reversed(jobs)), workers=1)
    sizes = {job.name: job.edition.size for job in jobs}
    rendered = [sizes[result.name] for result in results]
    assert len(set(rendered)) > 1 and rendered == sorted(rendered, reverse=True)


def test_workers_render_what_was_submitted_while_the_build_goes_on(sources, jobs, monkeypatch, tmp_path: Path):
    """collect() hands out without waiting for a result: the workers start on the first editions planned
    while the build plans the others, and what they finish meanwhile is kept for results()."""

    def render(sources: Sources, job: Job, links: dict) -> RenderResult:
        (tmp_path / job.name).touch()
        return RenderResult(job.name)

    monkeypatch.setattr(pool_module, "render_job", render)
    first, rest = jobs[:2], jobs[2:]
    with RenderPool(sources, 2, Progress(quiet=True)) as pool:
        for job in first:
            pool.submit(job, {})
        pool.collect()
        deadline = time.monotonic() + 30
        while not all((tmp_path / job.name).exists() for job in first) and time.monotonic() < deadline:
            time.sleep(0.01)
            pool.collect()
        assert all((tmp_path / job.name).exists() for job in first)  # rendered before results() was asked
        for job in rest:
            pool.submit(job, {})
        names = [result.name for result in pool.results()]
    assert sorted(names) == sorted(job.name for job in jobs)
