"""Which PDF structure type each HTML element is: one table, read by the tagger.

Generic by element, so any kind's markup is tagged without more code: headings,
paragraphs, lists, tables, figures and captions, links, a table of contents
(``<nav>`` or ``role="doc-toc"``), footnotes (``float: footnote``, found by
their call). WAI-ARIA roles and ``aria-hidden`` refine what HTML alone cannot say.
Only standard structure types of ISO 32000-1 are produced, so no role map is needed.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Element name → standard structure type. Missing: no element of its own (its content goes to its parent).
ELEMENT_ROLES = {
    **{f"h{level}": f"H{level}" for level in range(1, 7)},
    "p": "P",
    "blockquote": "BlockQuote",
    "ul": "L",
    "ol": "L",
    "dl": "L",
    "li": "LI",
    "dt": "LI",
    "dd": "LI",
    "table": "Table",
    "thead": "THead",
    "tbody": "TBody",
    "tfoot": "TFoot",
    "tr": "TR",
    "th": "TH",
    "td": "TD",
    "caption": "Caption",
    "figcaption": "Caption",
    "img": "Figure",
    "svg": "Figure",
    "nav": "TOC",
    "div": "Div",
    "header": "Div",
    "footer": "Div",
    "aside": "Div",
    "figure": "Div",
    "section": "Sect",
    "article": "Art",
    "main": "Part",
    "code": "Code",
    "pre": "P",
    "q": "Quote",
    "a": "Link",
}

#: WAI-ARIA roles that say more than the element (role="doc-toc" on an <ol>, role="note" on an <aside>).
ARIA_ROLES = {
    "doc-toc": "TOC",
    "doc-footnote": "Note",
    "doc-endnote": "Note",
    "note": "Note",
    "list": "L",
    "listitem": "LI",
    "img": "Figure",
    "figure": "Div",
    "table": "Table",
    "row": "TR",
    "cell": "TD",
    "columnheader": "TH",
    "rowheader": "TH",
    "paragraph": "P",
    "presentation": "",
    "none": "",
}


@dataclass(frozen=True)
class Role:
    """What the tagger makes of an element: a structure type ("" for none) or an artifact."""

    type: str
    artifact: bool = False


def local_name(tag: object) -> str:
    """ "p" for "p" and "{http://www.w3.org/2000/svg}svg" → "svg"; "" for comments."""
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


#: What ``--pdf-role`` may say in a print stylesheet: a standard type, "none" or "artifact".
CSS_ROLES = frozenset(
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct P H1 H2 H3 H4 H5 H6 L LI Lbl "
    "LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Figure Formula".split()
)


def css_role(style) -> str:
    """The ``--pdf-role`` custom property of a computed style ("" when not set or not a known role).

    A print stylesheet says with it what the markup cannot: ``p.numbered { --pdf-role: LI }``.
    """
    try:
        value = style["__pdf_role"]
    except KeyError:
        return ""
    names = [token.value for token in value or () if getattr(token, "type", "") == "ident"]
    return names[0] if names and (names[0] in CSS_ROLES or names[0] in ("none", "artifact")) else ""


def element_role(element, declared: str = "") -> Role:
    """The role of an HTML element by its name, refined by ``role``, ``aria-level`` and ``aria-hidden``,
    or as the print stylesheet *declared* it (``--pdf-role``)."""
    if element.get("aria-hidden") == "true" or declared == "artifact":
        return Role("", artifact=True)
    if declared:
        return Role("" if declared == "none" else declared)
    name = local_name(element.tag)
    aria = (element.get("role") or "").split()
    if aria and aria[0] in ARIA_ROLES:
        return Role(ARIA_ROLES[aria[0]])
    if aria and aria[0] == "heading":
        level = element.get("aria-level") or "2"
        return Role(f"H{level}" if level in "123456" and len(level) == 1 else "H2")
    if name == "a" and element.get("href") is None:
        return Role("")
    return Role(ELEMENT_ROLES.get(name, ""))


def table_scope(element, first_in_row: bool) -> str:
    """/Scope of a header cell: its scope attribute, else Column in a <thead> or not first in its row, else Row."""
    scope = (element.get("scope") or "").lower()
    if scope in ("row", "rowgroup"):
        return "Row"
    if scope in ("col", "colgroup"):
        return "Column"
    return "Row" if first_in_row else "Column"
