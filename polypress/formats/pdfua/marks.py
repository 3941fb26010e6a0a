"""Marked content in a page's content stream, as WeasyPrint's pydyf stream holds it (a list of operations).

Two rewrites, before the stream is compressed and written: marked runs no
structure element reaches become ``/Artifact`` (their MCIDs renumbered so the
page's MCIDs stay 0…n-1), and drawing outside any marked content (a rule, a
background) is wrapped in ``/Artifact``, so every mark on the page is either
content or an artifact (Matterhorn 01-001).
"""

from __future__ import annotations

import pydyf

_PATH_BUILDING = {b"m", b"l", b"c", b"v", b"y", b"h", b"re"}
_PATH_PAINTING = {b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}
#: What ends a path: painting it, or "n" (a clipping path, painted by nothing).
_PATH_ENDING = _PATH_PAINTING | {b"n"}
_CLIPPING = {b"W", b"W*"}
_TEXT_SHOWING = {b"Tj", b"TJ", b"'", b'"'}
#: Operators that draw by themselves: an XObject, a shading.
_DRAWING = {b"Do", b"sh"}


def operator(entry) -> bytes:
    """The operator of one entry of a pydyf stream (b"re" for b"0 0 10 10 re"); b"" for an operand."""
    if isinstance(entry, str):
        return b""
    if isinstance(entry, bytes | bytearray):
        return bytes(entry).rsplit(b" ", 1)[-1].rsplit(b"]", 1)[-1].strip()
    return b""


def artifact_marks(stream: list, artifacts: dict[int, str]) -> dict[int, int]:
    """Turn the marked runs whose MCID is in *artifacts* into artifacts of that type; renumber the rest.

    Returns old MCID → new MCID for the runs that stay content.
    """
    renumbered: dict[int, int] = {}
    for index, entry in enumerate(stream):
        if isinstance(entry, pydyf.Dictionary) and "MCID" in entry and operator(stream[index + 1]) == b"BDC":
            mcid = entry["MCID"]
            if mcid in artifacts:
                stream[index - 1] = "/Artifact"
                stream[index] = pydyf.Dictionary({"Type": artifacts[mcid]})
            else:
                renumbered[mcid] = entry["MCID"] = len(renumbered)
    return renumbered


def mark_unmarked_drawing(stream: list) -> None:
    """Wrap every graphics object drawn outside marked content in ``/Artifact BMC … EMC``."""
    out: list = []
    depth = 0
    pending: list = []  # a path being built, or a text object, outside marked content
    in_text = False
    for entry in stream:
        op = operator(entry)
        if depth == 0 and (pending or op in _PATH_BUILDING or op == b"BT"):
            pending.append(entry)
            if op == b"BT":
                in_text = True
            elif op == b"ET":
                in_text = False
                _flush(out, pending, any(operator(item) in _TEXT_SHOWING for item in pending))
            elif in_text and op in (b"BDC", b"BMC"):
                # Marked content inside the text object: it is tagged there, leave it as it is.
                out.extend(pending[:-1])
                pending.clear()
                out.append(entry)
                depth += 1
                in_text = False
            elif not in_text and op in _PATH_ENDING:
                _flush(out, pending, op != b"n")
            continue
        if op in (b"BDC", b"BMC"):
            depth += 1
        elif op == b"EMC":
            depth -= 1
        elif depth == 0 and op in _DRAWING:
            _flush(out, [entry], True)
            continue
        out.append(entry)
    out.extend(pending)
    stream[:] = out


def _flush(out: list, pending: list, paints: bool) -> None:
    if paints:
        out.extend(["/Artifact", b"BMC", *pending, b"EMC"])
    else:
        out.extend(pending)
    pending.clear()
