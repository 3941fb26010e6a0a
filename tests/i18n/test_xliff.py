"""XLIFF for CAT tools: export every document, bring translations back, change nothing on a round trip."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polypress.i18n.codes import join, split, split_like
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
    short_title = 'msgctxt "short title"\nmsgid "HLD Series"'
    text = text.replace(short_title, '#| msgid "The HLD Series"\n' + short_title, 1)
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
    assert notes["description"].startswith("Short title: the running head")
    assert notes["context"] == "short title"
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
    # XLIFF 1.2 has the msgctxt where Qt Linguist puts it: a context of the unit, not a note.
    assert unit.find("x:context-group/x:context[@context-type='x-gettext-msgctxt']", NS12).text == "short title"
    unit.find("x:target", NS12).text = "La série du DHN"
    tree.write(path, encoding="UTF-8", xml_declaration=True)
    assert run_cli("-C", str(project), "xliff", "import", str(path)) == 0
    output = capsys.readouterr().out
    assert "translations/fr/LC_MESSAGES/hld-series.po" in output and "changed" in output
    po = (project / "translations/fr/LC_MESSAGES/hld-series.po").read_text(encoding="utf-8")
    assert 'msgid "HLD Series"\nmsgstr "La série du DHN"' in po
    # Reported at the short title's own msgid (after its msgctxt), not at another unit of the same English.
    at = po.splitlines().index('msgctxt "short title"') + 2
    assert f"translations/fr/LC_MESSAGES/hld-series.po:{at}: changed: 'HLD Series'" in output

    # A target that adds markup of its own (typed as text, not a tag) is refused, like `check` refuses it,
    # and nothing is written.
    before = po
    assert run_cli("-C", str(project), "xliff", "export", "--lang", "fr", "--out", str(out)) == 0
    path = out / "fr" / "a-res-68-4.fr.xlf"
    tree = ET.parse(path)
    unit = next(u for u in tree.getroot().iterfind(".//x:unit", NS2) if footnote_call(u) is not None)
    target = unit.find("x:segment/x:target", NS2)
    target[-1].tail = (target[-1].tail or "") + " Voir [^7]."
    tree.write(path, encoding="UTF-8", xml_declaration=True)
    assert run_cli("-C", str(project), "xliff", "import", str(path)) == 1
    assert "markup" in capsys.readouterr().out
    assert (project / "translations/fr/LC_MESSAGES/hld-series.po").read_text(encoding="utf-8") == before


def footnote_call(unit: ET.Element) -> ET.Element | None:
    """The placeholder of a footnote call ([^1]) in a unit's English, if it has one."""
    return next((ph for ph in unit.iterfind("x:segment/x:source/x:ph", NS2) if ph.get("disp") == "[^1]"), None)


def test_a_file_that_is_not_xliff_is_a_located_error(project: Path, capsys):
    bad = project / "bad.xlf"
    bad.write_text('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<x/>', encoding="utf-8")
    assert run_cli("-C", str(project), "xliff", "import", str(bad)) == 1
    assert "bad.xlf:2: a DOCTYPE or ENTITY declaration is not allowed" in capsys.readouterr().err


def test_an_edit_of_a_title_whose_short_title_has_the_same_english_is_reported_at_the_title(project: Path, capsys):
    out = project / "x"
    assert run_cli("-C", str(project), "xliff", "export", "--lang", "fr", "--out", str(out)) == 0
    path = out / "fr" / "a-res-68-4.fr.xlf"
    tree = ET.parse(path)
    english = "Declaration of the High-level Dialogue on International Migration and Development"
    same = [u for u in tree.getroot().iterfind(".//x:unit", NS2) if u.find("x:segment/x:source", NS2).text == english]
    contexts = [{n.get("category") for n in u.iterfind("x:notes/x:note", NS2)} for u in same]
    assert len(same) == 2 and ["context" in c for c in contexts].count(True) == 1  # the heading shares the title's
    title = next(u for u, c in zip(same, contexts, strict=True) if "context" not in c)
    edited = "La Déclaration du Dialogue de haut niveau sur les migrations internationales et le développement"
    title.find("x:segment/x:target", NS2).text = edited
    tree.write(path, encoding="UTF-8", xml_declaration=True)
    assert run_cli("-C", str(project), "xliff", "import", str(path)) == 0
    output = capsys.readouterr().out
    po = (project / "translations/fr/LC_MESSAGES/a-res-68-4.po").read_text(encoding="utf-8").splitlines()
    at = next(n for n, line in enumerate(po, start=1) if line.startswith('"La Déclaration du Dialogue'))
    msgid_line = next(n for n in range(at, 0, -1) if po[n - 1].startswith("msgid"))
    assert po[msgid_line - 2] != 'msgctxt "short title"'  # the title's entry changed, not the short title's
    assert f"a-res-68-4.po:{msgid_line}: changed: 'Declaration of the High" in output


