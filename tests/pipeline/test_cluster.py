"""Renders on a Dask distributed cluster: a real scheduler and two workers on 127.0.0.1, the same bytes as a local build."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from polypress.formats import FORMATS
from polypress.pipeline.cluster import bundle_project, render_remote
from polypress.pipeline.plan import Job
from polypress.pipeline.pool import render_job
from polypress.project import load_project
from polypress.settings import copy_sources

ROOT = Path(__file__).resolve().parent.parent.parent
pytest.importorskip("distributed", reason="the dask extra is not installed (make setup installs it)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`dask scheduler` and two `dask worker` processes, each importing this checkout's polypress."""
    address = f"tcp://127.0.0.1:{free_port()}"
    logs = tmp_path_factory.mktemp("dask")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    worker = [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1", "--host", "127.0.0.1"]
    port = address.rsplit(":", 1)[1]
    commands = [[*dask, "--host", "127.0.0.1", "--port", port, "--no-dashboard"]]
    commands += [[*worker, "--no-dashboard", "--name", f"w{n}"] for n in (1, 2)]
    processes = []
    try:
        for n, command in enumerate(commands):
            with (logs / f"{n}.log").open("wb") as log:
                processes.append(subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT))
            if n == 0:
                time.sleep(1)
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def build(root: Path, *args: str) -> bytes:
    shutil.rmtree(root / "build", ignore_errors=True)
    command = [sys.executable, "-m", "polypress", "-C", str(root), "build", "--lang", "zh", "--quiet", *args]
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    # The site, and where each unit landed in its PDFs (which the workers report with the PDF's bytes).
    return (root / "build" / "site" / "SHA256SUMS").read_bytes() + (root / "build" / "units.json").read_bytes()


def test_a_build_on_a_dask_cluster_gives_the_bytes_of_a_local_build(scheduler: str, tmp_path: Path) -> None:
    root = copy_sources(ROOT, tmp_path / "project")
    remote = build(root, "--executor", "dask", "--scheduler", scheduler)
    local = build(root, "-j", "1")
    assert remote == local
    assert b'"zh": {' in remote  # the units of the Chinese PDFs, with their pages
    documents = len(list((root / "content").glob("*.md")))
    assert remote.count(b".pdf\n") == documents and remote.count(b".epub\n") == documents


def test_a_worker_without_the_project_renders_from_what_the_job_carries(tmp_path: Path) -> None:
    """The bundle carries the templates: a worker where the project's folder does not exist lays them out itself."""
    root = copy_sources(ROOT, tmp_path / "here")
    project = load_project(root)
    sources = project.sources
    edition, _ = project.edition("a-res-68-4", "ar")
    job = Job(edition, FORMATS["pdf"])
    local = render_job(sources, job, {})
    bundle = bundle_project(sources)
    shutil.rmtree(root)  # the worker's machine has no such folder
    remote = render_remote(bundle, job, {})
    assert remote.error is None and local.error is None
    assert remote.output.data == local.output.data
    assert remote.output.units == local.output.units and remote.output.units


def test_an_unreachable_scheduler_is_a_located_error_not_a_traceback(tmp_path: Path) -> None:
    root = copy_sources(ROOT, tmp_path / "project")
    command = [sys.executable, "-m", "polypress", "-C", str(root), "build", "--lang", "fr", "--executor", "dask"]
    command += ["--scheduler", f"tcp://127.0.0.1:{free_port()}"]
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode != 0
    assert "cannot reach the Dask scheduler" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
