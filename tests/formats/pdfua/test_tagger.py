"""The tagger (formats/pdfua/tagger.py) tags by HTML element, whatever the kind: a page with a table of
contents, lists, a table, a figure, a link, a word in another language and a footnote gets the structure a
screen reader needs, and passes the checker."""

from __future__ import annotations

import io

import pikepdf
import pytest

from polypress.formats.pdf import weasyprint_pdf
from polypress.formats.pdfua.check import Element, check, structure_text, structure_tree, walk

SQUARE = "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' width='20' height='20'><rect width='20' height='20'/></svg>"
PAGE = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>A report</title>
<style>.note {{ float: footnote }} @page {{ @top-center {{ content: "Running head" }} }}</style></head><body>
<h1>A report</h1>
<nav role="doc-toc"><ol><li><a href="#one">One</a></li><li><a href="#two">Two</a></li></ol></nav>
<h2 id="one">One</h2>
<p>Text with <span lang="fr">un mot</span> and a <a href="https://example.org/">link</a>.</p>
<ol><li>First item</li><li>Second item</li></ol>
<table><caption>Migrants by year</caption>
<thead><tr><th>Year</th><th>Migrants</th></tr></thead>
<tbody><tr><th>2013</th><td>232</td></tr></tbody></table>
<figure><img src="{SQUARE}" alt="A black square"><figcaption>A square.</figcaption></figure>
<h2 id="two">Two</h2>
<p>End of the text<span class="note">The footnote.</span>.</p>
</body></html>"""


@pytest.fixture(scope="module")
def tagged(tmp_path_factory):
    """(the PDF's bytes, its structure tree), the PDF open for as long as the tests read the tree."""
    data = weasyprint_pdf(PAGE, tmp_path_factory.mktemp("page"), None, "page.html", "pdf/ua-1").data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree, failures = structure_tree(pdf)
        assert not failures
        yield data, tree


def kinds(element: Element) -> list[str]:
    return [kid.type for kid in element.kids if isinstance(kid, Element)]


def find(tree: Element, kind: str) -> list[Element]:
    return [element for element in walk(tree) if element.type == kind]


def test_it_passes_the_checker(tagged):
    data, _ = tagged
    assert [str(failure) for failure in check(data)] == []


def test_the_table_of_contents_is_toc_and_toci_with_links(tagged):
    _, tree = tagged
    (toc,) = find(tree, "TOC")
    assert kinds(toc) == ["TOCI", "TOCI"]
    assert all("Link" in kinds(item) for item in toc.kids)


def test_a_list_is_items_with_a_label_and_a_body(tagged):
    _, tree = tagged
    (items,) = [element for element in find(tree, "L")]
    assert kinds(items) == ["LI", "LI"]
    assert all(kinds(item) == ["Lbl", "LBody"] for item in items.kids)


def test_a_table_has_its_caption_and_header_cells_with_their_scope(tagged):
    _, tree = tagged
    (table,) = find(tree, "Table")
    assert kinds(table) == ["Caption", "THead", "TBody"]
    scopes = [str(cell.item.A.Scope) for cell in find(table, "TH")]
    assert scopes == ["/Column", "/Column", "/Row"]
    assert len(find(table, "TD")) == 1


def test_a_figure_has_its_alternate_text_and_a_caption(tagged):
    _, tree = tagged
    (figure,) = find(tree, "Figure")
    assert str(figure.item.Alt) == "A black square"
    assert any(element.type == "Caption" for element in find(tree, "Div")[0].kids if isinstance(element, Element))


def test_a_word_in_another_language_says_so(tagged):
    _, tree = tagged
    assert [str(span.item.Lang) for span in find(tree, "Span") if "/Lang" in span.item] == ["fr"]


def test_a_link_holds_its_annotation_which_points_back(tagged):
    data, tree = tagged
    annotations = [kid[1] for link in find(tree, "Link") for kid in link.kids if kid[0] == "annotation"]
    assert len(annotations) == 3  # two in the table of contents, one in the text
    (external,) = [a for a in annotations if "/A" in a and "example.org" in str(a.A.URI)]
    assert "/StructParent" in external and str(external.Contents) == "link"


def test_a_footnote_is_a_note_with_an_id_after_its_call(tagged):
    data, tree = tagged
    (note,) = find(tree, "Note")
    assert str(note.item.ID)
    paragraph = next(p for p in find(tree, "P") if note in p.kids)
    assert kinds(paragraph).index("Note") == kinds(paragraph).index("Reference") + 1
    assert "The footnote." in structure_text(data)


def test_the_running_head_is_not_read(tagged):
    data, _ = tagged
    text = structure_text(data)
    assert "Running head" not in text
    assert text.index("A report") < text.index("Migrants by year") < text.index("End of the text")
