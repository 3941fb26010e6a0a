"""The large generated reports (~50 and ~500 pages): the build against WeasyPrint alone, no-op, update vs msgmerge.

Single runs each (a 500-page report takes minutes): the shipped project's
paired figures (bench/__init__.py) are the steady ones.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from polypress.bench.floor import weasyprint_alone, write_print_html
from polypress.bench.measure import ROOT, Run, polypress, run_child
from polypress.settings import copy_sources


def pages(root: Path, path: str) -> int | None:
    manifest = json.loads((root / "build" / "site" / "manifest.json").read_text())
    return next((a.get("pages") for a in manifest["artifacts"] if a["path"] == path), None)


def ratio(a: Run, b: Run, attribute: str = "seconds") -> float:
    return round(getattr(a, attribute) / getattr(b, attribute), 3) if getattr(b, attribute) else 0.0


def large_reports(out: Path, sizes: tuple[int, ...], logs: Path) -> dict:
    """(d): each generated report in English: full build, WeasyPrint alone on its print HTML, no-op."""
    print("generating the corpus", flush=True)
    generate = [sys.executable, str(ROOT / "scripts" / "generate_corpus.py"), "--out", str(out), "--units"]
    subprocess.run([*generate, *map(str, sizes)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    results = {}
    for units in sizes:
        root = out / f"p{units}"
        print(f"corpus: {units} translation units", flush=True)
        html = write_print_html(root, ["en"], out / "html" / f"p{units}")
        alone = weasyprint_alone(f"p{units}: WeasyPrint alone", root, [html], out / "html" / f"p{units}")
        shutil.rmtree(root / "build", ignore_errors=True)
        full = run_child(f"p{units}: full build -j 1", polypress(root, "build", "--lang", "en", "-j", "1"), logs)
        noop = run_child(f"p{units}: no-op build", polypress(root, "build", "--lang", "en", "-j", "1"), logs)
        results[str(units)] = {
            "units": units,
            "pages": pages(root, "en/report.pdf") if full.ok else None,
            "weasyprint_alone": asdict(alone),
            "full_build": asdict(full),
            "noop_build": asdict(noop),
            "overhead_ratio": ratio(full, alone),
            "overhead_ratio_cpu": ratio(full, alone, "cpu_seconds"),
            "noop_share": ratio(noop, full),
        }
    return results


def update_against_msgmerge(out: Path, units: int, logs: Path) -> dict:
    """`polypress update` on the revised large report vs GNU msgmerge on the same catalogues."""
    print(f"update: p{units} revised (every 20th paragraph edited), French", flush=True)
    original = out / f"p{units}"
    work = out / "update"
    shutil.rmtree(work, ignore_errors=True)
    copy_sources(original, work)
    shutil.copy2(out / f"p{units}-revised.md", work / "content" / "report.md")
    ours = run_child(f"p{units}: polypress update", polypress(work, "update", "--lang", "fr"), logs)
    merged = out / "msgmerge"
    merged.mkdir(exist_ok=True)
    gnu = []
    for domain in ("report", "templates"):
        old = original / "translations" / "fr" / "LC_MESSAGES" / f"{domain}.po"
        pot = work / "translations" / f"{domain}.pot"
        args = ["msgmerge", "--previous", "--quiet", "-o", str(merged / f"{domain}.po"), str(old), str(pot)]
        gnu.append(run_child(f"p{units}: msgmerge {domain}", args, logs))
    seconds = round(sum(r.seconds for r in gnu), 2)
    cpu = round(sum(r.cpu_seconds for r in gnu), 2)
    return {
        "units": units,
        "polypress_update": asdict(ours),
        "msgmerge": {"seconds": seconds, "cpu_seconds": cpu, "ok": all(r.ok for r in gnu)},
        "ratio": round(ours.seconds / seconds, 2) if seconds else None,
        "ratio_cpu": round(ours.cpu_seconds / cpu, 2) if cpu else None,
        "fuzzy_entries": {
            "polypress": _count_fuzzy(work / "translations" / "fr" / "LC_MESSAGES" / "report.po"),
            "msgmerge": _count_fuzzy(merged / "report.po"),
        },
    }


def _count_fuzzy(path: Path) -> int | None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return sum(1 for line in lines if line.startswith("#,") and "fuzzy" in line)


def rows(corpus: dict, update: dict | None) -> list[tuple[str, str, str, str]]:
    """Table rows for (d)."""
    found = []
    for size, c in corpus.items():
        name = f"(d) {size} units ({c['pages']} pages)"
        full, alone, noop = c["full_build"], c["weasyprint_alone"], c["noop_build"]
        found.append((f"{name}: full build -j1", _s(full["seconds"]), _s(full["cpu_seconds"]), ""))
        found.append((f"{name}: WeasyPrint alone", _s(alone["seconds"]), _s(alone["cpu_seconds"]), ""))
        found.append((f"{name}: build / WeasyPrint alone", _x(c["overhead_ratio"]), _x(c["overhead_ratio_cpu"]), ""))
        found.append((f"{name}: no-op rebuild", _s(noop["seconds"]), _s(noop["cpu_seconds"]), ""))
        found.append(
            (f"{name}: peak memory, build / WeasyPrint", f"{full['peak_mb']:.0f} / {alone['peak_mb']:.0f} MB", "", "")
        )
    if update:
        found.append(
            (
                f"(d) update ({update['units']} units) / msgmerge",
                _x(update["ratio"]),
                _x(update["ratio_cpu"]),
                "≤ 2",
            )
        )
        fuzzy = update["fuzzy_entries"]
        found.append(("(d) fuzzy entries: update, msgmerge", f"{fuzzy['polypress']}, {fuzzy['msgmerge']}", "", ""))
    return found


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def _x(value: float | None) -> str:
    return f"{value:.2f}×" if value else "–"
