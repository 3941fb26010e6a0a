"""The floor: WeasyPrint alone rendering the print HTML polypress gives it, in one process or several.

The HTML, base URL and PDF options are polypress.formats.pdf's; the fetcher is
WeasyPrint's own, reading faces taken out of collections from disk (polypress
serves them from memory). What polypress costs beyond this is its overhead.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from polypress.bench.measure import PACKAGE_SNAPSHOT, Run, run_child

#: One process rendering its HTML files in turn (argv: base URL, output folder, HTML files).
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

#: N such processes at once, the files shared out largest first to the least loaded (argv: N, then as above).
WEASYPRINT_PROCESSES = """
import subprocess, sys
from pathlib import Path
count, base, out, files = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
shares = [[] for _ in range(count)]
sizes = [0] * count
for name in sorted(files, key=lambda f: -Path(f).stat().st_size):
    least = sizes.index(min(sizes))
    shares[least].append(name)
    sizes[least] += Path(name).stat().st_size
children = [subprocess.Popen([sys.executable, "-c", SCRIPT, base, out, *share]) for share in shares if share]
sys.exit(max(child.wait() for child in children))
"""


def write_print_html(root: Path, languages: list[str], out: Path) -> Path:
    """The print HTML polypress hands WeasyPrint, one file per edition (in a child: it imports WeasyPrint)."""
    args = [sys.executable, "-m", "polypress.bench", "print-html", str(root), str(out), *languages]
    subprocess.run(args, check=True, cwd=PACKAGE_SNAPSHOT[0], stdout=subprocess.DEVNULL)
    return out


def dump_print_html(root: Path, out: Path, languages: list[str]) -> None:
    from polypress.formats.base import Deps, RenderRequest
    from polypress.formats.pdf import print_html
    from polypress.project import load_project
    from polypress.render.fonts import FontFiles

    project = load_project(root)
    fonts = FontFiles(project.settings)
    out.mkdir(parents=True, exist_ok=True)
    for path in fonts.paths():
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(fonts.read(path) or b"")
    for language in languages:
        for slug in project.documents:
            edition, _ = project.edition(slug, language)
            html, _ = print_html(RenderRequest(project.sources, edition), fonts, Deps())
            (out / f"{slug}.{language}.html").write_text(html, encoding="utf-8")


def weasyprint_command(root: Path, html_dirs: list[Path], work: Path, processes: int = 1) -> list[str]:
    """The command that renders every HTML file of *html_dirs* with WeasyPrint alone, in *processes* processes."""
    pdfs = work / f"weasyprint-pdf-{processes}"
    pdfs.mkdir(parents=True, exist_ok=True)
    base = (root / "templates").as_uri() + "/"
    files = sorted(str(f) for d in html_dirs for f in d.glob("*.html"))
    if processes == 1:
        return [sys.executable, "-c", WEASYPRINT_ALONE, base, str(pdfs), *files]
    script = f"SCRIPT = {WEASYPRINT_ALONE!r}\n" + WEASYPRINT_PROCESSES
    return [sys.executable, "-c", script, str(processes), base, str(pdfs), *files]


def weasyprint_alone(label: str, root: Path, html_dirs: list[Path], work: Path) -> Run:
    return run_child(label, weasyprint_command(root, html_dirs, work), work)
