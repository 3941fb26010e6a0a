"""Release snapshots (build/releases.json): what each edition published at its last release, so the status page
can say what changed since.

A snapshot keeps, for each unit in reading order, the digest of its English (under its context) and of the
translation published (editions.text_digest, in hex; zeros when the unit was not published). An archive's
snapshots are read and written whole at every site assembly, so each edition's units are one string of 32
characters a unit, not a dict of two strings a unit (~170 bytes: 30 MB at 60 documents, the build's
largest growth with the archive). ``units_by_source`` gives the dict for the one edition being compared.
"""

from __future__ import annotations

import re

#: Characters a unit takes in a snapshot: its English digest, then its published translation's.
UNIT_CHARS = 32
DIGEST_CHARS = UNIT_CHARS // 2
#: The translation digest of a unit the edition did not publish (fuzzy, untranslated).
NOT_PUBLISHED = "0" * DIGEST_CHARS
_PACKED = re.compile(rf"(?:[0-9a-f]{{{UNIT_CHARS}}})*")
_DIGEST = re.compile(rf"[0-9a-f]{{{DIGEST_CHARS}}}")


def snapshot_units(english: bytes, published: bytes) -> str:
    """An edition's units as its snapshot keeps them, from the eight-byte digests of the document's English
    (*english*) and of the edition's published text (EditionSummary.digests), unit by unit."""
    if len(english) != len(published):
        raise ValueError("the edition's units are not the document's")
    return b"".join(english[at : at + 8] + published[at : at + 8] for at in range(0, len(english), 8)).hex()


def units_by_source(units: str) -> dict[str, str]:
    """English digest → published digest ("" when not published): how two snapshots are compared, unit by
    unit (a unit repeated with the same English counts once; moving a unit is not a change)."""
    found = {}
    for at in range(0, len(units), UNIT_CHARS):
        published = units[at + DIGEST_CHARS : at + UNIT_CHARS]
        found[units[at : at + DIGEST_CHARS]] = "" if published == NOT_PUBLISHED else published
    return found


def readable_snapshot(value: object) -> dict | None:
    """A snapshot as read from build/releases.json, in today's form; None when it is malformed.

    Snapshots written before the packed form (units as a dict of English digest → published digest) are
    converted, so an archive's release numbers survive the upgrade."""
    if not isinstance(value, dict):
        return None
    units = value.get("units")
    if isinstance(units, dict):
        units = _packed(units)
    release, revision, changes = value.get("release", 1), value.get("revision", ""), value.get("changes", {})
    valid = (
        isinstance(units, str)
        and _PACKED.fullmatch(units) is not None
        and isinstance(release, int)
        and not isinstance(release, bool)
        and release >= 1
        and isinstance(revision, str)
        and isinstance(changes, dict)
    )
    return {**value, "units": units} if valid else None


def _packed(units: dict) -> str | None:
    """The units of a snapshot in the dict form, packed; None if any is not a digest."""
    pieces = []
    for source, published in units.items():
        published = published or NOT_PUBLISHED
        if not (isinstance(source, str) and isinstance(published, str)):
            return None
        if not (_DIGEST.fullmatch(source) and _DIGEST.fullmatch(published)):
            return None
        pieces.append(source + published)
    return "".join(pieces)
