"""Every input is untrusted: links, FIFOs, sizes, characters, settings' types; each refusal is located.

Each test names the guarantee it proves (README, "What the build guarantees"). Like
tests/test_bad_input.py, a case breaks one input of a project built before, builds
again, and checks the message, that no traceback is shown, and that build/ is intact.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from polypress.cli import main
from tests.conftest import ROOT
from tests.test_bad_input import BAD, MESSAGE, assert_refused, build, command, po_target, snapshot

SECRET = "TOKEN-4f1e-do-not-print"


@pytest.fixture
def built(built_project: Path, tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(built_project, target, symlinks=True)
    return target


# -- files -------------------------------------------------------------------------------------


def test_a_catalogue_linked_outside_the_project_is_refused_unread(built: Path, tmp_path: Path) -> None:
    """Guarantee: files outside the project are never read, nor quoted in a message."""
    secret = tmp_path / "environ"
    secret.write_text(f'msgid "x"\nSECRET={SECRET}\n')
    before = snapshot(built / "build")
    target = po_target(built)
    target.unlink()
    target.symlink_to(secret)
    result = build(built, "--lang", "fr")
    assert_refused(result, "translations/fr/LC_MESSAGES/templates.po", "outside the project")
    assert SECRET not in result.stderr + result.stdout
    assert snapshot(built / "build") == before


def test_a_link_inside_the_project_is_followed(built: Path) -> None:
    """A link that stays in the project is an ordinary way to share a file."""
    shared = built / "templates.po.shared"
    target = po_target(built)
    shutil.move(target, shared)
    target.symlink_to(shared)
    assert build(built, "--lang", "fr").returncode == 0


@pytest.mark.parametrize(
    "where", ["content/extra.md", "translations/fr/LC_MESSAGES/templates.po", "templates/print.html"]
)
def test_a_fifo_is_refused_not_read_forever(built: Path, where: str) -> None:
    """Guarantee: a FIFO or a device is refused at once (reading one would block the build forever)."""
    before = snapshot(built / "build")
    path = built / where
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    (built / "content/hld-series.md").touch()
    result = build(built, "--lang", "fr", "--jobs", "1")
    assert_refused(result, where, "FIFO")
    assert snapshot(built / "build") == before


def test_a_device_is_refused(built: Path) -> None:
    target = po_target(built)
    target.unlink()
    target.symlink_to("/dev/zero")  # outside the project as well: refused before it is opened
    assert_refused(build(built, "--lang", "fr"), "templates.po", "outside the project")


def test_a_file_past_the_size_limit_is_refused(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Guarantee: every file read has a size limit, with a clear error (the limit is lowered to keep this fast)."""
    before = snapshot(built / "build")
    limit = (built / "polypress.toml").stat().st_size + 100  # the settings pass, the resolution does not
    assert (built / "content/a-res-68-4.md").stat().st_size > limit
    monkeypatch.setattr("polypress.files.MAX_FILE_BYTES", limit)
    result = build(built, "--lang", "fr")
    match = assert_refused(result, "content/a-res-68-4.md", f"past the limit of {limit:,}")
    assert "split" in match["hint"]
    assert snapshot(built / "build") == before


def test_a_huge_translation_unit_is_refused_at_its_line(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("polypress.files.MAX_UNIT_CHARS", 1000)
    target = po_target(built)
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace('msgstr "Assemblée générale"', 'msgstr "' + "mot " * 400 + '"', 1))
    line = text[: text.index('msgstr "Assemblée générale"')].count("\n") + 1
    assert_refused(build(built, "--lang", "fr"), "templates.po", "past the limit of 1,000", line)


# -- characters --------------------------------------------------------------------------------


def test_a_control_character_in_a_translation_is_refused_at_its_line(built: Path) -> None:
    """Guarantee: C0/C1 control characters never reach a page or a feed; the build names the line."""
    before = snapshot(built / "build")
    shutil.copy(BAD / "po-control-character.po", po_target(built))
    assert_refused(build(built, "--lang", "fr"), "templates.po", "control character U+0001", 11)
    assert snapshot(built / "build") == before


