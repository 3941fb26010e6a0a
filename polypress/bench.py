"""Benchmark (not a test): the build against WeasyPrint alone, parallel speed-up, no-op rebuilds, update vs msgmerge.

Run as ``python -m polypress bench`` (``make bench``). Everything is written
under build/bench/: the generated corpus (scripts/generate_corpus.py), the
print HTML WeasyPrint renders alone, and results.json. Each measurement runs
in a child process; its wall time and peak memory (ru_maxrss from wait4) are
that child's own. Linux carries a process's peak RSS across exec, so this
parent imports nothing heavy: the children's figures start from a small floor.
The children run a snapshot of the package (build/bench/pkg), so an edit to
polypress/ during the run cannot make the no-op build re-render.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from polypress.settings import copy_sources

ROOT = Path(__file__).resolve().parent.parent
#: Translation units of the small and the large generated report (~50 and ~500 pages).
SIZES = (1000, 10000)

#: WeasyPrint alone: the same HTML, base URL and PDF options as polypress.formats.pdf, the stock URL fetcher.
WEASYPRINT_ALONE = """
import hashlib, sys
from pathlib import Path
from weasyprint import HTML
base, out = sys.argv[1], Path(sys.argv[2])
for name in sys.argv[3:]:
    html = Path(name).read_text(encoding="utf-8")
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    document = HTML(string=html, base_url=base).render()
    document.write_pdf(out / (Path(name).stem + ".pdf"), pdf_identifier=identifier, pdf_tags=True)
