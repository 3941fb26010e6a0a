"""Lookups into a catalogue (i18n/lookup.py): what a source text becomes, and where its msgstr is."""

from __future__ import annotations

from polypress.i18n.lookup import SourceTranslations, Translations
from polypress.i18n.po import parse_catalogue

PATH = "translations/fr/LC_MESSAGES/doc.po"
PO = """\
msgid ""
msgstr ""
"Language: fr\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Migration is a human reality."
msgstr "La migration est une réalité humaine."

#, fuzzy
msgid "Recognize the contribution."
msgstr "Reconnaissent la contribution."

msgid "Stress the need for cooperation."
msgstr ""

msgid "%(count)s page"
msgid_plural "%(count)s pages"
msgstr[0] "%(count)s page"
msgstr[1] "%(count)s pages (fr)"
"""


def translations() -> Translations:
    return Translations(parse_catalogue(PO.encode("utf-8"), PATH, "fr"))


def test_a_translated_unit_gives_its_translation_and_where_it_is():
    french = translations()
    found = french.lookup("Migration is a human reality.")
    assert (found.string, found.status) == ("La migration est une réalité humaine.", "translated")
    assert french.location("Migration is a human reality.") == (PATH, 8)


def test_fuzzy_and_untranslated_units_fall_back_to_the_source_and_have_no_location():
    french = translations()
    for text, status in (
        ("Recognize the contribution.", "fuzzy"),
        ("Stress the need for cooperation.", "untranslated"),
    ):
        found = french.lookup(text)
        assert (found.string, found.status) == (text, status)
        assert french.location(text) is None


def test_a_text_the_catalogue_does_not_know_is_untranslated():
    assert translations().lookup("A new paragraph.").status == "untranslated"
    assert Translations(None).lookup("Anything.").status == "untranslated"


def test_a_plural_follows_the_languages_rule():
    french = translations()
    # French: 0 and 1 take the singular.
    assert french.ngettext("%(count)s page", "%(count)s pages", 0).string == "%(count)s page"
    assert french.ngettext("%(count)s page", "%(count)s pages", 1).string == "%(count)s page"
    assert french.ngettext("%(count)s page", "%(count)s pages", 3).string == "%(count)s pages (fr)"


def test_the_source_language_translates_every_text_to_itself():
    found = SourceTranslations().lookup("Migration is a human reality.")
    assert (found.string, found.status) == ("Migration is a human reality.", "source")


def test_a_context_is_its_own_unit_with_its_own_msgstr_line():
    text = (
        PO
        + '\nmsgctxt "watermark"\nmsgid "DRAFT"\nmsgstr "PROJET"\n\n'
        + 'msgid "DRAFT"\nmsgstr "Brouillon"\n\n'
        + 'msgctxt "status"\nmsgid "DRAFT"\nmsgstr ""\n'
    )
    french = Translations(parse_catalogue(text.encode("utf-8"), PATH, "fr"))
    assert french.gettext("DRAFT", "watermark") == "PROJET"
    assert french.gettext("DRAFT") == "Brouillon"
    # An untranslated context falls back to the English, never to the same English's other translation.
    assert french.lookup("DRAFT", "status").status == "untranslated" and french.gettext("DRAFT", "status") == "DRAFT"
    lines = text.splitlines()
    line = french.location("DRAFT", "watermark")[1]
    assert lines[line - 1] == 'msgstr "PROJET"' and lines[french.location("DRAFT")[1] - 1] == 'msgstr "Brouillon"'
