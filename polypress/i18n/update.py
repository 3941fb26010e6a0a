"""Keep catalogues in step with the sources: extract .pot files, create and merge .po files."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from polypress.content.reader import discover_documents
from polypress.errors import CatalogError, PolypressError
from polypress.files import read_bytes
from polypress.i18n.extract import document_template, pot_bytes, templates_template
from polypress.i18n.matching import FUZZY_CUTOFF, FuzzyMatcher  # noqa: F401 - FUZZY_CUTOFF is part of update's API
from polypress.i18n.memory import ORIGIN_PREFIX, Memory, build_memory, compendium_paths, load_compendium
from polypress.i18n.po import TEMPLATES_DOMAIN, load_po, parse_po, po_path, pot_path, render_po
from polypress.i18n.signoff import is_mark
from polypress.settings import Settings
from polypress.writer import write_atomic


@dataclass
class UpdateReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    #: What changed in each written catalogue, for the translator ("2 new, 1 fuzzy").
    notes: dict[str, str] = field(default_factory=dict)


@dataclass
class MergeSummary:
    """What a merge did to a catalogue; true when anything changed."""

    changed: bool = False
    new: int = 0
    fuzzy: int = 0
    revived: int = 0
    obsolete: int = 0
    #: Units filled from the translation memory (the language's other catalogues, a compendium).
    memory: int = 0

    def __bool__(self) -> bool:
        return self.changed

    def __str__(self) -> str:
        parts = [(self.new, "new"), (self.fuzzy, "fuzzy"), (self.revived, "revived"), (self.obsolete, "obsolete")]
        parts.append((self.memory, "from memory"))
        return ", ".join(f"{n} {what}" for n, what in parts if n) or "references and comments"


def extract_templates(project: Settings) -> dict[str, Catalog]:
    """Every domain's template catalogue, freshly extracted from the sources."""
    templates = {}
    for document in discover_documents(project.content_dir, project.root):
        templates[document.slug] = document_template(
            document, project.content_dir / f"{document.slug}.md", project.root
        )
    templates[TEMPLATES_DOMAIN] = templates_template(project.templates_dir, project.root)
    return templates


def write_pots(project: Settings, templates: dict[str, Catalog], report: UpdateReport) -> None:
    """Write each .pot whose units changed, or whose layout is not GNU's; its date moves only with its units."""
    for domain, catalog in templates.items():
        path = pot_path(project.translations_dir, domain)
        display = _rel(project, path)
        # The template as it stands, read as every project file (a link out or a FIFO is refused).
        old = read_bytes(path, project.root, CatalogError, display=display) if os.path.lexists(path) else None
        if old is not None:
            try:
                previous = parse_po(old, display)
            except PolypressError:
                previous = None  # a broken template is simply replaced
            if previous is not None and _units(previous) == _units(catalog):
                catalog.creation_date = previous.creation_date
        new = pot_bytes(catalog)
        if old == new:
            report.unchanged.append(display)
            continue
        write_atomic(path, new)
        report.written.append(display)


def _key(message: Message) -> tuple[str, str | None]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return msgid, message.context


def _signature(catalog: Catalog) -> list:
    """Everything a merge may change, to tell whether a catalogue needs rewriting."""

    def one(message: Message) -> tuple:
        return (
            message.id,
            message.context,
            message.string,
            tuple(sorted(message.flags)),
            tuple(message.previous_id),
            tuple(message.locations),
            tuple(message.auto_comments),
            tuple(message.user_comments),
        )

    return [one(m) for m in catalog if m.id] + ["obsolete"] + [one(m) for m in catalog.obsolete.values()]


def _units(template: Catalog) -> list:
    """What a template says to translators: a .pot's date changes only when this does."""
    return [(m.id, m.context, sorted(m.flags), m.locations, m.auto_comments) for m in template if m.id]


def _translated(message: Message) -> bool:
    string = message.string
    return any(string) if isinstance(string, (list, tuple)) else bool(string)


