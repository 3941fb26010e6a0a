"""Inline markup rendered to HTML: a translation's text is escaped, footnote calls placed per language."""

from polypress.render.inline import render_inline


def test_html_in_a_translation_is_escaped_not_rendered():
    html = render_inline('<script>alert(1)</script> <a href="http://x">x</a>', "fr", {})
    assert "<script>" not in html and "<a href" not in html
    assert "&lt;script&gt;" in html


def test_footnote_marker_moves_across_punctuation_per_language():
    assert "Families,<a" in render_inline("Families[^1], to", "en", {})
    assert "famille<a" in render_inline("famille,[^1] au", "fr", {})
    assert "</a>, au" in render_inline("famille,[^1] au", "fr", {})
