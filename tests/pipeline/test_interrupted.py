"""Killed, failed, refused and concurrent builds: the published site is never left half-made."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from polypress.errors import BuildLocked
from polypress.pipeline.lock import BuildLock
from polypress.writer import JOURNAL_NAME, transaction, write_atomic
from tests.conftest import ROOT


def command(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "polypress", "-C", str(root), *args]


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(command(root, *args), cwd=ROOT, capture_output=True, text=True, timeout=300)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def checksums_hold(site: Path) -> bool:
    """What `sha256sum -c SHA256SUMS` checks: every listed file is there with its listed bytes."""
    for line in (site / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        if hashlib.sha256((site / name).read_bytes()).hexdigest() != digest:
            return False
    return True


@pytest.fixture
def built(built_project: Path, tmp_path: Path) -> Path:
    """A private copy of the session's built project, build/ included."""
    target = tmp_path / "project"
    shutil.copytree(built_project, target, symlinks=True)
    return target


def change_the_english(root: Path) -> None:
    """An edit to both English sources, so every English output must be rendered again."""
    for name, old, new in (
        ("a-res-68-4.md", "*Recognize*", "*Recognizing*"),
        ("hld-series.md", "Please click", "Please select"),
    ):
        source = root / "content" / name
        text = source.read_text()
        assert old in text
        source.write_text(text.replace(old, new, 1))


# -- a build killed half-way -------------------------------------------------------------------


