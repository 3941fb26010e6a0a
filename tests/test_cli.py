"""The command line: one document built on its own, the files it wrote printed, --quiet, numbers checked."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from polypress.cli import main
from tests.conftest import ROOT, run_cli


def test_build_doc_renders_one_document_prints_what_it_wrote_and_keeps_the_others(project: Path, capsys):
    assert run_cli("-C", str(project), "build", "--lang", "fr", "--doc", "hld-series", "-j", "1") == 0
    out = capsys.readouterr().out
    assert "wrote build/site/fr/hld-series.pdf" in out
    assert "a-res-68-4" not in out
    site = project / "build" / "site"
    assert (site / "fr" / "hld-series.pdf").is_file() and not (site / "fr" / "a-res-68-4.pdf").exists()


def test_quiet_keeps_a_command_to_errors_and_warnings(project: Path, capsys):
    assert run_cli("-C", str(project), "update", "--lang", "fr", "--quiet") == 0
    assert run_cli("-C", str(project), "xliff", "export", "-q", "--lang", "fr", "--out", str(project / "x")) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    "args",
    [["build", "--jobs", "-3"], ["stats", "--min", "101"], ["serve", "--port", "70000"], ["bench", "--units", "0"]],
)
def test_a_number_out_of_range_is_refused_before_anything_runs(args, capsys):
    with pytest.raises(SystemExit) as exit:
        main(args)
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert "out of range" in err or "not a percentage" in err


def test_an_unknown_document_names_the_known_ones(project: Path, capsys):
    assert run_cli("-C", str(project), "build", "--doc", "no-such-doc") == 1
    assert "no-such-doc" in capsys.readouterr().err


def test_polypress_is_a_console_script_that_runs_the_command_line():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    module, _, function = scripts["polypress"].partition(":")
    assert getattr(__import__(module, fromlist=[function]), function) is main


#: Runs the command line, then names the heavy libraries the process imported.
IMPORTED_AFTER = (
    "import sys; from polypress.cli import main; status = main(sys.argv[1:]); "
    "print(sorted(m for m in ('weasyprint', 'jinja2', 'markdown_it', 'fontTools', 'distributed') if m in sys.modules)); "
    "sys.exit(status)"
)


def test_a_build_with_nothing_to_do_starts_no_renderer_and_writes_nothing(built_project: Path) -> None:
    command = [sys.executable, "-c", IMPORTED_AFTER, "-C", str(built_project), "build"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    *lines, imported = result.stdout.strip().splitlines()
    assert "wrote " not in result.stdout and ": 0 rendered, " in lines[-1]
    assert imported == "[]"
