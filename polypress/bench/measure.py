"""Measuring commands: each in a child process, its own wall time, CPU time and peak memory; paired runs, medians.

Each run is a child process; its figures are that child's own (wait4). Linux
carries a process's peak RSS across exec, so the benchmark's parent imports
nothing heavy: the children's figures start from a small floor. On a shared
machine wall time stretches with everyone else's load: runs of the things
compared alternate (A B A B …) so both see the same load, and medians are
compared, CPU time beside wall time.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

#: Where the children import polypress from (a snapshot: an edit to polypress/ during the run
#: must not make a no-op build render again).
PACKAGE_SNAPSHOT: list[Path] = [ROOT]


@dataclass
class Run:
    """One child process: what it ran, how long it took, its peak memory."""

    label: str
    seconds: float
    #: User + system CPU time of the child and the processes it waited for (its render workers).
    cpu_seconds: float
    peak_mb: float
    ok: bool
    #: 1-minute load average when the run ended (the machine has os.cpu_count() cores).
    load: float = 0.0
    output: str = ""


@dataclass
class Series:
    """Repeated runs of one command: the medians are its figures."""

    label: str
    runs: list[Run] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return round(statistics.median(r.seconds for r in self.runs), 3)

    @property
    def cpu_seconds(self) -> float:
        return round(statistics.median(r.cpu_seconds for r in self.runs), 3)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_mb for r in self.runs)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.runs)

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "median_seconds": self.seconds,
            "median_cpu_seconds": self.cpu_seconds,
            "peak_mb": self.peak_mb,
            "ok": self.ok,
            "runs": [asdict(r) for r in self.runs],
        }


def snapshot_package(out: Path) -> None:
    """Copy polypress/ under *out* and make the children import it from there."""
    snapshot = out / "pkg"
    shutil.rmtree(snapshot, ignore_errors=True)
    shutil.copytree(ROOT / "polypress", snapshot / "polypress", ignore=shutil.ignore_patterns("__pycache__"))
    PACKAGE_SNAPSHOT[0] = snapshot


def run_child(
    label: str, args: Sequence[str], log_dir: Path, quiet: bool = False, env: dict[str, str] | None = None
) -> Run:
    """Run *args* (with *env* added to the environment) and measure it alone: wall time, CPU time and the
    child's own peak RSS."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / ("".join(c if c.isalnum() or c in "+-." else "_" for c in label) + ".log")
    with log.open("wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(
            list(args), stdout=out, stderr=subprocess.STDOUT, cwd=PACKAGE_SNAPSHOT[0], env={**os.environ, **(env or {})}
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(errors="replace")
    run = Run(
        label,
        round(seconds, 3),
        round(usage.ru_utime + usage.ru_stime, 3),
        round(usage.ru_maxrss / 1024, 1),
        process.returncode == 0,
        round(os.getloadavg()[0], 2),
        text[-400:],
    )
    if not quiet:
        print(
            f"  {label}: {run.seconds:.2f} s wall, {run.cpu_seconds:.2f} s CPU, {run.peak_mb:.0f} MB,"
            f" load {run.load:.1f}" + ("" if run.ok else "  FAILED"),
            flush=True,
        )
    return run


@dataclass
class Step:
    """One command of a paired comparison, with what to do before each run (remove build/, touch a file)."""

    label: str
    args: list[str]
    before: Callable[[], object] | None = None
    env: dict[str, str] | None = None


def paired(steps: list[Step], repeats: int, log_dir: Path) -> list[Series]:
    """Run *steps* in turn, *repeats* times (A B C A B C …): each step's runs see the same load."""
    series = [Series(step.label) for step in steps]
    for round_number in range(repeats):
        for step, found in zip(steps, series, strict=True):
            if step.before is not None:
                step.before()
            found.runs.append(run_child(f"{step.label} #{round_number + 1}", step.args, log_dir, env=step.env))
    return series


def pair_ratios(a: Series, b: Series, attribute: str = "seconds") -> float:
    """The median of the per-pair ratios a/b: steadier than a ratio of medians under changing load."""
    ratios = [getattr(x, attribute) / getattr(y, attribute) for x, y in zip(a.runs, b.runs, strict=True) if y.seconds]
    return round(statistics.median(ratios), 3) if ratios else 0.0


def polypress(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "polypress", "-C", str(root), *args]


def remove_build(root: Path) -> Callable[[], None]:
    """What to do before a clean build: remove its build output."""
    return lambda: shutil.rmtree(root / "build", ignore_errors=True)
