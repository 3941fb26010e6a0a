"""Checks on the text of a translation that need no catalogue: doubled words, newlines, GNU msgfmt."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from polypress.content.inline import plain_text

# A word repeated after whitespace ("des des", "в в", "في في"): any script that separates words.
_DOUBLED = re.compile(r"(?<!\w)(\w+)(\s+)\1(?!\w)", re.IGNORECASE)
# Scripts written without spaces double characters on purpose (常常, 各国各地): only particles that
# are never doubled, and punctuation, are flagged there.
_DOUBLED_CJK = re.compile(r"([的了是在和与及或，。、；：？！])\1")
_DOUBLED_PUNCTUATION = re.compile(r"([,;:!?،؛])\1")


def doubled_words(source: str, string: str) -> Iterator[str]:
    """A word or punctuation mark written twice in a row that the English does not repeat."""
    text, english = plain_text(string), plain_text(source)
    repeated = {m.group(1).casefold() for m in _DOUBLED.finditer(english)}
    for match in _DOUBLED.finditer(text):
        word = match.group(1)
        if word.casefold() not in repeated and not word.isdigit():
            yield f"doubled word: {match.group(0)!r}"
    for pattern in (_DOUBLED_CJK, _DOUBLED_PUNCTUATION):
        for match in pattern.finditer(text):
            if match.group(0) not in english:
                yield f"doubled {'punctuation' if not match.group(1).isalpha() else 'character'}: {match.group(0)!r}"


def newline_parity(source: str, string: str) -> Iterator[str]:
    """GNU msgfmt -c refuses a translation that begins or ends with a newline unlike its msgid."""
    for where, test in (("begins", str.startswith), ("ends", str.endswith)):
        if test(source, "\n") != test(string, "\n"):
            has = "does" if test(string, "\n") else "does not"
            yield f"the translation {has} {where.removesuffix('s')} with a newline and the English {'does not' if has == 'does' else 'does'}"


def space_parity(source: str, string: str) -> Iterator[str]:
    """Leading or trailing spaces the English has (or lacks) are layout, kept by the translation."""
    for where, edge in (
        ("leading", lambda t: t[: len(t) - len(t.lstrip(" \t"))]),
        ("trailing", lambda t: t[len(t.rstrip(" \t")) :]),
    ):
        if bool(edge(source)) != bool(edge(string)):
            yield f"{where} space {'missing' if edge(source) else 'not in the English'}"


_MSGFMT_LINE = re.compile(r"^(?P<path>.*?):(?P<line>\d+): (?P<message>.*)$")


def msgfmt_findings(path: Path, display: str) -> list[tuple[int | None, str]]:
    """What ``msgfmt -c`` (GNU gettext) rejects in a catalogue, each with its line; none without gettext."""
    if shutil.which("msgfmt") is None:
        return []
    result = subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True, errors="replace"
    )
    if result.returncode == 0:
        return []
    found = []
    for line in result.stderr.splitlines():
        match = _MSGFMT_LINE.match(line)
        if match and match.group("message").startswith("warning:"):
            continue  # what msgfmt only warns about (a header field missing) does not stop it
        if match and "fatal error" not in match.group("message"):
            found.append((int(match.group("line")), match.group("message").strip()))
        elif line.strip() and not line.startswith("msgfmt:") and not match:
            found.append((None, line.strip()))
    return found or [(None, result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "rejected")]