@pytest.mark.parametrize(
    ("name", "words", "line"),
    [("content-control-character.md", "control character U+0007", 3), ("content-control-in-body.md", "U+001B", 5)],
)
def test_a_control_character_in_a_source_is_refused_at_its_line(built: Path, name: str, words: str, line: int) -> None:
    before = snapshot(built / "build")
    shutil.copy(BAD / name, built / "content" / "extra.md")
    assert_refused(build(built, "--lang", "en"), "content/extra.md", words, line)
    assert snapshot(built / "build") == before


def test_a_catalogue_with_old_mac_line_endings_reads_as_the_catalogue_it_is(built: Path) -> None:
    """Guarantee: any line-ending convention reads correctly (CR alone was once an empty catalogue)."""
    target = po_target(built)
    lf = target.read_text(encoding="utf-8")
    target.write_bytes(lf.replace("\n", "\r").encode("utf-8"))
    result = build(built, "--lang", "fr", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "fallback" not in result.stderr
    assert "Assemblée générale" in (built / "build/site/fr/a-res-68-4.html").read_text(encoding="utf-8")


def test_invisible_formatting_in_a_translation_fails_check(built: Path, capsys: pytest.CaptureFixture) -> None:
    """Guarantee: bidirectional overrides and invisible characters (Trojan Source) are a `check` error."""
    target = po_target(built)
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace('msgstr "Assemblée générale"', 'msgstr "Assemblée\u202e générale"', 1))
    assert main(["-C", str(built), "check", "--lang", "fr"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"templates\.po:\d+: hidden-formatting: .*U\+202E RIGHT-TO-LEFT OVERRIDE", out), out


# -- values of the wrong type -----------------------------------------------------------------


SETTINGS_CASES = [
    ("print_marks = false", 'print_marks = "no"', "print_marks must be true or false"),
    ("print_marks = false", "print_mark = false", "unknown setting `print_mark` in [project]"),
    ('page_size = "A4"', "page_size = 4", 'page_size must be "A4" or "Letter", not 4'),
    ('locale = "fr"\nfonts = ["serif"]\njob_suffix = "F"\nthreshold = 100', None, "threshold must be a number from 0"),
    ('name = "HLD 2013 reports"', "name = 12", "name must be"),
    ('home_document = "hld-series"', 'home_document = "no-such-document"', "is not a document"),
]


@pytest.mark.parametrize(("old", "new", "words"), SETTINGS_CASES, ids=[c[2][:30] for c in SETTINGS_CASES])
def test_a_setting_of_the_wrong_type_or_range_is_refused_at_its_line(
    built: Path, old: str, new: str | None, words: str
) -> None:
    """Guarantee: every polypress.toml error names its line; booleans are booleans, ranges are checked."""
    before = snapshot(built / "build")
    settings = built / "polypress.toml"
    text = settings.read_text(encoding="utf-8")
    assert old in text
    new = new or old.replace("threshold = 100", "threshold = 150")
    changed = text.replace(old, new, 1)
    settings.write_text(changed, encoding="utf-8")
    line = changed[: changed.index(new)].count("\n") + 1 + new.count("\n")
    assert_refused(build(built, "--lang", "fr"), "polypress.toml", words, line)
    assert snapshot(built / "build") == before


def test_a_number_out_of_range_in_the_front_matter_is_refused_at_its_line(built: Path) -> None:
    shutil.copy(BAD / "content-out-of-range.md", built / "content" / "extra.md")
    assert_refused(build(built, "--lang", "en"), "content/extra.md", "`session` must be a whole number from 1 to", 6)


# -- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["my report.md", "report#2.md", "Report.md", "report?.md", "re--port.md"])
def test_a_document_name_outside_the_safe_set_is_refused(built: Path, name: str) -> None:
    """Guarantee: document names become file names and URLs: lowercase letters, digits and hyphens only."""
    before = snapshot(built / "build")
    shutil.copy(built / "content" / "hld-series.md", built / "content" / name)
    match = assert_refused(build(built, "--lang", "en"), f"content/{name}", "lowercase letters, digits and hyphens")
    assert "rename the file" in match["hint"]
    assert snapshot(built / "build") == before


def test_a_configured_font_that_is_a_fifo_is_refused(built: Path, tmp_path: Path) -> None:
    """Fonts live outside the project, in the configured files: those must be regular files too."""
    fifo = tmp_path / "Serif-Regular.ttf"
    os.mkfifo(fifo)
    settings = built / "polypress.toml"
    text = settings.read_text(encoding="utf-8")
    regular = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
    settings.write_text(text.replace(regular, str(fifo), 1), encoding="utf-8")
    assert_refused(build(built, "--lang", "en", "--jobs", "1"), "Serif-Regular.ttf", "not a regular file")


@pytest.mark.parametrize("jobs", ["-3", "many"])
def test_a_command_line_option_out_of_range_is_a_usage_error(built: Path, jobs: str, capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["-C", str(built), "build", "--jobs", jobs])
    assert stopped.value.code == 2
    assert "argument -j/--jobs" in capsys.readouterr().err


# -- every reader: glossaries, translation memories, XLIFF and TBX, figures, stylesheets -------

GLOSSARY = "translations/fr/glossary.csv"


def located(result: subprocess.CompletedProcess, path: str, words: str, line: int | None = None) -> None:
    """One `path:line: what — what to do` line (stdout or stderr: `check` prints its findings), exit 1, no traceback."""
    shown = result.stdout + result.stderr
    assert result.returncode == 1, shown
    assert "Traceback" not in shown, shown
    found = [m for m in MESSAGE.finditer(shown) if m["path"].endswith(path)]
    assert found, f"no `{path}:line: message — hint` in:\n{shown}"
    assert words.lower() in found[0]["message"].lower(), found[0].group(0)
    if line is not None:
        assert found[0]["line"] == str(line), found[0].group(0)


def separately(project: Path, *args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    """The command in a process of its own: a reader blocked on a FIFO fails the test instead of hanging it."""
    try:
        return subprocess.run(
            [sys.executable, "-m", "polypress", "-C", str(project), *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`polypress {' '.join(args)}` was still reading after {timeout} s")


def leak(tmp_path: Path, text: str) -> Path:
    """A file outside the project holding a secret, as /proc/self/environ would."""
    secret = tmp_path / "outside" / "environ"
    secret.parent.mkdir(exist_ok=True)
    secret.write_text(text, encoding="utf-8")
    return secret


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    "args",
    [("check", "--lang", "fr"), ("review", "--lang", "fr", "--doc", "a-res-68-4"), ("glossary", "export")],
    ids=["check", "review", "glossary-export"],
)
def test_a_glossary_linked_outside_the_project_is_refused_unread(project: Path, tmp_path: Path, args) -> None:
    """Guarantee: every reader refuses a link out of the project, and never quotes what is outside."""
    secret = leak(tmp_path, f"{SECRET},x,verified,y,\n")
    (project / GLOSSARY).unlink()
    (project / GLOSSARY).symlink_to(secret)
    result = command(project, *args)
    located(result, GLOSSARY, "outside the project")
    assert SECRET not in result.stdout + result.stderr
    assert not (project / "build" / "review").exists()


def test_a_glossary_that_is_a_fifo_is_refused_not_read_forever(project: Path) -> None:
    (project / GLOSSARY).unlink()
    os.mkfifo(project / GLOSSARY)
    located(separately(project, "check", "--lang", "fr"), GLOSSARY, "FIFO")


GLOSSARY_CASES = [
    ("glossary-control-character.csv", "control character U+001B", 3),
    ("glossary-bad-status.csv", "status is 'approved'", 3),
    # csv reads an unclosed quote to the end of the file: every entry after it would silently vanish.
    ("glossary-unclosed-quote.csv", "not closed", 3),
]


@pytest.mark.parametrize(("name", "words", "line"), GLOSSARY_CASES, ids=[c[0] for c in GLOSSARY_CASES])
def test_a_malformed_glossary_is_refused_at_its_line(project: Path, name: str, words: str, line: int) -> None:
    shutil.copy(BAD / name, project / GLOSSARY)
    located(command(project, "check", "--lang", "fr"), GLOSSARY, words, line)


MEMORY = "memory/fr.tmx"


def with_memory(project: Path) -> Path:
    """The project with a translation memory named in polypress.toml, as the README shows."""
    settings = project / "polypress.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("[project]\n", '[project]\ncompendium = ["memory/{lang}.tmx"]\n', 1), "utf-8")
    (project / "memory").mkdir()
    return project / MEMORY


@pytest.mark.parametrize(
    ("name", "words", "line"),
    [
        # A byte search for "<!DOCTYPE" does not see it in UTF-16: the parser itself refuses the declaration.
        ("tmx-utf16-doctype.tmx", "DOCTYPE or ENTITY declaration is not allowed", 2),
        ("tmx-malformed.tmx", "mismatched tag", 4),
    ],
)
def test_a_translation_memory_that_is_not_safe_xml_is_refused_and_nothing_is_written(
    project: Path, name: str, words: str, line: int
) -> None:
    shutil.copy(BAD / name, with_memory(project))
    before = files_under(project / "translations")
    located(command(project, "update", "--lang", "fr"), MEMORY, words, line)
    assert files_under(project / "translations") == before


def test_a_translation_memory_linked_outside_the_project_is_refused_unread(project: Path, tmp_path: Path) -> None:
    secret = leak(tmp_path, f'<tmx><body><tu><tuv xml:lang="en"><seg>{SECRET}</seg></tuv></tu></body></tmx>\n')
    with_memory(project).symlink_to(secret)
    before = files_under(project / "translations")
    result = command(project, "update", "--lang", "fr")
    located(result, MEMORY, "outside the project")
    assert SECRET not in result.stdout + result.stderr
    assert files_under(project / "translations") == before


def test_a_translation_memory_that_is_a_fifo_is_refused(project: Path) -> None:
    os.mkfifo(with_memory(project))
    located(separately(project, "update", "--lang", "fr"), MEMORY, "FIFO")


def test_a_translation_memory_past_the_size_limit_is_refused(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit is lowered to just above the largest file the project has, to keep this fast."""
    largest = max(p.stat().st_size for p in project.rglob("*") if p.is_file())
    monkeypatch.setattr("polypress.files.MAX_FILE_BYTES", largest + 1)
    seg = '<tu><tuv xml:lang="en"><seg>General Assembly</seg></tuv><tuv xml:lang="fr"><seg>x</seg></tuv></tu>\n'
    with_memory(project).write_text("<tmx><body>\n" + seg * (largest // len(seg) + 1) + "</body></tmx>\n")
    located(command(project, "update", "--lang", "fr"), MEMORY, "past the limit")


@pytest.mark.parametrize(
    ("args", "name", "words", "line"),
    [
        (("xliff", "import"), "xliff-utf16-doctype.xlf", "DOCTYPE or ENTITY declaration is not allowed", 2),
        (("glossary", "import"), "tbx-utf16-doctype.tbx", "DOCTYPE or ENTITY declaration is not allowed", 2),
        (("glossary", "import"), "tbx-control-character.tbx", "control character U+009B", 4),
    ],
)
def test_an_imported_file_that_is_not_safe_xml_is_refused_and_nothing_is_written(
    project: Path, args: tuple[str, ...], name: str, words: str, line: int
) -> None:
    before = files_under(project / "translations")
    located(command(project, *args, str(BAD / name)), name, words, line)
    assert files_under(project / "translations") == before


@pytest.mark.parametrize(("args", "suffix"), [(("xliff", "import"), ".xlf"), (("glossary", "import"), ".tbx")])
def test_an_imported_file_that_is_a_fifo_is_refused_not_read_forever(
    project: Path, tmp_path: Path, args: tuple[str, ...], suffix: str
) -> None:
    """A file named on the command line may be anywhere the user chose, but it is read only if it is a file."""
    fifo = tmp_path / f"export{suffix}"
    os.mkfifo(fifo)
    located(separately(project, *args, str(fifo)), f"export{suffix}", "FIFO")


def test_a_translated_figure_linked_outside_the_project_is_refused_not_embedded(built: Path, tmp_path: Path) -> None:
    """A figure becomes a data: URI in the page and the PDF: a link out would publish what it points to.

    The French version of a figure (``figures/chart.fr.svg``) is looked up at render time, beside the one
    the source names: it is read as every project file is.
    """
    secret = leak(tmp_path, f'<svg xmlns="http://www.w3.org/2000/svg"><text>{SECRET}</text></svg>\n')
    before = snapshot(built / "build")
    figures = built / "content" / "figures"
    figures.mkdir(exist_ok=True)
    (figures / "chart.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><text>chart</text></svg>\n')
    (figures / "chart.fr.svg").symlink_to(secret)
    (built / "content" / "extra.md").write_text('+++\ntitle = "A figure"\n+++\n\n![A figure](figures/chart.svg)\n')
    for result in (command(built, "check", "--lang", "fr"), build(built, "--lang", "fr", "--jobs", "1")):
        located(result, "content/extra.md", "content/figures/chart.fr.svg: is a link to a file outside the project", 5)
        assert SECRET not in result.stdout + result.stderr
    assert snapshot(built / "build") == before


@pytest.mark.parametrize("stylesheet", ["site.css", "epub.css"])
def test_a_stylesheet_linked_outside_the_project_is_refused_not_published(
    built: Path, tmp_path: Path, stylesheet: str
) -> None:
    """The site's stylesheets are copied and the e-book's embedded: a link out would publish what it points to."""
    secret = leak(tmp_path, f"/* {SECRET} */\n")
    before = snapshot(built / "build")
    target = built / "templates" / "css" / stylesheet
    target.unlink()
    target.symlink_to(secret)
    result = build(built, "--lang", "en", "--jobs", "1")
    assert_refused(result, f"templates/css/{stylesheet}", "outside the project")
    assert snapshot(built / "build") == before


def test_a_state_entry_naming_a_file_outside_the_site_is_not_published(built: Path, tmp_path: Path) -> None:
    """What an earlier build left is untrusted: a record may not bring a file from outside build/site into
    the manifest or a language's zip, even with the right checksum."""
    import hashlib
    import json
    import zipfile

    secret = leak(tmp_path, f"%PDF-1.7 {SECRET}\n")
    state_file = built / "build" / ".state.json"
    jobs = json.loads(state_file.read_text(encoding="utf-8"))
    name, entry = next((n, e) for n, e in sorted(jobs.items()) if e["language"] == "ru" and e["format"] == "pdf")
    entry.update(path=str(secret), sha256=hashlib.sha256(secret.read_bytes()).hexdigest())
    state_file.write_text(json.dumps(jobs), encoding="utf-8")
    assert build(built, "--lang", "en", "--jobs", "1").returncode == 0
    site = built / "build" / "site"
    assert str(secret) not in (site / "manifest.json").read_text(encoding="utf-8")
    for archive in site.rglob("*.zip"):
        with zipfile.ZipFile(archive) as opened:
            assert all(SECRET.encode() not in opened.read(member) for member in opened.namelist()), archive
