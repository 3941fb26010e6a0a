"""Fonts for an e-book: each face subset to the glyphs its text needs, deterministically, and labelled."""

from __future__ import annotations

import io
from collections.abc import Iterable

from fontTools import subset as ft_subset
from fontTools.ttLib import TTFont

# Font media types by the font's magic bytes. All four sfnt labels are EPUB 3.2 core types and
# epubcheck 4.2.6 accepts them without an error, warning or info, but only font/ttf and font/otf
# (RFC 8081) pass without a note: application/font-sfnt and application/vnd.ms-opentype get
# OPF-090 (USAGE, "encouraged to use font/otf / font/ttf"). epubcheck does not look inside the
# file, so we label by outline format (test_font_media_types_accepted_by_epubcheck).
_FONT_MEDIA_TYPES = {
    b"\x00\x01\x00\x00": "font/ttf",  # TrueType outlines
    b"true": "font/ttf",  # old Apple TrueType
    b"OTTO": "font/otf",  # CFF outlines
    b"wOFF": "font/woff",
    b"wOF2": "font/woff2",
}


def font_media_type(data: bytes) -> str:
    """Media type from the font's own magic bytes, so a misnamed file cannot mislabel itself."""
    try:
        return _FONT_MEDIA_TYPES[data[:4]]
    except KeyError:
        if data[:4] == b"ttcf":
            raise ValueError("font collections (.ttc) are not EPUB core media types: subset_font() one face") from None
        raise ValueError(f"not a font file EPUB accepts (magic {data[:4]!r})") from None


#: Kept in every subset besides the text: ASCII, and what CSS generated content, list
#: markers, quotes, footnote back-links and bidi controls may draw without being in the text.
#: Characters a face lacks are skipped.
GENERATED_CONTENT_CHARS = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "\u00a0\u00a7\u00ab\u00b0\u00b6\u00b7\u00bb\u00d7"  # nbsp § « ° ¶ · » ×
    + "\u2009\u200b\u200c\u200d\u200e\u200f\u2010\u2011\u2013\u2014"  # thin sp, zwsp, zwnj, zwj, lrm, rlm, hyphens, dashes
    + "\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u202f\u2039\u203a"  # quotes † ‡ • … nnbsp ‹ ›
    + "\u2116\u2191\u21a9"  # № ↑ ↩
    + "\u060c\u061b\u061c\u061f\u0640"
    + "".join(chr(c) for c in range(0x0660, 0x066A))  # Arabic punct, digits
    + "\u3000\u3001\u3002\u300a\u300b\u300c\u300d\u300e\u300f\u3010\u3011"  # CJK space, punct, brackets
    + "\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1f"  # fullwidth ! ( ) , : ; ?
)

#: OpenType LangSys tags for subset_font(ot_languages=...), by BCP 47 language.
OT_LANGSYS = {
    "ar": "ARA",
    "en": "ENG",
    "es": "ESP",
    "fr": "FRA",
    "ru": "RUS",
    "zh": "ZHS",
    "zh-Hans": "ZHS",
    "zh-Hant": "ZHT",
}


def subset_font(
    data: bytes,
    text: str,
    *,
    ot_languages: Iterable[str] | None = None,
    keep: str = GENERATED_CONTENT_CHARS,
) -> bytes:
    """Subset one face (not a collection: render/fonts.py FontFiles takes faces out) to the glyphs
    `text` (+ `keep`) needs, deterministically.

    `ot_languages`
    (OpenType LangSys tags such as "ZHS", "ARA", "FRA") keeps only those language systems
    besides each script's default; without it every LangSys stays and the `locl` closure of
    a pan-CJK face pulls in the Japanese/Korean/Traditional forms too (Noto Serif CJK SC,
    1,500 hanzi: 2,941 glyphs and 1.06 MB instead of 1,684 glyphs and 0.57 MB, 1.7 s vs 1.1 s).
    The result keeps the source's head.modified, so equal input gives equal bytes.
    """
    is_cff = data[:4] == b"OTTO"
    font = TTFont(
        io.BytesIO(data),
        lazy=True,
        # head.modified stays the source font's: fontTools would otherwise stamp the clock.
        recalcTimestamp=False,
        # Recomputing bounds runs every CFF charstring three times (hhea, vhea, FontBBox): 45% of
        # the time for a CJK face. The source's font-wide extents stay valid upper bounds.
        # glyf fonts are cheap and get exact bboxes and maxp.
        recalcBBoxes=not is_cff,
    )
    options = ft_subset.Options()
    options.name_IDs = ["*"]  # keep copyright/licence (ids 0, 13, 14): the OFL asks for them
    options.notdef_outline = True  # a visible .notdef for anything the subset misses
    options.desubroutinize = is_cff  # faster here and smaller after deflate
    options.ignore_missing_unicodes = True
    options.drop_tables += ["FFTM"]  # FontForge's build timestamps: nothing renders with them
    if ot_languages is not None:
        options.layout_scripts = _langsys_filter(font, ot_languages)
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(text=text + keep)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    font.close()
    return out.getvalue()


def _langsys_filter(font: TTFont, ot_languages: Iterable[str]) -> list[str]:
    """fontTools 'script.LANG' filters: every script of the face, its dflt plus the given LangSys."""
    langs = sorted({"dflt", *(t.strip() for t in ot_languages)})
    scripts: set[str] = set()
    for tag in ("GSUB", "GPOS"):
        if tag in font and font[tag].table.ScriptList:
            scripts.update(r.ScriptTag.strip() for r in font[tag].table.ScriptList.ScriptRecord)
    return [f"{s}.{lang}" for s in sorted(scripts) for lang in langs] or ["*"]
