"""PO and POT files: read strictly with located errors, written the same way every time."""

from __future__ import annotations

import io
import re
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, read_po, unescape

import polypress.files
from polypress.characters import describe, first_control
from polypress.errors import CatalogError
from polypress.files import normalize_newlines, read_bytes, refuse_controls
from polypress.i18n.layout import PO_WIDTH, parse_header, render_po
from polypress.i18n.lookup import Catalogue, message_key
from polypress.i18n.plurals import check_plural_expression

__all__ = ["PO_WIDTH", "TEMPLATES_DOMAIN", "load_catalogue", "load_po", "parse_catalogue", "parse_po", "render_po"]
#: Domain of the strings in templates (masthead, navigation, labels).
TEMPLATES_DOMAIN = "templates"


def pot_path(translations_dir: Path, domain: str) -> Path:
    return translations_dir / f"{domain}.pot"


def po_path(translations_dir: Path, language: str, domain: str) -> Path:
    return translations_dir / language / "LC_MESSAGES" / f"{domain}.po"


def parse_po(data: bytes, path: str, language: str | None = None, locale: str | None = None) -> Catalog:
    """Parse PO bytes strictly; every problem names *path* and the line."""
    return parse_catalogue(data, path, language, locale).catalog


def parse_catalogue(data: bytes, path: str, language: str | None = None, locale: str | None = None) -> Catalogue:
    """Parse PO bytes strictly into a Catalogue that knows where each msgstr is.

    *language* is the code of the folder the file is in ("fr"); *locale* the Babel locale
    configured for it, whose plural rules the file must follow (the code itself when not given).
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError(
            "not UTF-8", path, line, hint='save the catalogue as UTF-8 with "Content-Type: text/plain; charset=UTF-8"'
        ) from None
    text = normalize_newlines(text)  # a file saved with old Mac (CR) line endings is not an empty catalogue
    refuse_controls(text, path, CatalogError)
    _check_syntax(text, path, locale or language)
    try:
        catalog = read_po(io.StringIO(text), locale=None, abort_invalid=True)
    except PoFileError as exc:
        reason = re.sub(r" on \d+$", "", str(exc.args[0] if exc.args else exc))
        # Babel counts lines from 0.
        raise CatalogError(
            f"syntax error: {reason}", path, exc.lineno + 1 if exc.lineno is not None else None
        ) from None
    except ValueError as exc:  # Babel raises this for unknown locales and bad headers
        raise CatalogError(f"bad header: {exc}", path, 1) from None
    _check_header(catalog, text, path, language, locale or language)
    # Kept so a rewrite changes no header field or comment polypress does not own.
    catalog.po_header = parse_header(text)  # type: ignore[attr-defined]
    for message in [*catalog, *catalog.obsolete.values()]:
        _previous_from_comments(message)
    catalogue = Catalogue(catalog, path, _msgstr_lines(catalog, text))
    _check_characters(catalogue)
    return catalogue


def _check_characters(catalogue: Catalogue) -> None:
    """A control character (other than tab and newline) in a unit reaches HTML and XML feeds: refused here."""
    for message in catalogue.catalog:
        if not message.id:
            continue
        ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
        strings = (message.string,) if isinstance(message.string, str) else tuple(message.string or ())
        key = message_key(message)
        for text in (*ids, *strings):
            if len(text or "") > polypress.files.MAX_UNIT_CHARS:
                raise CatalogError(
                    f"a unit of {len(text):,} characters, past the limit of {polypress.files.MAX_UNIT_CHARS:,}",
                    catalogue.path,
                    catalogue.msgstr_lines.get(key, message.lineno),
                    hint="a unit is one paragraph: split the text in the English source",
                )
            found = first_control(text or "")
            if found is not None:
                raise CatalogError(
                    f"control character {describe(found[1])} in a translation unit",
                    catalogue.path,
                    catalogue.msgstr_lines.get(key, message.lineno),
                    hint="remove it: only tab and newline (\\t, \\n) may appear in a unit",
                )


def _msgstr_lines(catalog: Catalog, text: str) -> dict[str, int]:
    """Line of each message's first msgstr (Babel records the msgid's)."""
    lines = text.splitlines()
    found: dict[str, int] = {}
    for message in catalog:
        if not message.id or not message.lineno:
            continue
        key = message_key(message)
        for number in range(message.lineno, len(lines) + 1):
            if lines[number - 1].startswith("msgstr"):
                found[key] = number
                break
    return found


_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'  # unrolled: fast on long lines
_KEYWORD_LINE = re.compile(rf"^(msgctxt|msgid|msgid_plural|msgstr(?:\[(\d+)\])?)\s*({_STRING})$")
_CONTINUATION = re.compile(rf"^{_STRING}$")
_BAD_ESCAPE = re.compile(r'\\(?![\\"ntrabfv0-7x])')


def _check_syntax(text: str, path: str, language: str | None = None) -> None:
    """What Babel's lenient reader lets through but GNU msgfmt rejects, located at its line:
    unterminated strings, unknown escapes, duplicate units, missing plural forms, no header."""
    seen: dict[tuple[str, str], int] = {}
    entry: dict[str, list[str]] = {}
    entry_line = 0
    plural_indexes: list[int] = []
    plural_line = 0
    nplurals: int | None = None
    current = ""
    first = True

    def finish() -> None:
        nonlocal first
        if "msgid" not in entry:
            return
        if first and entry["msgid"] != [""]:
            raise CatalogError(
                'no header entry (msgid "")', path, entry_line, hint="start the file with the header of the .pot"
            )
        first = False
        key = ("".join(entry.get("msgctxt", ())), "".join(entry["msgid"]))
        if key in seen:
            what = f'msgid in msgctxt "{key[0]}"' if "msgctxt" in entry else "msgid"
            raise CatalogError(
                f"the same {what} is already defined on line {seen[key]}",
                path,
                entry_line,
                hint="remove one, or give each its own msgctxt if the English needs two translations",
            )
        seen[key] = entry_line
        if "msgid_plural" in entry and nplurals is not None and plural_indexes != list(range(nplurals)):
            expected = get_plural(language).num_plurals if language else nplurals
            if expected != nplurals:
                # The header is the mistake, not the entries that follow the language's rule.
                raise CatalogError(
                    f"Plural-Forms says nplurals={nplurals}, but {language} has {expected}",
                    path,
                    _header_line(text),
                    hint=f"use: {get_plural(language).plural_forms}",
                )
            raise CatalogError(
                f"plural forms msgstr[{']/['.join(map(str, plural_indexes))}] given, the header says nplurals={nplurals}",
                path,
                plural_line or entry_line,
                hint=f"give msgstr[0] to msgstr[{nplurals - 1}]",
            )

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or (line[0] == "#" and not line.startswith("#~")):
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if not line or line.startswith("|"):
                continue
        keyword = None
        if line[0] == '"' and len(line) > 1 and line[-1] == '"' and "\\" not in line and '"' not in line[1:-1]:
            value = line  # the common case, a plain continuation line: no regex needed
        elif keyword := _KEYWORD_LINE.match(line):
            value = keyword.group(3)
        elif _CONTINUATION.match(line):
            value = line
        elif line.startswith(("msg", '"')):
            raise CatalogError(
                "unterminated or malformed string",
                path,
                number,
                hint='every string is one line in "…"; write \\" for a quote',
            )
        else:
            raise CatalogError(f"not a PO keyword: {line[:30]!r}", path, number)
        if "\\" in value and (bad := _BAD_ESCAPE.search(value)) is not None:
            raise CatalogError(
                f"unknown escape {value[bad.start() : bad.start() + 2]!r}",
                path,
                number,
                hint="write \\\\ for a backslash",
            )
        if obsolete:
            continue
        if keyword:
            name = keyword.group(1)
            if name in ("msgctxt", "msgid") and (current == "" or current.startswith("msgstr")):
                finish()
                entry, plural_indexes, entry_line = {}, [], number
            if name.startswith("msgstr["):
                plural_indexes.append(int(keyword.group(2)))
                plural_line = plural_line if len(plural_indexes) > 1 else number
            current = name
            entry.setdefault(name, []).append(value[1:-1])
        elif current:
            entry[current].append(value[1:-1])
        if nplurals is None and current == "msgstr" and entry.get("msgid") == [""]:
            found = re.search(r"nplurals\s*=\s*(\d+)", "".join(entry["msgstr"]))
            nplurals = int(found.group(1)) if found else None
    finish()


def _check_header(catalog: Catalog, text: str, path: str, language: str | None, locale: str | None) -> None:
    header_line = _header_line(text)
    content_type = dict(catalog.mime_headers).get("Content-Type", "")
    if "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=", 1)[1].strip()
        if charset not in ("utf-8", "utf8", "charset"):
            raise CatalogError(
                f"charset is {charset}, not UTF-8", path, header_line, hint="set charset=UTF-8 and save as UTF-8"
            )
    if language is None or locale is None:
        return
    declared = dict(catalog.mime_headers).get("Language", "")
    accepted = {language.split("_")[0], locale.split("_")[0]}
    if declared and declared.replace("-", "_").split("_")[0] not in accepted:
        raise CatalogError(
            f'header says Language "{declared}" but the file is in the {language!r} folder',
            path,
            header_line,
            hint="fix the Language header or move the file",
        )
    plural = dict(catalog.mime_headers).get("Plural-Forms", "")
    if plural:
        try:
            declared_count = int(plural.split("nplurals=", 1)[1].split(";", 1)[0])
        except (IndexError, ValueError):
            raise CatalogError(f"unreadable Plural-Forms header: {plural!r}", path, header_line) from None
        expected = get_plural(locale).num_plurals
        if declared_count != expected:
            raise CatalogError(
                f"Plural-Forms says nplurals={declared_count}, but {language} has {expected}",
                path,
                header_line,
                hint=f"use: {get_plural(locale).plural_forms}",
            )
    check_plural_expression(catalog.plural_expr, catalog.num_plurals, path, _header_line(text, "Plural-Forms:"))
    for message in catalog:
        if message.id and isinstance(message.id, tuple) and isinstance(message.string, tuple):
            if len(message.string) != catalog.num_plurals:
                raise CatalogError(
                    f"{len(message.string)} plural forms given, the header says {catalog.num_plurals}",
                    path,
                    message.lineno,
                )


def _header_line(text: str, field: str = "") -> int:
    """The line of the header entry, or of one of its fields (``Plural-Forms:``) when it has it."""
    header = 1
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith('msgid ""') and header == 1:
            header = number
            if not field:
                return header
        elif field and line.startswith(f'"{field}'):
            return number
        elif header > 1 and not line.strip():
            break
    return header


def load_po(path: Path, display: str, language: str | None = None, locale: str | None = None) -> Catalog:
    return load_catalogue(path, display, language, locale).catalog


def load_catalogue(path: Path, display: str, language: str | None = None, locale: str | None = None) -> Catalogue:
    # A regular file inside the project: a link to /proc/self/environ or a FIFO is refused, unread.
    root = next((folder.parent for folder in path.parents if folder.name == "translations"), path.parent)
    data = read_bytes(path, root, CatalogError, display=display)
    return parse_catalogue(data, display, language, locale)


def _previous_from_comments(message: Message) -> None:
    """Babel reads GNU's ``#| msgid`` lines as user comments: make them the previous msgid again."""
    if not any(c.startswith("|") for c in message.user_comments):
        return
    parts: dict[str, list[str]] = {}
    current = None
    kept = []
    for text in message.user_comments:
        if not text.startswith("|"):
            kept.append(text)
            continue
        line = text[1:].strip()
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            current = parts.setdefault(keyword, [])
            line = rest.strip()
        if current is not None and line.startswith('"') and line.endswith('"'):
            current.append(unescape(line))
    message.user_comments = kept
    message.previous_id = ["".join(parts[k]) for k in ("msgid", "msgid_plural") if k in parts]
    if "msgctxt" in parts:
        message.previous_context = "".join(parts["msgctxt"])  # type: ignore[attr-defined]