def merge_catalog(catalog: Catalog, template: Catalog, memory: Memory | None = None, origin: str = "") -> MergeSummary:
    """Merge *template* into *catalog* in place, like ``msgmerge --previous``; the summary is true if anything changed.

    Units come in template (source) order. A unit whose text is unchanged keeps its
    translation and state; one whose text was obsolete is revived; a new text gets the
    closest old translation (active or obsolete), marked fuzzy, with the old text as
    ``#| msgid``; the rest are untranslated. Old units no longer in the template become
    obsolete, after the units that already were, so their translations are not lost.
    A *memory* (other catalogues, named by *origin* when this one is among them) fills a new
    unit first with an exact translation, last with a close one, marked fuzzy.
    """
    before = _signature(catalog)
    summary = MergeSummary()
    active = {_key(m): m for m in catalog if m.id}
    obsolete = {_key(m): m for m in catalog.obsolete.values()}
    matcher: FuzzyMatcher | None = None
    memory_matcher: FuzzyMatcher | None = None
    used: set = set()
    merged: list[Message] = []
    for unit in template:
        if not unit.id:
            continue
        key = _key(unit)
        old = active.get(key) or obsolete.get(key)
        previous: list[str] = []
        fuzzy = False
        if old is not None:
            used.add(key)
            summary.revived += key not in active
            fuzzy = old.fuzzy
            previous = list(old.previous_id) if fuzzy else []
        else:
            remembered = memory.find(key[0], key[1], origin) if memory and isinstance(unit.id, str) else None
            if remembered is not None:
                summary.memory += 1
                merged.append(_remembered(unit, *remembered, fuzzy=False))
                continue
            if matcher is None:  # built lazily: an update with no new text never pays for it
                matcher = FuzzyMatcher([*active.values(), *obsolete.values()])
            old = matcher.best(key[0], key[1])
            if old is None and memory is not None and isinstance(unit.id, str):
                if memory_matcher is None:
                    memory_matcher = FuzzyMatcher(memory.candidates)
                close = memory_matcher.best(key[0], key[1])
                if close is not None:
                    summary.memory += 1
                    merged.append(_remembered(unit, close, memory.origin(close), fuzzy=True))
                    continue
            summary.new += old is None
            if old is not None:
                summary.fuzzy += 1
                fuzzy = True
                # The translation was made for the old text, or for what that fuzzy unit recorded.
                previous = list(old.previous_id) if old.fuzzy and old.previous_id else [_key(old)[0]]
                # Like msgmerge: the old unit lives on as this unit's ``#| msgid``, not also as obsolete.
                used.add(_key(old))
        merged.append(_merged_unit(unit, old, fuzzy, previous, catalog.num_plurals))
    for message in [m for m in catalog if m.id]:
        catalog.delete(message.id, message.context)
    for message in merged:
        catalog[message.id] = message
    current = {_key(m) for m in merged}
    # Obsolete units stay (unless revived); active units nothing used, exactly or fuzzily, join them.
    still_obsolete = [(k, m) for k, m in obsolete.items() if k not in current]
    newly_obsolete = [(k, m) for k, m in active.items() if k not in used]
    catalog.obsolete.clear()
    for key, message in [*still_obsolete, *newly_obsolete]:
        message = message.clone()
        message.locations = []
        catalog.obsolete.setdefault(key[0] if key[1] is None else key, message)
    summary.obsolete = len(newly_obsolete)
    summary.changed = _signature(catalog) != before
    return summary


def _merged_unit(unit: Message, old: Message | None, fuzzy: bool, previous: list[str], plurals: int) -> Message:
    message = unit.clone()
    message.flags = {f for f in unit.flags if f != "fuzzy"}
    message.previous_id = []
    if old is None:
        message.string = ("",) * plurals if isinstance(unit.id, (list, tuple)) else ""
        return message
    string = old.string
    if isinstance(unit.id, (list, tuple)) and not isinstance(string, (list, tuple)):
        string, fuzzy = (string,) + ("",) * (plurals - 1), True
    elif not isinstance(unit.id, (list, tuple)) and isinstance(string, (list, tuple)):
        string, fuzzy = string[0], True
    message.string = string
    message.user_comments = list(old.user_comments)  # the translator's own notes survive
    if fuzzy:  # a sign-off was for the text it signed: the English changed under it
        message.user_comments = [c for c in message.user_comments if not is_mark(c)]
        message.flags.add("fuzzy")
        message.previous_id = previous
    return message


def _remembered(unit: Message, found: Message, origin: str, fuzzy: bool) -> Message:
    """A new unit filled from the memory, with a comment naming where its translation comes from."""
    message = unit.clone()
    message.string = found.string
    message.user_comments = [f"{ORIGIN_PREFIX} {origin}"]
    message.flags = {f for f in unit.flags if f != "fuzzy"} | ({"fuzzy"} if fuzzy else set())
    message.previous_id = [found.id] if fuzzy else []
    return message


def new_catalog(template: Catalog, language: str, locale: str, memory: Memory | None = None) -> Catalog:
    """A fresh catalogue for *language* with every unit untranslated."""
    catalog = Catalog(
        locale=locale,
        domain=template.domain,
        project=template.project,
        version=template.version,
        msgid_bugs_address=template.msgid_bugs_address,
        header_comment=f"# {language} translation of {template.domain}.\n#",
        creation_date=template.creation_date,
        language_team=f"{language} <translators@example.org>",
        fuzzy=False,
    )
    merge_catalog(catalog, template, memory)
    return catalog


def _rel(project: Settings, path: Path) -> str:
    try:
        return str(path.relative_to(project.root))
    except ValueError:
        return str(path)


