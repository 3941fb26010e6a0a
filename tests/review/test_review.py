"""The review edition: what a reviser reads, side by side, unit by unit, in HTML and in the PDF."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from polypress.i18n.po import load_po, render_po
from polypress.review.units import word_diff
from tests.conftest import copy_project, run_cli


@pytest.fixture(scope="module")
def reviewed_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project with a few units made as a reviser meets them: signed off, fuzzy, wrong, missing."""
    root = copy_project(tmp_path_factory.mktemp("review") / "project")
    path = root / "translations" / "fr" / "LC_MESSAGES" / "a-res-68-4.po"
    catalog = load_po(path, str(path), "fr")
    for message in catalog:
        english = message.id if isinstance(message.id, str) else ""
        if english.startswith("*Acknowledge* the important contribution made"):
            message.user_comments.append("reviewed")  # paragraph 2, signed off
        elif english.startswith("*Reaffirm* our commitment to address"):  # paragraph 4, for an older English
            message.flags.add("fuzzy")
            message.previous_id = [
                "*Reaffirm* our commitment to meet the challenges that international migration presents;"
            ]
        elif english.startswith("*Recognize* the efforts made by the international community"):  # paragraph 7
            assert "Forum mondial sur la migration et le développement" in message.string
            message.string = message.string.replace(
                "Forum mondial sur la migration et le développement", "Forum mondial des migrations"
            )
        elif english.startswith("*Emphasize* the need to respect and promote"):  # paragraph 14
            message.string = ""
        elif english.startswith("*Recognize* the need to strengthen synergies"):  # paragraph 6, hostile
            message.string += ' <img src="https://example.org/x.png" onerror="alert(1)">'
    path.write_bytes(render_po(catalog))
    for language in ("fr", "ar"):
        assert run_cli("-C", str(root), "review", "--lang", language, "--doc", "a-res-68-4") == 0
    return root


def page(root: Path, language: str) -> str:
    return (root / "build" / "review" / language / "a-res-68-4.html").read_text(encoding="utf-8")


def units(html: str) -> list[str]:
    return re.findall(r'<tbody class="unit[^"]*" id="unit-\d+">.*?</tbody>', html, re.S)


def test_units_are_side_by_side_in_reading_order_with_both_locations(reviewed_project: Path):
    html = page(reviewed_project, "fr")
    found = units(html)
    assert len(found) > 34  # title, chapeau, preamble, 34 paragraphs, footnote
    first = found[0]
    assert "content/a-res-68-4.md:" in first and "translations/fr/LC_MESSAGES/a-res-68-4.po:" in first
    assert 'class="source" lang="en"' in first and 'class="target" lang="fr" dir="ltr"' in first
    numbers = [int(n) for n in re.findall(r'id="unit-(\d+)"', html)]
    assert numbers == sorted(numbers)
    lines = [int(n) for n in re.findall(r"content/a-res-68-4\.md:(\d+)", html)]
    body = lines[3:]  # front matter fields come first, then the body in the order of the file
    assert body == sorted(body)


def test_the_short_title_shows_its_context_and_its_own_msgstr(reviewed_project: Path):
    # Its English is the title's; the context makes it a unit of its own, at its own line.
    title, short = units(page(reviewed_project, "fr"))[:2]
    assert "context: short title" in short and "context:" not in title
    catalogue = re.compile(r"translations/fr/LC_MESSAGES/a-res-68-4\.po:(\d+)")
    assert catalogue.search(title).group(1) != catalogue.search(short).group(1)


def test_states_reviewed_fuzzy_with_word_diff_and_untranslated(reviewed_project: Path):
    found = units(page(reviewed_project, "fr"))
    reviewed = next(u for u in found if "*Acknowledge* the important contribution made" in u)
    assert "state-translated reviewed" in reviewed and "translated · reviewed" in reviewed
    fuzzy = next(u for u in found if "*Reaffirm* our commitment to address" in u)
    assert "state-fuzzy" in fuzzy
    assert "<del>meet</del>" in fuzzy and "<ins>address the opportunities and</ins>" in fuzzy
    assert "Earlier English: *Reaffirm* our commitment to meet the challenges" in fuzzy
    missing = next(u for u in found if "*Emphasize* the need to respect and promote" in u)
    assert "state-untranslated" in missing and "(not translated)" in missing


def test_glossary_terms_and_check_findings_are_shown_on_their_unit(reviewed_project: Path):
    found = units(page(reviewed_project, "fr"))
    forum = next(u for u in found if "particularly the Global Forum on Migration and Development and regional" in u)
    assert 'class="term-missing"' in forum and "Forum mondial sur la migration et le développement" in forum
    assert "not used" in forum and "A/RES/68/4, para. 7" in forum
    assert "glossary (error):" in forum
    assert 'class="term-used"' in forum  # the other terms of the paragraph are rendered


def test_a_hostile_translation_is_shown_as_text_and_flagged(reviewed_project: Path):
    found = units(page(reviewed_project, "fr"))
    hostile = next(u for u in found if "*Recognize* the need to strengthen synergies" in u)
    assert "&lt;img src=" in hostile and "<img" not in hostile
    assert "hostile-content (error)" in hostile


def test_arabic_is_right_to_left_in_its_column(reviewed_project: Path):
    html = page(reviewed_project, "ar")
    assert 'class="target" lang="ar" dir="rtl"' in html
    assert 'class="source" lang="en" dir="ltr"' in html
    assert "الحوار الرفيع المستوى" in html


def test_the_pdf_has_both_columns_text(reviewed_project: Path):
    out = reviewed_project / "build" / "review"
    for language, word in (("fr", "Reconnaissons"), ("ar", "الهجرة")):
        text = subprocess.run(
            ["pdftotext", "-layout", str(out / language / "a-res-68-4.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "Global Forum on Migration and Development" in text.replace("\n", " ") or "Global Forum" in text
        assert word in text
        assert "content/a-res-68-4.md:" in text


def test_the_review_edition_is_not_on_the_site(reviewed_project: Path):
    assert not (reviewed_project / "build" / "site").exists() or not list(
        (reviewed_project / "build" / "site").rglob("*review*")
    )


def test_word_diff_marks_removed_and_added_words():
    assert word_diff("to meet the challenges", "to address the challenges") == (
        ("same", "to"),
        ("del", "meet"),
        ("ins", "address"),
        ("same", "the challenges"),
    )


def test_without_a_build_no_unit_shows_a_page(reviewed_project: Path):
    assert "of the PDF" not in page(reviewed_project, "fr")


def test_each_unit_shows_the_page_the_last_build_printed_it_on(tmp_path: Path, built_project: Path):
    """With build/units.json from a build, the reviser is told where each unit is in the printed PDF."""
    root = copy_project(tmp_path / "project")
    (root / "build").mkdir()
    (root / "build" / "units.json").write_bytes((built_project / "build" / "units.json").read_bytes())
    assert run_cli("-C", str(root), "review", "--lang", "fr", "--doc", "a-res-68-4") == 0
    found = units(page(root, "fr"))
    acknowledge = next(u for u in found if "*Acknowledge* the important contribution made" in u)
    assert '<span class="location pages">p. 1 of the PDF</span>' in acknowledge
    placed = [u for u in found if "of the PDF" in u]
    assert len(placed) == len(found)  # every unit of the Declaration is printed somewhere
