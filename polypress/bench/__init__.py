"""Benchmark (not a test): the build against its floor, WeasyPrint alone on the same HTML, paired runs, medians.

Run as ``python -m polypress bench`` (``make bench``). In one run:

(a) a clean build of the shipped project (-j 1) against WeasyPrint alone
    rendering the same print HTML in one process, wall and CPU; a clean build
    reuses what the user cache keeps between builds (user_cache.py:
    faces taken out of collections, compiled templates, e-book font subsets),
    so (a) also gives a clean build with that cache emptied before each run;
(b) the no-op build, in seconds and as a share of the clean build;
(c) the clean build -j 2 against -j 1, and WeasyPrint alone in two processes
    against one: our parallel efficiency is our speed-up over the floor's
    (on a shared machine even the floor gains little from a second core);
(d) the large generated reports (~50 and ~500 pages) and update vs msgmerge.

(a)-(c) alternate their runs (A B C D A B C D …, ``--repeat`` rounds) so each
sees the same load, and report medians. Everything is written under
build/bench/; results.json holds every run. The children run a snapshot of the
package (build/bench/pkg). ``bench-scale`` (bench/scale.py) is the large corpus.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
from pathlib import Path

from polypress.bench.corpus import large_reports, rows, update_against_msgmerge
from polypress.bench.floor import weasyprint_command, write_print_html
from polypress.bench.measure import (
    ROOT,
    Step,
    pair_ratios,
    paired,
    polypress,
    remove_build,
    run_child,
    snapshot_package,
)
from polypress.settings import copy_sources

#: Translation units of the small and the large generated report (~50 and ~500 pages).
SIZES = (1000, 10000)
#: Rounds of the paired runs of (a)-(c).
REPEATS = 5
#: The issue's aims, beside the figures.
AIMS = {"overhead_cpu": 1.10, "noop_seconds": 0.3, "noop_share": 0.03, "efficiency": 0.95}


def floor(out: Path, repeats: int) -> dict:
    """(a), (b) and (c) on the shipped project, paired."""
    logs = out / "logs"
    seed = out / "seed"
    shutil.rmtree(seed, ignore_errors=True)
    copy_sources(ROOT, seed)
    languages = list(_languages(seed))
    html = write_print_html(seed, languages, out / "html" / "seed")
    work = out / "html"
    clean = remove_build(seed)
    # The benchmark's own user caches, never the user's: one kept warm, one emptied before each run.
    warm = {"POLYPRESS_CACHE_DIR": str(out / "cache")}
    cold = {"POLYPRESS_CACHE_DIR": str(out / "cache-cold")}

    def clean_and_cold() -> None:
        clean()
        shutil.rmtree(cold["POLYPRESS_CACHE_DIR"], ignore_errors=True)

    build_j1 = polypress(seed, "build", "-j", "1", "--quiet")
    steps = [
        Step("WeasyPrint alone, 1 process", weasyprint_command(seed, [html], work, 1)),
        Step("clean build -j 1", build_j1, clean, warm),
        Step("no-op build", build_j1, env=warm),
        Step("WeasyPrint alone, 2 processes", weasyprint_command(seed, [html], work, 2)),
        Step("clean build -j 2", polypress(seed, "build", "-j", "2", "--quiet"), clean, warm),
        Step("clean build -j 1, empty user cache", build_j1, clean_and_cold, cold),
    ]
    print(f"shipped project, {len(list(html.glob('*.html')))} PDFs: {repeats} rounds of {len(steps)} paired runs")
    run_child("warming the user cache", build_j1, logs, env=warm)
    alone, j1, noop, alone2, j2, j1_cold = paired(steps, repeats, logs)
    our_speedup = pair_ratios(j1, j2)
    floor_speedup = pair_ratios(alone, alone2)
    return {
        "pdfs": len(list(html.glob("*.html"))),
        "repeats": repeats,
        "series": {s.label: s.as_dict() for s in (alone, j1, noop, alone2, j2, j1_cold)},
        "overhead_wall": pair_ratios(j1, alone),
        "overhead_cpu": pair_ratios(j1, alone, "cpu_seconds"),
        "overhead_cold_wall": pair_ratios(j1_cold, alone),
        "overhead_cold_cpu": pair_ratios(j1_cold, alone, "cpu_seconds"),
        "noop_seconds": noop.seconds,
        "noop_share": pair_ratios(noop, j1),
        "speedup_ours": our_speedup,
        "speedup_floor": floor_speedup,
        "efficiency": round(our_speedup / floor_speedup, 3) if floor_speedup else 0.0,
    }


def bench(out: Path, sizes: tuple[int, ...] = SIZES, repeats: int = REPEATS) -> dict:
    """Measure everything in one run; return the results (also written to out/results.json)."""
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    snapshot_package(out)
    results: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_at_start": os.getloadavg()[0],
        },
        "floor": floor(out, repeats),
        "corpus": {},
        "update": None,
    }
    if sizes:
        results["corpus"] = large_reports(out, sizes, out / "logs")
        results["update"] = update_against_msgmerge(out, sizes[-1], out / "logs")
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    return results


def _languages(root: Path) -> list[str]:
    import tomllib

    return list(tomllib.loads((root / "polypress.toml").read_text())["languages"])


def table(results: dict) -> str:
    """The figures as a plain-text table, aims beside them."""
    f = results["floor"]
    series = f["series"]
    j1, alone, noop = series["clean build -j 1"], series["WeasyPrint alone, 1 process"], series["no-op build"]
    j2, alone2 = series["clean build -j 2"], series["WeasyPrint alone, 2 processes"]
    n = f"medians of {f['repeats']} paired runs"
    found = [("measure", "wall", "CPU", "aim")]
    found.append((f"(a) clean build -j1, shipped project ({f['pdfs']} PDFs)", *_times(j1), ""))
    found.append(("(a) WeasyPrint alone, same print HTML, 1 process", *_times(alone), ""))
    found.append(
        (
            "(a) clean build / WeasyPrint alone",
            _x(f["overhead_wall"]),
            _x(f["overhead_cpu"]),
            _aim("≤", "overhead_cpu", "×"),
        )
    )
    cold = series.get("clean build -j 1, empty user cache")
    if cold:
        found.append(("(a) the same, user cache emptied before each run", *_times(cold), ""))
        found.append(
            ("(a) clean build, empty cache / WeasyPrint", _x(f["overhead_cold_wall"]), _x(f["overhead_cold_cpu"]), "")
        )
    found.append(("(b) no-op build", *_times(noop), f"≤ {AIMS['noop_seconds']} s"))
    found.append(("(b) no-op / clean build", _pc(f["noop_share"]), "", f"≤ {AIMS['noop_share']:.0%}"))
    found.append(("(c) clean build -j2", *_times(j2), ""))
    found.append(("(c) WeasyPrint alone, 2 processes", *_times(alone2), ""))
    found.append(
        ("(c) speed-up -j2 / -j1: ours, floor's", f"{_x(f['speedup_ours'])}, {_x(f['speedup_floor'])}", "", "")
    )
    found.append(("(c) parallel efficiency: ours / floor's", f"{f['efficiency']:.2f}", "", _aim("≥", "efficiency", "")))
    found += rows(results["corpus"], results["update"])
    width = [max(len(str(r[i])) for r in found) for i in range(4)]
    lines = [" | ".join(str(v).ljust(width[i]) for i, v in enumerate(r)) for r in found]
    lines.insert(1, "-+-".join("-" * w for w in width))
    load = results["machine"]["load_at_start"]
    lines.append(
        f"\n{n}, ratios are medians of per-pair ratios; {results['machine']['cpus']} cores, load {load:.1f} at start"
    )
    return "\n".join(lines)


def _times(series: dict) -> tuple[str, str]:
    return f"{series['median_seconds']:.2f} s", f"{series['median_cpu_seconds']:.2f} s"


def _x(value: float | None) -> str:
    return f"{value:.2f}×" if value else "–"


def _pc(value: float) -> str:
    return f"{100 * value:.1f} %"


def _aim(sign: str, name: str, unit: str) -> str:
    return f"{sign} {AIMS[name]:.2f}{unit}"


def main(out: Path | None = None, sizes: tuple[int, ...] = SIZES, repeats: int = REPEATS) -> int:
    out = out or ROOT / "build" / "bench"
    results = bench(out, sizes, repeats)
    print()
    print(table(results))
    print(f"\nevery run: {out / 'results.json'}")
    return 0
