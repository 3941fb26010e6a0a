"""OpenType files at the byte level: one face taken out of a collection, language systems left out of the layout.

Both are table-directory edits that copy the tables' bytes as they are: a few
milliseconds where parsing the font (fontTools) took most of a second for a
CJK face, and nothing in the tables can change on the way.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

#: The checksum a whole font file sums to (OpenType "head" table, checkSumAdjustment).
_FONT_CHECKSUM = 0xB1B0AFBA


#: A table: its bytes and their checksum (as the font's directory records it: copied tables are not summed again).
Table = tuple[bytes, int]


def table_directory(data: bytes, offset: int = 0) -> tuple[bytes, dict[bytes, tuple[int, int, int]]]:
    """The sfnt version and each table's (offset, length, checksum), for the face whose directory is at *offset*."""
    version, count = struct.unpack_from(">4sH", data, offset)
    tables = {}
    for i in range(count):
        tag, checksum, start, length = struct.unpack_from(">4sIII", data, offset + 12 + 16 * i)
        if start + length > len(data):
            raise ValueError(f"table {tag.decode('latin-1')!r} runs past the end of the file")
        tables[tag] = (start, length, checksum)
    return version, tables


def collection_faces(data: bytes) -> list[int]:
    """Where each face's table directory starts in a font collection (.ttc, .otc)."""
    if data[:4] != b"ttcf":
        raise ValueError("not a font collection")
    (count,) = struct.unpack_from(">I", data, 8)
    return list(struct.unpack_from(f">{count}I", data, 12))


def extract_face(collection: bytes, index: int) -> bytes:
    """Face *index* of a collection as a single-face font file, its tables byte for byte."""
    faces = collection_faces(collection)
    if not 0 <= index < len(faces):
        raise ValueError(f"the collection has {len(faces)} faces, not {index + 1}")
    return build_font(*_tables(collection, faces[index]))


def _tables(data: bytes, offset: int = 0) -> tuple[bytes, dict[bytes, Table]]:
    version, directory = table_directory(data, offset)
    view = memoryview(data)
    return version, {
        tag: (view[start : start + length], checksum) for tag, (start, length, checksum) in directory.items()
    }


def build_font(version: bytes, tables: dict[bytes, Table]) -> bytes:
    """An sfnt file of *tables* (tags sorted, data 4-byte aligned) with its whole-file checksum in head."""
    tags = sorted(tables)
    count = len(tags)
    power = 1 << (count.bit_length() - 1) if count else 0
    entry_selector = power.bit_length() - 1 if power else 0
    header = struct.pack(">4sHHHH", version, count, power * 16, entry_selector, count * 16 - power * 16)
    offset = 12 + 16 * count
    records, body, head_at = [], [], None
    for tag in tags:
        table, checksum = tables[tag]
        if tag == b"head":
            head_at = offset
        records.append(struct.pack(">4sIII", tag, checksum, offset, len(table)))
        body.extend((table, b"\0" * (-len(table) % 4)))
        offset += len(table) + (-len(table) % 4)
    directory = header + b"".join(records)
    font = bytearray(directory + b"".join(body))
    if head_at is not None and len(tables[b"head"][0]) >= 12:
        # The file sums to 0xB1B0AFBA with head.checkSumAdjustment counted as zero; head's own checksum
        # (in the directory) is taken with it zero too, so the file's sum is the sum of the parts.
        struct.pack_into(">I", font, head_at + 8, 0)
        total = checksum_of(directory) + sum(checksum for _, checksum in tables.values())
        struct.pack_into(">I", font, head_at + 8, (_FONT_CHECKSUM - total) & 0xFFFFFFFF)
    return bytes(font)


def checksum_of(data: bytes) -> int:
    """The OpenType checksum: the data as big-endian 32-bit words, summed modulo 2**32."""
    padded = bytes(data) + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def keep_language_systems(font: bytes, languages: Iterable[str]) -> bytes:
    """The font with only *languages*' language systems (OpenType tags such as "ZHS") and each script's
    default left in GSUB and GPOS: what a subsetter then keeps is what text in those languages can use.

    The LangSys records of the others are dropped from each script's list; the tables they point to
    stay, unreferenced (this file is a subsetter's input, never shipped as it is).
    """
    wanted = frozenset(tag.strip().ljust(4).encode("ascii") for tag in languages)
    key = (bytes(font), wanted)
    kept = _LANGUAGE_SYSTEMS_KEPT.get(key)
    if kept is None:
        if len(_LANGUAGE_SYSTEMS_KEPT) >= 32:  # a long-lived process (serve) whose fonts keep changing
            _LANGUAGE_SYSTEMS_KEPT.clear()
        kept = _LANGUAGE_SYSTEMS_KEPT[key] = _keep_language_systems(font, wanted)
    return kept


#: keep_language_systems' results by the font's bytes and the languages: every e-book in a language subsets
#: the same faces, and rebuilding a CJK face's directory and checksums was most of the cost. Keyed on the
#: bytes themselves, not a digest: a hit is compared byte for byte, and hashing them costs a quarter of a
#: SHA-256 (once per object: the CJK face taken out of its collection is one object per process).
_LANGUAGE_SYSTEMS_KEPT: dict[tuple[bytes, frozenset[bytes]], bytes] = {}


def _keep_language_systems(font: bytes, wanted: frozenset[bytes]) -> bytes:
    version, tables = _tables(font)
    for tag in (b"GSUB", b"GPOS"):
        if tag in tables and len(tables[tag][0]) >= 10:
            layout = bytearray(tables[tag][0])
            _filter_script_list(layout, wanted)
            tables[tag] = (bytes(layout), checksum_of(layout))
    return build_font(version, tables)


def _filter_script_list(table: bytearray, wanted: set[bytes]) -> None:
    (script_list,) = struct.unpack_from(">H", table, 4)
    if not script_list:
        return
    (scripts,) = struct.unpack_from(">H", table, script_list)
    for i in range(scripts):
        _tag, offset = struct.unpack_from(">4sH", table, script_list + 2 + 6 * i)
        script = script_list + offset
        (count,) = struct.unpack_from(">H", table, script + 2)
        records = [table[script + 4 + 6 * j : script + 10 + 6 * j] for j in range(count)]
        kept = [r for r in records if bytes(r[:4]) in wanted]
        struct.pack_into(">H", table, script + 2, len(kept))
        for j, record in enumerate(kept):
            table[script + 4 + 6 * j : script + 10 + 6 * j] = record
