"""`make stats`: units and words per catalogue by state, as a table or JSON, with a CI exit status."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

from babel.messages.pofile import read_po

from polypress.i18n.stats import catalog_counts, plain_table
from tests.conftest import run_cli

PO = textwrap.dedent(
    """\
    msgid ""
    msgstr ""
    "Language: fr\\n"
    "Content-Type: text/plain; charset=UTF-8\\n"

    msgid "Migration is a human reality."
    msgstr "La migration est une réalité humaine."

    #, fuzzy
    msgid "Recognize the *important* contribution of migrants."
    msgstr "Reconnaissent la contribution des migrants."

    msgid "Stress the need for cooperation.[^1]"
    msgstr ""

    #~ msgid "An old paragraph."
    #~ msgstr "Un vieux paragraphe."
    """
)


def test_units_and_words_are_counted_by_state():
    counts = catalog_counts(read_po(io.StringIO(PO)), "doc", "fr", "fr/doc.po")
    assert (counts.translated, counts.fuzzy, counts.untranslated, counts.obsolete) == (1, 1, 1, 1)
    # English words, without markup or footnote references.
    assert (counts.translated_words, counts.fuzzy_words, counts.untranslated_words, counts.obsolete_words) == (
        5,
        6,
        5,
        3,
    )
    assert counts.total == 3  # obsolete units are not part of the document
    assert round(counts.percent) == 33  # fuzzy counts as missing


def test_plain_table_when_not_on_a_terminal():
    counts = catalog_counts(read_po(io.StringIO(PO)), "doc", "fr", "fr/doc.po")
    table = plain_table([counts])
    assert table.splitlines()[0].split() == [
        "language",
        "document",
        "done",
        "translated",
        "fuzzy",
        "untranslated",
        "obsolete",
        "reviewed",
    ]
    assert table.splitlines()[1].split()[:3] == ["fr", "doc", "33%"]
    assert table.splitlines()[1].split()[-2:] == ["0%", "(0)"]


def test_json_and_min_exit_status(project: Path, capsys):
    assert run_cli("-C", str(project), "stats", "--json", "--lang", "fr") == 0
    data = json.loads(capsys.readouterr().out)
    by_domain = {row["domain"]: row for row in data}
    assert by_domain["a-res-68-4"]["percent"] == 100.0
    assert by_domain["a-res-68-4"]["translated"] == by_domain["a-res-68-4"]["total"] > 30
    assert set(by_domain) >= {"a-res-68-4", "hld-series", "templates"}

    # One unit made fuzzy drops the Declaration below 100 %: --min 100 fails and names it.
    path = project / "translations/fr/LC_MESSAGES/a-res-68-4.po"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("#. Paragraph.\n", "#. Paragraph.\n#, fuzzy\n", 1), encoding="utf-8")
    assert run_cli("-C", str(project), "stats", "--lang", "fr", "--min", "100") == 1
    assert "translations/fr/LC_MESSAGES/a-res-68-4.po" in capsys.readouterr().err
    assert run_cli("-C", str(project), "stats", "--lang", "fr", "--min", "0") == 0