# -- inline codes: what a CAT tool shows as protected tags ------------------------------------------------


def export(project: Path, version: str = "2.0") -> Path:
    out = project / "x"
    assert run_cli("-C", str(project), "xliff", "export", "--lang", "fr", "--out", str(out), "--version", version) == 0
    return out / "fr"


def test_markup_and_placeholders_are_protected_placeholders_with_their_code_shown(project: Path):
    folder = export(project)
    root = ET.parse(folder / "a-res-68-4.fr.xlf").getroot()
    unit = next(u for u in root.iterfind(".//x:unit", NS2) if footnote_call(u) is not None)
    data = {d.get("id"): d.text for d in unit.iterfind("x:originalData/x:data", NS2)}
    source = unit.find("x:segment/x:source", NS2)
    for ph in source.iterfind("x:ph", NS2):
        assert data[ph.get("dataRef")] == ph.get("disp")  # the code itself, shown as the tag's label
        assert ph.get("canDelete") == "no" and ph.get("canCopy") == "no"
    assert [ph.get("disp") for ph in source.iterfind("x:ph", NS2)].count("*") == 2  # *Recognize*: two tags
    target = unit.find("x:segment/x:target", NS2)
    assert sorted(ph.get("id") for ph in target.iterfind("x:ph", NS2)) == sorted(data and [k[1:] for k in data])
    templates = ET.parse(folder / "templates.fr.xlf").getroot()
    pages = next(
        ph for ph in templates.iterfind(".//x:segment/x:source/x:ph", NS2) if ph.get("disp") == "%(num)s"
    )  # fmt: skip
    assert (pages.get("type"), pages.get("subType"), pages.get("equiv")) == ("ui", "xlf:var", "%(num)s")


def test_xliff_1_2_holds_each_code_in_a_ph_in_source_and_target(project: Path):
    root = ET.parse(export(project, "1.2") / "a-res-68-4.fr.xlf").getroot()
    unit = next(u for u in root.iterfind(".//x:trans-unit", NS12) if u.find("x:source/x:ph", NS12) is not None)
    source = {ph.get("id"): ph.text for ph in unit.iterfind("x:source/x:ph", NS12)}
    target = {ph.get("id"): ph.text for ph in unit.iterfind("x:target/x:ph", NS12)}
    assert source == target and "*" in source.values()
    every = {ph.text for ph in root.iterfind(".//x:trans-unit/x:source/x:ph", NS12)}
    assert {"*", "[^1]"} <= every


def test_a_tag_moved_by_the_translator_comes_back_where_it_was_put(project: Path, capsys):
    path = export(project) / "a-res-68-4.fr.xlf"
    tree = ET.parse(path)
    unit = next(u for u in tree.getroot().iterfind(".//x:unit", NS2) if footnote_call(u) is not None)
    target = unit.find("x:segment/x:target", NS2)
    note = next(ph for ph in target if ph.get("id") == footnote_call(unit).get("id"))
    target.remove(note)
    note.tail = " fin."
    target.append(note)  # the footnote call moved to the very end, before a new " fin."
    tree.write(path, encoding="UTF-8", xml_declaration=True)
    assert run_cli("-C", str(project), "xliff", "import", str(path)) == 0
    po = (project / "translations/fr/LC_MESSAGES/a-res-68-4.po").read_text(encoding="utf-8")
    assert '[^1] fin."\n' in po


