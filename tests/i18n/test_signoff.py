"""Revisers sign a unit off with a translator comment `# reviewed`: the tools translators use keep it."""

from __future__ import annotations

import io
import json
import subprocess
import textwrap
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from polypress.errors import ConfigError
from polypress.i18n.po import load_po, po_path, render_po
from polypress.i18n.signoff import is_reviewed
from polypress.i18n.stats import catalog_counts
from polypress.settings import read_settings
from tests.conftest import run_cli

PO = textwrap.dedent(
    """\
    msgid ""
    msgstr ""
    "Language: fr\\n"
    "Content-Type: text/plain; charset=UTF-8\\n"

    # reviewed
    msgid "Migration is a human reality."
    msgstr "La migration est une réalité humaine."

    # Reviewed by the French section, 2026
    msgid "Stress the need for cooperation."
    msgstr "Soulignent la nécessité de coopérer."

    # reviewed
    #, fuzzy
    msgid "Recognize the contribution of migrants."
    msgstr "Reconnaissent la contribution des migrants."

    msgid "Acknowledge the role of migrants."
    msgstr "Prennent acte du rôle des migrants."
    """
)


def test_a_reviewed_comment_signs_off_a_translated_unit_but_never_a_fuzzy_one():
    catalog = read_po(io.StringIO(PO))
    assert [is_reviewed(m) for m in catalog if m.id] == [True, True, False, False]
    counts = catalog_counts(catalog, "doc", "fr", "fr/doc.po")
    assert (counts.reviewed, counts.reviewed_words, round(counts.reviewed_percent)) == (2, 10, 50)


def test_gnu_msgcat_and_msgmerge_keep_the_sign_off(tmp_path: Path):
    po = tmp_path / "fr.po"
    po.write_text(PO, encoding="utf-8")
    template = tmp_path / "doc.pot"
    template.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Migration is a human reality."\nmsgstr ""\n',
        encoding="utf-8",
    )
    for command in (["msgcat", str(po)], ["msgmerge", "--quiet", str(po), str(template)]):
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        (message,) = [m for m in read_po(io.StringIO(out)) if m.id == "Migration is a human reality."]
        assert is_reviewed(message), command[0]


def test_update_withdraws_the_sign_off_when_the_english_changes_under_it(project: Path):
    path = po_path(project / "translations", "fr", "a-res-68-4")
    catalog = load_po(path, str(path), "fr")
    signed = next(m for m in catalog if isinstance(m.id, str) and "important contribution made" in m.id)
    signed.user_comments.append("reviewed")
    path.write_bytes(render_po(catalog))
    source = project / "content" / "a-res-68-4.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("important contribution made", "vital contribution made")
    )
    assert run_cli("-C", str(project), "update", "--lang", "fr") == 0
    changed = next(
        m for m in load_po(path, str(path), "fr") if isinstance(m.id, str) and "vital contribution made" in m.id
    )
    assert changed.fuzzy and not any("reviewed" in c for c in changed.user_comments)


def test_stats_json_reports_reviewed_units(project: Path, capsys):
    path = po_path(project / "translations", "fr", "hld-series")
    catalog = load_po(path, str(path), "fr")
    for message in list(catalog)[1:4]:
        message.user_comments.append("reviewed")
    path.write_bytes(render_po(catalog))
    assert run_cli("-C", str(project), "stats", "--json", "--lang", "fr") == 0
    rows = {row["domain"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["hld-series"]["reviewed"] == 3 and rows["hld-series"]["reviewed_percent"] > 0
    assert rows["a-res-68-4"]["reviewed"] == 0


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ("reviewed_threshold = 150", "reviewed_threshold must be a percentage"),
        ('reviewed_threshold = "all"', "reviewed_threshold must be a percentage"),
        ('unverified_terms = "ignore"', 'unverified_terms must be "warn" or "allow"'),
    ],
)
def test_a_wrong_review_or_terminology_setting_is_named(project: Path, setting: str, said: str):
    config = project / "polypress.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("[languages.en]\n", f"[languages.en]\n{setting}\n"), encoding="utf-8"
    )
    with pytest.raises(ConfigError) as error:
        read_settings(project)
    assert said in error.value.message and "[languages.en]" in error.value.message
