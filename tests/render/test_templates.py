"""Template strings (render/templates.py): a translation is data, filled only with its msgid's placeholders."""

from __future__ import annotations

import pytest
from markupsafe import Markup, escape

from polypress.render.css import css_content
from polypress.render.templates import fill_placeholders


@pytest.mark.parametrize(
    ("source", "translation", "variables", "shown"),
    [
        ("All", "100 %", {}, "100 %"),
        (
            "Draft: %(percent)s%% translated",
            "Projet : %(percent)s %% traduit",
            {"percent": 40},
            "Projet : 40 % traduit",
        ),
        ("Session %(number)s", "Session %(number)s, 50 % %d %s %(", {"number": 68}, "Session 68, 50 % %d %s %("),
        # A placeholder the English does not have stays text: a translation cannot ask for other values.
        ("Session %(number)s", "%(number)s %(secret)s", {"number": 68, "secret": "x"}, "68 %(secret)s"),
        ("Original: %(language)s", "Original : %(language)s", {"language": "<b>"}, "Original : &lt;b&gt;"),
    ],
)
def test_a_translated_string_is_filled_only_with_the_placeholders_of_its_msgid(
    source: str, translation: str, variables: dict, shown: str
) -> None:
    filled = fill_placeholders(source, escape(translation), variables)
    assert isinstance(filled, Markup)
    assert str(filled) == shown


PAGE = "target-counter(attr(href url), page)"


@pytest.mark.parametrize(
    ("translation", "content"),
    [
        ("(p. %(page)s)", f'" " "\\28 p. " {PAGE} "\\29 "'),
        # Full-width brackets carry their own space: none is added before them.
        ("（第%(page)s页）", f'"\\ff08 第" {PAGE} "页\\ff09 "'),
        ("(الصفحة %(page)s)", f'" " "\\28 الصفحة " {PAGE} "\\29 "'),
    ],
)
def test_the_translation_of_the_page_reference_places_the_page_number(translation: str, content: str) -> None:
    assert str(css_content(escape(translation), page=PAGE)) == content


def test_a_page_reference_cannot_write_css_and_keeps_its_number_without_the_placeholder() -> None:
    # `check` reports both as errors at their msgstr; the PDF still prints the page, and no rule.
    hostile = str(css_content(escape('p. "; } body { display: none } a::after { content: "'), page=PAGE))
    assert hostile.endswith(PAGE)
    assert "{" not in hostile and "}" not in hostile and "\\22 " in hostile  # quotes and braces escaped
    assert str(css_content(escape("(page)"), page=PAGE)).endswith(PAGE)


def test_a_template_string_with_a_context_shows_that_unit_s_translation(tmp_path):
    from polypress.i18n.lookup import Translations
    from polypress.i18n.po import parse_catalogue
    from polypress.render.templates import RenderContext, render_template
    from polypress.settings import read_settings
    from tests.conftest import copy_project

    root = copy_project(tmp_path / "project")
    (root / "templates" / "context.html").write_text(
        '{{ pgettext("watermark", "DRAFT") }}|{{ _("DRAFT") }}|{{ pgettext("status", "DRAFT") }}|'
        '{{ npgettext("files", "%(num)s page", "%(num)s pages", 3) }}',
        encoding="utf-8",
    )
    catalogue = parse_catalogue(
        b'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        b'msgctxt "watermark"\nmsgid "DRAFT"\nmsgstr "PROJET"\n\nmsgid "DRAFT"\nmsgstr "Brouillon"\n\n'
        b'msgctxt "files"\nmsgid "%(num)s page"\nmsgid_plural "%(num)s pages"\n'
        b'msgstr[0] "%(num)s page"\nmsgstr[1] "%(num)s pages de fichier"\n',
        "translations/fr/LC_MESSAGES/templates.po",
        "fr",
    )
    settings = read_settings(root)
    context = RenderContext(settings, settings.language("fr"), Translations(catalogue), "screen")
    shown = render_template("context.html", context)
    # The status has no translation: English, with a warning, never the watermark's or the plain one's.
    assert shown == "PROJET|Brouillon|DRAFT|3 pages de fichier"
    assert [w.message for w in context.warnings] == [
        "template string untranslated in fr, English used in templates/context.html: 'DRAFT' (msgctxt 'status')"
    ]
    assert {"watermark\x04DRAFT", "DRAFT", "status\x04DRAFT"} <= context.strings_read


