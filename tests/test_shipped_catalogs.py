"""The shipped catalogues: GNU gettext accepts them and they hold every unit, translated."""

import shutil
import subprocess

import pytest

from polypress.i18n.po import load_po
from polypress.settings import read_settings
from tests.conftest import ROOT

PROJECT = read_settings(ROOT)
PO_FILES = sorted((ROOT / "translations").glob("*/LC_MESSAGES/*.po"))
POT_FILES = sorted((ROOT / "translations").glob("*.pot"))


def test_there_is_a_pot_per_document_and_one_for_templates():
    assert {p.stem for p in POT_FILES} == {"a-res-68-4", "hld-series", "templates"}


def test_each_target_language_has_every_catalogue():
    for language in PROJECT.target_languages:
        domains = {p.stem for p in (ROOT / "translations" / language / "LC_MESSAGES").glob("*.po")}
        assert domains == {p.stem for p in POT_FILES}, language


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is installed by `make`")
@pytest.mark.parametrize("path", PO_FILES + POT_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_gnu_msgfmt_check_accepts(path):
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU gettext is installed by `make`")
@pytest.mark.parametrize("path", PO_FILES + POT_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_gnu_msgcat_leaves_every_catalogue_unchanged(path):
    """A save from Poedit, Weblate or any GNU tool produces no diff beyond the translator's edit."""
    result = subprocess.run(["msgcat", str(path)], capture_output=True, check=True)
    assert result.stdout == path.read_bytes()


@pytest.mark.parametrize("path", PO_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_unit_of_the_template_is_translated(path):
    language = path.parent.parent.name
    catalog = load_po(path, str(path), language)
    template = load_po(ROOT / "translations" / f"{path.stem}.pot", path.stem)
    messages = {m.id: m for m in catalog if m.id}
    for unit in template:
        if not unit.id:
            continue
        assert unit.id in messages, f"{path.name}: missing {unit.id!r}"
        message = messages[unit.id]
        assert message.string and not message.fuzzy, f"{path.name}: not translated: {unit.id!r}"


def test_pot_references_point_at_the_source_lines():
    template = load_po(ROOT / "translations" / "a-res-68-4.pot", "a-res-68-4.pot")
    lines = (ROOT / "content" / "a-res-68-4.md").read_text(encoding="utf-8").splitlines()
    for message in template:
        if not message.id:
            continue
        for filename, lineno in message.locations:
            assert filename == "content/a-res-68-4.md"
            first_words = message.id.split()[0].lstrip("*")
            assert first_words in lines[lineno - 1], (lineno, message.id[:40])


def test_every_template_string_tells_the_translator_what_it_is():
    """A `{# Translators: … #}` comment before each string of the templates becomes its `#.` note."""
    template = load_po(ROOT / "translations" / "templates.pot", "templates.pot")
    bare = [m.id for m in template if m.id and not m.auto_comments]
    assert not bare
