"""Per-language glossaries of official terms (translations/<lang>/glossary.csv), as translators edit them."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from polypress.content.inline import plain_text
from polypress.errors import CatalogError

#: Columns a glossary file must have; ``target`` lists accepted variants separated by " | ".
COLUMNS = ("source", "target", "note")
VARIANT_SEPARATOR = " | "


def fold(text: str) -> str:
    """Text for term matching: no markup, one kind of apostrophe, quote and space, case-folded."""
    text = unicodedata.normalize("NFC", plain_text(text))
    text = text.replace("’", "'").replace("‘", "'").replace("\u00a0", " ").replace("\u202f", " ")
    text = text.replace("\u00ad", "").replace("‐", "-").replace("‑", "-")
    return re.sub(r"\s+", " ", text).casefold()


@dataclass(frozen=True)
class Term:
    """One official term: the English, its accepted renderings, a note for the translator."""

    source: str
    targets: tuple[str, ...]
    note: str
    line: int

    @property
    def pattern(self) -> str:
        """The English term as a case-insensitive whole-word regular expression on folded text."""
        words = [re.escape(w) for w in fold(self.source).split(" ")]
        return r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])"


@dataclass(frozen=True)
class Glossary:
    path: str
    entries: tuple[Term, ...]  # longest source first


def parse_glossary(text: str, path: str) -> Glossary:
    """Read a glossary CSV (header ``source,target,note``); errors name the line."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise CatalogError("empty glossary", path, 1, hint="the first line is: source,target,note") from None
    except csv.Error as exc:
        raise CatalogError(f"not valid CSV: {exc}", path, 1) from None
    if [h.strip().lower() for h in header[:2]] != ["source", "target"]:
        raise CatalogError(f"header is {','.join(header)!r}", path, 1, hint="the first line is: source,target,note")
    terms = []
    seen: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) < 2 or not row[0].strip() or not row[1].strip():
                raise CatalogError(
                    "a term needs both source and target", path, line, hint="quote cells that contain commas"
                )
            # An unquoted comma in the note is only a note with a comma: keep it whole.
            note = ",".join(row[2:]).strip()
            source = row[0].strip()
            targets = tuple(t.strip() for t in row[1].split(VARIANT_SEPARATOR.strip()) if t.strip())
            key = source.casefold()
            if key in seen:  # "High-level" and "High-Level": one term, its targets pooled
                index = seen[key]
                old = terms[index]
                terms[index] = Term(old.source, old.targets + targets, old.note, old.line)
                continue
            seen[key] = len(terms)
            terms.append(Term(source, targets, note, line))
    except csv.Error as exc:
        raise CatalogError(f"not valid CSV: {exc}", path, reader.line_num) from None
    terms.sort(key=lambda t: -len(t.source))
    return Glossary(path, tuple(terms))


def load_glossary(path: Path, display: str) -> Glossary:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CatalogError("not UTF-8", display, hint="save the glossary as UTF-8") from None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", display) from None
    return parse_glossary(text, display)
