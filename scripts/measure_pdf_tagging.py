"""Measure what polypress's tagger (formats/pdfua) costs against WeasyPrint's own tags: write time and size.

    .venv/bin/python scripts/measure_pdf_tagging.py [runs]

For each document and language, the same laid-out HTML is written to PDF with
WeasyPrint's tagger and with polypress's, alternately (paired runs), *runs*
times (default 7); prints the median write time of each, their ratio, and the
file sizes. Layout (``HTML.render()``), which both share, is measured once.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(runs: int) -> None:
    import weasyprint.pdf
    from weasyprint import HTML

    import polypress
    from polypress.formats.base import Deps, RenderRequest
    from polypress.formats.pdf import print_html
    from polypress.formats.pdfua import tagged_by_polypress
    from polypress.render.fonts import FontFiles

    project = polypress.load_project(ROOT)
    settings = project.settings
    print(
        f"{'edition':<16} {'pages':>5} {'layout s':>9} {'write WP s':>10} {'write ours s':>12} {'ratio':>6} {'WP bytes':>9} {'ours bytes':>10}"
    )
    for document in project.documents:
        for language in project.languages:
            edition, _ = project.edition(document, language)
            html, _ = print_html(RenderRequest(project.sources, edition, {}), FontFiles(settings), Deps())
            start = time.perf_counter()
            laid_out = HTML(string=html, base_url=settings.templates_dir.as_uri() + "/").render()
            layout = time.perf_counter() - start
            theirs, ours = [], []
            for _ in range(runs):
                start = time.perf_counter()
                plain = laid_out.write_pdf(pdf_variant="pdf/ua-1")
                theirs.append(time.perf_counter() - start)
                start = time.perf_counter()
                with tagged_by_polypress():
                    tagged = laid_out.write_pdf(pdf_variant="pdf/ua-1")
                ours.append(time.perf_counter() - start)
            assert weasyprint.pdf.add_tags.__module__ == "weasyprint.pdf.tags"
            a, b = statistics.median(theirs), statistics.median(ours)
            print(
                f"{language + '/' + document:<16} {len(laid_out.pages):>5} {layout:>9.3f} {a:>10.3f} {b:>12.3f} {b / a:>6.2f} {len(plain):>9} {len(tagged):>10}"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
