"""`make update`: new units untranslated, changed ones fuzzy with the old text, removed ones obsolete and revivable."""

from __future__ import annotations

import io
import subprocess
import textwrap
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from polypress.i18n.po import load_po, parse_po, render_po
from polypress.i18n.update import FuzzyMatcher, merge_catalog
from tests.conftest import run_cli

HEADER = textwrap.dedent(
    """\
    msgid ""
    msgstr ""
    "Language: fr\\n"
    "Plural-Forms: nplurals=2; plural=(n > 1);\\n"
    "Content-Type: text/plain; charset=UTF-8\\n"

    """
)


def po(text: str) -> Catalog:
    return parse_po((HEADER + textwrap.dedent(text)).encode(), "fr.po", "fr")


def template(*texts: str) -> Catalog:
    catalog = Catalog(fuzzy=False)
    for number, text in enumerate(texts, start=1):
        catalog.add(text, locations=[("content/doc.md", number)])
    return catalog


OLD = """\
    msgid "Migration is a human reality."
    msgstr "La migration est une réalité humaine."

    msgid "Recognize the contribution of migrants to development."
    msgstr "Reconnaissent la contribution des migrants au développement."

    msgid "Stress the need for cooperation."
    msgstr "Soulignent la nécessité de coopérer."
"""


def units(catalog: Catalog) -> dict:
    return {m.id: m for m in catalog if m.id}


def test_new_unit_comes_in_untranslated_and_unchanged_units_keep_their_translation():
    catalog = po(OLD)
    merge_catalog(
        catalog,
        template(
            "Migration is a human reality.",
            "Recognize the contribution of migrants to development.",
            "Stress the need for cooperation.",
            "Welcome the Global Forum on Migration and Development.",
        ),
    )
    found = units(catalog)
    assert found["Welcome the Global Forum on Migration and Development."].string == ""
    assert found["Migration is a human reality."].string == "La migration est une réalité humaine."
    assert not found["Migration is a human reality."].fuzzy


def test_changed_unit_keeps_its_translation_marked_fuzzy_with_the_previous_text():
    catalog = po(OLD)
    merge_catalog(
        catalog,
        template(
            "Migration is a human reality.",
            "Recognize the important contribution of migrants to development.",
            "Stress the need for cooperation.",
        ),
    )
    changed = units(catalog)["Recognize the important contribution of migrants to development."]
    assert changed.fuzzy
    assert changed.string == "Reconnaissent la contribution des migrants au développement."
    assert changed.previous_id == ["Recognize the contribution of migrants to development."]
    written = render_po(catalog).decode()
    assert '#| msgid "Recognize the contribution of migrants to development."' in written
    # GNU gettext reads the same thing back.
    assert parse_po(render_po(catalog), "fr.po", "fr") is not None


def test_removed_unit_becomes_obsolete_and_is_revived_when_the_text_comes_back():
    catalog = po(OLD)
    merge_catalog(
        catalog, template("Migration is a human reality.", "Recognize the contribution of migrants to development.")
    )
    assert "Stress the need for cooperation." not in units(catalog)
    written = render_po(catalog).decode()
    assert '#~ msgid "Stress the need for cooperation."' in written
    assert '#~ msgstr "Soulignent la nécessité de coopérer."' in written

    catalog = parse_po(render_po(catalog), "fr.po", "fr")
    merge_catalog(
        catalog,
        template(
            *[
                t
                for t in (
                    "Migration is a human reality.",
                    "Recognize the contribution of migrants to development.",
                    "Stress the need for cooperation.",
                )
            ]
        ),
    )
    revived = units(catalog)["Stress the need for cooperation."]
    assert revived.string == "Soulignent la nécessité de coopérer." and not revived.fuzzy
    assert not catalog.obsolete


def test_fuzzy_matching_also_offers_obsolete_translations():
    catalog = po(
        OLD
        + """
    #~ msgid "Commit to protect the human rights of all migrants."
    #~ msgstr "S’engagent à protéger les droits de l’homme de tous les migrants."
    """
    )
    merge_catalog(catalog, template("Commit to protect the human rights of all migrant workers."))
    unit = units(catalog)["Commit to protect the human rights of all migrant workers."]
    assert unit.fuzzy
    assert unit.string == "S’engagent à protéger les droits de l’homme de tous les migrants."
    assert unit.previous_id == ["Commit to protect the human rights of all migrants."]


def test_an_unrelated_new_text_gets_no_fuzzy_guess():
    catalog = po(OLD)
    merge_catalog(catalog, template("Footnote: United Nations, Treaty Series, vol. 2220, No. 39481."))
    assert units(catalog)["Footnote: United Nations, Treaty Series, vol. 2220, No. 39481."].string == ""


def test_merging_the_same_template_twice_changes_nothing():
    catalog = po(OLD)
    new = template("Migration is a human reality.", "Recognize the important contribution of migrants to development.")
    summary = merge_catalog(catalog, new)
    assert summary and str(summary) == "1 fuzzy, 1 obsolete"
    first = render_po(catalog)
    again = parse_po(first, "fr.po", "fr")
    assert not merge_catalog(again, new)
    assert render_po(again) == first


def test_the_matcher_finds_the_closest_of_many_similar_units():
    old = po(
        "".join(
            f'msgid "Unit {n}: the member states recall resolution {n} on migration and development."\n'
            f'msgstr "Unité {n}"\n\n'
            for n in range(200)
        )
    )
    matcher = FuzzyMatcher(list(old))
    best = matcher.best("Unit 137: the member states recall resolution 137 on international migration and development.")
    assert best is not None and best.string == "Unité 137"


