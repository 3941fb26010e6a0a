"""The published site: every document in every language, as HTML and PDF, listed in the manifest."""

import hashlib
import json
import re

import pytest
from pypdf import PdfReader

from polypress.content.inline import plain_text
from polypress.content.reader import discover_documents
from polypress.i18n.po import load_po
from polypress.render.localize import long_date
from polypress.render.typography import apply_spacing
from polypress.settings import read_settings
from polypress.sources import load_sources
from tests.conftest import ROOT, comparable, pdf_body_text, pdf_logical_body_text, pdf_text

PROJECT = read_settings(ROOT)
LANGUAGES = list(PROJECT.languages)
DOCUMENTS = [d.slug for d in discover_documents(PROJECT.content_dir, ROOT)]
EDITIONS = [(doc, lang) for doc in DOCUMENTS for lang in LANGUAGES]


@pytest.fixture(scope="module")
def manifest(site):
    return json.loads((site / "manifest.json").read_text())


def test_manifest_lists_html_and_pdf_of_every_edition(manifest):
    listed = {(a["document"], a["language"], a["format"]) for a in manifest["artifacts"]}
    for doc, lang in EDITIONS:
        assert (doc, lang, "html") in listed
        assert (doc, lang, "pdf") in listed


def test_manifest_checksums_sizes_and_pages_match_the_files(site, manifest):
    for artifact in manifest["artifacts"]:
        data = (site / artifact["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == artifact["sha256"], artifact["path"]
        assert len(data) == artifact["bytes"]
        if artifact["format"] == "pdf":
            assert len(PdfReader(site / artifact["path"]).pages) == artifact["pages"]


def _units_in(language):
    """(document, plain text) of every unit as the language's edition prints it.

    A unit is split at its footnote references, since the PDF prints the call
    number there.
    """
    sources = load_sources(ROOT)
    for document in sources.documents:
        translations = sources.translations(language, document.slug)
        for unit in document.units():
            if unit.kind in ("footnote", "field:short_title", "cell", "caption", "alt"):
                # printed in the page furniture or in smaller type (tables, captions; an image's alt
                # text is not printed): checked on their own (tests/kinds/test_report.py)
                continue
            # The build writes a cross-reference's words when it has none ("chapter II") and, in print,
            # its page after it ("(p. 2)"): compare the text around them.
            text = re.sub(r"\[([^\]]*)\]\(#[^)]*\)", "\\1\0", translations.gettext(unit.text))
            for part in re.split(r"\[\^[^\]]+\][,;.،؛]?|\0", text):
                if part.strip():
                    yield document.slug, apply_spacing(plain_text(part), language)


def _without_footnotes(text: str, doc: str, language: str) -> str:
    """Text without punctuation and without the document's footnotes (and their numbers)."""
    sources = load_sources(ROOT)
    text = comparable(text, punctuation=False)
    for label, note in sources.document(doc).footnotes.items():
        printed = comparable(plain_text(sources.translations(language, doc).gettext(note.text)), punctuation=False)
        text = text.replace(label + printed, "").replace(printed, "")
    return text


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_pdf_holds_every_unit_in_its_language(site, language):
    rtl = PROJECT.language(language).direction == "rtl"
    if rtl:
        texts = {
            doc: _without_footnotes(pdf_logical_body_text(site / language / f"{doc}.pdf"), doc, language)
            for doc in DOCUMENTS
        }
    else:
        texts = {doc: comparable(pdf_body_text(site / language / f"{doc}.pdf")) for doc in DOCUMENTS}
    # The timeline's labels, one run in the text stream, may come in the middle of a paragraph.
    for document in load_sources(ROOT).documents if not rtl else ():
        locale = PROJECT.language(language).locale
        run = "".join(comparable(long_date(day, locale)) for day in sorted(document.meta.get("events") or []))
        texts[document.slug] = texts[document.slug].replace(run, "") if run else texts[document.slug]
    for doc, text in _units_in(language):
        assert comparable(text, punctuation=not rtl) in texts[doc], f"{language}/{doc}: missing {text[:60]!r}"


def _meant_to_be_english(language):
    """Translations a translator marked as meant to equal the English (``# ignore-unchanged: why``).

    UN Russian footnotes, for one, print "United Nations, *Treaty Series*" in English.
    """
    for po in sorted((ROOT / "translations" / language / "LC_MESSAGES").glob("*.po")):
        for message in load_po(po, str(po), language):
            marks = [comment.split(":")[0].strip() for comment in message.user_comments]
            if message.id and message.string and {"ignore-unchanged", "ignore-same"} & set(marks):
                yield plain_text(message.string)


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != PROJECT.source_language])
def test_no_english_is_left_in_a_translated_pdf(site, language):
    english = [text for _doc, text in _units_in("en") if len(text.split()) >= 4]
    kept = [comparable(text) for text in _meant_to_be_english(language)]
    for doc in DOCUMENTS:
        extracted = comparable(pdf_text(site / language / f"{doc}.pdf"))
        for text in kept:
            extracted = extracted.replace(text, "")
        for text in english:
            assert comparable(text) not in extracted, f"{language}/{doc}: English left: {text[:60]!r}"
        for fixed in ("United Nations", "General Assembly", "plenary meeting", "October"):
            assert comparable(fixed) not in extracted, f"{language}/{doc}: {fixed!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_html_pages_declare_their_language(site, language):
    for doc in DOCUMENTS:
        html = (site / language / f"{doc}.html").read_text()
        assert f'<html lang="{language}"' in html


def test_dates_are_formatted_by_each_language(site):
    expected = {"en": "3 October 2013", "fr": "3 octobre 2013", "es": "3 de octubre de 2013"}
    for language, date in expected.items():
        if language in LANGUAGES:
            assert comparable(date) in comparable(pdf_text(site / language / "a-res-68-4.pdf"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdfs_embed_the_first_face_of_their_language(site, language):
    family = PROJECT.font_stack(language)[0].family.replace(" ", "-")
    reader = PdfReader(site / language / "a-res-68-4.pdf")
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, "font not embedded"
            fonts.add(str(font["/BaseFont"]).split("+", 1)[-1])
    assert any(name.startswith(family) for name in fonts), fonts


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_footnote_is_printed(site, language):
    sources = load_sources(ROOT)
    note = sources.document("a-res-68-4").footnotes["1"].text
    translated = plain_text(sources.translations(language, "a-res-68-4").gettext(note))
    path = site / language / "a-res-68-4.pdf"
    rtl = PROJECT.language(language).direction == "rtl"
    text = pdf_logical_body_text(path) if rtl else pdf_text(path)
    assert comparable(translated, punctuation=not rtl) in comparable(text, punctuation=not rtl)
