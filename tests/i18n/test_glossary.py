"""Glossaries: every entry says where its form comes from; `check` holds the language to it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from polypress.errors import CatalogError
from polypress.i18n.checks import check_glossary_entries
from polypress.i18n.glossary import COLUMNS, TO_VERIFY, VERIFIED, parse_glossary
from tests.conftest import ROOT, run_cli

GLOSSARY = """\
english,target,status,source,note
Global Forum on Migration and Development,Foro Mundial sobre Migración y Desarrollo,verified,A/RES/69/229,
Global Migration Group,Grupo Mundial sobre Migración,verified,,forgot the source
Second Committee,Segunda Comisión,to-verify,,Main Committee of the General Assembly
"""


def test_columns_are_read_by_name_with_status_and_source():
    glossary = parse_glossary(GLOSSARY, "es/glossary.csv")
    forum = next(t for t in glossary.entries if t.english.startswith("Global Forum"))
    assert (forum.targets, forum.status, forum.source, forum.line) == (
        ("Foro Mundial sobre Migración y Desarrollo",),
        VERIFIED,
        "A/RES/69/229",
        2,
    )


def test_an_unknown_status_is_an_error_at_its_line():
    with pytest.raises(CatalogError) as error:
        parse_glossary("english,target,status,source,note\nIOM,OIM,official,,\n", "fr/glossary.csv")
    assert (error.value.line, "verified" in error.value.hint) == (2, True)


def test_a_glossary_of_the_first_format_still_reads_with_every_entry_to_verify():
    glossary = parse_glossary("source,target,note\nIOM,OIM,acronym\n", "fr/glossary.csv")
    (term,) = glossary.entries
    assert (term.english, term.status, term.source, term.note) == ("IOM", TO_VERIFY, "", "acronym")


def test_an_entry_without_source_warns_and_to_verify_warns_unless_the_language_allows_it():
    glossary = parse_glossary(GLOSSARY, "es/glossary.csv")
    found = {(f.line, f.check, f.severity) for f in check_glossary_entries(glossary)}
    assert found == {(3, "glossary-source", "warning"), (4, "glossary-unverified", "warning")}
    allowed = {(f.line, f.check, f.severity) for f in check_glossary_entries(glossary, "allow")}
    assert allowed == {(3, "glossary-source", "warning"), (4, "glossary-provisional", "note")}


def test_strict_check_fails_on_a_to_verify_term_in_a_language_that_does_not_allow_them(project: Path, capsys):
    settings = project / "polypress.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace('[languages.es]\nunverified_terms = "allow"', "[languages.es]"),
        encoding="utf-8",
    )
    glossary = project / "translations" / "es" / "glossary.csv"
    to_verify = sum(row["status"] == TO_VERIFY for row in csv.DictReader(glossary.open(encoding="utf-8")))
    assert to_verify, "the test needs a to-verify entry in the Spanish glossary"
    assert run_cli("-C", str(project), "check", "--lang", "es") == 0  # warnings only
    assert run_cli("-C", str(project), "check", "--lang", "es", "--strict") == 1
    out = capsys.readouterr().out
    assert "translations/es/glossary.csv:" in out and "glossary-unverified" in out


def test_every_shipped_glossary_entry_is_sourced_or_marked_to_verify():
    for path in sorted((ROOT / "translations").glob("*/glossary.csv")):
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        assert tuple(rows[0]) == COLUMNS, path
        for line, row in enumerate(rows, start=2):
            assert row["status"] in (VERIFIED, TO_VERIFY), f"{path}:{line}"
            assert bool(row["source"]) == (row["status"] == VERIFIED), f"{path}:{line}: {row['english']}"


@pytest.mark.parametrize(
    ("language", "official", "replaced"),
    [
        ("es", "Foro Mundial sobre Migración y Desarrollo", "Foro Mundial sobre la Migración y el Desarrollo"),
        ("zh", "全球移徙与发展论坛", "移徙与发展全球论坛"),
        ("zh", "国际移徙组织", "国际移民组织"),
        ("zh", "全球移徙问题小组", "全球移徙小组"),
        ("zh", "国际移徙与发展高级别对话", "国际移徙与发展问题高级别对话"),
    ],
)
def test_the_published_resolution_uses_the_general_assemblys_forms(site: Path, language, official, replaced):
    page = (site / language / "a-res-68-4.html").read_text(encoding="utf-8")
    assert official in page and replaced not in page
