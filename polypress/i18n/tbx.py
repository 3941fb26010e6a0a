"""Glossaries as TBX-Basic (ISO 30042), to exchange terms with term bases such as UNTERM.

``translations/<lang>/glossary.csv`` stays the form translators edit. Export writes TBX v3
(ISO 30042:2019, TBX-Basic dialect, DCA style): one concept per English term, its accepted
renderings as terms of the target language, the first preferred (when verified) and the
others admitted, its source and note. Import reads that and TBX v2 (``martif``) files, the
form most term bases still export, and merges their terms into the glossary by English text.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

from polypress.errors import CatalogError
from polypress.i18n.glossary import COLUMNS, TO_VERIFY, VARIANT_SEPARATOR, VERIFIED, Glossary, Term
from polypress.i18n.xmlfiles import xml_bytes
from polypress.xml_input import parse_xml

TBX = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFERRED, ADMITTED = "preferredTerm-admn-sts", "admittedTerm-admn-sts"


def write_tbx(glossary: Glossary, source_language: str, language: str) -> bytes:
    """A glossary as a TBX-Basic v3 document, entries in the order of the file."""
    ET.register_namespace("", TBX)
    root = ET.Element(f"{{{TBX}}}tbx", {"type": "TBX-Basic", "style": "dca", XML_LANG: source_language})
    header = ET.SubElement(ET.SubElement(root, f"{{{TBX}}}tbxHeader"), f"{{{TBX}}}fileDesc")
    ET.SubElement(ET.SubElement(header, f"{{{TBX}}}sourceDesc"), f"{{{TBX}}}p").text = glossary.path
    body = ET.SubElement(ET.SubElement(root, f"{{{TBX}}}text"), f"{{{TBX}}}body")
    for number, term in enumerate(sorted(glossary.entries, key=lambda t: t.line), start=1):
        concept = ET.SubElement(body, f"{{{TBX}}}conceptEntry", {"id": f"c{number}"})
        english = ET.SubElement(concept, f"{{{TBX}}}langSec", {XML_LANG: source_language})
        ET.SubElement(ET.SubElement(english, f"{{{TBX}}}termSec"), f"{{{TBX}}}term").text = term.english
        target = ET.SubElement(concept, f"{{{TBX}}}langSec", {XML_LANG: language})
        for index, text in enumerate(term.targets):
            section = ET.SubElement(target, f"{{{TBX}}}termSec")
            ET.SubElement(section, f"{{{TBX}}}term").text = text
            if term.verified:
                status = PREFERRED if index == 0 else ADMITTED
                ET.SubElement(section, f"{{{TBX}}}termNote", {"type": "administrativeStatus"}).text = status
        if term.source:
            ET.SubElement(target, f"{{{TBX}}}admin", {"type": "source"}).text = term.source
        if term.note:
            ET.SubElement(target, f"{{{TBX}}}note").text = term.note
    return xml_bytes(root)


def read_tbx(data: bytes, path: str, source_language: str, language: str) -> list[Term]:
    """The terms of a TBX v3 or v2 file with an English and a *language* side; others are skipped."""
    root = parse_xml(data, path, CatalogError, "TBX")  # no DTD, no entity, in any encoding
    local = root.tag.rsplit("}", 1)[-1]
    if local not in ("tbx", "martif"):
        raise CatalogError("not a TBX file (no <tbx> or <martif> root)", path, 1)
    ns = root.tag[: -len(local)]
    concept_tag, lang_tag, term_tag = (
        ("conceptEntry", "langSec", "termSec") if local == "tbx" else ("termEntry", "langSet", "tig")
    )
    terms = []
    for number, concept in enumerate(root.iter(f"{ns}{concept_tag}"), start=1):
        sides: dict[str, list[ET.Element]] = {}
        for side in concept.iter(f"{ns}{lang_tag}"):
            code = (side.get(XML_LANG) or "").lower().replace("_", "-").split("-")[0]
            sides.setdefault(code, []).append(side)
        english = [_texts(s, ns, term_tag) for s in sides.get(source_language.split("_")[0], [])]
        targets = [_texts(s, ns, term_tag) for s in sides.get(language.lower().split("_")[0], [])]
        english_terms = [t for group in english for t, _ in group]
        target_terms = [pair for group in targets for pair in group]
        if not english_terms or not target_terms:
            continue
        target_sides = sides[language.lower().split("_")[0]]
        statuses = [status for _, status in target_terms]
        verified = PREFERRED in statuses or "preferredTerm" in statuses
        source = _first(target_sides + [concept], ns, "admin", "source") or _first(
            target_sides + [concept], ns, "descrip", "source"
        )
        note = " ".join(
            (n.text or "").strip() for s in [concept, *target_sides] for n in s.findall(f"{ns}note") if n.text
        ) or _first([concept, *target_sides], ns, "descrip", "definition")
        terms.append(
            Term(
                english_terms[0],
                tuple(dict.fromkeys(t for t, _ in target_terms)),
                number,
                VERIFIED if verified else TO_VERIFY,
                source,
                note,
            )
        )
    return terms


def _texts(side: ET.Element, ns: str, term_tag: str) -> list[tuple[str, str]]:
    found = []
    for section in side.iter(f"{ns}{term_tag}"):
        term = section.find(f"{ns}term")
        if term is None or not "".join(term.itertext()).strip():
            continue
        status = ""
        for note in section.iter(f"{ns}termNote"):
            if note.get("type") == "administrativeStatus":
                status = (note.text or "").strip()
        found.append(("".join(term.itertext()).strip(), status))
    return found


def _first(elements: list[ET.Element], ns: str, tag: str, kind: str) -> str:
    for element in elements:
        for child in element.findall(f"{ns}{tag}"):
            if child.get("type") == kind and child.text and child.text.strip():
                return child.text.strip()
    return ""


def merge_terms(glossary: Glossary, imported: list[Term]) -> tuple[list[Term], int, int]:
    """The glossary's entries in file order, those the import names replaced, new ones added at the end."""
    by_english = {t.english.casefold(): t for t in imported}
    merged, replaced = [], 0
    for term in sorted(glossary.entries, key=lambda t: t.line):
        new = by_english.pop(term.english.casefold(), None)
        if new is not None and (new.targets, new.status, new.source, new.note) != (
            term.targets,
            term.status,
            term.source,
            term.note,
        ):
            replaced += 1
        merged.append(new or term)
    added = list(by_english.values())
    return merged + added, replaced, len(added)


def glossary_csv(terms: list[Term]) -> bytes:
    """A glossary file: the header, then one row per term (quoted only where a cell needs it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for term in terms:
        writer.writerow([term.english, VARIANT_SEPARATOR.join(term.targets), term.status, term.source, term.note])
    return out.getvalue().encode("utf-8")
