"""Bad input stops the build with `path:line: what is wrong — what to do`, and loses nothing.

Each case breaks one input of a project that was built before, runs the command
line as a user would (a separate process), and checks the message, the exit
status, that no traceback is shown, and that build/ is byte for byte what the
previous build left.
"""

from __future__ import annotations

import contextlib
import io
import re
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from polypress.cli import main
from tests.conftest import ROOT

BAD = Path(__file__).parent / "bad_inputs"
#: `path:line: message — hint` (the line is left out only where no line exists, e.g. a folder).
MESSAGE = re.compile(r"^(?P<path>[^\s:][^:]*?)(?::(?P<line>\d+))?: (?P<message>.+?) — (?P<hint>.+)$", re.M)


def polypress(project: Path, *args: str, limit_file_size: int | None = None) -> subprocess.CompletedProcess:
    """Run the command line in its own process, as `make` does: what a user sees on stderr."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))

    command = [sys.executable, "-X", "faulthandler", "-m", "polypress", "-C", str(project), *args]
    with subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=limit if limit_file_size else None,
    ) as process:
        try:
            out, err = process.communicate(timeout=300)
        except subprocess.TimeoutExpired:
            # A build that hangs (seen once in a suite run, not reproduced) says where: SIGABRT makes Python's
            # fault handler print every thread's stack before the process dies.
            process.send_signal(signal.SIGABRT)
            out, err = process.communicate()
            pytest.fail(f"`polypress {' '.join(args)}` did not end in 300 s; its threads:\n{err[-20000:]}")
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def build(project: Path, *args: str) -> subprocess.CompletedProcess:
    """``polypress build`` in this process (no interpreter start-up per case); any escaping exception fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["-C", str(project), "build", "--quiet", *args])
    return subprocess.CompletedProcess(args, status, out.getvalue(), err.getvalue())


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under *folder* with its bytes (the lock file's PID line aside)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


@pytest.fixture
def built(built_project: Path, tmp_path: Path) -> Path:
    """A private copy of the session's built project, build/ included: the "previous site" to keep intact."""
    target = tmp_path / "project"
    shutil.copytree(built_project, target, symlinks=True)
    return target


def assert_refused(result: subprocess.CompletedProcess, path: str, words: str, line: int | None = None) -> re.Match:
    """The build failed the way the README promises: located message with a hint, no traceback."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    found = [m for m in MESSAGE.finditer(result.stderr) if m["path"].endswith(path)]
    assert found, f"no `{path}:line: message — hint` in:\n{result.stderr}"
    match = found[0]
    assert words.lower() in match["message"].lower(), match.group(0)
    if line is not None:
        assert match["line"] == str(line), match.group(0)
    return match


def po_target(project: Path, language: str = "fr", domain: str = "templates") -> Path:
    return project / "translations" / language / "LC_MESSAGES" / f"{domain}.po"


# -- catalogues --------------------------------------------------------------------------------

PO_CASES = [
    ("po-syntax.po", "", 14),
    ("po-unterminated-string.po", "unterminated", 11),
    ("po-wrong-language.po", 'Language "de"', 1),
    ("po-charset.po", "charset is iso-8859-1", 1),
    ("po-not-utf8.po", "not UTF-8", 11),
    ("po-plural-forms.po", "nplurals=3", 1),
    ("po-plural-count.po", "plural forms", 12),
    # The plural rule is a translator's C expression: unreadable or dividing by zero is located, never a crash.
    ("po-plural-unbalanced.po", "unreadable Plural-Forms expression", 5),
    ("po-plural-divides.po", "fails for n=1", 5),
]


@pytest.mark.parametrize(("name", "words", "line"), PO_CASES, ids=[c[0] for c in PO_CASES])
def test_a_malformed_catalogue_is_named_with_its_line(built: Path, name: str, words: str, line: int | None) -> None:
    before = snapshot(built / "build")
    shutil.copy(BAD / name, po_target(built))
    result = build(built, "--lang", "fr")
    assert_refused(result, "translations/fr/LC_MESSAGES/templates.po", words, line)
    assert snapshot(built / "build") == before


def test_catalogues_for_a_language_that_is_not_configured(built: Path) -> None:
    before = snapshot(built / "build")
    folder = built / "translations" / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(BAD / "po-wrong-language.po", folder / "templates.po")
    result = build(built, "--lang", "en")
    match = assert_refused(result, "translations/de", "not a configured language")
    assert "add-language de" in match["hint"]
    assert snapshot(built / "build") == before


def test_a_catalogue_for_a_document_that_does_not_exist(built: Path) -> None:
    before = snapshot(built / "build")
    shutil.copy(po_target(built, "fr", "hld-series"), po_target(built, "fr", "hld-serie"))
    result = build(built, "--lang", "fr")
    match = assert_refused(result, "translations/fr/LC_MESSAGES/hld-serie.po", "unknown document 'hld-serie'")
    assert "hld-series" in match["hint"]
    assert snapshot(built / "build") == before


# -- content -----------------------------------------------------------------------------------

CONTENT_CASES = [
    ("content-unclosed-header.md", "not closed", 1),
    ("content-bad-toml.md", "not valid TOML", 3),
    ("content-missing-symbol.md", "needs `symbol`", 1),
    ("content-bad-date.md", "`adopted` must be a date", 8),
    # A figure is found before anything is rendered, and named at the line that shows it.
    ("content-missing-figure.md", "'figures/nowhere.svg' does not exist", 7),
    ("content-figure-outside.md", "is outside the project", 7),
]


@pytest.mark.parametrize(("name", "words", "line"), CONTENT_CASES, ids=[c[0] for c in CONTENT_CASES])
def test_a_broken_source_is_named_with_its_line(built: Path, name: str, words: str, line: int) -> None:
    before = snapshot(built / "build")
    shutil.copy(BAD / name, built / "content" / "extra.md")
    result = build(built, "--lang", "en")
    assert_refused(result, "content/extra.md", words, line)
    assert snapshot(built / "build") == before


def test_a_character_no_font_has_is_named_with_its_line(built: Path) -> None:
    before = snapshot(built / "build")
    shutil.copy(BAD / "content-no-glyph.md", built / "content" / "extra.md")
    result = build(built, "--lang", "en")
    match = assert_refused(result, "content/extra.md", "U+4E2D", 6)
    assert "font" in match["hint"]
    assert snapshot(built / "build") == before


def test_a_missing_font_file_is_named(built: Path) -> None:
    before = snapshot(built / "build")
    settings = built / "polypress.toml"
    text = settings.read_text()
    regular = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
    assert regular in text
    settings.write_text(text.replace(regular, "/usr/share/fonts/truetype/nowhere/Missing-Regular.ttf"))
    result = build(built, "--lang", "en")
    match = assert_refused(result, "Missing-Regular.ttf", "font file not found")
    assert "polypress.toml" in match["hint"]
    assert snapshot(built / "build") == before


# -- templates ---------------------------------------------------------------------------------


def test_a_template_syntax_error_is_named_with_its_line(built: Path) -> None:
    before = snapshot(built / "build")
    shutil.copy(BAD / "template-syntax.html", built / "templates" / "print.html")
    # As `make` runs it, with two render workers: the error crosses a process boundary and keeps its location.
    result = polypress(built, "build", "--lang", "en", "--jobs", "2", "--quiet")
    assert_refused(result, "templates/print.html", "syntax error", 4)
    assert snapshot(built / "build") == before


def test_an_undefined_template_variable_is_named_with_its_line(built: Path) -> None:
    before = snapshot(built / "build")
    shutil.copy(BAD / "template-undefined.html", built / "templates" / "document.html")
    result = build(built, "--lang", "en", "--jobs", "1")
    assert_refused(result, "templates/document.html", "publication_notice", 4)
    assert snapshot(built / "build") == before


def test_an_undefined_variable_in_an_e_book_template_is_named_with_its_line(built: Path) -> None:
    """Any template of the project, whatever its suffix (.xhtml here), is located at its line."""
    before = snapshot(built / "build")
    shutil.copy(BAD / "template-epub-undefined.xhtml", built / "templates" / "epub" / "nav.xhtml")
    result = build(built, "--lang", "en", "--jobs", "1")
    assert_refused(result, "templates/epub/nav.xhtml", "table_of_contents_title", 4)
    assert snapshot(built / "build") == before


def test_a_failure_late_in_the_build_puts_back_what_it_had_replaced(built: Path) -> None:
    """PDFs are written before the web pages; a web page that fails must not leave new PDFs beside old pages."""
    before = snapshot(built / "build")
    source = built / "content" / "hld-series.md"
    source.write_text(source.read_text().replace("Please click", "Please select"))
    shutil.copy(BAD / "template-undefined.html", built / "templates" / "document.html")
    result = build(built, "--lang", "en", "--jobs", "1")
    assert_refused(result, "templates/document.html", "publication_notice", 4)
    assert snapshot(built / "build") == before


# -- files that cannot be read, output that cannot be written ----------------------------------


def test_an_unreadable_catalogue_is_named(built: Path) -> None:
    """Tests run as root, whom chmod 000 does not stop: a folder where the file belongs cannot be read either."""
    before = snapshot(built / "build")
    target = po_target(built)
    target.unlink()
    target.mkdir()
    result = build(built, "--lang", "fr")
    assert_refused(result, "translations/fr/LC_MESSAGES/templates.po", "cannot read")
    assert snapshot(built / "build") == before


def test_an_unreadable_source_is_named(built: Path) -> None:
    before = snapshot(built / "build")
    (built / "content" / "extra.md").mkdir()
    result = build(built, "--lang", "en")
    assert_refused(result, "content/extra.md", "cannot read")
    assert snapshot(built / "build") == before


def test_an_output_path_that_is_in_the_way(built: Path) -> None:
    """A folder where a page must go: the build names it and puts back the files it had replaced."""
    page = built / "build" / "site" / "en" / "hld-series.html"
    page.unlink()
    page.mkdir()
    (page / "keep.txt").write_text("someone's notes\n")
    before = snapshot(built / "build")
    source = built / "content" / "hld-series.md"
    source.write_text(source.read_text().replace("Please click", "Please select"))
    result = build(built, "--lang", "en", "--jobs", "1")
    assert_refused(result, "build/site/en/hld-series.html", "cannot write")
    assert snapshot(built / "build") == before
    assert not list((built / "build").rglob("*.tmp"))


def test_a_full_disk_loses_nothing(built: Path) -> None:
    """RLIMIT_FSIZE makes writes past 20 kB fail as a full disk would, in the build's process only.

    WeasyPrint's own temporary font files are the first to hit the limit; the message says what to do.
    """
    before = snapshot(built / "build")
    source = built / "content" / "a-res-68-4.md"
    source.write_text(source.read_text().replace("*Recognize*", "*Recognizing*", 1))
    result = polypress(built, "build", "--lang", "en", "--jobs", "1", "--quiet", limit_file_size=20_000)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.search(r"cannot .*: File too large — .*free", result.stderr), result.stderr
    assert snapshot(built / "build") == before
    assert not list((built / "build").rglob("*.tmp"))


WRITE_PAST_LIMIT = """
import resource, sys
from pathlib import Path
from polypress.errors import OutputError
from polypress.writer import write_atomic
target = Path(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
try:
    write_atomic(target, b"n" * 30_000)
except OutputError as exc:
    print(exc)
"""


def test_an_output_file_the_disk_cannot_hold_is_named_and_the_old_one_kept(tmp_path: Path) -> None:
    target = tmp_path / "site" / "en" / "report.pdf"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"the previous release\n")
    result = subprocess.run(
        [sys.executable, "-c", WRITE_PAST_LIMIT, str(target)], cwd=ROOT, capture_output=True, text=True
    )
    assert f"{target}: cannot write: File too large — " in result.stdout, result.stdout + result.stderr
    assert target.read_bytes() == b"the previous release\n"
    assert [p.name for p in target.parent.iterdir()] == ["report.pdf"]


def test_a_build_folder_that_is_a_file(built: Path) -> None:
    shutil.rmtree(built / "build")
    (built / "build").write_text("not a folder\n")
    result = build(built, "--lang", "en")
    assert_refused(result, "build/.lock", "cannot create the build lock")
    assert (built / "build").read_text() == "not a folder\n"


# -- what the user sees ------------------------------------------------------------------------


def test_debug_shows_the_traceback(built: Path) -> None:
    shutil.copy(BAD / "content-missing-symbol.md", built / "content" / "extra.md")
    result = polypress(built, "--debug", "build", "--lang", "en", "--quiet")
    assert result.returncode != 0
    assert "Traceback" in result.stderr
    assert "ContentError" in result.stderr


def test_a_bug_is_reported_as_one_line_that_asks_for_debug(tmp_path: Path) -> None:
    """An unexpected exception is ours, not the user's: one line, exit status 2, the traceback behind --debug."""
    script = (
        "import sys, polypress.cli as cli\n"
        "def broken(args):\n"
        "    raise ZeroDivisionError('a bug')\n"
        "parser = cli._parser\n"
        "def patched():\n"
        "    p = parser()\n"
        "    p.set_defaults(run=broken)\n"
        "    return p\n"
        "cli._parser = patched\n"
        "sys.exit(cli.main(sys.argv[1:]))\n"
    )
    plain = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert plain.returncode == 2
    assert "Traceback" not in plain.stderr
    assert "internal error: ZeroDivisionError: a bug" in plain.stderr
    assert "--debug" in plain.stderr
    debug = subprocess.run([sys.executable, "-c", script, "--debug"], cwd=ROOT, capture_output=True, text=True)
    assert "Traceback" in debug.stderr


# -- translated strings are data ---------------------------------------------------------------


def test_a_percent_sign_in_a_translated_template_string_is_printed_as_text(built: Path) -> None:
    """An ordinary French "100 %" once ended the build with `internal error: ValueError`."""
    catalogue = po_target(built)
    text = catalogue.read_text(encoding="utf-8")
    assert 'msgstr "Assemblée générale"' in text
    catalogue.write_text(text.replace('msgstr "Assemblée générale"', 'msgstr "Assemblée générale à 100 % %d %("'))
    result = build(built, "--lang", "fr", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "Assemblée générale à 100 % %d %(" in (built / "build/site/fr/a-res-68-4.html").read_text(encoding="utf-8")


# -- a project that passes check builds --------------------------------------------------------

#: Where each case of tests/bad_inputs/ goes in a project, by the start of its name (or its whole name).
DESTINATIONS = {
    "content-": "content/extra.md",
    "po-": "translations/fr/LC_MESSAGES/templates.po",
    "glossary-": "translations/fr/glossary.csv",
    "template-syntax.html": "templates/print.html",
    "template-undefined.html": "templates/document.html",
    "template-epub-": "templates/epub/nav.xhtml",
}
#: Cases that are not read by `check` or `build` (what earlier builds left; files given to `import`).
NOT_PROJECT_INPUTS = ("state-", "releases-", "tmx-", "xliff-", "tbx-")


def destination(name: str) -> str | None:
    if name.startswith(NOT_PROJECT_INPUTS) or name == "README.md":
        return None
    if name in DESTINATIONS:
        return DESTINATIONS[name]
    prefix = next(p for p in DESTINATIONS if name.startswith(p))  # a new case needs a destination here
    return DESTINATIONS[prefix]


def command(project: Path, *args: str) -> subprocess.CompletedProcess:
    """A polypress command in this process, as ``build`` above runs the build."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["-C", str(project), *args])
    return subprocess.CompletedProcess(args, status, out.getvalue(), err.getvalue())


CHECKED_CASES = sorted(p.name for p in BAD.iterdir() if destination(p.name))


def test_the_project_as_shipped_passes_check(built: Path) -> None:
    """The baseline of the next test: a failing `check` there is the bad input's doing."""
    result = command(built, "check", "--lang", "en", "--lang", "fr")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", CHECKED_CASES)
def test_a_project_that_passes_check_builds(built: Path, name: str) -> None:
    """README: `make check` reads the project as the build does, so whatever the build refuses, check refuses.

    Each bad input goes where its name says; `check` runs first. If it refuses, it must name the file;
    if it passes, the build of the language the file belongs to must succeed too.
    """
    where = destination(name)
    target = built / where
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(BAD / name, target)
    language = "en" if where.startswith("content/") else "fr"
    checked = command(built, "check", "--lang", language)
    assert "Traceback" not in checked.stderr, checked.stderr
    if checked.returncode != 0:
        assert checked.returncode == 1, checked.stderr
        assert where in checked.stdout + checked.stderr, checked.stdout + checked.stderr
        return
    built_again = build(built, "--lang", language, "--jobs", "1")
    assert built_again.returncode == 0, f"check passed but the build failed:\n{built_again.stderr}"
