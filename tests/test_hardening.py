"""Every input is untrusted: links, FIFOs, sizes, characters, settings' types; each refusal is located.

Each test names the guarantee it proves (README, "What the build guarantees"). Like
tests/test_bad_input.py, a case breaks one input of a project built before, builds
again, and checks the message, that no traceback is shown, and that build/ is intact.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

import polypress.files
from polypress.cli import main
from tests.test_bad_input import BAD, assert_refused, build, po_target, snapshot

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
    monkeypatch.setattr(polypress.files, "MAX_FILE_BYTES", limit)
    result = build(built, "--lang", "fr")
    match = assert_refused(result, "content/a-res-68-4.md", f"past the limit of {limit:,}")
    assert "split" in match["hint"]
    assert snapshot(built / "build") == before


def test_a_huge_translation_unit_is_refused_at_its_line(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(polypress.files, "MAX_UNIT_CHARS", 1000)
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
