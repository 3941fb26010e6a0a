"""The translation memory: a paragraph already translated in one document is not translated again."""

from __future__ import annotations

from pathlib import Path

from polypress.i18n.po import load_po
from tests.conftest import run_cli

DECLARATION = "content/a-res-68-4.md"
REPEATED = "*Acknowledge* the important contribution made by migrants and migration to development in countries of origin, transit and destination, as well as the complex interrelationship between migration and development;"
CHANGED = REPEATED.replace("important contribution", "essential contribution")


def new_document(project: Path, *paragraphs: str) -> None:
    body = "\n\n".join(paragraphs)
    (project / "content" / "follow-up.md").write_text(
        f'+++\ntitle = "Follow-up to the High-level Dialogue"\n+++\n\n{body}\n', encoding="utf-8"
    )


def units(project: Path, language: str = "fr") -> dict:
    path = project / "translations" / language / "LC_MESSAGES" / "follow-up.po"
    return {m.id: m for m in load_po(path, str(path), language) if m.id}


def test_a_new_document_repeating_a_paragraph_gets_its_translation_from_the_memory(project: Path, capsys):
    assert REPEATED in (project / DECLARATION).read_text(encoding="utf-8").replace("\n", " ")
    new_document(project, REPEATED, CHANGED.replace("*Acknowledge*", "*Welcome*"))
    assert run_cli("-C", str(project), "update", "--lang", "fr") == 0
    assert "follow-up.po (2 from memory)" in capsys.readouterr().out
    found = units(project)
    exact = found[REPEATED]
    assert exact.string.startswith("*Prenons acte*") and not exact.fuzzy
    assert exact.user_comments == ["translation memory: translations/fr/LC_MESSAGES/a-res-68-4.po"]
    close = found[CHANGED.replace("*Acknowledge*", "*Welcome*")]
    assert close.fuzzy and close.previous_id == [REPEATED] and close.string == exact.string
    assert found["Follow-up to the High-level Dialogue"].string == ""


def test_an_external_tmx_compendium_fills_units_no_catalogue_has(project: Path, capsys):
    memory = project / "memory"
    memory.mkdir()
    (memory / "fr.tmx").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en" segtype="sentence"/><body>'
        '<tu><tuv xml:lang="en"><seg>Follow-up to the High-level Dialogue</seg></tuv>'
        '<tuv xml:lang="fr-FR"><seg>Suivi du Dialogue de haut niveau</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    config = project / "polypress.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("[project]\n", '[project]\ncompendium = ["memory/{lang}.tmx"]\n', 1),
        encoding="utf-8",
    )
    new_document(project, "A paragraph nobody translated yet.")
    assert run_cli("-C", str(project), "update", "--lang", "fr", "--lang", "es") == 0
    found = units(project)
    assert found["Follow-up to the High-level Dialogue"].string == "Suivi du Dialogue de haut niveau"
    assert found["Follow-up to the High-level Dialogue"].user_comments == ["translation memory: memory/fr.tmx"]
    assert units(project, "es")["Follow-up to the High-level Dialogue"].string == ""
