"""Before anything is rendered, every character a language prints must have a glyph in its fonts."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli

GRINNING_FACE = "\U0001f600"
TIBETAN_KA = "\u0f40"


def _replace_msgstr(po: Path, msgid: str, msgstr: str) -> int:
    """Set *msgid*'s msgstr (a one-line entry) and return the msgstr's line number."""
    lines = po.read_text(encoding="utf-8").splitlines()
    index = lines.index(f'msgid "{msgid}"')
    assert lines[index + 1].startswith("msgstr ")
    lines[index + 1] = f'msgstr "{msgstr}"'
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return index + 2


def _build_error(project: Path, language: str, capsys) -> str:
    status = run_cli("-C", str(project), "build", "--quiet", "--lang", language)
    error = capsys.readouterr().err
    assert status == 1, error
    assert "Traceback" not in error
    return error


def test_a_template_string_with_an_emoji_stops_the_build_at_its_msgstr(project, capsys):
    po = project / "translations" / "fr" / "LC_MESSAGES" / "templates.po"
    line = _replace_msgstr(po, "Please recycle", f"Merci de recycler {GRINNING_FACE}")
    error = _build_error(project, "fr", capsys)
    assert f"translations/fr/LC_MESSAGES/templates.po:{line}:" in error
    assert "U+1F600" in error and "GRINNING FACE" in error
    assert " fr " in error and "Liberation Serif" in error
    assert not (project / "build" / "site" / "fr" / "a-res-68-4.pdf").exists()


def test_a_translated_paragraph_with_a_tibetan_letter_points_at_its_msgstr_line(project, capsys):
    po = project / "translations" / "es" / "LC_MESSAGES" / "a-res-68-4.po"
    lines = po.read_text(encoding="utf-8").splitlines()
    # A wrapped entry: `msgstr ""` then the text on the following lines.
    index = next(i for i, line in enumerate(lines) if line.startswith('"*Reconocemos*') and lines[i - 1] == 'msgstr ""')
    lines[index] = lines[index].replace("*Reconocemos*", f"*Reconocemos* {TIBETAN_KA}", 1)
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    line = index  # the msgstr keyword's line (1-based) is the one before the text
    error = _build_error(project, "es", capsys)
    assert f"translations/es/LC_MESSAGES/a-res-68-4.po:{line}:" in error
    assert "U+0F40" in error and "TIBETAN LETTER KA" in error and " es " in error


def test_a_source_paragraph_with_a_missing_glyph_points_at_the_content_line(project, capsys):
    content = project / "content" / "a-res-68-4.md"
    lines = content.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("2. *Acknowledge*"))
    lines[index] = lines[index].replace("Acknowledge*", f"Acknowledge* {TIBETAN_KA}")
    content.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = _build_error(project, "en", capsys)
    assert f"content/a-res-68-4.md:{index + 1}:" in error
    assert "U+0F40" in error and " en " in error


def test_a_configured_font_that_is_not_a_font_stops_the_build_at_its_path(project, capsys):
    fake = project / "not-a-font.ttf"
    fake.write_bytes(b"This is a text file with a font's name.\n" * 4)
    settings = project / "polypress.toml"
    italic = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf"
    settings.write_text(settings.read_text(encoding="utf-8").replace(italic, str(fake)), encoding="utf-8")
    error = _build_error(project, "en", capsys)
    assert "not-a-font.ttf" in error and "cannot read font" in error
    assert not (project / "build" / "site" / "en" / "a-res-68-4.pdf").exists()


def test_the_glyph_check_knows_the_characters_each_face_maps_as_fonttools_reads_them():
    """The check reads each face's best Unicode character map: the one fontTools' getBestCmap picks, and for a
    collection only the configured face (Noto Serif CJK SC maps hanzi the Japanese face draws otherwise)."""
    from fontTools.ttLib import TTFont

    from polypress.render.fonts import _cmap, _face_index, _is_collection
    from polypress.settings import read_settings

    settings = read_settings(Path(__file__).resolve().parents[2])
    for face in settings.fonts.values():
        for path in face.files.values():
            index = _face_index(path, face.family) if _is_collection(path) else 0
            expected = set(TTFont(str(path), fontNumber=index, lazy=True).getBestCmap())
            assert set(_cmap(path, face.family)) == expected, path
