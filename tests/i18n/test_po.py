"""Reading a PO file (i18n/po.py): strict, every problem located at the line a translator fixes."""

from __future__ import annotations

import textwrap

import pytest

from polypress.errors import CatalogError
from polypress.i18n.po import parse_catalogue, parse_po

PATH = "translations/fr/LC_MESSAGES/doc.po"

HEADER = """\
msgid ""
msgstr ""
"Language: fr\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

"""


def parse(body: str, header: str = HEADER):
    return parse_catalogue((header + textwrap.dedent(body)).encode("utf-8"), PATH, "fr")


def refused(body: str, header: str = HEADER) -> CatalogError:
    with pytest.raises(CatalogError) as caught:
        parse(body, header)
    assert caught.value.path == PATH
    return caught.value


def test_a_wrapped_msgstr_is_found_at_its_keyword_line():
    catalogue = parse(
        """\
        msgid "Migration is a human reality."
        msgstr "La migration est une réalité humaine."

        msgid "Recognize the contribution."
        msgstr ""
        "Reconnaissent "
        "la contribution."
        """
    )
    assert catalogue.path == PATH
    assert catalogue.msgstr_lines == {"Migration is a human reality.": 8, "Recognize the contribution.": 11}
    assert dict((m.id, m.string) for m in catalogue.catalog if m.id)["Recognize the contribution."] == (
        "Reconnaissent la contribution."
    )


def test_an_unterminated_string_is_refused_at_its_line():
    error = refused('msgid "Migration"\nmsgstr "La migration\n')
    assert (error.line, error.message) == (8, "unterminated or malformed string")


def test_the_same_msgid_twice_is_refused_at_the_second():
    error = refused('msgid "A"\nmsgstr "Un"\n\nmsgid "A"\nmsgstr "Une"\n')
    assert error.line == 10 and "already defined on line 7" in error.message


def test_the_same_msgid_may_come_once_per_context():
    both = parse('msgid "A"\nmsgstr "Un"\n\nmsgctxt "label"\nmsgid "A"\nmsgstr "Une"\n').catalog
    assert (both.get("A").string, both.get("A", "label").string) == ("Un", "Une")
    error = refused('msgctxt "label"\nmsgid "A"\nmsgstr "Un"\n\nmsgctxt "label"\nmsgid "A"\nmsgstr "Une"\n')
    assert error.line == 11 and 'the same msgid in msgctxt "label" is already defined on line 7' in error.message


def test_an_unknown_escape_is_refused():
    error = refused('msgid "A"\nmsgstr "C:\\dossier"\n')
    assert error.line == 8 and "unknown escape" in error.message


def test_a_file_without_a_header_is_refused():
    error = refused('msgid "A"\nmsgstr "Un"\n', header="")
    assert error.line == 1 and "no header entry" in error.message


def test_bytes_that_are_not_utf8_are_refused_at_their_line():
    data = (HEADER + 'msgid "A"\nmsgstr "D\xe9j\xe0"\n').encode("latin-1")
    with pytest.raises(CatalogError) as caught:
        parse_po(data, PATH, "fr")
    assert (caught.value.line, caught.value.message) == (8, "not UTF-8")


def test_a_header_for_another_language_is_refused_at_the_header():
    error = refused('msgid "A"\nmsgstr "Uno"\n', header=HEADER.replace("Language: fr", "Language: es"))
    assert error.line == 1 and 'Language "es"' in error.message


def test_plural_forms_must_match_the_language():
    error = refused('msgid "A"\nmsgstr "Un"\n', header=HEADER.replace("nplurals=2", "nplurals=3"))
    assert error.line == 1 and "nplurals=3, but fr has 2" in error.message


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("(n > 1", "unbalanced parenthesis"),
        ("(n > 1))", "unexpected token"),
        ("n/0", "fails for n=0"),
        ("n==3 ? n/0 : 0", "fails for n=3"),
        ("__import__('os')", "invalid token"),
        ("n", "gives form 2 for n=2"),
        ("(" * 40 + "n" + ")" * 40, "too complex"),
    ],
)
def test_a_plural_rule_that_cannot_be_used_is_located_at_its_header_line(rule: str, words: str) -> None:
    header = HEADER.replace("plural=(n > 1);", f"plural={rule};")
    error = refused('msgid "a"\nmsgstr "b"\n', header)
    assert error.line == 4
    assert words in error.message
    assert "Plural-Forms" in error.message
