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
from polypress.i18n import codes
from polypress.i18n.xmlfiles import xml_bytes
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
    return xml_bytes(root, text_elements=("source", "target"))


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
        source = codes.split(unit.source)
        if any(isinstance(piece, codes.Code) for piece in source):
            # The codes' own text, once per unit; the <ph> in source and target point at it.
            original = ET.SubElement(element, f"{{{XLIFF2}}}originalData")
            for code in (piece for piece in source if isinstance(piece, codes.Code)):
                ET.SubElement(original, f"{{{XLIFF2}}}data", {"id": f"d{code.id}"}).text = code.text
        state = {UNTRANSLATED: {"state": "initial"}, FUZZY: {"state": "initial", "subState": "gettext:fuzzy"}}
        segment = ET.SubElement(element, f"{{{XLIFF2}}}segment", state.get(unit.state, {"state": "translated"}))
        _write_inline(ET.SubElement(segment, f"{{{XLIFF2}}}source"), source, "2.0")
        if unit.state != UNTRANSLATED:
            _write_inline(ET.SubElement(segment, f"{{{XLIFF2}}}target"), codes.split_like(unit.target, source), "2.0")
    return root


def _write_inline(element: ET.Element, pieces: list[codes.Piece], version: str) -> None:
    """Text with each code as a protected placeholder: XLIFF 2.0 ``<ph>`` pointing at its original data
    (shown as ``disp``; a CAT tool may neither delete nor copy it), XLIFF 1.2 ``<ph>`` holding the code."""
    last: ET.Element | None = None
    for piece in pieces:
        if isinstance(piece, str):
            if last is None:
                element.text = (element.text or "") + piece
            else:
                last.tail = (last.tail or "") + piece
            continue
        if version == "2.0":
            attributes = {"id": piece.id, "dataRef": f"d{piece.id}", "disp": piece.text, "type": piece.type}
            attributes |= {"subType": piece.sub_type} if piece.sub_type else {}
            attributes |= {"equiv": piece.equiv} if piece.equiv else {}
            last = ET.SubElement(element, f"{{{XLIFF2}}}ph", {**attributes, "canCopy": "no", "canDelete": "no"})
        else:
            last = ET.SubElement(element, f"{{{XLIFF12}}}ph", {"id": piece.id})
            last.text = piece.text


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
        source = codes.split(unit.source)
        _write_inline(ET.SubElement(element, f"{{{XLIFF12}}}source"), source, "1.2")
        if unit.state != UNTRANSLATED:
            state = "translated" if unit.state == TRANSLATED else "needs-review-translation"
            target = ET.SubElement(element, f"{{{XLIFF12}}}target", {"state": state})
            _write_inline(target, codes.split_like(unit.target, source), "1.2")
        if unit.previous is not None:
            alternative = ET.SubElement(element, f"{{{XLIFF12}}}alt-trans", {"alttranstype": "previous-version"})
            ET.SubElement(alternative, f"{{{XLIFF12}}}source").text = unit.previous
        for category, text in unit.notes:
            if category == "context":  # msgctxt, where Qt Linguist and lupdate put it
                group = ET.SubElement(element, f"{{{XLIFF12}}}context-group", {"purpose": "information"})
                ET.SubElement(group, f"{{{XLIFF12}}}context", {"context-type": "x-gettext-msgctxt"}).text = text
            elif category == "location":
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
    path: str = ""
    #: Unit id -> (line, what is wrong with its inline codes): refused if the import would change the unit.
    problems: dict[str, tuple[int | None, str]] = field(default_factory=dict)


def read_xliff(data: bytes, path: str) -> ImportedFile:
    """Parse an XLIFF 2.0 or 1.2 file; anything else is a located error."""
    root = parse_xml(data, path, CatalogError, "XLIFF")  # no DTD, no entity, in any encoding
    if root.tag in (f"{{{XLIFF2}}}xliff", f"{{{XLIFF12}}}xliff"):
        imported = _read2(root, path) if root.tag == f"{{{XLIFF2}}}xliff" else _read12(root, path)
        imported.path = path
        for key, (_, message) in list(imported.problems.items()):
            imported.problems[key] = (_line_of(data, key), message)
        return imported
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
        data = {d.get("id"): d.text or "" for d in unit.iterfind(f"{{{XLIFF2}}}originalData/{{{XLIFF2}}}data")}
        source = codes.split("".join(_inline_text(s.find(f"{{{XLIFF2}}}source"), data)[0] for s in segments))
        target = _target(imported, unit.get("id", ""), [s.find(f"{{{XLIFF2}}}target") for s in segments], source)
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
        source = codes.split(_inline_text(unit.find(f"{{{XLIFF12}}}source"), {})[0])
        target = _target(imported, unit.get("id", ""), [target_element], source)
        state_name = target_element.get("state", "") if target_element is not None else ""
        if not target:
            state = UNTRANSLATED
        elif unit.get("approved") == "yes" or state_name in ("translated", "signed-off", "final"):
            state = TRANSLATED
        else:
            state = FUZZY
        imported.targets[unit.get("id", "")] = (target, state)
    return imported


def _target(imported: ImportedFile, key: str, elements: list[ET.Element | None], source: list[codes.Piece]) -> str:
    """A unit's target as a PO string: each placeholder back to the English code of its id. One dropped,
    repeated or not in the English is noted in *imported*: the import refuses it if it changes the unit."""
    by_id = {p.id: p.text for p in source if isinstance(p, codes.Code)}
    texts, ids = [], []
    for element in elements:
        text, found = _inline_text(element, by_id, by_id=True)
        texts.append(text)
        ids += found
    if any(e is not None for e in elements) and (wrong := codes.problems(source, ids)):
        imported.problems[key] = (None, "; ".join(wrong))
    return "".join(texts)


def _inline_text(element: ET.Element | None, data: dict, by_id: bool = False) -> tuple[str, list[str]]:
    """The text of a source or target with each placeholder as its code's text, and the placeholders' ids.

    In a source, a 2.0 ``<ph>`` is its original data (*data* by ``dataRef``) and a 1.2 ``<ph>`` holds its
    code; in a target, a placeholder is the English code of its id (*data* by id). Inline elements a tool
    added keep only their text.
    """
    if element is None:
        return "", []
    parts, ids = [element.text or ""], []
    for child in element:
        if child.tag in (f"{{{XLIFF2}}}ph", f"{{{XLIFF12}}}ph", f"{{{XLIFF12}}}x"):
            key = child.get("id", "")
            ids.append(key)
            if by_id:  # a tag the English does not have stands for what it shows (and is refused)
                parts.append(data.get(key, child.get("disp", "")))
            elif child.tag == f"{{{XLIFF2}}}ph":
                parts.append(data.get(child.get("dataRef"), child.get("disp", "")))
            else:
                parts.append("".join(child.itertext()))
        else:
            text, inner = _inline_text(child, data, by_id)
            parts.append(text)
            ids += inner
        parts.append(child.tail or "")
    return "".join(parts), ids


def _line_of(data: bytes, key: str) -> int | None:
    """The line of the unit with id *key* in the file, for the message."""
    at = data.find(f'id="{key}"'.encode())
    return data.count(b"\n", 0, at) + 1 if at >= 0 else None


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
        if key in imported.problems and target != (before or ""):
            line, wrong = imported.problems[key]
            raise CatalogError(
                f"unit {key}: the translation {wrong}", imported.path, line,
                hint="keep each tag of the English exactly once (your CAT tool shows them as protected tags)",
            )  # fmt: skip
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