"""


@dataclass
class Run:
    """One child process: what it ran, how long it took, its peak memory."""

    label: str
    seconds: float
    #: User + system CPU time of the child and the workers it waited for: on a shared machine
    #: this is the steadier figure, wall time stretches with everyone else's load.
    cpu_seconds: float
    peak_mb: float
    ok: bool
    #: 1-minute load average when the run ended (the machine has os.cpu_count() cores).
    load: float = 0.0
    output: str = ""


#: Where the children import polypress from (a snapshot, see the module docstring).
_PACKAGE_SNAPSHOT: list[Path] = [ROOT]


def run_child(label: str, args: list[str], log_dir: Path) -> Run:
    """Run *args* and measure it alone: wall time and the child's own peak RSS."""
    log = log_dir / ("".join(c if c.isalnum() or c in "+-." else "_" for c in label) + ".log")
    with log.open("wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, cwd=_PACKAGE_SNAPSHOT[0])
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(errors="replace")
    run = Run(
        label,
        round(seconds, 2),
        round(usage.ru_utime + usage.ru_stime, 2),
        round(usage.ru_maxrss / 1024, 1),
        process.returncode == 0,
        round(os.getloadavg()[0], 2),
        text[-400:],
    )
    print(
        f"  {label}: {run.seconds:.2f} s wall, {run.cpu_seconds:.2f} s CPU, {run.peak_mb:.0f} MB, load {run.load:.1f}"
        + ("" if run.ok else "  FAILED"),
        flush=True,
    )
    return run


def polypress(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "polypress", "-C", str(root), *args]


def fresh(root: Path) -> Path:
    """Remove a project's build output, so the next build renders everything."""
    shutil.rmtree(root / "build", ignore_errors=True)
    return root


def copy_seed(target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    return copy_sources(ROOT, target)


def write_print_html(root: Path, languages: list[str], out: Path) -> list[Path]:
    """The print HTML polypress hands WeasyPrint, one file per edition (in a child: it imports WeasyPrint)."""
    args = [sys.executable, "-m", "polypress.bench", "print-html", str(root), str(out), *languages]
    subprocess.run(args, check=True, cwd=_PACKAGE_SNAPSHOT[0], stdout=subprocess.DEVNULL)
    return sorted(out.glob("*.html"))


def _dump_print_html(root: Path, out: Path, languages: list[str]) -> None:
    from polypress.formats.base import Deps, RenderRequest
    from polypress.formats.pdf import print_html
    from polypress.project import load_project
    from polypress.render.fonts import FontFiles

    project = load_project(root)
    fonts = FontFiles(project.settings)
    out.mkdir(parents=True, exist_ok=True)
    # WeasyPrint alone reads faces taken out of collections from disk, where polypress serves them from memory.
    for path in fonts.paths():
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(fonts.read(path) or b"")
    for language in languages:
        for slug in project.documents:
            edition, _ = project.edition(slug, language)
            html, _ = print_html(RenderRequest(project.sources, edition), fonts, Deps())
            (out / f"{slug}.{language}.html").write_text(html, encoding="utf-8")


def weasyprint_alone(label: str, root: Path, files: list[Path], work: Path) -> Run:
    pdfs = work / "weasyprint-pdf"
    pdfs.mkdir(parents=True, exist_ok=True)
    base = (root / "templates").as_uri() + "/"
    args = [sys.executable, "-c", WEASYPRINT_ALONE, base, str(pdfs), *map(str, files)]
    return run_child(label, args, work)


def pages(root: Path, path: str) -> int | None:
    manifest = json.loads((root / "build" / "site" / "manifest.json").read_text())
    return next((a.get("pages") for a in manifest["artifacts"] if a["path"] == path), None)


def ratio(a: Run, b: Run) -> float:
    return round(a.seconds / b.seconds, 3) if b.seconds else 0.0


def cpu_ratio(a: Run, b: Run) -> float:
    return round(a.cpu_seconds / b.cpu_seconds, 3) if b.cpu_seconds else 0.0


def bench(out: Path, sizes: tuple[int, ...] = SIZES) -> dict:
    """Measure everything in one run; return the results (also written to out/results.json)."""
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    logs = out / "logs"
    logs.mkdir(exist_ok=True)
    snapshot = out / "pkg"
    shutil.rmtree(snapshot, ignore_errors=True)
    shutil.copytree(ROOT / "polypress", snapshot / "polypress", ignore=shutil.ignore_patterns("__pycache__"))
    _PACKAGE_SNAPSHOT[0] = snapshot
    results: dict = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "seed": {},
        "corpus": {},
    }

    print("generating the corpus", flush=True)
    generate = [sys.executable, str(ROOT / "scripts" / "generate_corpus.py"), "--out", str(out), "--units"]
    subprocess.run([*generate, *map(str, sizes)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)

    print("seed documents (every language)", flush=True)
    seed = copy_seed(out / "seed")
    languages = list(_languages(seed))
    html = write_print_html(seed, languages, out / "html" / "seed")
    alone = weasyprint_alone("seed: WeasyPrint alone", seed, html, out / "html" / "seed")
    full = run_child("seed: full build -j 1", polypress(fresh(seed), "build", "-j", "1", "--quiet"), logs)
    noop = run_child("seed: no-op build", polypress(seed, "build", "-j", "1", "--quiet"), logs)
    results["seed"] = {"pdfs": len(html), **_overhead(alone, full, noop)}

    for units in sizes:
        root = out / f"p{units}"
        print(f"corpus: {units} translation units", flush=True)
        html = write_print_html(root, ["en"], out / "html" / f"p{units}")
        alone = weasyprint_alone(f"p{units}: WeasyPrint alone", root, html, out / "html" / f"p{units}")
        full = run_child(f"p{units}: full build -j 1", polypress(fresh(root), "build", "--lang", "en", "-j", "1"), logs)
        noop = run_child(f"p{units}: no-op build", polypress(root, "build", "--lang", "en", "-j", "1"), logs)
        results["corpus"][str(units)] = {
            "units": units,
            "pages": pages(root, "en/report.pdf") if full.ok else None,
            **_overhead(alone, full, noop),
        }

    small = out / f"p{sizes[0]}"
    print(f"parallel: p{sizes[0]} in English and French (two PDFs of equal length)", flush=True)
    both = ["--lang", "en", "--lang", "fr", "--quiet"]
    one = run_child(f"p{sizes[0]} en+fr: -j 1", polypress(fresh(small), "build", "-j", "1", *both), logs)
    two = run_child(f"p{sizes[0]} en+fr: -j 2", polypress(fresh(small), "build", "-j", "2", *both), logs)
    # Wall time is the point here: it means something only on an otherwise idle machine (see load).
    results["parallel"] = {"j1": asdict(one), "j2": asdict(two), "speedup": ratio(one, two)}

    results["update"] = _update(out, sizes[-1], logs)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    return results


def _languages(root: Path) -> list[str]:
    import tomllib

    return list(tomllib.loads((root / "polypress.toml").read_text())["languages"])


def _overhead(alone: Run, full: Run, noop: Run) -> dict:
    """The three timings of one corpus and the ratios the issue asks for."""
    return {
        "weasyprint_alone": asdict(alone),
        "full_build": asdict(full),
        "noop_build": asdict(noop),
        "overhead_ratio": ratio(full, alone),
        "overhead_ratio_cpu": cpu_ratio(full, alone),
        "noop_share": ratio(noop, full),
        "noop_share_cpu": cpu_ratio(noop, full),
    }


def _update(out: Path, units: int, logs: Path) -> dict:
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
    fuzzy = {
        "polypress": _count_fuzzy(work / "translations" / "fr" / "LC_MESSAGES" / "report.po"),
        "msgmerge": _count_fuzzy(merged / "report.po"),
    }
    return {
        "units": units,
        "polypress_update": asdict(ours),
        "msgmerge": {
            "seconds": seconds,
            "cpu_seconds": cpu,
            "peak_mb": max(r.peak_mb for r in gnu),
            "ok": all(r.ok for r in gnu),
        },
        "ratio": round(ours.seconds / seconds, 2) if seconds else None,
        "ratio_cpu": round(ours.cpu_seconds / cpu, 2) if cpu else None,
        "fuzzy_entries": fuzzy,
    }


def _count_fuzzy(path: Path) -> int | None:
    try:
        return sum(
            1 for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#,") and "fuzzy" in line
        )
    except OSError:
        return None


def table(results: dict) -> str:
    """The figures as a plain-text table, aims beside them; ratios by wall time and by CPU time."""
    rows = [("measure", "wall", "CPU", "aim")]
    seed = results["seed"]
    rows.append(
        (
            f"seed ({seed['pdfs']} PDFs): full build -j1 / WeasyPrint alone",
            _x(seed["overhead_ratio"]),
            _x(seed["overhead_ratio_cpu"]),
            "≤ 1.15",
        )
    )
    rows.append(("seed: no-op rebuild / full build", _pc(seed["noop_share"]), _pc(seed["noop_share_cpu"]), "≤ 5 %"))
    rows.append(("seed: no-op rebuild", _s(seed["noop_build"]["seconds"]), _s(seed["noop_build"]["cpu_seconds"]), ""))
    for size, c in results["corpus"].items():
        name = f"{size} units ({c['pages']} pages)"
        full, alone, noop = c["full_build"], c["weasyprint_alone"], c["noop_build"]
        rows.append((f"{name}: full build -j1", _s(full["seconds"]), _s(full["cpu_seconds"]), ""))
        rows.append((f"{name}: WeasyPrint alone", _s(alone["seconds"]), _s(alone["cpu_seconds"]), ""))
        rows.append(
            (f"{name}: build / WeasyPrint alone", _x(c["overhead_ratio"]), _x(c["overhead_ratio_cpu"]), "≤ 1.15")
        )
        rows.append((f"{name}: no-op rebuild", _s(noop["seconds"]), _s(noop["cpu_seconds"]), ""))
        rows.append((f"{name}: no-op / full build", _pc(c["noop_share"]), _pc(c["noop_share_cpu"]), "≤ 5 %"))
        rows.append((f"{name}: peak memory, build", f"{full['peak_mb']:.0f} MB", "", ""))
        rows.append((f"{name}: peak memory, WeasyPrint alone", f"{alone['peak_mb']:.0f} MB", "", ""))
    sizes = list(results["corpus"].values())
    if len(sizes) >= 2:
        small, large = sizes[0]["full_build"], sizes[-1]["full_build"]
        rows.append(
            (
                f"growth {sizes[0]['pages']} → {sizes[-1]['pages']} pages: build time, memory",
                f"×{large['seconds'] / small['seconds']:.1f}",
                f"×{large['cpu_seconds'] / small['cpu_seconds']:.1f}",
                f"memory ×{large['peak_mb'] / small['peak_mb']:.1f}",
            )
        )
    p = results["parallel"]
    rows.append(
        (
            f"speed-up, 2 equal PDFs, -j2 vs -j1 (load {p['j1']['load']:.1f}, {p['j2']['load']:.1f})",
            _x(p["speedup"]),
            "",
            "≥ 1.7",
        )
    )
    u = results["update"]
    rows.append(
        (
            f"update ({u['units']} units) / msgmerge",
            _x(u["ratio"]) if u["ratio"] else "failed",
            _x(u["ratio_cpu"]) if u["ratio_cpu"] else "",
            "≤ 2",
        )
    )
    rows.append(
        (
            "update, msgmerge",
            f"{_s(u['polypress_update']['seconds'])}, {_s(u['msgmerge']['seconds'])}",
            f"{_s(u['polypress_update']['cpu_seconds'])}, {_s(u['msgmerge']['cpu_seconds'])}",
            "",
        )
    )
    rows.append(
        (
            "fuzzy entries: update, msgmerge",
            f"{u['fuzzy_entries']['polypress']}, {u['fuzzy_entries']['msgmerge']}",
            "",
            "",
        )
    )
    width = [max(len(str(r[i])) for r in rows) for i in range(4)]
    lines = [" | ".join(str(v).ljust(width[i]) for i, v in enumerate(r)) for r in rows]
    lines.insert(1, "-+-".join("-" * w for w in width))
    return "\n".join(lines)


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def _x(value: float | None) -> str:
    return f"{value:.2f}×" if value is not None else "–"


def _pc(value: float) -> str:
    return f"{100 * value:.1f} %"


def main(out: Path | None = None, sizes: tuple[int, ...] = SIZES) -> int:
    out = out or ROOT / "build" / "bench"
    results = bench(out, sizes)
    print()
    print(table(results))
    print()
    print(json.dumps(results, indent=2))
    print(f"\nwritten to {out / 'results.json'}")
    return 0


if __name__ == "__main__" and sys.argv[1:2] == ["print-html"]:
    _dump_print_html(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4:])