def test_a_killed_build_is_rolled_back_and_the_next_build_completes_the_site(built: Path) -> None:
    change_the_english(built)
    # One worker, so the kill lands with renders still to come; progress lines go to stderr.
    build = subprocess.Popen(
        command(built, "build", "--lang", "en", "--jobs", "1"),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = build.stderr.readline()  # the first finished job: "[1/N] …"
    build.kill()
    build.wait()
    assert first.strip(), "the build ended before it reported any progress"
    assert build.returncode == -signal.SIGKILL

    site = built / "build" / "site"
    assert not list(site.rglob("*.tmp"))  # no half-written file anywhere
    # The kill may have come before or after some files were replaced; the journal knows which.
    assert (built / "build" / JOURNAL_NAME).is_dir()

    result = run(built, "build", "--lang", "en", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "an interrupted build was rolled back" in result.stderr
    assert not (built / "build" / JOURNAL_NAME).exists()
    assert checksums_hold(site)
    assert "Please select" in (site / "en" / "hld-series.html").read_text()


def test_a_journal_left_by_a_killed_build_restores_the_previous_files(tmp_path: Path) -> None:
    """Deterministic version of the kill: a process writes through the journal, then dies mid-build."""
    site = tmp_path / "build" / "site"
    write_atomic(site / "en" / "old.pdf", b"previous release\n")
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from polypress.writer import transaction, write_atomic\n"
        "build = Path(sys.argv[1])\n"
        "with transaction(build / '.journal'):\n"
        "    write_atomic(build / 'site/en/old.pdf', b'half of a new release')\n"
        "    write_atomic(build / 'site/fr/new.pdf', b'a new file')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    died = subprocess.run([sys.executable, "-c", script, str(tmp_path / "build")], cwd=ROOT)
    assert died.returncode == -signal.SIGKILL
    assert (site / "en" / "old.pdf").read_bytes() == b"half of a new release"  # what a kill leaves …

    with transaction(tmp_path / "build" / JOURNAL_NAME) as recovered:  # … until the next build starts
        assert recovered
        assert (site / "en" / "old.pdf").read_bytes() == b"previous release\n"
        assert not (site / "fr").exists()
    assert not (tmp_path / "build" / JOURNAL_NAME).exists()


def test_a_failed_build_puts_every_file_back(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_atomic(site / "a.txt", b"old a\n")
    with pytest.raises(RuntimeError), transaction(tmp_path / JOURNAL_NAME):
        write_atomic(site / "a.txt", b"new a\n")
        write_atomic(site / "b" / "c.txt", b"new c\n")
        raise RuntimeError("the build failed here")
    assert snapshot(tmp_path) == {"site/a.txt": b"old a\n"}
    assert not (site / "b").exists()


# -- two builds at once ------------------------------------------------------------------------


def test_a_second_build_refuses_while_one_is_running(built: Path) -> None:
    before = snapshot(built / "build")
    with BuildLock(built / "build"):
        result = run(built, "build", "--lang", "en", "--quiet")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"build/.lock: another build (PID {os.getpid()}) is running" in result.stderr
    assert "wait for it to finish" in result.stderr
    assert snapshot(built / "build") == before


def test_the_lock_is_free_again_once_released(tmp_path: Path) -> None:
    with BuildLock(tmp_path / "build"):
        pass
    with BuildLock(tmp_path / "build"):
        assert (tmp_path / "build" / ".lock").read_text() == f"{os.getpid()}\n"
    assert (tmp_path / "build" / ".lock").read_text() == ""


def test_a_lock_names_its_holder(tmp_path: Path) -> None:
    with BuildLock(tmp_path / "build"):
        with pytest.raises(BuildLocked) as refused:
            BuildLock(tmp_path / "build").acquire()
    assert f"PID {os.getpid()}" in str(refused.value)


def test_two_builds_started_together_do_not_corrupt_the_site(built: Path) -> None:
    change_the_english(built)
    builds = [
        subprocess.Popen(
            command(built, "build", "--lang", "en", "--jobs", "1", "--quiet"),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    errors = [b.communicate(timeout=300)[1] for b in builds]
    results = [(b.returncode, stderr) for b, stderr in zip(builds, errors, strict=True)]
    statuses = sorted(status for status, _ in results)
    # Either the second one was refused by the lock, or it started after the first had finished.
    assert statuses in ([0, 0], [0, 1]), results
    for status, stderr in results:
        if status == 1:
            assert "another build" in stderr and "build/.lock" in stderr
    site = built / "build" / "site"
    assert checksums_hold(site)
    assert not list(site.rglob("*.tmp"))
    assert "Please select" in (site / "en" / "hld-series.html").read_text()


# -- --strict ----------------------------------------------------------------------------------


def test_strict_makes_warnings_fatal_and_publishes_nothing(built: Path) -> None:
    catalog = built / "translations" / "fr" / "LC_MESSAGES" / "hld-series.po"
    with catalog.open("rb") as handle:
        messages = read_po(handle)
    # Take back the French of one paragraph: the build falls back to English for it.
    unit = next(m for m in messages if m.id and m.string and m.id.startswith("Please click"))
    unit.string = ""
    with catalog.open("wb") as handle:
        write_po(handle, messages)
    before = snapshot(built / "build")

    strict = run(built, "build", "--lang", "fr", "--strict", "--quiet")
    assert strict.returncode == 1
    assert "Traceback" not in strict.stderr
    # Each warning is located: the English source line whose French is missing.
    assert re.search(r"^content/hld-series\.md:\d+: warning: fallback: .*Please click", strict.stderr, re.M), (
        strict.stderr
    )
    assert "--strict:" in strict.stderr and "nothing was published" in strict.stderr
    assert snapshot(built / "build") == before


# -- signals and processes ---------------------------------------------------------------------


@pytest.mark.parametrize(("name", "status"), [("SIGTERM", 143), ("SIGHUP", 129)])
def test_sigterm_and_sighup_roll_back_like_ctrl_c(built: Path, name: str, status: int) -> None:
    """Guarantee: SIGTERM (CI time-outs, docker stop) and SIGHUP leave the site as it was, agreeing with
    SHA256SUMS, with one line and no traceback from the build or its workers."""
    change_the_english(built)
    before = snapshot(built / "build" / "site")
    scratch = built.parent / f"tmp-{name}"  # the build's temporary files, to see that none is left behind
    scratch.mkdir()
    build = subprocess.Popen(
        command(built, "build", "--lang", "en", "--jobs", "2"),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    first = build.stderr.readline()
    deadline = time.monotonic() + 60  # signalled while a worker renders: its font folder exists
    while not list(scratch.glob("**/weasyprint-*")) and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    build.send_signal(getattr(signal, name))
    rest = build.stderr.read()
    build.wait(timeout=60)
    assert first.strip(), "the build ended before it reported any progress"
    assert list(scratch.iterdir()) == []  # WeasyPrint's font folders of the terminated workers included
    assert build.returncode == status, rest
    assert "Traceback" not in rest
    assert rest.strip().splitlines() == [f"stopped by {name}: nothing was published, the previous site is intact"]
    assert snapshot(built / "build" / "site") == before
    assert checksums_hold(built / "build" / "site")
    assert not (built / "build" / JOURNAL_NAME).exists()
    assert BuildLock(built / "build").acquire() is None  # released


def test_workers_die_with_a_killed_build_and_its_lock_is_taken_over(built: Path) -> None:
    """Guarantee: no render worker outlives its build; the next build takes the dead build's lock, and says so."""
    change_the_english(built)
    build = subprocess.Popen(
        command(built, "build", "--lang", "en", "--jobs", "2"),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert build.stderr.readline().strip()
    workers = [int(pid) for pid in Path(f"/proc/{build.pid}/task/{build.pid}/children").read_text().split()]
    assert workers, "the build started no render worker"
    build.kill()
    build.wait()
    for pid in workers:
        for _ in range(100):
            if not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]:
                break
            time.sleep(0.05)
        else:
            pytest.fail(f"render worker {pid} outlived its build")
    result = run(built, "build", "--lang", "en", "--quiet", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert f"took over the build lock of PID {build.pid}, which is no longer running" in result.stderr
    assert checksums_hold(built / "build" / "site")