@pytest.mark.parametrize("edit", ["drop", "repeat", "invent"])
def test_a_target_that_drops_repeats_or_invents_a_tag_is_refused_at_its_line(project: Path, edit: str, capsys):
    before = catalogue_bytes(project)
    path = export(project) / "a-res-68-4.fr.xlf"
    tree = ET.parse(path)
    unit = next(u for u in tree.getroot().iterfind(".//x:unit", NS2) if footnote_call(u) is not None)
    target = unit.find("x:segment/x:target", NS2)
    note = next(ph for ph in target if ph.get("id") == footnote_call(unit).get("id"))
    if edit == "drop":
        target.remove(note)
    else:
        copy = ET.SubElement(target, note.tag, dict(note.attrib))
        copy.set("id", note.get("id") if edit == "repeat" else "99")
    tree.write(path, encoding="UTF-8", xml_declaration=True)
    assert run_cli("-C", str(project), "xliff", "import", str(path)) == 1
    error = capsys.readouterr().err
    line = path.read_text(encoding="utf-8")[: path.read_text(encoding="utf-8").find(f'id="{unit.get("id")}"')].count(
        "\n"
    )
    expected = {"drop": "drops [^1]", "repeat": "repeats [^1]", "invent": "(id 99)"}[edit]
    assert f"a-res-68-4.fr.xlf:{line + 1}: unit {unit.get('id')}: the translation " in error and expected in error
    assert catalogue_bytes(project) == before


def test_every_exported_xliff_2_follows_the_inline_code_rules(project: Path):
    """XLIFF 2.0's rules for <ph>, <originalData> and their ids (the core schema's content model and
    the specification's constraints), on every file of a language."""
    allowed = {"canCopy", "canDelete", "canReorder", "copyOf", "disp", "equiv", "id", "dataRef", "subFlows"}
    allowed |= {"subType", "type"}
    token = re.compile(r"^[\w.\-:]+$")
    for file in sorted(export(project).glob("*.xlf")):
        for unit in ET.parse(file).getroot().iterfind(".//x:unit", NS2):
            children = [child.tag.rpartition("}")[2] for child in unit]
            assert children == sorted(children, key=["notes", "originalData", "segment"].index), children
            data = [d.get("id") for d in unit.iterfind("x:originalData/x:data", NS2)]
            assert len(data) == len(set(data)) and all(token.match(d) for d in data)
            source = [ph.attrib for ph in unit.iterfind("x:segment/x:source/x:ph", NS2)]
            target = [ph.attrib for ph in unit.iterfind("x:segment/x:target/x:ph", NS2)]
            ids = [ph["id"] for ph in source]
            assert len(ids) == len(set(ids)) and all(token.match(i) for i in ids)
            for ph in source + target:
                assert set(ph) <= allowed and ph["dataRef"] in data
                assert ph["type"] in {"fmt", "ui", "quote", "link", "image", "other"}
                assert ph.get("subType", "xlf:x").startswith("xlf:")
            # A target's tag is one of its source's, once: the same id and the same original data.
            assert sorted(ph["id"] for ph in target) == sorted(ids)
            assert all(ph["dataRef"] == f"d{ph['id']}" for ph in source + target)


@given(st.text(alphabet="ab *_[]()^#%`\\!\n(s)x:", max_size=40), st.text(alphabet="cd *_[]()^#%`\\!\n", max_size=40))
@settings(max_examples=300, derandomize=True, deadline=None)
def test_splitting_into_codes_loses_nothing(source: str, translation: str):
    pieces = split(source)
    assert join(pieces) == source
    assert join(split_like(translation, pieces)) == translation


def test_a_1_2_target_that_drops_a_tag_is_refused_too(project: Path, capsys):
    before = catalogue_bytes(project)
    path = export(project, "1.2") / "a-res-68-4.fr.xlf"
    tree = ET.parse(path)
    unit = next(
        u for u in tree.getroot().iterfind(".//x:trans-unit", NS12) if u.find("x:source/x:ph", NS12) is not None
    )
    target = unit.find("x:target", NS12)
    target.remove(target.find("x:ph", NS12))
    tree.write(path, encoding="UTF-8", xml_declaration=True)
    assert run_cli("-C", str(project), "xliff", "import", str(path)) == 1
    assert f"unit {unit.get('id')}: the translation drops" in capsys.readouterr().err
    assert catalogue_bytes(project) == before
