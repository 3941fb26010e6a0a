"""Renders on a Dask distributed cluster: a real scheduler and two workers on 127.0.0.1, the same bytes as a local build."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from polypress.formats import FORMATS
from polypress.pipeline.cluster import bundle_project, render_remote
from polypress.pipeline.plan import Job, summarize
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
        # The workers first, then the scheduler: a worker whose scheduler is gone retries it before it stops.
        for group in (processes[1:], processes[:1]):
            for process in group:
                process.terminate()
            for process in group:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


def build_command(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "polypress", "-C", str(root), "build", "--lang", "zh", "--quiet", *args]


def build(root: Path, *args: str) -> bytes:
    shutil.rmtree(root / "build", ignore_errors=True)
    subprocess.run(build_command(root, *args), check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return built_bytes(root)


def built_bytes(root: Path) -> bytes:
    """The site, and where each unit landed in its PDFs (which the workers report with the PDF's bytes)."""
    return (root / "build" / "site" / "SHA256SUMS").read_bytes() + (root / "build" / "units.json").read_bytes()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_sources(ROOT, tmp_path_factory.mktemp("cluster") / "project")


@pytest.fixture(scope="module")
def local_sums(project: Path) -> bytes:
    """SHA256SUMS and units.json of the Chinese site built here, in one process: what every cluster build
    must equal."""
    return build(project, "-j", "1")


def test_a_build_on_a_dask_cluster_gives_the_bytes_of_a_local_build(
    scheduler: str, project: Path, local_sums: bytes
) -> None:
    remote = build(project, "--executor", "dask", "--scheduler", scheduler)
    assert remote == local_sums
    assert b'"zh": {' in remote  # the units of the Chinese PDFs, with their pages
    documents = len(list((project / "content").glob("*.md")))
    assert remote.count(b".pdf\n") == documents and remote.count(b".epub\n") == documents


def test_a_job_lost_with_a_killed_worker_runs_again_and_the_bytes_are_the_same(
    scheduler: str, project: Path, local_sums: bytes
) -> None:
    """A worker process killed outright (SIGKILL: no goodbye to the scheduler) while it renders a job."""
    from distributed import Client

    shutil.rmtree(project / "build", ignore_errors=True)
    command = build_command(project, "--executor", "dask", "--scheduler", scheduler)
    building = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        with Client(scheduler, timeout=60) as client:
            pids = client.run(os.getpid)  # each worker's process, by its address
            lost, deadline = None, time.monotonic() + 180
            while lost is None and building.poll() is None and time.monotonic() < deadline:
                for worker, keys in client.processing().items():
                    renders = [k for k in keys if str(k).startswith("render_remote")]
                    if renders:
                        lost = renders[0]
                        os.kill(pids[worker], signal.SIGKILL)
                        break
                else:
                    time.sleep(0.05)
            assert lost is not None, "no render was seen running on a worker"
            _, errors = building.communicate(timeout=600)
            assert building.returncode == 0, errors.decode()
            # The scheduler's own record: the lost job went to processing again after its worker died.
            story = client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.story(lost))
            assert sum(1 for t in story if t[2] == "processing") >= 2
    finally:
        if building.poll() is None:
            building.kill()
            building.wait()
    assert built_bytes(project) == local_sums


def test_a_worker_without_the_project_renders_from_what_the_job_carries(tmp_path: Path) -> None:
    """The bundle carries the templates: a worker where the project's folder does not exist lays them out itself."""
    root = copy_sources(ROOT, tmp_path / "here")
    project = load_project(root)
    sources = project.sources
    edition, _ = project.edition("a-res-68-4", "ar")
    job = Job(summarize(sources, edition), FORMATS["pdf"])  # the text is translated where it is rendered
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


def run_build(*args: str, python: list[str] | None = None) -> subprocess.CompletedProcess:
    """`build` with *args* on the shipped project: these fail before anything is loaded or written."""
    command = [*(python or [sys.executable, "-m", "polypress"]), "-C", str(ROOT), "build", "--lang", "fr", *args]
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize(
    "address",
    ["localhost:8786", "http://10.0.0.5:8786", "tcp://", "tcp://host", "tcp://host:port", "tcp://host:70000"],
)
def test_a_malformed_scheduler_address_is_one_line_at_the_option(address: str) -> None:
    result = run_build("--executor", "dask", "--scheduler", address)
    assert result.returncode == 2
    assert result.stderr.startswith(f"--scheduler: {address!r} ")
    assert "tcp://HOST:8786" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


#: A tiny launcher that makes Dask distributed unimportable the way Python documents it (None in
#: sys.modules), then runs polypress's command line.
WITHOUT_DASK = "import sys; sys.modules['distributed'] = None; from polypress.cli import main; sys.exit(main())"


def test_executor_dask_without_dask_installed_says_so_at_the_option() -> None:
    result = run_build(
        "--executor", "dask", "--scheduler", "tcp://127.0.0.1:8786", python=[sys.executable, "-c", WITHOUT_DASK]
    )
    assert result.returncode == 2
    assert result.stderr.startswith("--executor dask: Dask distributed is not installed — ")
    assert "make setup" in result.stderr and "without --executor" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_executor_dask_with_a_broken_dask_names_what_failed(tmp_path: Path) -> None:
    broken = tmp_path / "distributed"
    broken.mkdir()
    (broken / "__init__.py").write_text("raise AttributeError(\"module 'tornado' has no attribute 'gen'\")\n")
    command = [sys.executable, "-m", "polypress", "-C", str(ROOT), "build", "--executor", "dask"]
    command += ["--scheduler", "tcp://127.0.0.1:8786"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 2
    assert result.stderr.startswith("--executor dask: Dask distributed cannot be imported (AttributeError: ")
    assert "internal error" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "where"),
    [(["--executor", "dask"], "--executor dask: "), (["--scheduler", "tcp://h:8786"], "--scheduler: ")],
)
def test_executor_and_scheduler_go_together(args: list[str], where: str) -> None:
    result = run_build(*args)
    assert result.returncode == 2 and result.stderr.startswith(where)
