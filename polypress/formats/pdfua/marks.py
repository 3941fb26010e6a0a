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
    if type(entry) is bytes:  # nearly every entry: called for each of a page's thousands
        # The last word, and of it what follows a closing bracket (b"[<0012>-200<0034>]TJ").
        return entry.rpartition(b" ")[2].rpartition(b"]")[2].strip()
    if isinstance(entry, bytes | bytearray):
        return operator(bytes(entry))
    return b""


def mark_page(stream: list, artifacts: dict[int, str]) -> dict[int, int]:
    """Both rewrites of one page's stream (``artifact_marks``, then ``mark_unmarked_drawing``).

    Each entry's operator is read once for both: a page holds thousands.
    """
    operators = list(map(operator, stream))
    renumbered = artifact_marks(stream, artifacts, operators)
    mark_unmarked_drawing(stream, operators)
    return renumbered


def artifact_marks(stream: list, artifacts: dict[int, str], operators: list[bytes]) -> dict[int, int]:
    """Turn the marked runs whose MCID is in *artifacts* into artifacts of that type; renumber the rest.

    *operators* are the stream's, entry by entry. Returns old MCID → new MCID for the runs that stay content.
    """
    renumbered: dict[int, int] = {}
    index = 0
    while True:
        try:
            index = operators.index(b"BDC", index + 1)  # a scan in C: most entries are not one
        except ValueError:
            break
        entry = stream[index - 1]  # the property list of "/P <<...>> BDC"
        if isinstance(entry, pydyf.Dictionary) and "MCID" in entry:
            mcid = entry["MCID"]
            if mcid in artifacts:
                stream[index - 2] = "/Artifact"
                stream[index - 1] = pydyf.Dictionary({"Type": artifacts[mcid]})
                operators[index - 2] = b""
            else:
                renumbered[mcid] = entry["MCID"] = len(renumbered)
    return renumbered


def mark_unmarked_drawing(stream: list, operators: list[bytes]) -> None:
    """Wrap every graphics object drawn outside marked content in ``/Artifact BMC … EMC``.

    *operators* are the stream's, entry by entry.
    """
    out: list = []
    depth = 0
    pending: list = []  # a path being built, or a text object, outside marked content
    in_text = shows_text = False
    for entry, op in zip(stream, operators, strict=True):
        if depth == 0 and (pending or op in _PATH_BUILDING or op == b"BT"):
            pending.append(entry)
            shows_text = shows_text or op in _TEXT_SHOWING
            if op == b"BT":
                in_text = True
            elif op == b"ET":
                in_text = False
                _flush(out, pending, shows_text)
                shows_text = False
            elif in_text and op in (b"BDC", b"BMC"):
                # Marked content inside the text object: it is tagged there, leave it as it is.
                out.extend(pending[:-1])
                pending.clear()
                shows_text = False
                out.append(entry)
                depth += 1
                in_text = False
            elif not in_text and op in _PATH_ENDING:
                _flush(out, pending, op != b"n")
                shows_text = False
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