def test_po_files_are_written_at_a_fixed_width_in_source_order():
    catalog = po(OLD)
    long = "Recognize " + "the contribution of migrants to development, " * 4
    merge_catalog(catalog, template("Stress the need for cooperation.", long, "Migration is a human reality."))
    text = render_po(catalog).decode()
    assert all(len(line) <= 78 for line in text.splitlines())  # 76 plus the quotes GNU allows
    assert text.index("Stress the need") < text.index("Recognize the contribution") < text.index("Migration is")
    # Babel reads it back to the same units.
    assert [m.id for m in read_po(io.BytesIO(render_po(catalog))) if m.id] == [
        "Stress the need for cooperation.",
        long,
        "Migration is a human reality.",
    ]


def test_update_on_unchanged_sources_rewrites_no_file(project: Path):
    assert run_cli("-C", str(project), "update") == 0  # bring the copy in step first
    files = sorted(project.glob("translations/**/*.po*"))
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    assert run_cli("-C", str(project), "update") == 0
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files} == before


def test_update_after_a_source_change_marks_the_unit_fuzzy_in_every_language(project: Path, capsys):
    source = project / "content" / "a-res-68-4.md"
    text = source.read_text(encoding="utf-8")
    assert "important contribution" in text
    source.write_text(text.replace("important contribution", "significant contribution", 1), encoding="utf-8")
    assert run_cli("-C", str(project), "update") == 0
    assert "wrote translations/fr/LC_MESSAGES/a-res-68-4.po (1 fuzzy)" in capsys.readouterr().out
    for language in ("fr", "es"):
        catalog = load_po(project / f"translations/{language}/LC_MESSAGES/a-res-68-4.po", "po", language)
        fuzzy = [m for m in catalog if m.id and m.fuzzy]
        assert len(fuzzy) == 1 and "significant contribution" in fuzzy[0].id
        assert "important contribution" in fuzzy[0].previous_id[0]
        assert fuzzy[0].string  # the old translation is offered, not lost
        assert not catalog.obsolete
    po_file = project / "translations/fr/LC_MESSAGES/a-res-68-4.po"
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_file)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


SHORT_STRINGS = """\
    msgid "draft"
    msgstr "projet"

    msgid "Contents"
    msgstr "Table des matières"

    msgid "Tables"
    msgstr "Tableaux"

    msgid "Please recycle"
    msgstr "Merci de recycler"

    msgid "(%(size)s)"
    msgstr "(%(size)s)"
"""


def test_a_short_string_is_offered_only_what_msgmerge_would_offer():
    # Measured against msgmerge 0.21 on the shipped templates.pot (scripts/compare_fuzzy_with_msgmerge.py):
    # like it, a text of four characters or more is offered only a translation whose English shares
    # four characters in a row with it, and scoring exactly the cutoff is enough.
    catalog = po(SHORT_STRINGS)
    merge_catalog(catalog, template("dreft", "Notes", "Tags", "Please", "(%(sizes)s)"))
    found = units(catalog)
    for unrelated in ("dreft", "Notes", "Tags"):
        assert found[unrelated].string == "" and not found[unrelated].fuzzy, unrelated
    assert found["Please"].fuzzy and found["Please"].previous_id == ["Please recycle"]
    assert found["(%(sizes)s)"].fuzzy and found["(%(sizes)s)"].previous_id == ["(%(size)s)"]


def test_a_unit_given_a_context_is_offered_its_translation_without_one_fuzzy():
    # As msgmerge: the same English without the context is the best guess, for the translator to confirm.
    catalog = po(SHORT_STRINGS)
    new = Catalog(fuzzy=False)
    new.add("draft", context="publication status", locations=[("templates/index.html", 24)])
    merge_catalog(catalog, new)
    unit = catalog.get("draft", "publication status")
    assert unit.fuzzy and unit.string == "projet" and unit.previous_id == ["draft"]
    assert catalog.get("draft") is None


def test_template_strings_with_a_context_go_through_extract_update_and_the_gnu_tools(tmp_path: Path):
    from polypress.i18n.extract import templates_template
    from polypress.i18n.lookup import Translations
    from polypress.i18n.po import parse_catalogue

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text(
        '{#- Translators: Watermark across a draft. #}{{ pgettext("watermark", "DRAFT") }}\n'
        '{#- Translators: The word in a sentence. #}{{ _("DRAFT") }}\n'
        '{{ npgettext("files", "%(num)s page", "%(num)s pages", 2) }}\n',
        encoding="utf-8",
    )
    pot = templates_template(templates, tmp_path)
    assert {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in pot if m.id} == {
        ("watermark", "DRAFT"),
        (None, "DRAFT"),
        ("files", "%(num)s page"),
    }
    pot_bytes = render_po(pot)
    assert b'msgctxt "watermark"\nmsgid "DRAFT"' in pot_bytes
    catalog = po('msgid "DRAFT"\nmsgstr "Projet"\n')
    merge_catalog(catalog, pot)
    for message in catalog:
        if message.id and message.context:
            message.flags.discard("fuzzy")
            message.previous_id = []
            message.string = "PROJET" if message.context == "watermark" else ("%(num)s page", "%(num)s pages")
    data = render_po(catalog)
    path = tmp_path / "fr.po"
    path.write_bytes(data)
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True).returncode == 0
    assert subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout == data
    assert not merge_catalog(parse_po(data, "fr.po", "fr"), pot)  # a second update changes nothing
    translations = Translations(parse_catalogue(data, "fr.po", "fr"))
    assert translations.gettext("DRAFT", "watermark") == "PROJET"
    assert translations.gettext("DRAFT") == "Projet"
    assert translations.location("DRAFT", "watermark") != translations.location("DRAFT")
