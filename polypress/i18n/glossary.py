"""Per-language glossaries of official terms (translations/<lang>/glossary.csv), as translators edit them.

Each entry says where its form comes from: a ``source`` (a document symbol such as ``A/RES/68/4,
para. 7`` or a terminology record) and a ``status`` (``verified`` once the form was read there,
``to-verify`` until then). A form nobody can trace to the organisation's own documents would
spread a wrong name through every document that the glossary check enforces it on.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from polypress.content.inline import plain_text
from polypress.errors import CatalogError
from polypress.files import read_text, refuse_controls

#: Columns of a glossary file; ``target`` lists accepted variants separated by " | ".
COLUMNS = ("english", "target", "status", "source", "note")
HEADER = ",".join(COLUMNS)
#: The header of the first glossaries (``source`` was the English): still read, with no sources.
LEGACY_COLUMNS = ("source", "target", "note")
VARIANT_SEPARATOR = " | "
VERIFIED, TO_VERIFY = "verified", "to-verify"
STATUSES = (VERIFIED, TO_VERIFY)


def fold(text: str) -> str:
    """Text for term matching: no markup, one kind of apostrophe, quote and space, case-folded."""
    text = unicodedata.normalize("NFC", plain_text(text))
    text = text.replace("’", "'").replace("‘", "'").replace("\u00a0", " ").replace("\u202f", " ")
    text = text.replace("\u00ad", "").replace("‐", "-").replace("‑", "-")
    return re.sub(r"\s+", " ", text).casefold()


@dataclass(frozen=True)
class Term:
    """One official term: the English, its accepted renderings, where the form comes from, a note."""

    english: str
    targets: tuple[str, ...]
    line: int
    status: str = TO_VERIFY
    source: str = ""
    note: str = ""

    @property
    def pattern(self) -> str:
        """The English term as a case-insensitive whole-word regular expression on folded text."""
        words = [re.escape(w) for w in fold(self.english).split(" ")]
        return r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])"

    @property
    def verified(self) -> bool:
        return self.status == VERIFIED


@dataclass(frozen=True)
class Glossary:
    path: str
    entries: tuple[Term, ...]  # longest English first

    def find(self, english: str) -> list[tuple[Term, tuple[int, int]]]:
        """The terms in an English text, longest first, a term inside a longer one left to the longer one."""
        text = fold(english)
        found: list[tuple[Term, tuple[int, int]]] = []
        for entry in self.entries:
            for match in re.finditer(entry.pattern, text):
                if any(start < match.end() and match.start() < end for _, (start, end) in found):
                    continue
                found.append((entry, match.span()))
                break
        return found


def uses(term: Term, translation: str) -> bool:
    """Whether a translation contains one of the term's accepted renderings."""
    text = fold(translation)
    return any(fold(target) in text for target in term.targets)


def _columns(header: list[str], path: str) -> tuple[str, ...]:
    names = tuple(h.strip().lower() for h in header)
    if names[: len(COLUMNS)] == COLUMNS:
        return COLUMNS
    if names[:2] == LEGACY_COLUMNS[:2]:
        return LEGACY_COLUMNS
    raise CatalogError(f"header is {','.join(header)!r}", path, 1, hint=f"the first line is: {HEADER}")


def parse_glossary(text: str, path: str) -> Glossary:
    """Read a glossary CSV (header ``english,target,status,source,note``); errors name the line."""
    refuse_controls(text, path, CatalogError)  # also what a TBX import is about to write
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise CatalogError("empty glossary", path, 1, hint=f"the first line is: {HEADER}") from None
    except csv.Error as exc:
        raise CatalogError(f"not valid CSV: {exc}", path, 1) from None
    columns = _columns(header, path)
    terms: list[Term] = []
    seen: dict[str, int] = {}
    try:
        end = 1
        for row in reader:
            line, end = end + 1, reader.line_num
            if not row or not any(cell.strip() for cell in row):
                continue
            if any("\n" in cell for cell in row):  # a quote left open swallows every row after it
                raise CatalogError(
                    "a quoted cell is not closed on its line", path, line, hint='close the quote ("…") on that line'
                )
            term = _term(row, columns, path, line)
            key = term.english.casefold()
            if key in seen:  # "High-level" and "High-Level": one term, its targets pooled
                old = terms[seen[key]]
                terms[seen[key]] = Term(
                    old.english, old.targets + term.targets, old.line, old.status, old.source, old.note
                )
                continue
            seen[key] = len(terms)
            terms.append(term)
    except csv.Error as exc:
        raise CatalogError(f"not valid CSV: {exc}", path, reader.line_num) from None
    terms.sort(key=lambda t: -len(t.english))
    return Glossary(path, tuple(terms))


def _term(row: list[str], columns: tuple[str, ...], path: str, line: int) -> Term:
    cells = [cell.strip() for cell in row]
    if len(cells) < 2 or not cells[0] or not cells[1]:
        raise CatalogError(
            "a term needs both its English and a target", path, line, hint="quote cells that contain commas"
        )
    # An unquoted comma in the note is only a note with a comma: keep it whole.
    last = len(columns) - 1
    values = dict(zip(columns[:last], cells[:last], strict=False))
    values[columns[last]] = ",".join(cells[last:]).strip()
    targets = tuple(t.strip() for t in values["target"].split(VARIANT_SEPARATOR.strip()) if t.strip())
    if columns == LEGACY_COLUMNS:
        return Term(values["source"], targets, line, TO_VERIFY, "", values["note"])
    status = values.get("status", "") or TO_VERIFY
    if status not in STATUSES:
        raise CatalogError(
            f"status is {status!r}", path, line, hint=f"write {VERIFIED} (with its source) or {TO_VERIFY}"
        )
    return Term(values["english"], targets, line, status, values.get("source", ""), values["note"])


def load_glossary(path: Path, display: str, root: Path) -> Glossary:
    """A project's glossary, read as every project file is (files.py): inside *root*, regular, UTF-8, no controls."""
    return parse_glossary(read_text(path, root, CatalogError, display=display), display)
