"""Fonts for an e-book: each face subset to the glyphs its text needs, deterministically, and labelled."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from polypress.render.sfnt import keep_language_systems
from polypress.user_cache import cached, entry_path, file_identity

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
    `text` (+ `keep`) needs, deterministically, with HarfBuzz's hb-subset (the subsetter WeasyPrint
    uses for the PDFs): 50 to 100 times faster than fontTools' on these faces (0.01 s instead of
    0.6 s for Noto Serif CJK SC with 1,500 hanzi), which made the e-books most of a clean build.

    `ot_languages` (OpenType LangSys tags such as "ZHS", "ARA", "FRA") keeps only those language systems
    besides each script's default; without it every LangSys stays and the `locl` closure of a pan-CJK
    face pulls in the Japanese/Korean/Traditional forms too (Noto Serif CJK SC, 1,500 hanzi: 526 glyphs
    instead of 352). Equal input gives equal bytes: hb-subset keeps the source's head.modified.
    """
    import uharfbuzz as hb

    if ot_languages is not None:
        data = keep_language_systems(data, ot_languages)
    face = hb.Face(hb.Blob(data))
    request = hb.SubsetInput()
    request.unicode_set.update(map(ord, set(text + keep)))  # each distinct character once: a book is long
    # Every name record in every language: copyright and licence (ids 0, 13, 14) are what the OFL asks for.
    for every in (hb.SubsetInputSets.NAME_ID, hb.SubsetInputSets.NAME_LANG_ID):
        request.sets(every).clear()
        request.sets(every).invert()
    request.sets(hb.SubsetInputSets.DROP_TABLE_TAG).add(_tag("FFTM"))  # FontForge's build timestamps
    # A visible .notdef for anything the subset misses; CFF without subroutines is smaller after deflate.
    request.flags = hb.SubsetFlags.NOTDEF_OUTLINE | hb.SubsetFlags.DESUBROUTINIZE
    try:
        return hb.subset(face, request).blob.data
    except RuntimeError as exc:
        raise ValueError(f"the font cannot be subset: {exc}") from None


def cached_subset(
    font_file: Path, family: str, read: Callable[[], bytes], text: str, ot_languages: Iterable[str] | None
) -> bytes:
    """subset_font() of the configured *font_file*'s face *family*, kept between builds (user_cache.py):
    every clean build subsets the same faces to the same characters (0.3-0.5 s of a clean build's e-books,
    most of it preparing the 25 MB CJK faces). Named by the file as fingerprints know fonts (path, size,
    dates, inode), the face, the distinct characters, the language systems and HarfBuzz's version."""
    import uharfbuzz as hb

    identity = file_identity(font_file)
    if identity is None:
        return subset_font(read(), text, ot_languages=ot_languages)  # the read says what is wrong with it
    characters = hashlib.sha256("".join(sorted(set(text + GENERATED_CONTENT_CHARS))).encode()).hexdigest()
    languages = sorted(ot_languages) if ot_languages is not None else None
    entry = entry_path("subsets", *identity, family, characters, languages, hb.__version__, suffix=".font")
    return cached(entry, lambda: subset_font(read(), text, ot_languages=languages))


def _tag(name: str) -> int:
    return int.from_bytes(name.encode("ascii"), "big")
