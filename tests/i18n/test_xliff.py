"""XLIFF for CAT tools: export every document, bring translations back, change nothing on a round trip."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from polypress.i18n.xliff import XLIFF2, XLIFF12
from tests.conftest import run_cli

NS2 = {"x": XLIFF2}
NS12 = {"x": XLIFF12}


def catalogue_bytes(project: Path) -> dict[str, bytes]:
    return {str(p.relative_to(project)): p.read_bytes() for p in sorted(project.glob("translations/**/*.po"))}


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_a_round_trip_without_edits_changes_no_byte_of_any_catalogue(project: Path, version: str, capsys):
    before = catalogue_bytes(project)
    out = project / "build" / "xliff"
    for language in ("fr", "ar", "zh", "ru"):
        assert (
            run_cli("-C", str(project), "xliff", "export", "--lang", language, "--out", str(out), "--version", version)
            == 0
        )
    files = sorted(out.glob("*/*.xlf"))
    assert len(files) == 4 * 4  # four languages, three documents and the templates
    assert run_cli("-C", str(project), "xliff", "import", *map(str, files)) == 0
    assert "16 unchanged" in capsys.readouterr().out
    assert catalogue_bytes(project) == before


def test_xliff_2_carries_notes_context_state_and_the_previous_source(project: Path):
    po = project / "translations/fr/LC_MESSAGES/hld-series.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgid "HLD Series"', '#| msgid "The HLD Series"\nmsgid "HLD Series"', 1)
    po.write_text(
        text.replace("#: content/hld-series.md:7\n", "#: content/hld-series.md:7\n#, fuzzy\n", 1), encoding="utf-8"
    )
    out = project / "x"
    assert run_cli("-C", str(project), "xliff", "export", "--lang", "fr", "--out", str(out)) == 0
    root = ET.parse(out / "fr" / "hld-series.fr.xlf").getroot()
    assert root.get("srcLang") == "en" and root.get("trgLang") == "fr"
    units = {u.find("x:segment/x:source", NS2).text: u for u in root.iterfind(".//x:unit", NS2)}
    short = units["HLD Series"]
    notes = {n.get("category"): n.text for n in short.iterfind("x:notes/x:note", NS2)}
    assert notes["description"] == "Short title, used in running heads and links."
    assert notes["location"] == "content/hld-series.md:7"
    assert notes["previous-source"] == "The HLD Series"
    segment = short.find("x:segment", NS2)
    assert segment.get("state") == "initial" and segment.get("subState") == "gettext:fuzzy"
    title = units["2013 High-Level Dialogue on International Migration and Development Series"]
    assert title.find("x:segment", NS2).get("state") == "translated"


def test_an_edit_in_a_cat_tool_comes_back_checked_and_reported(project: Path, capsys):
    out = project / "x"
    assert run_cli("-C", str(project), "xliff", "export", "--lang", "fr", "--out", str(out), "--version", "1.2") == 0
    path = out / "fr" / "hld-series.fr.xlf"
    tree = ET.parse(path)
    unit = next(
        u for u in tree.getroot().iterfind(".//x:trans-unit", NS12) if u.find("x:source", NS12).text == "HLD Series"
    )
    unit.find("x:target", NS12).text = "La série du DHN"
    tree.write(path, encoding="UTF-8", xml_declaration=True)
    assert run_cli("-C", str(project), "xliff", "import", str(path)) == 0
    output = capsys.readouterr().out
    assert "translations/fr/LC_MESSAGES/hld-series.po" in output and "changed" in output
    po = (project / "translations/fr/LC_MESSAGES/hld-series.po").read_text(encoding="utf-8")
    assert 'msgid "HLD Series"\nmsgstr "La série du DHN"' in po

    # A target that loses the source's markup is refused, like `check` refuses it, and nothing is written.
    before = po
    assert run_cli("-C", str(project), "xliff", "export", "--lang", "fr", "--out", str(out)) == 0
    path = out / "fr" / "a-res-68-4.fr.xlf"
    tree = ET.parse(path)
    unit = next(
        u for u in tree.getroot().iterfind(".//x:unit", NS2) if "[^1]" in u.find("x:segment/x:source", NS2).text
    )
    unit.find("x:segment/x:target", NS2).text = "Sans note."
    tree.write(path, encoding="UTF-8", xml_declaration=True)
    assert run_cli("-C", str(project), "xliff", "import", str(path)) == 1
    assert "markup" in capsys.readouterr().out
    assert (project / "translations/fr/LC_MESSAGES/hld-series.po").read_text(encoding="utf-8") == before


def test_a_file_that_is_not_xliff_is_a_located_error(project: Path, capsys):
    bad = project / "bad.xlf"
    bad.write_text('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<x/>', encoding="utf-8")
    assert run_cli("-C", str(project), "xliff", "import", str(bad)) == 1
    assert "bad.xlf:2: a DOCTYPE or ENTITY declaration is not allowed" in capsys.readouterr().err
