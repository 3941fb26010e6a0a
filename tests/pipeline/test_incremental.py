"""Incremental builds: after a change, exactly the outputs that read it are rendered again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from polypress.i18n.po import po_path
from polypress.pipeline.progress import Progress
from polypress.pipeline.run import build as build_site
from polypress.sources import load_sources
from tests.conftest import pdf_text, run_cli
from tests.pipeline.conftest import FRENCH, FRENCH_HTML, FRENCH_PDFS, build, change_msgstr


def test_a_build_with_nothing_changed_renders_nothing(fr_project: Path) -> None:
    report = build(fr_project)
    assert report.rendered == []
    assert set(report.reused) == FRENCH


def test_a_build_with_nothing_changed_writes_nothing_not_even_the_site_pages(fr_project: Path) -> None:
    build(fr_project)  # the first build after a copy records the site as it is
    report = build(fr_project)
    assert report.written == []
    assert {a.path for a in report.artifacts} >= {"fr/index.html", "fr/hld-series.pdf", "status.html"}


def test_a_site_file_removed_or_a_site_template_changed_assembles_the_site_again(fr_project: Path) -> None:
    build(fr_project)
    (fr_project / "build/site/fr/index.html").unlink()
    report = build(fr_project)
    assert "build/site/fr/index.html" in report.written
    index = fr_project / "templates/index.html"
    index.write_text(index.read_text().replace('<section class="reports"', '<!-- changed --><section class="reports"'))
    report = build(fr_project)
    assert report.rendered == []
    assert "<!-- changed -->" in (fr_project / "build/site/fr/index.html").read_text()


def test_a_french_document_translation_change_renders_only_that_documents_french_outputs(fr_project: Path) -> None:
    change_msgstr(fr_project, "hld-series", None, "Une traduction révisée.")
    report = build(fr_project)
    assert set(report.rendered) == {"hld-series.fr.pdf", "hld-series.fr.html", "hld-series.fr.epub"}
    assert "a-res-68-4.fr.pdf" in report.reused


def test_a_template_string_only_the_web_page_shows_renders_only_web_pages(fr_project: Path) -> None:
    change_msgstr(fr_project, "templates", "Skip to content", "Aller directement au texte")
    report = build(fr_project)
    assert set(report.rendered) == FRENCH_HTML
    assert "Aller directement au texte" in (fr_project / "build/site/fr/hld-series.html").read_text()


def test_a_print_stylesheet_change_renders_the_pdfs_and_not_the_web_pages(fr_project: Path) -> None:
    with (fr_project / "templates/css/print.css").open("a") as css:
        css.write("\n/* a comment changes the file, not the PDF */\n")
    report = build(fr_project)
    # The PDFs come out byte-identical, so the pages that show their size stay as they are.
    assert set(report.rendered) == FRENCH_PDFS


def test_a_site_stylesheet_change_renders_nothing_and_updates_the_asset(fr_project: Path) -> None:
    with (fr_project / "templates/css/site.css").open("a") as css:
        css.write("\n.changed { color: red; }\n")
    report = build(fr_project)
    assert report.rendered == []
    assert ".changed" in (fr_project / "build/site/assets/site.css").read_text()


def test_a_removed_output_is_rendered_again(fr_project: Path) -> None:
    pdf = fr_project / "build/site/fr/hld-series.pdf"
    pdf.unlink()
    report = build(fr_project)
    assert report.rendered == ["hld-series.fr.pdf"]
    assert pdf.is_file()


def test_an_error_in_a_render_worker_is_reported_located_without_a_traceback(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    css = project / "templates/css/print.css"
    css.write_text('@import url("file:///etc/hostname");\n' + css.read_text())
    assert run_cli("-C", str(project), "build", "--lang", "fr", "--jobs", "2", "--quiet") == 1
    err = capsys.readouterr().err
    assert "refused to fetch file:///etc/hostname" in err
    assert err.splitlines()[-1].startswith("content/")
    assert "Traceback" not in err


def test_a_reused_output_repeats_the_warnings_of_its_last_render(fr_project: Path) -> None:
    # A template string's fallback is only seen while rendering, unlike a document unit's.
    change_msgstr(fr_project, "templates", "United Nations", "")
    template_fallback = "translations/fr/LC_MESSAGES/templates.po"
    first = build(fr_project)
    assert any(w.category == "fallback" and w.path == template_fallback for w in first.warnings)
    again = build(fr_project)
    assert again.rendered == []
    assert any(w.category == "fallback" and w.path == template_fallback for w in again.warnings)
    # So --strict still refuses the project when nothing had to be rendered again.
    assert run_cli("-C", str(fr_project), "build", "--lang", "fr", "--strict", "--quiet") == 1


# -- the build's stamp: nothing changed is known from file metadata; a change is never taken on trust --


def cli_build(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert run_cli("-C", str(root), "build", "--lang", "fr", "-j", "1", *args) == 0
    return capsys.readouterr().out


def test_a_command_line_build_with_nothing_changed_reports_the_last_build_and_writes_nothing(
    fr_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_build(fr_project, capsys)  # the copy's files are new inodes: this build records them
    sums = (fr_project / "build/site/SHA256SUMS").stat()
    out = cli_build(fr_project, capsys)
    assert f"0 rendered, {len(FRENCH)} up to date" in out and "wrote " not in out
    assert (fr_project / "build/site/SHA256SUMS").stat().st_mtime_ns == sums.st_mtime_ns


def test_a_catalogue_edited_with_its_size_and_time_put_back_is_rebuilt(
    fr_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What `cp -p`, `rsync -t` or an editor that restores the time can do: only the content says it changed."""
    cli_build(fr_project, capsys)
    path = po_path(fr_project / "translations", "fr", "hld-series")
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert 'msgstr "Organisation internationale' in text
    path.write_text(text.replace('msgstr "Organisation', 'msgstr "ORGANISATION', 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    out = cli_build(fr_project, capsys)
    assert "rendered, " in out and "0 rendered" not in out
    assert "ORGANISATION" in pdf_text(fr_project / "build/site/fr/hld-series.pdf")


def test_a_catalogue_saved_again_unchanged_renders_nothing(
    fr_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_build(fr_project, capsys)
    path = po_path(fr_project / "translations", "fr", "hld-series")
    path.write_bytes(path.read_bytes())  # new times, same bytes: read and compared, not rebuilt
    assert f"0 rendered, {len(FRENCH)} up to date" in cli_build(fr_project, capsys)


def test_a_command_line_build_with_other_options_is_not_taken_for_the_last_one(
    fr_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_build(fr_project, capsys)
    out = cli_build(fr_project, capsys, "--pdf-variant", "pdf/a-3b")
    assert "rendered, " in out and "0 rendered" not in out


def test_a_language_on_the_site_that_the_lost_state_does_not_know_is_built_again_not_dropped(fr_project: Path):
    """`build --lang en` after build/.state.json was lost: French is still on the site, so it is built again
    with this build, with a warning naming it, and stays in the manifest."""
    (fr_project / "build" / ".state.json").unlink()
    sources = load_sources(fr_project)
    report = build_site(sources, ["en"], 2, Progress(quiet=True), documents=["a-res-68-4"])
    assert any("does not know the fr files on the site: built again" in w.message for w in report.warnings)
    assert {"a-res-68-4.fr.pdf", "a-res-68-4.en.pdf"} <= set(report.rendered)
    listed = (fr_project / "build" / "site" / "manifest.json").read_text(encoding="utf-8")
    assert "fr/a-res-68-4.pdf" in listed and "en/a-res-68-4.pdf" in listed
