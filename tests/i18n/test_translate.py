"""Putting translations into a document: a unit whose markup differs from the English is not published."""

from polypress.content.reader import parse_document
from polypress.i18n.lookup import Translations
from polypress.i18n.po import parse_catalogue

SOURCE = """+++
title = "T"
+++

# Background

See [chapter II](#background), ![a map](map.png) and the note.[^1]

[^1]: A note.
"""


def translated(msgstr: str):
    po = f'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "{SOURCE.splitlines()[6]}"\nmsgstr "{msgstr}"\n'
    catalogue = parse_catalogue(po.encode(), "fr.po", "fr", "fr")
    from polypress.i18n.translate import translate_document

    document = parse_document(SOURCE, "content/x.md", "x")
    return translate_document(document, "fr", Translations(catalogue), "fr.po")


def test_a_translation_that_keeps_links_images_and_notes_is_published():
    document, coverage, warnings = translated(
        "Voir [le chapitre II](#background), ![une carte](map.png) et la note.[^1]"
    )
    paragraph = next(b for b in document.walk() if b.kind == "paragraph")
    assert paragraph.status == "translated" and paragraph.text.startswith("Voir")
    assert not [w for w in warnings if w.category == "markup"]


def test_a_translation_that_drops_a_link_or_points_elsewhere_falls_back_to_english_flagged():
    for msgstr in (
        "Voir le chapitre II, ![une carte](map.png) et la note.[^1]",
        "Voir [le chapitre II](https://evil.example), ![une carte](map.png) et la note.[^1]",
        "Voir [le chapitre II](#background) et la note.[^1]",
        "Voir [le chapitre II](#background), ![une carte](map.png) et la note.",
    ):
        document, coverage, warnings = translated(msgstr)
        paragraph = next(b for b in document.walk() if b.kind == "paragraph")
        assert paragraph.status == "untranslated" and paragraph.text.startswith("See"), msgstr
        assert [w for w in warnings if w.category == "markup"], msgstr
