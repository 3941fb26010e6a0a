"""Release snapshots: compact, comparable unit by unit, and read from the form written before they were."""

from __future__ import annotations

from polypress.editions import text_digest
from polypress.releases import NOT_PUBLISHED, readable_snapshot, snapshot_units, units_by_source

ENGLISH = [text_digest(text) for text in ("Title", "First paragraph.", "Second paragraph.")]
FRENCH = [text_digest(text) for text in ("Titre", "Premier paragraphe.", "Deuxième paragraphe.")]


def snapshot(english: list[bytes], published: list[bytes]) -> str:
    return snapshot_units(b"".join(english), b"".join(published))


def test_a_snapshot_keeps_32_hex_characters_a_unit():
    units = snapshot(ENGLISH, FRENCH)
    assert len(units) == 32 * len(ENGLISH)
    assert units_by_source(units) == {e.hex(): f.hex() for e, f in zip(ENGLISH, FRENCH, strict=True)}


def test_a_unit_not_published_has_no_translation_digest():
    units = snapshot(ENGLISH, [FRENCH[0], bytes(8), FRENCH[2]])
    assert units_by_source(units)[ENGLISH[1].hex()] == ""
    assert NOT_PUBLISHED in units


def test_the_same_units_in_another_order_are_the_same_release():
    units = snapshot(ENGLISH, FRENCH)
    moved = snapshot(ENGLISH[::-1], FRENCH[::-1])
    assert moved != units and units_by_source(moved) == units_by_source(units)
    retranslated = snapshot(ENGLISH, [FRENCH[0], text_digest("Autre."), FRENCH[2]])
    assert units_by_source(retranslated) != units_by_source(units)


def test_a_snapshot_written_before_the_compact_form_is_read_with_its_release_number():
    old = {
        "release": 3,
        "revision": "1a2b3c4d5e6f",
        "units": {e.hex(): (f.hex() if n != 1 else "") for n, (e, f) in enumerate(zip(ENGLISH, FRENCH, strict=True))},
        "changes": {"new": 0, "retranslated": 1, "removed": 0},
    }
    read = readable_snapshot(old)
    assert read is not None
    assert {k: v for k, v in read.items() if k != "units"} == {k: v for k, v in old.items() if k != "units"}
    assert units_by_source(read["units"]) == old["units"]
    assert units_by_source(read["units"]) == units_by_source(snapshot(ENGLISH, [FRENCH[0], bytes(8), FRENCH[2]]))


def test_malformed_snapshots_are_not_read():
    good = {"release": 1, "revision": "abc", "units": snapshot(ENGLISH, FRENCH), "changes": {}}
    assert readable_snapshot(good) == good
    for bad in (
        {**good, "units": good["units"][:-1]},  # not whole units
        {**good, "units": good["units"].upper()},
        {**good, "units": [1, 2]},
        {**good, "units": {"not a digest": ""}},
        {**good, "units": {ENGLISH[0].hex(): 7}},
        {**good, "release": "two"},
        {**good, "release": True},
        {**good, "release": 0},
        {**good, "revision": None},
        {**good, "changes": []},
        "units",
        None,
    ):
        assert readable_snapshot(bad) is None, bad
