"""Glossaries exchanged with term bases as TBX-Basic: export, import, nothing lost on the way."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from polypress.i18n.glossary import load_glossary
from polypress.i18n.tbx import TBX, XML_LANG
from tests.conftest import run_cli

NS = {"t": TBX}


def test_export_writes_one_concept_per_term_with_status_source_and_note(project: Path):
    assert (
        run_cli(
            "-C", str(project), "glossary", "export", "--format", "tbx", "--lang", "fr", "--out", str(project / "g")
        )
        == 0
    )
    root = ET.parse(project / "g" / "glossary.fr.tbx").getroot()
    assert root.get("type") == "TBX-Basic" and root.get(XML_LANG) == "en"
    glossary = load_glossary(project / "translations/fr/glossary.csv", "fr", project)
    concepts = root.findall(".//t:conceptEntry", NS)
    assert len(concepts) == len(glossary.entries)
    first = concepts[0]
    assert first.find("t:langSec[@{http://www.w3.org/XML/1998/namespace}lang='en']/t:termSec/t:term", NS).text == (
        "Declaration of the High-level Dialogue on International Migration and Development"
    )
    french = first.find("t:langSec[@{http://www.w3.org/XML/1998/namespace}lang='fr']", NS)
    assert french.find("t:termSec/t:termNote", NS).text == "preferredTerm-admn-sts"
    assert french.find("t:admin[@type='source']", NS).text == "A/RES/68/4, title"


def test_a_round_trip_keeps_every_term_and_a_v2_file_from_a_term_base_adds_its_terms(project: Path, capsys):
    path = project / "translations/fr/glossary.csv"
    before = load_glossary(path, "fr", project).entries
    assert run_cli("-C", str(project), "glossary", "export", "--lang", "fr", "--out", str(project / "g")) == 0
    assert (
        run_cli("-C", str(project), "glossary", "import", str(project / "g" / "glossary.fr.tbx"), "--lang", "fr") == 0
    )
    after = load_glossary(path, "fr", project).entries
    assert [(t.english, t.targets, t.status, t.source, t.note) for t in after] == [
        (t.english, t.targets, t.status, t.source, t.note) for t in before
    ]
    (project / "unterm.tbx").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX-Basic" xml:lang="en"><text><body>'
        '<termEntry id="1"><langSet xml:lang="en"><tig><term>brain drain</term></tig></langSet>'
        '<langSet xml:lang="fr"><tig><term>fuite des cerveaux</term>'
        '<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>'
        '<admin type="source">UNTERM</admin></langSet></termEntry></body></text></martif>',
        encoding="utf-8",
    )
    assert run_cli("-C", str(project), "glossary", "import", str(project / "unterm.tbx")) == 0
    assert "translations/fr/glossary.csv (0 changed, 1 new)" in capsys.readouterr().out
    added = [t for t in load_glossary(path, "fr", project).entries if t.english == "brain drain"]
    assert added and added[0].targets == ("fuite des cerveaux",) and added[0].verified and added[0].source == "UNTERM"
