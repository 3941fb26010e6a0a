"""``bench-scale``: a publisher's archive (N documents × 6 languages) built from nothing, then kept up to date.

For each archive size (default 50 and 200 documents: 300 and 1,200 PDFs) it
reports PDFs per second of the clean build, the peak memory of the build's
parent and of its busiest worker, the no-op build, and the rebuild after one
template change (templates/document.html: every web page) and after one
catalogue change (one document in French). Between sizes: does time grow
linearly with documents, does memory stay flat. Long (about 6 minutes on 2
cores for 200 documents alone): a manual target, never part of the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from polypress.bench.measure import PACKAGE_SNAPSHOT, ROOT, polypress, remove_build, snapshot_package

#: Archive sizes, in documents (each in six languages).
DOCUMENTS = (50, 200)


class PeakMemory:
    """Peak resident memory (VmHWM) of a process and of each of its children, polled while it runs."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.parent_mb = 0.0
        self.workers_mb: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _poll(self) -> None:
        while not self._stop.wait(0.2):
            self.parent_mb = max(self.parent_mb, _hwm(self.pid))
            for child in _children(self.pid):
                self.workers_mb[child] = max(self.workers_mb.get(child, 0.0), _hwm(child))


def _hwm(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        pass
    return found


def timed_build(root: Path, label: str, *args: str) -> dict:
    """One build in a child process: wall and CPU seconds, peak memory of the parent and of its workers."""
    start = time.perf_counter()
    command = polypress(root, "build", "--quiet", *args)
    process = subprocess.Popen(command, cwd=PACKAGE_SNAPSHOT[0], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    with PeakMemory(process.pid) as memory:
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    output = process.stdout.read().decode(errors="replace") if process.stdout else ""
    result = {
        "label": label,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "parent_peak_mb": round(memory.parent_mb, 1),
        "worker_peak_mb": round(max(memory.workers_mb.values(), default=0.0), 1),
        "ok": os.waitstatus_to_exitcode(status) == 0,
        "load": round(os.getloadavg()[0], 1),
        "output": output[-300:],
    }
    print(
        f"  {label}: {result['seconds']:.1f} s wall, {result['cpu_seconds']:.1f} s CPU, parent {result['parent_peak_mb']:.0f} MB,"
        f" worker {result['worker_peak_mb']:.0f} MB, load {result['load']:.1f}" + ("" if result["ok"] else "  FAILED"),
        flush=True,
    )
    return result


def scale(out: Path, sizes: tuple[int, ...], jobs: int) -> dict:
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    snapshot_package(out)
    script = [sys.executable, str(ROOT / "scripts" / "generate_corpus.py"), "--out", str(out), "--documents"]
    results: dict = {"jobs": jobs, "cpus": os.cpu_count(), "sizes": {}}
    for documents in sizes:
        print(f"archive of {documents} documents × 6 languages", flush=True)
        subprocess.run([*script, str(documents)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        root = out / f"archive-{documents}"
        remove_build(root)()
        clean = timed_build(root, "clean build", "-j", str(jobs))
        pdfs = len(list((root / "build" / "site").glob("*/*.pdf")))
        noop = timed_build(root, "no-op build", "-j", str(jobs))
        page = root / "templates" / "document.html"
        page.write_text(page.read_text(encoding="utf-8") + "\n{# a template change #}\n", encoding="utf-8")
        template = timed_build(root, "after one template change (document.html)", "-j", str(jobs))
        catalogue = root / "translations" / "fr" / "LC_MESSAGES" / "doc-0001.po"
        text = catalogue.read_text(encoding="utf-8")
        catalogue.write_text(text.replace('msgstr "', 'msgstr "Révisé ', 1), encoding="utf-8")
        one = timed_build(root, "after one catalogue change (fr, one document)", "-j", str(jobs))
        results["sizes"][str(documents)] = {
            "documents": documents,
            "pdfs": pdfs,
            "pdfs_per_second": round(pdfs / clean["seconds"], 3) if clean["seconds"] else 0.0,
            "pdfs_per_cpu_second": round(pdfs / clean["cpu_seconds"], 3) if clean["cpu_seconds"] else 0.0,
            "clean": clean,
            "noop": noop,
            "template_change": template,
            "catalogue_change": one,
        }
        # Written after each size: a run stopped during the next (it takes hours) keeps what it measured.
        (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    return results


def table(results: dict) -> str:
    rows = [("documents × 6", "PDFs/s", "clean build", "CPU", "parent / worker peak", "no-op", "template", "catalogue")]
    for r in results["sizes"].values():
        clean = r["clean"]
        rows.append(
            (
                f"{r['documents']} ({r['pdfs']} PDFs)",
                f"{r['pdfs_per_second']:.2f}",
                f"{clean['seconds']:.0f} s",
                f"{clean['cpu_seconds']:.0f} s",
                f"{clean['parent_peak_mb']:.0f} / {clean['worker_peak_mb']:.0f} MB",
                f"{r['noop']['seconds']:.2f} s",
                f"{r['template_change']['seconds']:.1f} s",
                f"{r['catalogue_change']['seconds']:.1f} s",
            )
        )
    sizes = sorted(results["sizes"].values(), key=lambda r: r["documents"])
    lines = [" | ".join(row) for row in rows]
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        grow = large["documents"] / small["documents"]
        lines.append(
            f"\n{small['documents']} → {large['documents']} documents (×{grow:.1f}): clean build CPU"
            f" ×{large['clean']['cpu_seconds'] / small['clean']['cpu_seconds']:.2f}, wall"
            f" ×{large['clean']['seconds'] / small['clean']['seconds']:.2f}; worker peak memory"
            f" ×{large['clean']['worker_peak_mb'] / max(small['clean']['worker_peak_mb'], 1):.2f}, parent"
            f" ×{large['clean']['parent_peak_mb'] / max(small['clean']['parent_peak_mb'], 1):.2f}"
        )
    lines.append(f"-j {results['jobs']} on {results['cpus']} cores; aims: no-op under 2 s, time linear, memory flat")
    return "\n".join(lines)


def main(out: Path | None = None, sizes: tuple[int, ...] = DOCUMENTS, jobs: int = 0) -> int:
    out = out or ROOT / "build" / "bench-scale"
    results = scale(out, sizes, jobs or len(os.sched_getaffinity(0)))
    print()
    print(table(results))
    print(f"\nevery run: {out / 'results.json'}")
    return 0


if __name__ == "__main__":  # make bench-scale: python -m polypress.bench.scale [--documents 50 200] [-j N] [--out DIR]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="where the archives and results.json go (default: build/bench-scale)")
    parser.add_argument("--documents", type=int, nargs="+", default=list(DOCUMENTS), help="archive sizes (50 200)")
    parser.add_argument("-j", "--jobs", type=int, default=0, help="parallel renders (default: all cores)")
    options = parser.parse_args()
    raise SystemExit(main(options.out, tuple(options.documents), options.jobs))
