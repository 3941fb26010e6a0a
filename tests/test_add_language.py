"""`make add-language LANG=xx`: a validated language with sensible defaults and a catalogue per template."""

from __future__ import annotations

from pathlib import Path

from polypress.i18n.po import load_po
from polypress.i18n.stats import message_state
from polypress.settings import read_settings
from tests.conftest import run_cli


def test_adding_a_right_to_left_language(project: Path, capsys):
    assert run_cli("-C", str(project), "add-language", "fa") == 0
    out = capsys.readouterr().out
    assert "added fa (Persian, rtl" in out and "nplurals=1" in out
    language = read_settings(project).language("fa")
    assert language.direction == "rtl"
    assert language.fonts[0] == "naskh"  # the Arabic-script face comes first
    assert language.threshold == 100
    for domain in ("a-res-68-4", "hld-series", "templates"):
        catalog = load_po(project / f"translations/fa/LC_MESSAGES/{domain}.po", domain, "fa")
        template = load_po(project / f"translations/{domain}.pot", domain)
        assert {m.id for m in catalog if m.id} == {m.id for m in template if m.id}
        assert {message_state(m) for m in catalog if m.id} == {"untranslated"}
        assert dict(catalog.mime_headers)["Plural-Forms"].startswith("nplurals=1")


def test_the_new_language_shows_in_stats_and_passes_check(project: Path, capsys):
    assert run_cli("-C", str(project), "add-language", "de") == 0
    assert run_cli("-C", str(project), "stats", "--lang", "de") == 0
    assert "de        a-res-68-4  0%" in capsys.readouterr().out
    assert run_cli("-C", str(project), "check", "--lang", "de") == 0


def test_bad_codes_are_refused_with_a_hint(project: Path, capsys):
    config = (project / "polypress.toml").read_bytes()
    for code, message in (
        ("xx", "Babel knows no locale 'xx'"),
        ("EN", "'EN' is not a language code"),
        ("fr", "language 'fr' is already configured"),
        ("en", "'en' is the source language"),
    ):
        assert run_cli("-C", str(project), "add-language", code) == 1
        assert message in capsys.readouterr().err
    assert (project / "polypress.toml").read_bytes() == config


def test_add_language_writes_a_polypress_toml_that_reads_back(project: Path) -> None:
    """A locale with a quote once left polypress.toml unreadable: values are escaped, the result checked first."""
    assert run_cli("-C", str(project), "add-language", "de", "--locale", 'de.x"y') == 0
    language = read_settings(project).language("de")
    assert language.locale == "de"
    assert language.fonts == ("serif",)
