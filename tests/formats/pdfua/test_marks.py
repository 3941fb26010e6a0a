"""The rewrite of a page's content stream (formats/pdfua/marks.py), on a stream pydyf builds as WeasyPrint
does: marked runs no structure element reaches become artifacts, the others are renumbered 0…n-1, and
whatever is drawn outside marked content is wrapped in an artifact."""

from __future__ import annotations

import pydyf

from polypress.formats.pdfua.marks import mark_page, operator


def content(stream: pydyf.Stream) -> list[bytes]:
    """The stream as a PDF reader sees it, one operation's words per entry."""
    return [pydyf._to_bytes(entry) for entry in stream.stream]


def page() -> pydyf.Stream:
    """A rule, a clipping path, then three marked runs of text, the second a running head, then an image."""
    stream = pydyf.Stream()
    stream.move_to(0, 0)
    stream.line_to(10, 0)
    stream.stroke()
    stream.rectangle(0, 0, 5, 5)
    stream.clip()
    stream.end()
    for mcid, text in enumerate((b"<0001>", b"<0002>", b"<0003>")):
        stream.begin_marked_content("P", pydyf.Dictionary({"MCID": mcid}))
        stream.begin_text()
        stream.show_text(text)
        stream.end_text()
        stream.end_marked_content()
    stream.draw_x_object("Im1")
    return stream


def test_an_operator_is_the_last_word_of_its_entry():
    assert operator(b"0 0 10 10 re") == b"re"
    assert operator(b"[<0012>-200<0034>] TJ") == b"TJ"
    assert operator(bytearray(b"1 0 0 1 0 0 cm")) == b"cm"
    assert operator("/P") == operator(pydyf.Dictionary({"MCID": 0})) == b""


def test_a_run_no_element_reaches_becomes_an_artifact_and_the_others_are_numbered_in_order():
    stream = page()

    renumbered = mark_page(stream.stream, {1: "/Pagination"})

    assert renumbered == {0: 0, 2: 1}
    words = content(stream)
    assert words.count(b"/Artifact") == 3  # the running head, the rule, the image
    head = words.index(b"<</Type /Pagination>>")
    assert words[head - 1 : head + 2] == [b"/Artifact", b"<</Type /Pagination>>", b"BDC"]
    assert [w for w in words if w.startswith(b"<</MCID")] == [b"<</MCID 0>>", b"<</MCID 1>>"]


def test_drawing_outside_marked_content_is_wrapped_in_an_artifact_a_clipping_path_is_not():
    stream = page()

    mark_page(stream.stream, {})

    words = content(stream)
    assert words[:6] == [b"/Artifact", b"BMC", b"0 0 m", b"10 0 l", b"S", b"EMC"]  # the rule
    assert words[6:9] == [b"0 0 5 5 re", b"W", b"n"]  # paints nothing
    assert words[-4:] == [b"/Artifact", b"BMC", b"/Im1 Do", b"EMC"]
