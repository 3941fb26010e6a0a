"""XLIFF 2.0 and 1.2 for CAT tools (Trados, memoQ, OmegaT): one file per document and language.

The PO file stays the one source of truth. Export turns each unit (each plural form) into an
XLIFF unit with the notes a translator needs; import matches units back by their id, a digest
of context, English text and plural form, so a unit reordered or re-segmented by a tool still
finds its place, and a file from an older export cannot overwrite a changed English text.
The Translate Toolkit's po2xliff writes XLIFF 1.2 only and would bring its own PO writer: this
module is small, writes both versions, and leaves the PO files to polypress's GNU-canonical writer.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog, Message

from polypress.errors import CatalogError
from polypress.xml_input import parse_xml

XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
VERSIONS = ("2.0", "1.2")
#: States of a unit, as gettext knows them.
UNTRANSLATED, FUZZY, TRANSLATED = "untranslated", "fuzzy", "translated"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Unit:
    """One translatable string of a catalogue, as a CAT tool sees it (one per plural form)."""

    id: str
    context: str | None
    source: str
    target: str
    state: str
    notes: tuple[tuple[str, str], ...] = ()
    previous: str | None = None
    #: Plural form (msgstr[n]) or -1; for a plural, the English singular that keys the message.
    form: int = -1
    singular: str | None = None


def unit_id(context: str | None, msgid: str, form: int = -1) -> str:
    """A stable id: the same unit of the same English text always has it."""
    digest = hashlib.sha1(f"{context or ''}\x04{msgid}\x00{form}".encode()).hexdigest()
    return f"u{digest[:16]}"


def catalog_units(catalog: Catalog) -> list[Unit]:
    """The units of a PO catalogue, in file order, with their notes for the translator."""
    units = []
    for message in catalog:
        if not message.id:
            continue
        state = UNTRANSLATED if not _translated(message) else FUZZY if message.fuzzy else TRANSLATED
        notes = [("description", c) for c in message.auto_comments]
        notes += [("translator", c) for c in message.user_comments]
        notes += [("location", f"{path}:{line}" if line else path) for path, line in message.locations]
        if message.context is not None:
            notes.append(("context", message.context))
        previous = message.previous_id[0] if message.fuzzy and message.previous_id else None
        if isinstance(message.id, str):
            units.append(
                Unit(unit_id(message.context, message.id), message.context, message.id, message.string or "",
                     state if message.string else UNTRANSLATED, tuple(notes), previous)
            )  # fmt: skip
            continue
        strings = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string or ""]
        strings += [""] * (catalog.num_plurals - len(strings))
        for form, string in enumerate(strings):
            source = message.id[0] if form == 0 and catalog.num_plurals > 1 else message.id[1]
            note = ("plural", f"plural form {form} of {catalog.num_plurals} ({catalog.plural_expr})")
            units.append(
                Unit(unit_id(message.context, message.id[0], form), message.context, source, string or "",
                     state if string else UNTRANSLATED, (*notes, note), previous, form, message.id[0])
            )  # fmt: skip
    return units


def _translated(message: Message) -> bool:
    string = message.string
    return any(string) if isinstance(string, (list, tuple)) else bool(string)


# -- writing -----------------------------------------------------------------------------------


def write_xliff(units: list[Unit], domain: str, source_language: str, target_language: str, version: str) -> bytes:
    """One document's units as an XLIFF file of *version* ("2.0" or "1.2")."""
    for unit in units:
        for text in (unit.source, unit.target):
            if _NOT_XML.search(text):
                raise CatalogError(
                    f"a control character in {text[:40]!r} cannot be written in XLIFF", domain,
                    hint="remove it from the catalogue (`python -m polypress check` finds it)",
                )  # fmt: skip
    root = _xliff2(units, domain, source_language, target_language) if version == "2.0" else None
    if root is None:
        root = _xliff12(units, domain, source_language, target_language)
    ET.indent(root, space="  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode() + b"\n"


def _xliff2(units: list[Unit], domain: str, source: str, target: str) -> ET.Element:
    ET.register_namespace("", XLIFF2)
    root = ET.Element(f"{{{XLIFF2}}}xliff", {"version": "2.0", "srcLang": source, "trgLang": target})
    file = ET.SubElement(root, f"{{{XLIFF2}}}file", {"id": domain, XML_SPACE: "preserve"})
    for unit in units:
        element = ET.SubElement(file, f"{{{XLIFF2}}}unit", {"id": unit.id})
        notes = list(unit.notes)
        if unit.previous is not None:
            notes.append(("previous-source", unit.previous))
        if notes:
            holder = ET.SubElement(element, f"{{{XLIFF2}}}notes")
            for category, text in notes:
                ET.SubElement(holder, f"{{{XLIFF2}}}note", {"category": category}).text = text
        state = {UNTRANSLATED: {"state": "initial"}, FUZZY: {"state": "initial", "subState": "gettext:fuzzy"}}
        segment = ET.SubElement(element, f"{{{XLIFF2}}}segment", state.get(unit.state, {"state": "translated"}))
        ET.SubElement(segment, f"{{{XLIFF2}}}source").text = unit.source
        if unit.state != UNTRANSLATED:
            ET.SubElement(segment, f"{{{XLIFF2}}}target").text = unit.target
    return root


def _xliff12(units: list[Unit], domain: str, source: str, target: str) -> ET.Element:
    ET.register_namespace("", XLIFF12)
    root = ET.Element(f"{{{XLIFF12}}}xliff", {"version": "1.2"})
    attributes = {"original": domain, "source-language": source, "target-language": target, "datatype": "po"}
    file = ET.SubElement(root, f"{{{XLIFF12}}}file", attributes)
    body = ET.SubElement(file, f"{{{XLIFF12}}}body")
    for unit in units:
        approved = "yes" if unit.state == TRANSLATED else "no"
        element = ET.SubElement(
            body, f"{{{XLIFF12}}}trans-unit", {"id": unit.id, "approved": approved, XML_SPACE: "preserve"}
        )
        ET.SubElement(element, f"{{{XLIFF12}}}source").text = unit.source
        if unit.state != UNTRANSLATED:
            state = "translated" if unit.state == TRANSLATED else "needs-review-translation"
            ET.SubElement(element, f"{{{XLIFF12}}}target", {"state": state}).text = unit.target
        if unit.previous is not None:
            alternative = ET.SubElement(element, f"{{{XLIFF12}}}alt-trans", {"alttranstype": "previous-version"})
            ET.SubElement(alternative, f"{{{XLIFF12}}}source").text = unit.previous
        for category, text in unit.notes:
            if category == "location":
                group = ET.SubElement(element, f"{{{XLIFF12}}}context-group", {"purpose": "location"})
                path, _, line = text.rpartition(":") if re.search(r":\d+$", text) else (text, "", "")
                ET.SubElement(group, f"{{{XLIFF12}}}context", {"context-type": "sourcefile"}).text = path
                if line:
                    ET.SubElement(group, f"{{{XLIFF12}}}context", {"context-type": "linenumber"}).text = line
            else:
                origin = {"description": "developer", "translator": "translator"}.get(category, "polypress")
                ET.SubElement(element, f"{{{XLIFF12}}}note", {"from": origin, "annotates": "general"}).text = (
                    text if origin != "polypress" else f"{category}: {text}"
                )
    return root


# -- reading -----------------------------------------------------------------------------------


@dataclass
class ImportedFile:
    """What an XLIFF file brings back: its document, language and each unit's target and state."""

    domain: str
    language: str
    targets: dict[str, tuple[str, str]] = field(default_factory=dict)  # unit id -> (target, state)


def read_xliff(data: bytes, path: str) -> ImportedFile:
    """Parse an XLIFF 2.0 or 1.2 file; anything else is a located error."""
    root = parse_xml(data, path, CatalogError, "XLIFF")  # no DTD, no entity, in any encoding
    if root.tag == f"{{{XLIFF2}}}xliff":
        return _read2(root, path)
    if root.tag == f"{{{XLIFF12}}}xliff":
        return _read12(root, path)
    raise CatalogError("not an XLIFF 2.0 or 1.2 file", path, 1, hint="export XLIFF from your CAT tool")


def _only_file(root: ET.Element, tag: str, path: str) -> ET.Element:
    files = root.findall(tag)
    if len(files) != 1:
        raise CatalogError(f"{len(files)} <file> elements, expected one", path, hint="import one file per document")
    return files[0]


def _read2(root: ET.Element, path: str) -> ImportedFile:
    file = _only_file(root, f"{{{XLIFF2}}}file", path)
    imported = ImportedFile(file.get("id", ""), root.get("trgLang", ""))
    for unit in file.iter(f"{{{XLIFF2}}}unit"):
        segments = unit.findall(f"{{{XLIFF2}}}segment")
        target = "".join(_text(s.find(f"{{{XLIFF2}}}target")) for s in segments)
        has_target = any(s.find(f"{{{XLIFF2}}}target") is not None for s in segments)
        states = {s.get("state", "initial") for s in segments}
        if not has_target or not target:
            state = UNTRANSLATED
        elif states <= {"translated", "reviewed", "final"}:
            state = TRANSLATED
        else:
            state = FUZZY
        imported.targets[unit.get("id", "")] = (target, state)
    return imported


def _read12(root: ET.Element, path: str) -> ImportedFile:
    file = _only_file(root, f"{{{XLIFF12}}}file", path)
    imported = ImportedFile(file.get("original", ""), file.get("target-language", ""))
    for unit in file.iter(f"{{{XLIFF12}}}trans-unit"):
        target_element = unit.find(f"{{{XLIFF12}}}target")
        target = _text(target_element)
        state_name = target_element.get("state", "") if target_element is not None else ""
        if not target:
            state = UNTRANSLATED
        elif unit.get("approved") == "yes" or state_name in ("translated", "signed-off", "final"):
            state = TRANSLATED
        else:
            state = FUZZY
        imported.targets[unit.get("id", "")] = (target, state)
    return imported


def _text(element: ET.Element | None) -> str:
    """The text of a source or target; inline elements a tool added keep only their text."""
    return "".join(element.itertext()) if element is not None else ""


# -- merging back ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One unit an import changed, for the report."""

    message: Message
    form: int
    before: str
    after: str
    what: str


def apply_import(catalog: Catalog, imported: ImportedFile) -> tuple[list[Change], list[str]]:
    """Bring *imported* targets into *catalog* in place; returns the changes and the unknown unit ids."""
    by_id: dict[str, tuple[Message, int]] = {}
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, str):
            by_id[unit_id(message.context, message.id)] = (message, -1)
        else:
            for form in range(catalog.num_plurals):
                by_id[unit_id(message.context, message.id[0], form)] = (message, form)
    changes: list[Change] = []
    unknown = [key for key in imported.targets if key not in by_id]
    touched: dict[int, tuple[Message, list[str]]] = {}  # fuzzy state per message (all its forms)
    for key, (target, state) in imported.targets.items():
        if key not in by_id:
            continue
        message, form = by_id[key]
        before = message.string if form < 0 else _forms(message, catalog.num_plurals)[form]
        before_state = UNTRANSLATED if not before else FUZZY if message.fuzzy else TRANSLATED
        if (target, state) == (before or "", before_state) or (state == UNTRANSLATED and not before):
            continue
        if form < 0:
            message.string = target
        else:
            forms = _forms(message, catalog.num_plurals)
            forms[form] = target
            message.string = tuple(forms)
        touched.setdefault(id(message), (message, []))[1].append(state)
        what = "new" if not before else "fuzzy" if state == FUZZY else "confirmed" if before == target else "changed"
        changes.append(Change(message, form, before or "", target, what))
    for message, states in touched.values():
        if FUZZY in states:
            message.flags.add("fuzzy")
        elif TRANSLATED in states:
            message.flags.discard("fuzzy")
            message.previous_id = []  # confirmed: the old English no longer matters, as in Poedit
    return changes, unknown


def _forms(message: Message, plurals: int) -> list[str]:
    strings = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string or ""]
    return [*(s or "" for s in strings), *[""] * (plurals - len(strings))]