def _catalogue(language: str, pairs: dict[str, str]):
    from polypress.i18n.lookup import Translations
    from polypress.i18n.po import parse_catalogue

    entries = "".join(f'msgid "{k}"\nmsgstr "{v}"\n\n' for k, v in pairs.items())
    data = f'msgid ""\nmsgstr ""\n"Language: {language}\\n"\n\n{entries}'.encode()
    return Translations(parse_catalogue(data, f"translations/{language}/LC_MESSAGES/templates.po", language))


def _render(root, name: str, language: str, pairs: dict[str, str]):
    from polypress.render.templates import RenderContext, render_template
    from polypress.settings import read_settings

    settings = read_settings(root)
    context = RenderContext(settings, settings.language(language), _catalogue(language, pairs), "screen")
    return render_template(name, context), context


def test_every_render_in_a_process_shows_its_own_language_even_in_a_shared_imported_template(tmp_path, monkeypatch):
    """Templates are compiled once per process; what an imported template translates at its top level is
    translated again for each render, and each render records the strings and files it read."""
    from polypress.render import environment as module
    from tests.conftest import copy_project

    monkeypatch.setattr(module, "_RACY_NS", 0)  # files as old as a checkout's: their compilation is kept
    root = copy_project(tmp_path / "project")
    templates = root / "templates"
    (templates / "_words.html").write_text(
        '{% set greeting = _("Hello") %}{% macro hello() %}{{ greeting }}, {{ _("world") }}{% endmacro %}',
        encoding="utf-8",
    )
    (templates / "page.html").write_text('{% import "_words.html" as words %}{{ words.hello() }}', encoding="utf-8")
    french, french_context = _render(root, "page.html", "fr", {"Hello": "Bonjour", "world": "le monde"})
    spanish, spanish_context = _render(root, "page.html", "es", {"Hello": "Hola", "world": "mundo"})
    french_again, again_context = _render(root, "page.html", "fr", {"Hello": "Bonjour", "world": "le monde"})
    assert (french, spanish, french_again) == ("Bonjour, le monde", "Hola, mundo", "Bonjour, le monde")
    for context in (french_context, spanish_context, again_context):
        assert context.strings_read == {"Hello", "world"}
        assert context.templates_read == {"page.html", "_words.html"}


def test_a_template_saved_between_two_renders_of_a_process_is_read_again(tmp_path, monkeypatch):
    import os

    from polypress.render import environment as module
    from tests.conftest import copy_project

    monkeypatch.setattr(module, "_RACY_NS", 0)

    root = copy_project(tmp_path / "project")
    page = root / "templates" / "page.html"
    page.write_text("first", encoding="utf-8")
    assert _render(root, "page.html", "fr", {})[0] == "first"
    # Same size and the same date as before (as `cp -p`, `tar` or `rsync -t` leave it): its ctime tells.
    before = page.stat()
    page.write_text("secon", encoding="utf-8")
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert _render(root, "page.html", "fr", {})[0] == "secon"
    page.write_text("third", encoding="utf-8")
    assert _render(root, "page.html", "fr", {})[0] == "third"


def test_of_a_list_of_templates_only_the_one_included_is_recorded(tmp_path):
    """`{% include ["a.html", "b.html"] %}` reads the first there is: a render's key names that one (a template
    that appears later changes the listing of templates, which every key holds)."""
    from tests.conftest import copy_project

    root = copy_project(tmp_path / "project")
    templates = root / "templates"
    (templates / "_second.html").write_text("second", encoding="utf-8")
    (templates / "_third.html").write_text("third", encoding="utf-8")
    (templates / "page.html").write_text(
        '{% include ["_first.html", "_second.html", "_third.html"] %}', encoding="utf-8"
    )
    shown, context = _render(root, "page.html", "fr", {})
    assert shown == "second"
    assert context.templates_read == {"page.html", "_second.html"}
