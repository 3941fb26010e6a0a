"""Which old translation `update` offers as fuzzy, against GNU msgmerge, on a shipped .pot (templates).

Every msgid of translations/DOMAIN.pot is edited a few ways (lower and upper case, a word added
or dropped, a letter changed) and a list of short unrelated labels is added; both merges run on a
language's DOMAIN.po as committed at REV, and the proposals (the ``#| msgid``) are compared.

    PYTHONPATH=. python scripts/compare_fuzzy_with_msgmerge.py [LANG] [REV] [DOMAIN]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog

from polypress.i18n.po import parse_po, render_po
from polypress.i18n.update import merge_catalog

UNRELATED = (
    "Print", "Close", "Search", "Next page", "Share", "Home", "Menu", "Page %(page)s", "Total", "Notes",
    "Download", "Drafts", "Report", "Annexes", "Table", "Figure", "Sources", "Tags", "Previous page",
    "Summary report", "Language:", "Contents page", "Back", "Draft", "(p. %(page)s)", "p. %(page)s",
    "Session", "Original", "General", "Skip", "Feed", "Manifest file", "Checksums",
)  # fmt: skip


def edits(msgid: str) -> set[str]:
    return {msgid.lower(), msgid.upper(), msgid + " now", " ".join(msgid.split()[:-1]), msgid.replace("a", "e", 1)}


def proposal(catalog: Catalog, msgid: str) -> str:
    message = catalog.get(msgid)
    return message.previous_id[0] if message is not None and message.fuzzy and message.previous_id else ""


def main(language: str = "fr", revision: str = "HEAD", domain: str = "templates") -> None:
    root = Path.cwd()
    po_file = f"translations/{language}/LC_MESSAGES/{domain}.po"
    old = subprocess.run(["git", "show", f"{revision}:{po_file}"], capture_output=True, check=True, cwd=root).stdout
    pot = parse_po((root / f"translations/{domain}.pot").read_bytes(), f"{domain}.pot")
    ids = {m.id for m in pot if m.id and isinstance(m.id, str)}
    variants = sorted({v for msgid in ids for v in edits(msgid)} | set(UNRELATED) - ids - {""})
    new = Catalog(fuzzy=False)
    for message in pot:
        if message.id:
            new.add(message.id, context=message.context, flags=message.flags)
    for variant in variants:
        new.add(variant)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        (tmp / "new.pot").write_bytes(render_po(new))
        (tmp / "old.po").write_bytes(old)
        subprocess.run(
            ["msgmerge", "--previous", "-q", str(tmp / "old.po"), str(tmp / "new.pot"), "-o", str(tmp / "gnu.po")],
            check=True,
        )
        gnu = parse_po((tmp / "gnu.po").read_bytes(), "gnu.po")
    ours = parse_po(old, po_file)
    merge_catalog(ours, new)
    differ = [(v, proposal(gnu, v), proposal(ours, v)) for v in variants if proposal(gnu, v) != proposal(ours, v)]
    print(
        f"{len(variants)} edited msgids; msgmerge offers {sum(bool(proposal(gnu, v)) for v in variants)}, "
        f"update {sum(bool(proposal(ours, v)) for v in variants)}; different proposals: {len(differ)}"
    )
    for variant, theirs, mine in differ:
        print(f"  {variant!r}: msgmerge {theirs!r}, update {mine!r}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
