"""Inline markup of a unit to safe HTML: text escaped and typeset, only the Markdown constructs kept.

Everything a unit says comes through the parser's nodes (``content/inline.py``):
text is escaped, raw HTML in a translation is printed as text, a link is
written by the format's ``LinkWriter`` (which knows the document's targets and
refuses schemes that run code), and a footnote reference by its marker.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from polypress.content.inline import (
    Code,
    Emphasis,
    FootnoteRef,
    Image,
    Inline,
    LineBreak,
    Link,
    RawHtml,
    Strong,
    Text,
    parsed_inline,
)
from polypress.document import Block
from polypress.render.typography import isolate, segments

#: Punctuation a footnote marker moves across, per locale rule.
_MARKER_PUNCTUATION = ",;.:"
#: Languages whose footnote marker goes after punctuation ("Families,1"); others before it.
MARKER_AFTER_PUNCTUATION = {"en"}
#: URL schemes a link may use; anything else (javascript:, data:…) is not a link.
SAFE_SCHEMES = {"http", "https", "mailto"}

#: How a format writes a footnote reference: (label, number, the note's text as HTML or None) -> markup.
#: The label names the note (its id: ``fn-<label>``), the number is what the reader sees (the order of
#: its first reference). The note comes with the first call only (None for a later call to the same note,
#: or a call outside the text, in the contents): the web page links that call back from the note, the print
#: edition puts the note itself there; a later call is the note's number, linked to it.
FootnoteMarker = Callable[[str, str, "Markup | None"], Markup]
#: How a link is written: (target as written, its words as HTML, empty for "write them") -> markup.
LinkWriter = Callable[[str, Markup], Markup]
#: How an inline image is written: (src as written, alt text, title) -> markup.
ImageWriter = Callable[[str, str, str], Markup]


def linked_marker(label: str, number: str, note: Markup | None) -> Markup:
    """A footnote reference that links to the note listed after the text; the note's first call is where
    the note links back to (``fnref-<label>``), so only it carries that id."""
    ident = Markup(' id="fnref-{}"').format(label) if note is not None else ""
    return Markup('<a class="footnote-ref" href="#fn-{}"{} role="doc-noteref"><sup>{}</sup></a>').format(
        label, ident, number
    )


def safe_href(target: str) -> str:
    """The target if it is a fragment, a relative path or a web or mail address; '' otherwise."""
    scheme = urlsplit(target).scheme.lower()
    if not scheme:
        return target
    return target if scheme in SAFE_SCHEMES else ""


def plain_link(target: str, content: Markup) -> Markup:
    """A link as written; one with no words shows its target."""
    href = safe_href(target)
    words = content or escape(target)
    return Markup('<a href="{}">{}</a>').format(href, words) if href else words


def alt_only(src: str, alt: str, title: str) -> Markup:
    return escape(alt)


def render_inline(
    text: str,
    locale: str,
    footnotes: dict[str, Block],
    marker: FootnoteMarker = linked_marker,
    link: LinkWriter = plain_link,
    image: ImageWriter = alt_only,
    numbers: Mapping[str, str] | None = None,
    called: set[str] | None = None,
) -> Markup:
    """Inline source to safe HTML: text escaped, the Markdown constructs written by the format's writers.

    *footnotes* are the notes a reference here carries (print puts them at their call); *numbers* the
    document's footnote numbers by label, for references whose note is not carried (a note's own text);
    *called* the notes whose first call the render has written already (a later call carries no note)."""
    called = set() if called is None else called
    numbers = {**(numbers or {}), **{label: note.number for label, note in footnotes.items() if note.number}}

    def render(nodes: list[Inline] | tuple[Inline, ...]) -> Markup:
        parts: list[Markup] = []
        for node in nodes:
            if isinstance(node, Text):
                parts.extend(text_run(node.value, locale))
            elif isinstance(node, RawHtml):
                parts.append(escape(node.value))
            elif isinstance(node, Emphasis):
                parts.append(Markup("<em>{}</em>").format(render(node.children)))
            elif isinstance(node, Strong):
                parts.append(Markup("<strong>{}</strong>").format(render(node.children)))
            elif isinstance(node, Code):
                parts.append(Markup('<code dir="ltr">{}</code>').format(node.value))
            elif isinstance(node, LineBreak):
                parts.append(Markup("<br />"))
            elif isinstance(node, Link):
                parts.append(link(node.target, render(node.children)))
            elif isinstance(node, Image):
                parts.append(image(node.src, node.alt, node.title))
            elif isinstance(node, FootnoteRef):
                note = footnotes.get(node.label) if node.label not in called else None
                if note is not None:
                    called.add(node.label)
                body = render_inline(note.text, locale, {}, marker, link, image, numbers) if note is not None else None
                parts.append(marker(node.label, numbers.get(node.label, node.label), body))
        return Markup("").join(parts)

    return render(_place_markers(parsed_inline(text), locale))


def text_run(value: str, locale: str) -> list[Markup]:
    return [
        Markup('<span class="nobr doc-symbol">{}</span>').format(isolate(piece, locale)) if keep else escape(piece)
        for piece, keep in segments(value, locale)
    ]


def _place_markers(nodes: list[Inline], locale: str) -> list[Inline]:
    """Put each footnote marker on the side of adjacent punctuation the locale wants."""
    after = locale.split("_")[0] in MARKER_AFTER_PUNCTUATION
    result = list(nodes)
    for i, node in enumerate(result):
        if not isinstance(node, FootnoteRef):
            continue
        if after and i + 1 < len(result) and isinstance(result[i + 1], Text):
            following = result[i + 1].value
            if following[:1] and following[0] in _MARKER_PUNCTUATION:
                # "Families[^1]," becomes "Families,[^1]"
                if i > 0 and isinstance(result[i - 1], Text):
                    result[i - 1] = Text(result[i - 1].value + following[0])
                    result[i + 1] = Text(following[1:])
        elif not after and i > 0 and isinstance(result[i - 1], Text):
            preceding = result[i - 1].value
            if preceding[-1:] and preceding[-1] in _MARKER_PUNCTUATION:
                # "Familles,[^1]" becomes "Familles[^1],"
                result[i - 1] = Text(preceding[:-1])
                nxt = result[i + 1] if i + 1 < len(result) and isinstance(result[i + 1], Text) else None
                if nxt is not None:
                    result[i + 1] = Text(preceding[-1] + nxt.value)
                else:
                    result.insert(i + 1, Text(preceding[-1]))
    return result
