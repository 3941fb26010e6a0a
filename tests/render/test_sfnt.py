"""Font files at the byte level: a face out of a collection, language systems left out of the layout."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fontTools.ttLib import TTCollection, TTFont

from polypress.render.sfnt import checksum_of, extract_face, keep_language_systems

CJK = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
LATIN = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")


@pytest.fixture(scope="module")
def collection() -> bytes:
    return CJK.read_bytes()


def test_a_face_taken_out_of_a_collection_has_that_face_s_tables_byte_for_byte(collection: bytes) -> None:
    faces = TTCollection(io.BytesIO(collection), lazy=True).fonts
    index = next(i for i, f in enumerate(faces) if f["name"].getDebugName(1) == "Noto Serif CJK SC")
    face = extract_face(collection, index)
    single = TTFont(io.BytesIO(face), checkChecksums=2)  # raises on a wrong table checksum
    assert single["name"].getDebugName(1) == "Noto Serif CJK SC"
    for tag in ("cmap", "CFF ", "GSUB", "hmtx", "name"):
        assert single.reader[tag] == faces[index].reader[tag]
    assert checksum_of(face) == 0xB1B0AFBA  # the whole file, with head.checkSumAdjustment


def test_a_face_number_past_the_collection_is_an_error(collection: bytes) -> None:
    with pytest.raises(ValueError, match="faces"):
        extract_face(collection, 99)


def language_systems(font: bytes) -> dict[str, set[str]]:
    table = TTFont(io.BytesIO(font))["GSUB"].table
    return {r.ScriptTag: {s.LangSysTag for s in r.Script.LangSysRecord} for r in table.ScriptList.ScriptRecord}


def test_only_the_wanted_language_systems_stay(collection: bytes) -> None:
    face = extract_face(collection, 2)
    before = language_systems(face)
    assert before["hani"] == {"JAN ", "KOR ", "ZHH ", "ZHS ", "ZHT "}
    after = language_systems(keep_language_systems(face, ["ZHS"]))
    assert set(after) == set(before)  # every script stays, with its default
    assert after["hani"] == {"ZHS "}


def test_a_font_without_those_language_systems_keeps_its_defaults() -> None:
    font = LATIN.read_bytes()
    kept = keep_language_systems(font, ["ZHS"])
    assert all(systems == set() for systems in language_systems(kept).values())
    assert TTFont(io.BytesIO(kept)).getBestCmap() == TTFont(io.BytesIO(font)).getBestCmap()
