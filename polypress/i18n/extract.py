"""Extraction: content and templates to one .pot per domain, through Babel."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from babel.messages.catalog import Catalog
from babel.messages.extract import extract

from polypress.content.inline import Code, Image, LineBreak, Link, Strong, parse_inline, walk
from polypress.content.reader import parse_document
from polypress.document import Document
from polypress.errors import ContentError, TemplateError
from polypress.files import read_text
from polypress.i18n.po import TEMPLATES_DOMAIN, render_po
from polypress.version import __version__

#: What each unit kind is, told to the translator as an extracted comment.
KIND_COMMENTS = {
    "heading": "Heading.",
    "paragraph": "Paragraph.",
    "numbered": "Numbered paragraph {number}.",
    "item": "List item.",
    "footnote": "Footnote {number}.",
    "cell": "Table cell.",
    "caption": "Caption.",
    "alt": "Description of the image for readers who cannot see it (alt text).",
    "term": "Term of a definition list.",
}
MARKUP_COMMENT = "Keep the markup: *…* marks emphasis, [^1] a footnote reference."
#: What to tell the translator about each construct a unit carries beyond emphasis and footnotes,
#: one short comment each: the PO writer wraps a long one into lines that read back as several.
MARKUP_NOTES = {
    Strong: "Keep **…** (strong emphasis).",
    Link: "Links: translate [the words], keep (the target) as it is.",
    Image: "Images: translate ![the description], keep (the file).",
    Code: "Keep `…` (code) exactly as it is.",
    LineBreak: "A \\ at the end of a line is a line break: keep it.",
}
#: For a link with no words: a cross-reference the build writes in the language.
CROSSREF_NOTE = "[](#id) is a cross-reference: the build writes its words."

#: Files under templates/ that are Jinja templates with strings to translate (web and print pages, e-book XHTML).
TEMPLATE_SUFFIXES = (".html", ".xhtml")

HEADER_COMMENT = "# Translation template for {domain}, extracted by polypress.\n#"


def extract_content(
    fileobj: IO[bytes], keywords: object, comment_tags: object, options: dict
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel extraction method for content files (``polypress.i18n.extract:extract_content``)."""
    text = fileobj.read().decode("utf-8")
    document = parse_document(text, getattr(fileobj, "name", "<content>"), "document")
    numbers = {b.line: b.number for b in document.walk()}
    for unit in document.units():
        if unit.kind.startswith("field:"):  # front-matter prose: the kind says what the field is for
            comments = [document.kind.fields[unit.kind.removeprefix("field:")].help]
        else:
            comments = [KIND_COMMENTS[unit.kind].format(number=numbers.get(unit.line, ""))]
        comments.extend(markup_comments(unit.text))
        if unit.context:  # its own unit even where the English equals another's (Babel's pgettext spec)
            yield unit.line, "pgettext", (unit.context, unit.text), comments
        else:
            yield unit.line, None, unit.text, comments


def markup_comments(text: str) -> list[str]:
    """What a translator must keep in this unit, said once per kind of markup it carries."""
    comments = [MARKUP_COMMENT] if "*" in text or "[^" in text else []
    found = {type(node) for node in walk(parse_inline(text))} if any(c in text for c in "*[`!\\") else set()
    comments += [note for kind, note in MARKUP_NOTES.items() if kind in found]
    if "[](" in text:
        comments.append(CROSSREF_NOTE)
    return comments


def document_template(document: Document, source_file: Path, root: Path) -> Catalog:
    """The translation template (.pot) of one content document."""
    catalog = _new_catalog(document.slug)
    relative = source_file.relative_to(root).as_posix()
    # Read as the build reads it (files.py): the same line endings, so the same units and lines.
    handle = io.BytesIO(read_text(source_file, root, ContentError, display=relative).encode("utf-8"))
    handle.name = relative  # what the content reader's errors name
    for lineno, message, comments, context in extract(extract_content, handle):
        catalog.add(message, locations=[(relative, lineno)], auto_comments=comments, context=context)
    return catalog


def templates_template(templates_dir: Path, root: Path) -> Catalog:
    """The .pot of the templates' own strings, through Babel's Jinja extractor."""
    catalog = _new_catalog(TEMPLATES_DOMAIN)
    options = {"extensions": "jinja2.ext.i18n", "trimmed": "true"}
    for path in sorted(p for p in templates_dir.rglob("*") if p.suffix in TEMPLATE_SUFFIXES):
        relative = path.relative_to(root).as_posix()
        handle = io.BytesIO(read_text(path, root, TemplateError, display=relative).encode("utf-8"))
        for lineno, message, comments, context in extract(
            "jinja2.ext:babel_extract", handle, comment_tags=("Translators:",), options=options, strip_comment_tags=True
        ):
            catalog.add(message, locations=[(relative, lineno)], auto_comments=comments, context=context)
    return catalog


def _new_catalog(domain: str) -> Catalog:
    return Catalog(
        domain=domain,
        project="polypress",
        version=__version__,
        msgid_bugs_address="translators@example.org",
        header_comment=HEADER_COMMENT.format(domain=domain),
        creation_date=datetime.datetime.now(datetime.UTC),
        charset="utf-8",
        fuzzy=False,
    )


def pot_bytes(catalog: Catalog) -> bytes:
    return render_po(catalog)
