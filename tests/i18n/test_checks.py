"""`make check`: every finding is `path:line: check: message`; errors fail, warnings fail only with --strict."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural

from polypress.errors import CatalogError
from polypress.i18n.checks import ERRORS, Finding, catalog_units, check_units
from polypress.i18n.glossary import parse_glossary
from polypress.i18n.po import parse_po
from tests.conftest import run_cli


def po(body: str, language: str = "fr") -> bytes:
    header = textwrap.dedent(
        f"""\
        msgid ""
        msgstr ""
        "Language: {language}\\n"
        "Plural-Forms: {get_plural(language).plural_forms}\\n"
        "Content-Type: text/plain; charset=UTF-8\\n"

        """
    )
    return (header + textwrap.dedent(body)).encode()


def findings(body: str, language: str = "fr", glossary: str | None = None) -> list[Finding]:
    catalog = parse_po(po(body, language), f"{language}.po", language)
    terms = parse_glossary(glossary, "glossary.csv") if glossary else None
    return check_units(catalog_units(catalog, language, f"{language}.po"), terms)


def names(found: list[Finding]) -> list[str]:
    return [f.check for f in found]


def test_a_clean_translation_has_no_findings():
    assert (
        findings(
            'msgid "*Recognize* the need for cooperation;[^1]"\nmsgstr "*Reconnaissent* la nécessité de coopérer ;[^1]"\n'
        )
        == []
    )


def test_lost_footnote_reference_is_an_error_at_the_msgid_line():
    (found,) = findings('msgid "Treaty Series.[^1]"\nmsgstr "Recueil des Traités."\n')
    assert found.check == "markup" and found.severity == "error"
    assert str(found).startswith("fr.po:7: markup: missing [^1]")


def test_lost_emphasis_is_an_error():
    assert "markup" in names(findings('msgid "*Decide* to act."\nmsgstr "Décident d’agir."\n'))


def test_python_format_placeholders_must_be_kept():
    found = findings('#, python-format\nmsgid "Session %(number)s."\nmsgstr "Séance %(numero)s."\n')
    assert [f.message for f in found if f.check == "placeholders"] == [
        "missing placeholder %(number)s",
        "placeholder not in the source %(numero)s",
    ]


def test_numbers_must_be_kept_but_may_be_written_the_local_way():
    assert "numbers" in names(findings('msgid "On 3 and 4 October 2013."\nmsgstr "Les 3 et 4 octobre 2012."\n'))
    assert findings('msgid "10,000 migrants."\nmsgstr "10 000 migrants."\n') == []
    # Arabic-Indic digits and Chinese month numbers are the same numbers.
    assert "numbers" not in names(findings('msgid "In 2013."\nmsgstr "في عام ٢٠١٣."\n', "ar"))
    assert "numbers" not in names(findings('msgid "4 October 2013."\nmsgstr "2013年10月4日。"\n', "zh"))


def test_document_symbols_must_be_kept_verbatim():
    found = findings('msgid "See A/RES/68/4."\nmsgstr "Voir A/RES/68/5."\n')
    assert "symbols" in names(found)


def test_end_punctuation_mismatch_is_a_warning():
    (found,) = findings('msgid "Recall the resolution;"\nmsgstr "Rappellent la résolution."\n')
    assert found.check == "end-punctuation" and found.severity == "warning"
    assert str(found).endswith("(warning)")
    # A full-width Chinese full stop is a full stop.
    assert findings('msgid "Migration matters."\nmsgstr "移徙很重要。"\n', "zh") == []


def test_french_spacing_mistakes_the_build_cannot_fix():
    found = findings('msgid "Migrants, refugees."\nmsgstr "Les migrants , les réfugiés."\n')
    assert names(found) == ["french-spacing"]
    assert "straight quotes" in findings('msgid "The word migrant."\nmsgstr "Le mot \\"migrant\\"."\n')[0].message
    # A missing space before ; : ! ? is fine: the build adds the no-break space.
    assert findings('msgid "Decide:"\nmsgstr "Décident:"\n') == []


def test_spanish_question_and_exclamation_marks_are_paired():
    found = findings('msgid "Why migrate?"\nmsgstr "Por qué migrar?"\n', "es")
    assert names(found) == ["spanish-pairs"]
    assert findings('msgid "Why migrate?"\nmsgstr "¿Por qué migrar?"\n', "es") == []


def test_text_left_in_english_is_flagged():
    found = findings('msgid "Global Migration Group"\nmsgstr "Global Migration Group"\n')
    assert names(found) == ["unchanged"]
    # Symbols and single names may stay as they are.
    assert findings('msgid "A/RES/68/4"\nmsgstr "A/RES/68/4"\n') == []


def test_same_source_translated_two_ways_is_an_error():
    first = parse_po(po('msgid "Second Committee"\nmsgstr "Deuxième Commission"\n'), "a.po", "fr")
    second = parse_po(po('msgid "Second Committee"\nmsgstr "Second Comité"\n'), "b.po", "fr")
    found = check_units(catalog_units(first, "fr", "a.po") + catalog_units(second, "fr", "b.po"))
    assert names(found) == ["inconsistent"]
    assert found[0].path == "b.po" and "a.po:7" in found[0].message


def test_the_same_english_in_two_contexts_may_be_translated_two_ways():
    # That is what msgctxt is for: "DRAFT" stamped across a page, "draft" as a status.
    found = findings(
        'msgctxt "watermark"\nmsgid "Draft"\nmsgstr "PROJET"\n\n'
        'msgctxt "publication status"\nmsgid "Draft"\nmsgstr "projet"\n'
    )
    assert found == []


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<a href=\\"https://evil.example\\">lien</a>',
        "voir https://evil.example/x",
        "texte <img src=x onerror=alert(1)>",
        '<span style=\\"color:red\\">rouge</span>',
        "url(javascript:alert(1))",
    ],
)
def test_hostile_content_not_in_the_source_is_rejected(hostile):
    found = findings(f'msgid "Migration and development."\nmsgstr "Migration et développement {hostile}."\n')
    assert "hostile-content" in names(found)
    assert all(f.severity == "error" for f in found if f.check == "hostile-content")


def test_fuzzy_units_are_not_checked_because_they_are_not_published():
    assert findings('#, fuzzy\nmsgid "Treaty Series.[^1]"\nmsgstr "<script>x</script>"\n') == []


GLOSSARY = """\
source,target,note
International Organization for Migration,Organisation internationale pour les migrations,Official name
IOM,OIM,"Acronym, with the article: l’OIM"
international migration,migrations internationales | mouvements migratoires internationaux,UN usage
High-level Dialogue on International Migration and Development,Dialogue de haut niveau sur les migrations internationales et le développement,
"""


def test_glossary_terms_must_be_used():
    found = findings(
        'msgid "The International Organization for Migration (IOM) helps."\n'
        'msgstr "L’Organisation internationale des migrations (OIM) aide."\n',
        glossary=GLOSSARY,
    )
    assert names(found) == ["glossary"]
    assert "Organisation internationale pour les migrations" in found[0].message
    assert "glossary.csv:2" in found[0].message


def test_a_short_title_may_shorten_a_glossary_term_and_the_title_may_not():
    title = 'msgid "High-level Dialogue on International Migration and Development"\nmsgstr "Dialogue de haut niveau"\n'
    assert names(findings(title, glossary=GLOSSARY)) == ["glossary"]
    assert findings('msgctxt "short title"\n' + title, glossary=GLOSSARY) == []


def test_glossary_accepts_any_listed_variant_case_and_apostrophe_style():
    ok = findings(
        'msgid "International migration movements."\nmsgstr "Les Mouvements migratoires internationaux."\n',
        glossary=GLOSSARY,
    )
    assert ok == []


def test_a_term_inside_a_longer_term_is_checked_once():
    ok = findings(
        'msgid "The High-level Dialogue on International Migration and Development."\n'
        'msgstr "Le Dialogue de haut niveau sur les migrations internationales et le développement."\n',
        glossary=GLOSSARY,
    )
    assert ok == []


def test_glossary_file_errors_name_the_line():
    with pytest.raises(CatalogError) as error:
        parse_glossary("source,target,note\nIOM,,missing target\n", "glossary.csv")
    assert (error.value.path, error.value.line) == ("glossary.csv", 2)
    with pytest.raises(CatalogError):
        parse_glossary("english,french\n", "glossary.csv")


def test_the_shipped_catalogues_pass_make_check(capsys):
    from tests.conftest import ROOT

    assert run_cli("-C", str(ROOT), "check") == 0
    assert "0 error(s)" in capsys.readouterr().err


def append_unit(path: Path, msgid: str, msgstr: str) -> int:
    """Add a unit at the end of a catalogue; return the line of its msgid."""
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    line = text.count("\n") + 1
    path.write_text(text + f'msgid "{msgid}"\nmsgstr "{msgstr}"\n', encoding="utf-8")
    return line


def test_check_fails_on_a_broken_translation_and_names_it(project: Path, capsys):
    path = project / "translations/fr/LC_MESSAGES/a-res-68-4.po"
    line = append_unit(path, "Recall the Convention.[^9]", "Rappellent la Convention.")
    assert run_cli("-C", str(project), "check") == 1
    out = capsys.readouterr().out
    assert f"translations/fr/LC_MESSAGES/a-res-68-4.po:{line}: markup: missing [^9]" in out


def test_warnings_fail_only_with_strict(project: Path, capsys):
    path = project / "translations/es/LC_MESSAGES/hld-series.po"
    line = append_unit(path, "Recall the resolution;", "Recuerdan la resolución.")
    assert run_cli("-C", str(project), "check", "--lang", "es") == 0
    assert f"hld-series.po:{line}: end-punctuation:" in capsys.readouterr().out
    assert run_cli("-C", str(project), "check", "--lang", "es", "--strict") == 1


def test_a_malformed_catalogue_is_a_finding_not_a_crash(project: Path, capsys):
    path = project / "translations/fr/LC_MESSAGES/hld-series.po"
    path.write_text(path.read_text(encoding="utf-8") + 'msgid "unterminated\nmsgstr ""\n', encoding="utf-8")
    assert run_cli("-C", str(project), "check", "--lang", "fr") == 1
    assert "hld-series.po:" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("translation", "check"),
    [("(page)", "placeholders"), ("（第页）", "placeholders"), ("(<b>p. %(page)s</b>)", "hostile-content")],
)
def test_a_page_reference_without_its_number_or_with_markup_is_a_located_error(translation: str, check: str):
    found = findings(f'#, python-format\nmsgid "(p. %(page)s)"\nmsgstr "{translation}"\n', "zh")
    assert check in names(found) and check in ERRORS
    assert {str(f).split(": ")[0] for f in found if f.check == check} == {"zh.po:8"}


def doubled_word_in(path: Path, msgstr_start: str) -> None:
    """Double the first word of the msgstr that starts with *msgstr_start* ("de l’importante" → "de de l’…")."""
    text = path.read_text(encoding="utf-8")
    assert f'"{msgstr_start}' in text
    path.write_text(text.replace(f'"{msgstr_start}', f'"{msgstr_start.replace(" de ", " de de ", 1)}', 1), "utf-8")


def test_a_finding_names_the_page_where_the_last_build_printed_the_unit(project: Path, built_project, capsys):
    """With build/units.json from a build of the same sources, a finding says where the unit is printed."""
    (project / "build").mkdir()
    (project / "build" / "units.json").write_bytes((built_project / "build" / "units.json").read_bytes())
    path = project / "translations/fr/LC_MESSAGES/a-res-68-4.po"
    doubled_word_in(path, "*Prenons acte* de l’importante")
    assert run_cli("-C", str(project), "check", "--lang", "fr") == 0
    finding = next(line for line in capsys.readouterr().out.splitlines() if "doubled-words" in line)
    assert re.search(r"a-res-68-4\.po:\d+: doubled-words: .* \(a-res-68-4, p\. 1\) \(warning\)$", finding), finding


def test_without_a_build_a_finding_has_no_page(project: Path, capsys):
    path = project / "translations/fr/LC_MESSAGES/a-res-68-4.po"
    doubled_word_in(path, "*Prenons acte* de l’importante")
    assert run_cli("-C", str(project), "check", "--lang", "fr") == 0
    finding = next(line for line in capsys.readouterr().out.splitlines() if "doubled-words" in line)
    assert finding.endswith("'de de' (warning)")


def test_a_finding_known_only_by_its_line_is_placed_by_the_entry_it_falls_in(project: Path, built_project, capsys):
    """msgfmt reports a line (the msgstr's): the finding is about the entry whose msgid starts above it."""
    (project / "build").mkdir()
    (project / "build" / "units.json").write_bytes((built_project / "build" / "units.json").read_bytes())
    path = project / "translations/fr/LC_MESSAGES/a-res-68-4.po"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            '"développement ;"\n\n#. Numbered paragraph 3.', '"développement ;\\n"\n\n#. Numbered paragraph 3.', 1
        ),
        "utf-8",
    )
    assert run_cli("-C", str(project), "check", "--lang", "fr") == 1
    finding = next(line for line in capsys.readouterr().out.splitlines() if "msgfmt" in line)
    assert finding.endswith("(a-res-68-4, p. 1)"), finding
