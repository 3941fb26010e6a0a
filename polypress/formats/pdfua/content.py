"""What a page's content stream marks and says: each marked run's text, and what is drawn unmarked.

Read with pikepdf, for the checker (``check.py``) and for structure-order text.
Text is decoded through each font's /ToUnicode CMap, as a screen reader's
extraction would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pikepdf

_SHOWING = {"Tj", "TJ", "'", '"'}
_PAINTING = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Do", "sh", "EI"}


@dataclass
class PageMarks:
    """One page's content, by marked-content identifier."""

    #: MCID → text drawn in it (decoded through /ToUnicode).
    text: dict[int, str] = field(default_factory=dict)
    #: Operators that paint outside both an artifact and a marked run with an MCID.
    unmarked: list[str] = field(default_factory=list)
    #: Artifacts inside tagged content, or tagged content inside an artifact.
    nested: int = 0
    #: Fonts the page shows text with (by resource name → font dictionary).
    fonts: dict[str, pikepdf.Dictionary] = field(default_factory=dict)


def to_unicode(font: pikepdf.Dictionary) -> dict[bytes, str]:
    """A font's /ToUnicode CMap as code (bytes) → text; {} without one."""
    if "/ToUnicode" not in font:
        return {}
    data = font.ToUnicode.read_bytes().decode("latin-1")
    table: dict[bytes, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            table[bytes.fromhex(code)] = _utf16(text)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for start, end, target in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block
        ):
            low, high, width = int(start, 16), int(end, 16), len(start) // 2
            if target.startswith("["):
                texts = [_utf16(item) for item in re.findall(r"<([0-9A-Fa-f]*)>", target)]
            else:
                first = _utf16(target[1:-1])
                texts = [first[:-1] + chr(ord(first[-1]) + offset) for offset in range(high - low + 1)] if first else []
            for offset, text in enumerate(texts):
                table[(low + offset).to_bytes(width, "big")] = text
    return table


def _utf16(hex_text: str) -> str:
    return bytes.fromhex(hex_text).decode("utf-16-be", errors="replace")


def _decode(data: bytes, width: int, table: dict[bytes, str]) -> str:
    return "".join(table.get(data[i : i + width], "\ufffd") for i in range(0, len(data), width))


def page_marks(page: pikepdf.Page, cmaps: dict) -> PageMarks:
    """Walk the page's content stream: the text of each MCID, the painting outside any mark."""
    marks = PageMarks()
    fonts = page.Resources.get("/Font", pikepdf.Dictionary())
    stack: list[tuple[str, int | None]] = []
    table: dict[bytes, str] = {}
    width = 2
    for operands, op in pikepdf.parse_content_stream(page):
        name = str(op)
        if name in ("BDC", "BMC"):
            tag = str(operands[0])
            mcid = None
            if name == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                mcid = int(operands[1].MCID)
            inside_tag = any(m is not None for _, m in stack)
            inside_artifact = any(t == "/Artifact" for t, _ in stack)
            if (tag == "/Artifact" and inside_tag) or (mcid is not None and inside_artifact):
                marks.nested += 1
            stack.append((tag, mcid))
        elif name == "EMC":
            if stack:
                stack.pop()
        elif name == "Tf":
            resource = str(operands[0])
            font = fonts.get(resource)
            if font is not None:
                marks.fonts[resource] = font
                key = font.objgen
                if key not in cmaps:
                    cmaps[key] = to_unicode(font)
                table = cmaps[key]
                width = 2 if font.get("/Subtype") == "/Type0" else 1
        elif name in _SHOWING or name in _PAINTING:
            mcid = next((m for _, m in reversed(stack) if m is not None), None)
            artifact = any(t == "/Artifact" for t, _ in stack)
            if mcid is None and not artifact:
                marks.unmarked.append(name)
            if name in _SHOWING and mcid is not None and not artifact:
                strings = operands[0] if name == "TJ" else [operands[-1]]
                text = "".join(_decode(bytes(s), width, table) for s in strings if isinstance(s, pikepdf.String))
                marks.text[mcid] = marks.text.get(mcid, "") + text
    return marks