def update_catalogs(project: Settings, languages: list[str] | None = None) -> UpdateReport:
    """Re-extract every source and merge it into every language's catalogues."""
    report = UpdateReport()
    templates = extract_templates(project)
    write_pots(project, templates, report)
    for language in languages or project.target_languages:
        locale = project.language(language).locale
        catalogs = {}
        for domain in templates:
            path = po_path(project.translations_dir, language, domain)
            if path.exists():
                catalogs[domain] = load_po(path, _rel(project, path), language, locale)
        remembered = [(_rel(project, po_path(project.translations_dir, language, d)), c) for d, c in catalogs.items()]
        for path in compendium_paths(project, language):
            remembered.append((_rel(project, path), load_compendium(path, _rel(project, path), language, project.root)))
        memory = build_memory(remembered)
        for domain, template in templates.items():
            path = po_path(project.translations_dir, language, domain)
            display = _rel(project, path)
            if domain in catalogs:
                catalog = catalogs[domain]
                summary = merge_catalog(catalog, template, memory, display)
                if summary:
                    report.notes[display] = str(summary)
                    catalog.creation_date = template.creation_date
                data = render_po(catalog)
                if data == read_bytes(path, project.root, CatalogError, display=display):
                    report.unchanged.append(display)
                    continue
                if not summary:  # a tool re-wrapped or reordered it: back to GNU's layout
                    report.notes[display] = "normalised to GNU layout"
            else:
                catalog = new_catalog(template, language, locale, memory)
                filled = sum(1 for m in catalog if m.id and any(c.startswith(ORIGIN_PREFIX) for c in m.user_comments))
                if filled:
                    report.notes[display] = f"{filled} from memory"
                data = render_po(catalog)
            parse_po(data, display, language, locale)  # never write a catalogue we could not read back
            write_atomic(path, data)
            report.written.append(display)
    return report


LANGUAGE_TABLE = """
[languages.{code}]
# {name}, written {direction}; the locale gives dates, numbers and plural forms.
locale = {locale}
fonts = [{fonts}]
job_suffix = ""  # letter of the UN job number for this language, if any
threshold = 100  # % of units translated below which the build makes a draft or keeps the last release
"""

#: Font faces to try first for a script (ISO 15924 code, from CLDR's likely subtags).
SCRIPT_FACES = {
    "Arab": ("naskh",),
    "Hans": ("cjk-serif",),
    "Hant": ("cjk-serif",),
    "Jpan": ("cjk-serif",),
    "Kore": ("cjk-serif",),
}
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_(?:[A-Z]{2}|[0-9]{3}))?$")


@dataclass
class NewLanguage:
    """What add-language configured, for the command to tell the translator."""

    code: str
    locale: str
    name: str
    direction: str
    fonts: list[str]
    plural_forms: str
    report: UpdateReport


def add_language(project: Settings, code: str, locale: str | None = None) -> NewLanguage:
    """Configure a new language (polypress.toml) and create its catalogues from the current templates."""
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global
    from babel.messages.plurals import get_plural

    from polypress.errors import ConfigError
    from polypress.files import read_text
    from polypress.settings import CONFIG_NAME, read_settings
    from polypress.toml_lines import toml_string

    config = project.root / CONFIG_NAME
    code = code.strip().replace("-", "_")
    if not _LANGUAGE_CODE.match(code):
        raise ConfigError(
            f"{code!r} is not a language code", hint="use an ISO 639 code, optionally with a region: de, pt_BR, zh_Hant"
        )
    if code == project.source_language:
        raise ConfigError(f"{code!r} is the source language", config, hint="its text is the English source itself")
    if code in project.languages:
        raise ConfigError(
            f"language {code!r} is already configured", config, hint="run `make update` to refresh its catalogues"
        )
    try:
        parsed = Locale.parse(locale or code)
    except (UnknownLocaleError, ValueError):
        raise ConfigError(
            f"Babel knows no locale {locale or code!r}", config, hint="use a code such as de, pt_BR or zh_Hans"
        ) from None
    likely = get_global("likely_subtags").get(str(parsed), get_global("likely_subtags").get(parsed.language, ""))
    script = parsed.script or next((p for p in likely.split("_")[1:] if len(p) == 4), "Latn")
    faces = [f for f in SCRIPT_FACES.get(script, ()) if f in project.fonts]
    faces += [f for f in ("serif",) if f in project.fonts] or list(project.fonts)[:1]
    direction = "rtl" if parsed.character_order == "right-to-left" else "ltr"
    text = read_text(config, project.root, ConfigError)
    table = LANGUAGE_TABLE.format(
        code=code,
        name=" ".join((parsed.get_display_name("en") or code).split()),
        locale=toml_string(str(parsed)),
        direction=direction,
        fonts=", ".join(toml_string(f) for f in faces),
    )
    new_text = text.rstrip("\n") + "\n" + table
    try:  # what is written must read back: values are escaped, and the result is checked before it replaces the file
        if tomllib.loads(new_text).get("languages", {}).get(code, {}).get("locale") != str(parsed):
            raise ValueError("the new table does not read back")
    except (tomllib.TOMLDecodeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"cannot add [languages.{code}]: {exc}", config, hint="add the table by hand") from None
    write_atomic(config, new_text.encode("utf-8"))
    report = update_catalogs(read_settings(project.root), [code])
    name = parsed.get_display_name("en") or code
    return NewLanguage(code, str(parsed), name, direction, faces, get_plural(parsed).plural_forms, report)
