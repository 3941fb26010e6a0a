"""Parsing XML that comes from outside (XLIFF, TBX, TMX) with no DTD, so no entity can expand or fetch,
and with no control character, which no page or catalogue may hold.

A CAT tool's export is untrusted: a document type declaration can define entities
that expand a thousandfold ("billion laughs") or name an external file or URL.
Python 3.11's ``xml.etree`` with expat 2.5 already caps the expansion and never
fetches, but only the parser sees the encoding: a byte search for ``<!DOCTYPE``
misses it in UTF-16. So the parser itself refuses the declaration, whatever the
encoding, before any entity is defined. The same handlers as ``defusedxml``'s, in
a few lines rather than a dependency: XLIFF, TBX and TMX never need a DTD.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from xml.parsers import expat

from polypress.characters import describe, first_control
from polypress.errors import PolypressError


class _Refused(Exception):
    """Raised from inside expat when the document declares a DTD or an entity."""


class _Control(Exception):
    """Raised from inside expat at a control character (XML 1.0 allows C1 controls; a page or PO file may not)."""


def _refuse(*_args: object) -> None:
    raise _Refused


def _refuse_controls(text: str) -> None:
    if (found := first_control(text)) is not None:
        raise _Control(found[1])


def _refuse_controls_in_attributes(_name: str, attributes: dict[str, str]) -> None:
    for value in attributes.values():
        _refuse_controls(value)


def parse_xml(data: bytes, where: str, error: type[PolypressError], what: str) -> ET.Element:
    """The root element of *data*, an XML *what* file; a DTD, an entity or malformed XML is *error* at its line."""
    scan = expat.ParserCreate()  # a first pass that only looks for declarations, in the file's own encoding
    scan.StartDoctypeDeclHandler = scan.EntityDeclHandler = scan.UnparsedEntityDeclHandler = _refuse
    scan.CharacterDataHandler = _refuse_controls
    scan.StartElementHandler = _refuse_controls_in_attributes
    try:
        scan.Parse(data, True)
    except _Control as exc:
        raise error(
            f"control character {describe(str(exc.args[0]))}",
            where,
            scan.CurrentLineNumber,
            hint="remove it: it would make the pages and catalogues invalid (only tab and newline are allowed)",
        ) from None
    except _Refused:
        raise error(
            f"a DOCTYPE or ENTITY declaration is not allowed in {what}",
            where,
            scan.CurrentLineNumber,
            hint=f"export the {what} file again without a document type declaration",
        ) from None
    except expat.ExpatError as exc:
        raise error(
            f"not well-formed XML: {expat.ErrorString(exc.code)}",
            where,
            exc.lineno,
            hint=f"export the {what} file again",
        ) from None
    return ET.fromstring(data)
