"""Lookups into one language's catalogues: what a source text becomes, and where its msgstr is."""

from __future__ import annotations

import gettext
from dataclasses import dataclass

from babel.messages.catalog import Catalog, Message

from polypress.i18n.signoff import is_reviewed


@dataclass(frozen=True)
class Lookup:
    """What a catalogue says about one source text."""

    string: str
    status: str  # translated | fuzzy | untranslated


#: Separates singular and plural in the key of a plural message (never in a msgid).
PLURAL_SEPARATOR = "\x00"


#: Separates a message's context (msgctxt) from its msgid in a key, as GNU gettext's MO files do.
CONTEXT_SEPARATOR = "\x04"


def plural_key(singular: str, plural: str) -> str:
    """How a plural message is looked up: both English forms, so either change is seen."""
    return f"{singular}{PLURAL_SEPARATOR}{plural}"


def context_key(context: str | None, key: str) -> str:
    """A key under its context (``msgctxt``): "DRAFT" as a watermark is another unit than "DRAFT" alone."""
    return key if context is None else f"{context}{CONTEXT_SEPARATOR}{key}"


def message_key(message: Message) -> str:
    """The one key of a catalogue message: its context, its msgid (both English forms for a plural)."""
    key = message.id if isinstance(message.id, str) else plural_key(message.id[0], message.id[1])
    return context_key(message.context, key)


@dataclass(frozen=True)
class Catalogue:
    """One parsed PO file: Babel's catalogue, the file it came from, where each msgstr starts.

    The lines let an error about a translation point at the msgstr a translator
    edits, without reading the file again.
    """

    catalog: Catalog
    path: str
    #: message_key (context, msgid, plural) -> line of its first msgstr.
    msgstr_lines: dict[str, int]


class Translations:
    """Read-only lookups into one catalogue; fuzzy is never published.

    A plural message is looked up under :func:`plural_key`; its string is then
    every form joined with PLURAL_SEPARATOR, and :meth:`ngettext` picks one. A message
    with a context (``msgctxt``) is looked up with that context, never without it.
    """

    def __init__(self, catalogue: Catalogue | None = None) -> None:
        self._messages: dict[str, tuple[str, bool]] = {}
        self._reviewed: set[str] = set()
        self._plural = None
        self.catalogue = catalogue
        if catalogue is None:
            return
        catalog = catalogue.catalog
        if catalog.locale is not None:
            self._plural = gettext.c2py(catalog.plural_expr)
        for message in catalog:
            if not message.id:
                continue
            key = message_key(message)
            if isinstance(message.id, str):
                self._messages[key] = (message.string or "", message.fuzzy)
                if is_reviewed(message):
                    self._reviewed.add(key)
            else:
                forms = tuple(message.string or ())
                complete = bool(forms) and all(forms)
                text = PLURAL_SEPARATOR.join(forms) if complete else ""
                self._messages[key] = (text, message.fuzzy)

    def lookup(self, source: str, context: str | None = None) -> Lookup:
        string, fuzzy = self._messages.get(context_key(context, source), ("", False))
        if not string:
            return Lookup(source, "untranslated")
        if fuzzy:
            return Lookup(source, "fuzzy")
        return Lookup(string, "translated")

    def reviewed(self, source: str, context: str | None = None) -> bool:
        """Whether a reviser signed the translation of *source* off (``# reviewed``)."""
        return context_key(context, source) in self._reviewed

    def location(self, source: str, context: str | None = None) -> tuple[str, int | None] | None:
        """(PO file, line of the msgstr) where the translation of *source* is, if it has one."""
        if self.catalogue is None or self.lookup(source, context).status != "translated":
            return None
        return self.catalogue.path, self.catalogue.msgstr_lines.get(context_key(context, source))

    def gettext(self, source: str, context: str | None = None) -> str:
        return self.lookup(source, context).string

    def plural_index(self, count: int) -> int:
        """Which form the language uses for *count*, from the catalogue's Plural-Forms."""
        return self._plural(count) if self._plural is not None else int(count != 1)

    def ngettext(self, singular: str, plural: str, count: int, context: str | None = None) -> Lookup:
        """The form for *count*; a fallback uses the English form for *count*."""
        found = self.lookup(plural_key(singular, plural), context)
        if found.status == "translated":
            forms = found.string.split(PLURAL_SEPARATOR)
            return Lookup(forms[min(self.plural_index(count), len(forms) - 1)], "translated")
        return Lookup(singular if count == 1 else plural, found.status)


class SourceTranslations(Translations):
    """The source language: every text is its own translation."""

    def lookup(self, source: str, context: str | None = None) -> Lookup:
        return Lookup(source, "source")
