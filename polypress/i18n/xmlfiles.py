"""The XML files translators exchange with their tools (XLIFF, TBX), written one way.

They are read by ``polypress.xml_input.parse_xml``, as every XML file from outside is."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable


def xml_bytes(root: ET.Element, text_elements: Iterable[str] = ()) -> bytes:
    """The file: UTF-8 with its declaration, indented by two spaces, ending with a newline.

    Elements named in *text_elements* (by local name) are not indented inside: their whitespace is the
    text's own (an XLIFF source or target, whose placeholders sit in the middle of the text).
    """
    _indent(root, 0, frozenset(text_elements))
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode() + b"\n"


def _indent(element: ET.Element, level: int, text_elements: frozenset[str]) -> None:
    """What ``ET.indent(root, space="  ")`` does, skipping the inside of *text_elements*."""
    if not len(element) or element.tag.rpartition("}")[2] in text_elements:
        return
    inner = "\n" + "  " * (level + 1)
    if not (element.text or "").strip():
        element.text = inner
    for child in element:
        _indent(child, level + 1, text_elements)
        if not (child.tail or "").strip():
            child.tail = inner
    if not (child.tail or "").strip():
        child.tail = "\n" + "  " * level
