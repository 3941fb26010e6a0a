"""Quality checks on translations, each finding located at ``path:line``; errors fail ``make check``."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from babel.messages.catalog import Catalog

from polypress.characters import describe, hidden_formatting
from polypress.content.inline import markup_difference, plain_text
from polypress.errors import format_location
from polypress.i18n.glossary import Glossary, uses
from polypress.i18n.textchecks import doubled_words, newline_parity, space_parity
from polypress.kinds.base import SHORT_TITLE_CONTEXT

#: Checks whose findings fail the build of a clean catalogue: the published text would be wrong,
#: broken or unsafe. The others are warnings, fatal only with ``--strict``.
ERRORS = frozenset(
    {"catalog", "markup", "placeholders", "numbers", "symbols", "hostile-content", "glossary", "inconsistent"}
    | {"newlines", "msgfmt", "hidden-formatting"}
)
#: Findings that are reported but never fail, not even with ``--strict``: what a language's policy allows.
NOTES = frozenset({"glossary-provisional"})
#: Weblate's names for checks a translator may switch off on one unit with an ``ignore-<name>`` flag.
WEBLATE_NAMES = {"same": "unchanged", "end-stop": "end-punctuation"}


@dataclass(frozen=True)
class Finding:
    """One problem in one unit of one catalogue."""

    path: str
    line: int | None
    check: str
    message: str
    msgid: str = ""  # the unit it is about, if it is about one (build/units.json finds its page by it)
    msgctxt: str | None = None
    where: str = ""  # where the last build printed the unit: "a-res-68-4, p. 2"
    #: What to do, for a file that cannot be read at all (a link out of the project, a malformed file).
    hint: str = ""

    @property
    def severity(self) -> str:
        return "error" if self.check in ERRORS else "note" if self.check in NOTES else "warning"

    def __str__(self) -> str:
        where = f" ({self.where})" if self.where else ""
        suffix = "" if self.severity == "error" else f" ({self.severity})"
        return format_location(self.path, self.line, f"{self.check}: {self.message}{where}{suffix}", self.hint)


@dataclass(frozen=True)
class Unit:
    """A translated unit as the checks see it."""

    source: str
    string: str
    language: str
    path: str
    line: int | None
    flags: frozenset[str]
    #: Index of the plural form (msgstr[n]); -1 for a message without plurals.
    form: int = -1
    #: The translator's comments (``# …``), where a reasoned exception to a warning is written.
    comments: tuple[str, ...] = ()
    #: The message's msgctxt: the same English in another context may be translated otherwise.
    context: str | None = None


# -- helpers -----------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
_DIGITS = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d{3})*")
_SYMBOL = re.compile(r"\b[A-Z]{1,4}(?:/[A-Z0-9]+(?:\.[0-9]+)?)+\b")
_URL = re.compile(r"(?i)\b(?:https?|ftp|mailto|javascript|data|vbscript|file):[^\s\"'<>]*|\bwww\.[^\s\"'<>]+")
_TAG = re.compile(r"</?[A-Za-z][^>]*>|<!--|<!\[CDATA\[")
_ATTRIBUTE = re.compile(r"(?i)\b(?:on[a-z]+|style|href|src|srcset|action|formaction)\s*=")
_STYLE = re.compile(r"(?i)@import|expression\s*\(|url\s*\(|&#x?[0-9a-f]+;?|\\u00[0-9a-f]{2}")
#: End punctuation across scripts, by what it means.
_END_CLASSES = {
    ".": "full stop",
    "。": "full stop",
    "۔": "full stop",
    ":": "colon",
    "：": "colon",
    ";": "semicolon",
    "；": "semicolon",
    "؛": "semicolon",
    "?": "question mark",
    "？": "question mark",
    "؟": "question mark",
    "!": "exclamation mark",
    "！": "exclamation mark",
    ",": "comma",
    "，": "comma",
    "、": "comma",
    "،": "comma",
}
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
#: (language, source end, translation end) pairs a language's own conventions call for:
#: UN Arabic closes the chapeau "إن الجمعية العامة" with a comma.
_END_CONVENTIONS = {("ar", "none", "comma")}
_CLOSERS = "\"'”’»)]}）」』*\u00a0\u202f "


def _digits(text: str) -> Counter:
    """Numbers written with digits, in any script, without group separators ("10,000" = "10 000")."""
    normalized = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in text)
    found = Counter()
    for match in _DIGITS.finditer(normalized):
        found[re.sub(r"\D", "", match.group(0))] += 1
    return found


def _end_class(text: str) -> str:
    stripped = text.rstrip(_CLOSERS)
    # "etc." ends an English sentence and a French one alike; what matters is the class.
    return _END_CLASSES.get(stripped[-1:], "none") if stripped else "none"


# -- the checks on one unit ----------------------------------------------------------------------


def check_markup(unit: Unit) -> Iterator[str]:
    if problem := markup_difference(unit.source, unit.string):
        yield problem


def check_placeholders(unit: Unit) -> Iterator[str]:
    if "python-format" not in unit.flags and "%(" not in unit.source:
        return
    wanted = Counter(m.group(0) for m in _PLACEHOLDER.finditer(unit.source) if m.group(0) != "%%")
    got = Counter(m.group(0) for m in _PLACEHOLDER.finditer(unit.string) if m.group(0) != "%%")
    if missing := wanted - got:
        yield "missing placeholder " + ", ".join(sorted(missing))
    if extra := got - wanted:
        yield "placeholder not in the source " + ", ".join(sorted(extra))


def check_numbers(unit: Unit) -> Iterator[str]:
    source = _digits(_SYMBOL.sub(" ", plain_text(unit.source)))
    string = _digits(_SYMBOL.sub(" ", plain_text(unit.string)))
    if missing := [n for n in source if n not in string]:
        yield "number missing from the translation: " + ", ".join(missing)
    # Languages that write months as numbers ("10月" for October) may add them.
    months = {str(i + 1) for i, name in enumerate(_MONTHS) if re.search(rf"\b{name}\b", unit.source)}
    if extra := [n for n in string if n not in source and n not in months]:
        yield "number not in the source: " + ", ".join(extra)


def check_symbols(unit: Unit) -> Iterator[str]:
    source = set(_SYMBOL.findall(unit.source))
    string = set(_SYMBOL.findall(unit.string))
    if missing := source - string:
        yield "document symbol missing or altered: " + ", ".join(sorted(missing))


def check_end_punctuation(unit: Unit) -> Iterator[str]:
    wanted, got = _end_class(plain_text(unit.source)), _end_class(plain_text(unit.string))
    if (unit.language.split("_")[0], wanted, got) in _END_CONVENTIONS:
        return
    if wanted != got:
        yield f"source ends with {_describe(wanted)}, translation with {_describe(got)}"


def _describe(end: str) -> str:
    return "no punctuation" if end == "none" else f"a {end}"


def check_french_spacing(unit: Unit) -> Iterator[str]:
    # The build puts no-break spaces before ; : ! ? and inside « » (typography.py): a
    # missing space is fine; these are the mistakes it cannot fix.
    text = plain_text(unit.string)
    if re.search(r"\S[ \u00a0\u202f]+[,.](?!\.)", text):
        yield "space before a comma or full stop"
    if re.search(r'(?<![=\w])"|"(?!\w)', text) and '"' not in unit.source:
        yield "straight quotes: French uses « » (or “ ” inside them)"
    if re.search(r"  +", text):
        yield "double space"
    if re.search(r"[;!?](?=[^\s\u00a0\u202f»)\]*’”.,;!?])", text):
        yield "no space after ; ! or ?"


def check_spanish_pairs(unit: Unit) -> Iterator[str]:
    text = plain_text(unit.string)
    for opening, closing, name in (("¿", "?", "question"), ("¡", "!", "exclamation")):
        if text.count(opening) != text.count(closing):
            yield f"unpaired {name} marks: {text.count(opening)} × {opening}, {text.count(closing)} × {closing}"


def check_unchanged(unit: Unit) -> Iterator[str]:
    # Placeholders are not words: "%(num)s pages" is one word, the same in French.
    source = re.sub(r"%\(\w+\)[sdif]", "", plain_text(unit.source))
    letters = re.sub(r"[^A-Za-z]", "", _SYMBOL.sub("", source))
    words = [w for w in re.findall(r"[A-Za-z]{3,}", source)]
    if unit.string.strip() == unit.source.strip() and len(letters) >= 4 and len(words) >= 2:
        yield "translation identical to the English"


def check_hostile(unit: Unit) -> Iterator[str]:
    for name, pattern in (
        ("HTML tag", _TAG),
        ("HTML attribute", _ATTRIBUTE),
        ("URL", _URL),
        ("style or escape", _STYLE),
    ):
        allowed = set(pattern.findall(unit.source))
        for found in pattern.findall(unit.string):
            if found not in allowed:
                yield f"{name} not in the source: {found[:40]!r}"


def check_hidden_formatting(unit: Unit) -> Iterator[str]:
    """Bidirectional overrides and invisible characters reorder or hide what a reader sees (Trojan Source)."""
    allowed = set(hidden_formatting(unit.source))
    for char in hidden_formatting(unit.string):
        if char not in allowed:
            yield f"invisible formatting character {describe(char)} not in the source"


UNIT_CHECKS: dict[str, Callable[[Unit], Iterator[str]]] = {
    "hidden-formatting": check_hidden_formatting,
    "markup": check_markup,
    "placeholders": check_placeholders,
    "numbers": check_numbers,
    "symbols": check_symbols,
    "end-punctuation": check_end_punctuation,
    "unchanged": check_unchanged,
    "hostile-content": check_hostile,
    "doubled-words": lambda unit: doubled_words(unit.source, unit.string),
    "newlines": lambda unit: newline_parity(unit.source, unit.string),
    "whitespace": lambda unit: space_parity(unit.source, unit.string),
}
LANGUAGE_CHECKS: dict[str, dict[str, Callable[[Unit], Iterator[str]]]] = {
    "fr": {"french-spacing": check_french_spacing},
    "es": {"spanish-pairs": check_spanish_pairs},
}


def check_glossary(unit: Unit, glossary: Glossary) -> Iterator[str]:
    """Every glossary term found in the English must be rendered by one of its official targets."""
    for entry, _ in glossary.find(unit.source):
        if not uses(entry, unit.string):
            yield (
                f"“{entry.english}” should be “{' | '.join(entry.targets)}”"
                + (f" ({entry.note})" if entry.note else "")
                + f" [{glossary.path}:{entry.line}]"
            )


def check_glossary_entries(glossary: Glossary, unverified: str = "warn") -> Iterator[Finding]:
    """Each entry must say where its form comes from; ``to-verify`` ones warn unless the language allows them."""
    for entry in sorted(glossary.entries, key=lambda e: e.line):
        if not entry.verified:
            check = "glossary-provisional" if unverified == "allow" else "glossary-unverified"
            why = f" ({entry.note})" if entry.note else ""
            yield Finding(
                glossary.path,
                entry.line,
                check,
                f"“{entry.english}” is to-verify{why} — find the form in the organisation's own documents "
                "(General Assembly resolutions first), record it in source and set status verified",
            )
        elif not entry.source:
            yield Finding(
                glossary.path,
                entry.line,
                "glossary-source",
                f"“{entry.english}” names no source — add the document symbol and where in it the form appears",
            )


# -- running them -------------------------------------------------------------------------------


def check_units(units: list[Unit], glossary: Glossary | None = None) -> list[Finding]:
    """Run every check on translated units of one language."""
    findings: list[Finding] = []
    for unit in units:
        checks = {**UNIT_CHECKS, **LANGUAGE_CHECKS.get(unit.language.split("_")[0], {})}
        for name, check in checks.items():
            if name not in ERRORS and name in _ignored(unit):  # a translator's reasoned exception
                continue
            findings.extend(_about(unit, name, message) for message in check(unit))
        # A short title may shorten a term its English spells out: the running head of the Declaration.
        if glossary is not None and unit.context != SHORT_TITLE_CONTEXT:
            findings.extend(_about(unit, "glossary", m) for m in check_glossary(unit, glossary))
    findings.extend(check_consistency(units))
    return findings


def _about(unit: Unit, check: str, message: str) -> Finding:
    return Finding(unit.path, unit.line, check, message, unit.source, unit.context)


def _ignored(unit: Unit) -> set[str]:
    """Checks switched off on one unit by an ``ignore-<check>`` translator comment or flag.

    Weblate's convention and check names (``ignore-same``). A comment (``# ignore-unchanged: why``)
    is what GNU msgmerge and msgcat keep; they drop unknown ``#,`` flags. Only warnings can be
    switched off: an error (hostile content, a lost footnote) is never the translator's call.
    """
    words = [*unit.flags, *(c.split(":")[0].strip() for c in unit.comments)]
    names = {w.removeprefix("ignore-") for w in words if w.startswith("ignore-")}
    return {WEBLATE_NAMES.get(name, name) for name in names}


def check_consistency(units: list[Unit]) -> Iterator[Finding]:
    """The same English translated two ways in one language (across all its catalogues)."""
    by_source: dict[tuple[str | None, str, int], list[Unit]] = defaultdict(list)
    for unit in units:
        # Each plural form is its own text: Russian's three forms of "pages" are not a conflict;
        # nor is the same English in two contexts, which is why it has them.
        by_source[(unit.context, unit.source, unit.form)].append(unit)
    for same in by_source.values():
        first = same[0]
        for other in same[1:]:
            if other.string != first.string:
                where = format_location(first.path, first.line, "").rstrip(": ")
                yield _about(other, "inconsistent", f"translated differently at {where}: {first.string!r}")


def catalog_units(catalog: Catalog, language: str, path: str) -> list[Unit]:
    """The units a build would publish: translated and not fuzzy."""
    units = []
    for message in catalog:
        if not message.id or message.fuzzy or not isinstance(message.id, str) or not message.string:
            continue
        units.append(
            Unit(
                message.id,
                message.string,
                language,
                path,
                message.lineno,
                frozenset(message.flags),
                comments=tuple(message.user_comments),
                context=message.context,
            )
        )
    units.extend(_plural_units(catalog, language, path))
    return units


def _plural_units(catalog: Catalog, language: str, path: str) -> list[Unit]:
    units = []
    for message in catalog:
        if isinstance(message.id, (list, tuple)) and not message.fuzzy and isinstance(message.string, (list, tuple)):
            for form, string in enumerate(message.string):
                if string:
                    # Form 0 answers the English singular, the others the English plural.
                    source = message.id[0] if form == 0 else message.id[1]
                    flags = frozenset(message.flags)
                    units.append(
                        Unit(source, string, language, path, message.lineno, flags, form, context=message.context)
                    )
    return units
