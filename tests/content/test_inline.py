"""Inline markup, parsed by markdown-it-py: the constructs a translation keeps and the checks count."""

from polypress.content.inline import (
    Code,
    Emphasis,
    FootnoteRef,
    Image,
    LineBreak,
    Link,
    RawHtml,
    Strong,
    Text,
    markup_difference,
    parse_inline,
    plain_text,
)


def test_emphasis_and_footnote_references_parse():
    assert parse_inline("*Note* the Families,[^1] to") == [
        Emphasis((Text("Note"),)),
        Text(" the Families,"),
        FootnoteRef("1"),
        Text(" to"),
    ]


def test_every_commonmark_inline_construct_has_a_node():
    nodes = parse_inline('**A** [chapter II](#background) `x = 1`\\\nnext ![Map](figures/map.svg "Routes") <b>')
    assert nodes == [
        Strong((Text("A"),)),
        Text(" "),
        Link("#background", (Text("chapter II"),)),
        Text(" "),
        Code("x = 1"),
        LineBreak(),
        Text("next "),
        Image("figures/map.svg", "Map", "Routes"),
        Text(" "),
        RawHtml("<b>"),
    ]
    assert plain_text("**A** [chapter II](#background)") == "A chapter II"


def test_a_translation_must_keep_the_markup_of_its_source():
    assert markup_difference("*Note* it,[^1] now", "*Notons* cela[^1], maintenant") == ""
    assert "missing [^1]" in markup_difference("*Note* it,[^1] now", "*Notons* cela, maintenant")
    assert "not in the source *emphasis*" in markup_difference("Note it", "*Notons* cela")


def test_link_targets_images_and_code_spans_are_kept_by_value():
    source = "See [chapter II](#background), `A/68/254` and ![a map](map.svg)."
    assert markup_difference(source, "Voir le [chapitre II](#background), `A/68/254` et ![une carte](map.svg).") == ""
    assert "link (#background)" in markup_difference(source, "Voir le [chapitre II](#annex), `A/68/254` ![x](map.svg).")
    assert "not in the source link (https://evil.example)" in markup_difference(
        "Go.", "Allez [ici](https://evil.example)."
    )
    assert "image (map.svg)" in markup_difference(source, "Voir [chapitre II](#background), `A/68/254`.")
    assert "`A/68/254`" in markup_difference(source, "Voir [II](#background), A/68/254, ![carte](map.svg).")
    assert "HTML" in markup_difference("Plain.", "Simple <img src=x onerror=alert(1)>.")
