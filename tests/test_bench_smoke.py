"""The benchmark corpus generator: a valid project, fully translated, with a revision for `update` to merge."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from polypress.content.reader import read_document
from polypress.i18n.po import load_po
from polypress.i18n.translate import translate_document
from polypress.sources import load_sources

ROOT = Path(__file__).resolve().parent.parent


def generate(out: Path, units: int) -> Path:
    script = ROOT / "scripts" / "generate_corpus.py"
    subprocess.run([sys.executable, str(script), "--out", str(out), "--units", str(units)], check=True)
    return out / f"p{units}"


def test_the_generated_report_has_the_requested_units_all_translated_into_french(tmp_path: Path) -> None:
    root = generate(tmp_path, 120)
    sources = load_sources(root)
    (report,) = sources.documents
    assert len(list(report.units())) == 120
    _, coverage, warnings = translate_document(
        report, "fr", sources.translations("fr", "report"), sources.catalog_display("fr", "report")
    )
    assert coverage.translated == 120
    assert warnings == []


def test_the_revision_edits_about_one_paragraph_in_twenty(tmp_path: Path) -> None:
    root = generate(tmp_path, 400)
    original = {u.text for u in read_document(root / "content" / "report.md", root).units()}
    revised_path = root / "content" / "revised.md"
    revised_path.write_text((tmp_path / "p400-revised.md").read_text())
    revised = [u.text for u in read_document(revised_path, root).units()]
    changed = [text for text in revised if text not in original]
    assert 15 <= len(changed) <= 25
    assert all(" revised " in text for text in changed)
    catalog = load_po(root / "translations" / "fr" / "LC_MESSAGES" / "report.po", "report.po", "fr")
    assert not any(text in catalog for text in changed)
