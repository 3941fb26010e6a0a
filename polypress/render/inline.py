"""Inline markup of a unit to safe HTML: text escaped and typeset, emphasis and footnote references kept."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

from polypress.content.inline import Emphasis, FootnoteRef, Inline, Text, parse_inline
from polypress.document import Block
from polypress.render.typography import isolate, segments

#: Punctuation a footnote marker moves across, per locale rule.
_MARKER_PUNCTUATION = ",;.:"
#: Languages whose footnote marker goes after punctuation ("Families,1"); others before it.
MARKER_AFTER_PUNCTUATION = {"en"}

#: How a format writes a footnote reference: (label, the note's text as HTML or None) -> markup.
#: The web page links to the note; the print edition puts the note itself at its call.
FootnoteMarker = Callable[[str, "Markup | None"], Markup]


def linked_marker(label: str, note: Markup | None) -> Markup:
    """A footnote reference that links to the note listed after the text."""
    return Markup('<a class="footnote-ref" href="#fn-{0}" id="fnref-{0}" role="doc-noteref"><sup>{0}</sup></a>').format(
        label
    )


def render_inline(
    text: str, locale: str, footnotes: dict[str, Block], marker: FootnoteMarker = linked_marker
) -> Markup:
    """Inline source to safe HTML: text escaped, only emphasis and footnote markers kept."""
    nodes = _place_markers(parse_inline(text), locale)
    parts: list[Markup] = []
    for node in nodes:
        if isinstance(node, Text):
            parts.extend(text_run(node.value, locale))
        elif isinstance(node, Emphasis):
            parts.append(Markup("<em>{}</em>").format(Markup("").join(text_run(node.value, locale))))
        elif isinstance(node, FootnoteRef):
            note = footnotes.get(node.label)
            body = render_inline(note.text, locale, {}, marker) if note is not None else None
            parts.append(marker(node.label, body))
    return Markup("").join(parts)


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
