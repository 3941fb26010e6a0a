"""PO files are written byte for byte as GNU msgcat writes them (width 79, its header order)."""

from __future__ import annotations

import random
import shutil
import subprocess
import textwrap

import pytest
from babel.messages.catalog import Catalog, Message

from polypress.i18n.layout import render_po
from polypress.i18n.po import parse_po
from tests.conftest import run_cli

pytestmark = pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU gettext is installed by `make`")

# Pieces of text in every script and punctuation the catalogues hold, and the tricky cases
# of GNU's line breaking: hyphens, slashes, escapes, format directives, CJK, marks, bidi isolates.
PIECES = [
    "word",
    "High-level",
    "A/RES/68/4",
    "68/4",
    "(a)",
    "[^1]",
    "*emph*",
    "«",
    "»",
    "l’homme",
    "“quoted”",
    "%(num)s",
    "50%",
    "% d",
    "$5",
    "€",
    "e.g.",
    "http://example.org/a-b",
    "x\\y",
    '"q"',
    "\t",
    "\n",
    "我们",
    "，",
    "。",
    "、",
    "（",
    "）",
    "《联合国》",
    "：",
    "；",
    "！",
    "？",
    "2013年10月3日",
    "—",
    "–",
    "…",
    "\u00a0",
    "\u202f",
    ";",
    ":",
    "!",
    "?",
    "¿",
    "¡",
    "-5",
    "1.5",
    "3,000",
    "نحن",
    "الأمم",
    "المتحدة،",
    "؟",
    "٪",
    "\u064b",
    "\u2066A/68\u2069",
    "\u200b",
    "Москва",
    "25-е",
    "n%10",
    "&&",
    "<a@b.c>",
    "#",
    "+1",
]


def gnu(data: bytes) -> bytes:
    return subprocess.run(["msgcat", "-"], input=data, capture_output=True, check=True).stdout


def test_any_mix_of_scripts_and_punctuation_is_wrapped_as_msgcat_wraps_it():
    chance = random.Random(14)
    catalog = Catalog(locale="fr", fuzzy=False)
    for number in range(400):
        text = "".join(
            chance.choice(PIECES) + chance.choice([" ", " ", "", "  "]) for _ in range(chance.randint(1, 40))
        )
        message = Message(f"{number} {text.strip(' ')}", string=text[::-1], locations=[("content/doc.md", number)])
        if number % 5 == 0:
            message.flags.add("fuzzy")
            message.previous_id = [text[: len(text) // 2]]
        if number % 7 == 0:
            message.flags.add("python-format")
        if number % 11 == 0:
            message.context = f"context {text[:60]}"
        if number % 13 == 0:
            catalog.obsolete[message.id] = message
        else:
            catalog[message.id] = message
    ours = render_po(catalog)
    assert gnu(ours).decode() == ours.decode()


HEADER = textwrap.dedent(
    """\
    # French translation of the declaration.
    # Reviewed by the UN terminology section.
    #
    msgid ""
    msgstr ""
    "Content-Type: text/plain; charset=utf-8\\n"
    "X-Generator: Poedit 3.4\\n"
    "Language: fr\\n"
    "Project-Id-Version: polypress 0.1.0\\n"
    "Generated-By: Babel 2.18.0\\n"
    "X-Poedit-SourceCharset: UTF-8\\n"
    "Plural-Forms: nplurals=2; plural=(n > 1);\\n"
    "Last-Translator: Marie <marie@example.org>\\n"

    # Kept from 2012.
    #~ msgid "An old paragraph."
    #~ msgstr "Un ancien paragraphe."
    """
)


def test_header_fields_come_in_gnu_order_and_unknown_fields_and_comments_are_kept():
    written = render_po(parse_po(HEADER.encode(), "fr.po", "fr")).decode()
    assert written.startswith(
        "# French translation of the declaration.\n# Reviewed by the UN terminology section.\n#\n"
    )
    fields = [line.split(":")[0].strip('"') for line in written.splitlines() if line.startswith('"')]
    assert fields == [
        "Project-Id-Version",
        "Last-Translator",
        "Language",
        "Content-Type",
        "Plural-Forms",
        "X-Generator",
        "X-Poedit-SourceCharset",
    ]
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in written
    assert '# Kept from 2012.\n#~ msgid "An old paragraph."\n#~ msgstr "Un ancien paragraphe."\n' in written
    assert not written.endswith("\n\n")
    assert gnu(written.encode()).decode() == written


def test_update_brings_a_file_a_tool_rewrapped_back_to_gnu_layout_and_then_leaves_it(project, capsys):
    path = project / "translations" / "fr" / "LC_MESSAGES" / "hld-series.po"
    canonical = path.read_bytes()
    narrow = subprocess.run(["msgcat", "--width=50", str(path)], capture_output=True, check=True).stdout
    assert narrow != canonical
    path.write_bytes(narrow)
    assert run_cli("-C", str(project), "update", "--lang", "fr") == 0
    assert "hld-series.po (normalised to GNU layout)" in capsys.readouterr().out
    assert path.read_bytes() == canonical
    assert run_cli("-C", str(project), "update", "--lang", "fr") == 0
    assert "0 written" in capsys.readouterr().out


def test_the_fast_path_for_plain_prose_breaks_where_the_general_algorithm_does():
    from polypress.i18n.linebreak import _PLAIN, _general_break_opportunities, break_opportunities

    chance = random.Random(3)
    pieces = [*"aZé9Жم٣ \u00a0\u202f’‘«»“”'()[]*^/,.;:!?،؛؟-", "word", "  "]
    for _ in range(5000):
        text = "".join(chance.choice(pieces) for _ in range(chance.randint(1, 30)))
        assert _PLAIN.fullmatch(text)
        assert break_opportunities(text) == _general_break_opportunities(text), text
