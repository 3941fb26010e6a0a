"""Where each translation unit lands: build/units.json, made from the PDFs a build laid out.

A translator told "fr/LC_MESSAGES/declaration.po:120" still has to find the
sentence on paper; this map adds the page ("p. 2"). The PDF stage reports, per
edition, each unit (msgctxt, msgid, its lines) and the pages where it lands; the
build writes the map; ``check``, the status page and the review edition read it.
Without a build (or with a map from another version) they simply show no page.
"""

from __future__ import annotations

import bisect
import dataclasses
import io
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TypeVar

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

#: A finding of ``check`` (i18n/checks.py): anything with path, line, msgid, msgctxt and where.
F = TypeVar("F")

#: The map's file name under build/.
UNITS_FILE = "units.json"
#: Bumped when the map's shape changes: a map of another version is ignored, never misread.
VERSION = 1


@dataclass(frozen=True)
class Placement:
    """One unit of one PDF: what identifies it in its catalogue, where it is written, the pages it lands on."""

    msgid: str
    pages: tuple[int, ...]
    #: None where the catalogue gives the unit no context (every content unit today).
    msgctxt: str | None = None
    #: Line of the unit in the source (content/<slug>.md).
    source_line: int | None = None
    #: Line of the msgid in the edition's catalogue; None for the source language or a unit not in it.
    po_line: int | None = None

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def as_dict(self) -> dict:
        return {
            "msgctxt": self.msgctxt,
            "msgid": self.msgid,
            "pages": list(self.pages),
            "po_line": self.po_line,
            "source_line": self.source_line,
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Placement:
        """A recorded placement; raises TypeError, ValueError or KeyError when it is not one this version wrote."""
        msgctxt, msgid = data.get("msgctxt"), data["msgid"]
        if not isinstance(msgid, str) or not (msgctxt is None or isinstance(msgctxt, str)):
            raise TypeError("msgid and msgctxt are strings")
        pages = tuple(_whole(page) for page in data["pages"])
        return cls(msgid, pages, msgctxt, _line(data.get("source_line")), _line(data.get("po_line")))


def merge(placements: Iterable[Placement]) -> tuple[Placement, ...]:
    """One placement per (msgctxt, msgid), in the order of their first appearance: a paragraph repeated in a
    document is one catalogue entry, landing on the pages of every copy."""
    merged: dict[tuple[str | None, str], Placement] = {}
    for placement in placements:
        earlier = merged.get(placement.key)
        if earlier is None:
            merged[placement.key] = placement
        else:
            pages = tuple(sorted(set(earlier.pages) | set(placement.pages)))
            merged[placement.key] = Placement(
                earlier.msgid, pages, earlier.msgctxt, earlier.source_line, earlier.po_line
            )
    return tuple(merged.values())


@dataclass(frozen=True)
class EditionUnits:
    """The placements of one document's PDF in one language."""

    document: str
    language: str
    #: The PDF's path on the site ("fr/a-res-68-4.pdf").
    pdf: str
    #: The edition's catalogue as the project names it; "" for the source language.
    catalogue: str
    units: tuple[Placement, ...]


def units_json(editions: Iterable[EditionUnits]) -> bytes:
    """The map as the build writes it (``write_units_json``), of editions in any order, as bytes."""
    sink = io.BytesIO()
    write_units_json(sorted(editions, key=lambda e: (e.document, e.language)), sink)
    return sink.getvalue()


def write_units_json(editions: Iterable[EditionUnits], sink: BinaryIO) -> None:
    """The map into *sink*: documents and languages sorted, units in catalogue order, one unit a line (so
    ``grep`` finds a msgid with its pages), no time; valid JSON whatever the msgids hold.

    *editions* come in (document, language) order, and may be made as they are asked for: one edition is
    held at a time, so writing the map of a whole archive does not hold it (it grows 0.3 MB a document).
    """

    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    sink.write(f'{{"version": {VERSION}, "documents": {{'.encode())
    document = None
    for edition in editions:
        if edition.document != document:
            closing = "\n }," if document is not None else ""
            sink.write(f"{closing}\n {dump(edition.document)}: {{\n".encode())
            document = edition.document
        else:
            sink.write(b",\n")
        units = ",\n".join(f"    {dump(p.as_dict())}" for p in sorted(edition.units, key=_catalogue_order))
        head = f'"catalogue": {dump(edition.catalogue)}, "pdf": {dump(edition.pdf)}'
        sink.write(f'  {dump(edition.language)}: {{{head}, "units": [\n{units}\n  ]}}'.encode())
    sink.write(b"\n }\n}}\n" if document is not None else b"\n\n}}\n")


def placements_bytes(units: Iterable[Placement]) -> bytes:
    """One output's placements as the build keeps them between builds (build/.units/): a unit a line."""
    return (
        "[\n" + ",\n".join(json.dumps(p.as_dict(), ensure_ascii=False, sort_keys=True) for p in units) + "\n]\n"
    ).encode()


def read_placements(data: bytes) -> tuple[Placement, ...]:
    """Placements as ``placements_bytes`` wrote them; raises ValueError, TypeError or KeyError otherwise."""
    found = json.loads(data.decode("utf-8"))
    if not isinstance(found, list):
        raise TypeError("a list of placements")
    return tuple(Placement.from_dict(unit) for unit in found)


def _catalogue_order(placement: Placement) -> tuple:
    """By the line of the msgid in the catalogue (units not in it last), then by the source."""
    p = placement
    return (p.po_line is None, p.po_line or 0, p.source_line or 0, p.msgctxt or "", p.msgid)


class UnitPages:
    """The map read back: the pages of a unit, by catalogue or by document and language.

    Made from every edition's placements at once (``check``, the review edition: they ask by catalogue),
    or with *load*, which gives one edition's placements when asked (the site: it asks an edition at a
    time, and an archive's placements are not held together).
    """

    def __init__(
        self,
        editions: Iterable[EditionUnits] = (),
        load: Callable[[str, str], EditionUnits | None] | None = None,
    ) -> None:
        self.editions = {(e.document, e.language): e for e in editions}
        self._load = load
        self._last: tuple[tuple[str, str], EditionUnits | None, dict] | None = None
        self._by_catalogue: dict[tuple[str, str | None, str], list[tuple[str, tuple[int, ...]]]] = {}
        for (document, _language), edition in sorted(self.editions.items()):
            for placement in edition.units if edition.catalogue else ():
                found = self._by_catalogue.setdefault((edition.catalogue, placement.msgctxt, placement.msgid), [])
                found.append((document, placement.pages))

    def __bool__(self) -> bool:
        return bool(self.editions) or self._load is not None

    def edition(self, document: str, language: str) -> EditionUnits | None:
        """The placements of one edition's PDF; None when the map does not have it."""
        return self._edition(document, language)[0]

    def _edition(self, document: str, language: str) -> tuple[EditionUnits | None, dict]:
        """The edition and its units by (msgctxt, msgid); the last one asked for is kept (a page asks
        for each of its units in turn)."""
        key = (document, language)
        if self._last is None or self._last[0] != key:
            edition = self.editions.get(key) if self._load is None else self._load(document, language)
            index: dict[tuple[str | None, str], tuple[int, ...]] = {}
            for placement in edition.units if edition else ():
                index[placement.key] = placement.pages
            self._last = (key, edition, index)
        return self._last[1], self._last[2]

    @classmethod
    def load(cls, build_dir: Path) -> UnitPages:
        """The map the last build wrote; empty when there is none or it is not one this version wrote (then
        nothing shows a page: the map is a help, never a reason to fail)."""
        try:
            data = json.loads((build_dir / UNITS_FILE).read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("version") != VERSION:
                return cls()
            editions = []
            for document, languages in data["documents"].items():
                for language, entry in languages.items():
                    units = tuple(Placement.from_dict(unit) for unit in entry["units"])
                    editions.append(EditionUnits(document, language, str(entry["pdf"]), str(entry["catalogue"]), units))
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return cls()
        return cls(editions)

    def pages(self, document: str, language: str, msgid: str, msgctxt: str | None = None) -> tuple[int, ...]:
        """The pages of the edition's PDF where the unit lands; () when unknown.

        Asked without a msgctxt (a document's unit, as its source knows it), the one entry for *msgid* is
        found whatever context its catalogue gave it; two with different contexts answer nothing.
        """
        index = self._edition(document, language)[1]
        found = index.get((msgctxt, msgid))
        if found is None and msgctxt is None:
            same = [pages for (_, m), pages in index.items() if m == msgid]
            found = same[0] if len(same) == 1 else None
        return found or ()

    def in_catalogue(self, catalogue: str, msgid: str, msgctxt: str | None = None) -> list[tuple[str, tuple[int, ...]]]:
        """(document, pages) for a unit of a catalogue: a document's catalogue serves one document."""
        return self._by_catalogue.get((catalogue, msgctxt, msgid), [])

    def where(self, catalogue: str, msgid: str, msgctxt: str | None = None) -> str:
        """Where a unit of a catalogue is printed ("a-res-68-4, p. 2"); "" when the map does not know it."""
        return "; ".join(
            f"{document}, {page_label(pages)}" for document, pages in self.in_catalogue(catalogue, msgid, msgctxt)
        )


def with_pages(findings: list[F], pages: UnitPages, catalogs: Mapping[str, Catalog]) -> list[F]:
    """Each finding about a unit (``check``'s), with the page(s) where the last build printed it ("a-res-68-4,
    p. 2") in its ``where``.

    A finding known only by its line (msgfmt's) is about the entry that starts at or before that line, in
    its catalogue (*catalogs*, by path). Without a build, or for a unit no PDF shows (a template string),
    the findings are as they were.
    """
    if not pages:
        return findings
    starts = {
        path: sorted((m.lineno, m.id, m.context) for m in catalog if m.id and isinstance(m.id, str) and m.lineno)
        for path, catalog in catalogs.items()
    }
    placed = []
    for finding in findings:
        msgid, msgctxt = finding.msgid, finding.msgctxt
        if not msgid and finding.line and finding.path in starts:
            lines = starts[finding.path]
            at = bisect.bisect_right([line for line, _, _ in lines], finding.line) - 1
            if at >= 0:
                _, msgid, msgctxt = lines[at]
        where = pages.where(finding.path, msgid, msgctxt) if msgid else ""
        placed.append(dataclasses.replace(finding, where=where) if where else finding)
    return placed


def page_label(pages: Iterable[int]) -> str:
    """Pages as a reference writes them: "p. 2", "pp. 2–3" (consecutive pages), "pp. 2, 5"; "" for none."""
    pages = sorted(set(pages))
    if not pages:
        return ""
    if len(pages) == 1:
        return f"p. {pages[0]}"
    if pages == list(range(pages[0], pages[-1] + 1)):
        return f"pp. {pages[0]}\u2013{pages[-1]}"
    return "pp. " + ", ".join(str(page) for page in pages)


def _whole(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("a page is a whole number from 1")
    return value


def _line(value: object) -> int | None:
    return None if value is None else _whole(value)
