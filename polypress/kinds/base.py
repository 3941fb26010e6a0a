"""What a document kind declares: its front-matter fields with their types, its date, its templates."""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from polypress.characters import is_control
from polypress.errors import ContentError
from polypress.toml_lines import toml_value

#: Page sizes the print edition knows (WeasyPrint's names).
PAGE_SIZES = ("A4", "Letter")


@dataclass(frozen=True)
class ValueType:
    """A type a front-matter value may have: how to check it and how to ask for it.

    ``spoken`` names what the writer does with such a value in running text
    ("date", "ordinal"): the render stage formats it per language, and the
    font check reads the same text.
    """

    name: str
    example: str
    accepts: Callable[[Any], bool]
    spoken: str = ""


def _is_date(value: Any) -> bool:
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


#: The largest session, agenda item or meeting number: past it a number is a typo, not a fact.
MAX_WHOLE = 99_999


def _is_whole(value: Any) -> bool:
    """A count from 1 (a session, an agenda item, a meeting): a boolean is not one, nor is 0."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_WHOLE


def _is_job_number(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    return isinstance(value, str)


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _is_dates(value: Any) -> bool:
    return isinstance(value, list) and all(_is_date(d) for d in value)


def _is_codes(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(c, str) and c for c in value)


def _is_page_size(value: Any) -> bool:
    return value in PAGE_SIZES


# Checks are named functions, not lambdas: documents cross to render workers by pickling.
TEXT = ValueType("text", 'a quoted string like "A/68/L.5"', _is_text)
WHOLE = ValueType("whole number", f"a whole number from 1 to {MAX_WHOLE}, like 68", _is_whole)
ORDINAL = ValueType(
    "ordinal",
    f"a whole number from 1 to {MAX_WHOLE}, like 25 (written 25th, 25e, 25ª… per language)",
    _is_whole,
    "ordinal",
)
DATE = ValueType("date", 'a date like 2013-10-03 (or "" when not known)', _is_date, "date")
DATES = ValueType("dates", "a list of dates like [2013-09-17, 2013-06-07]", _is_dates, "date")
LANGUAGES = ValueType("languages", 'a list of language codes like ["en", "fr"]', _is_codes)
JOB_NUMBER = ValueType("job number", '"13-49245" or a table per language { en = "13-49245" }', _is_job_number)
PAGE_SIZE = ValueType("page size", " or ".join(f'"{s}"' for s in PAGE_SIZES), _is_page_size)


def _control_character(value: Any) -> str | None:
    """The first C0/C1 control character in a value (strings in lists and tables too)."""
    if isinstance(value, str):
        return next((c for c in value if is_control(c)), None)
    if isinstance(value, list | dict):
        items = value.values() if isinstance(value, dict) else value
        return next((c for c in map(_control_character, items) if c), None)
    return None


@dataclass(frozen=True)
class Field:
    """One front-matter key: its type, whether it must be there, whether translators see it."""

    name: str
    type: ValueType
    required: bool = False
    #: Prose extracted for translation, in the document's catalogue.
    translatable: bool = False
    #: What the field is for, told to the translator (translatable fields) and in errors.
    help: str = ""
    #: The unit's msgctxt, for a field whose English may equal another unit's but whose translation may not.
    context: str | None = None


#: The msgctxt of the short title: a unit of its own, whose translation may shorten what its English
#: says (the glossary's full form of a term included).
SHORT_TITLE_CONTEXT = "short title"

#: Fields every kind has: what the site, the print edition and the catalogues use whatever the kind.
COMMON_FIELDS = (
    Field("kind", TEXT, help="the document kind"),
    Field("title", TEXT, required=True, translatable=True, help="Document title."),
    # Its own unit (msgctxt) even when the English equals the title: a language may shorten only this one.
    Field(
        "short_title",
        TEXT,
        translatable=True,
        help="Short title: the running head of the printed pages and the entry of the e-book's contents. "
        "It may be shorter than the title's translation.",
        context=SHORT_TITLE_CONTEXT,
    ),
    Field("author", TEXT, translatable=True, help="The body that issues the document (PDF and e-book metadata)."),
    Field("symbol", TEXT, help="document symbol, printed and never broken"),
    Field("published", DATE, help="date of publication"),
    Field("issued", DATE, help="distribution date printed under the masthead"),
    Field("original_language", TEXT, help="language code of the original, printed as 'Original: …'"),
    Field("job_number", JOB_NUMBER, help="print-shop number, never invented"),
    Field("page_size", PAGE_SIZE, help="overrides the project's page_size"),
)


@dataclass(frozen=True)
class Kind:
    """A kind of document: the fields of its front matter, the field that dates it, its templates.

    The templates of a kind live in ``templates/kinds/<name>/``: one per view
    (``print.html`` for the print edition, ``screen.html`` for the web page and
    the e-book), each extending the view's layout and overriding its blocks.
    """

    name: str
    #: One line for the README and errors.
    description: str
    #: The kind's own fields; COMMON_FIELDS come with every kind (one of the same name is replaced).
    own_fields: tuple[Field, ...] = ()
    #: Fields that date the document, first found first (a list of dates counts by its last).
    date_fields: tuple[str, ...] = ("published",)
    #: How the build numbers headings, level by level: ("upper-roman", "upper-alpha", "decimal")
    #: gives "I.", "A.", "1." as in UN reports; () numbers none.
    heading_numbers: tuple[str, ...] = ()
    #: Body paragraphs are numbered 1, 2, 3… through the document (cross-references say "para. 15").
    numbered_paragraphs: bool = False

    @property
    def fields(self) -> dict[str, Field]:
        return {field.name: field for field in (*COMMON_FIELDS, *self.own_fields)}

    @property
    def translatable(self) -> tuple[str, ...]:
        return tuple(name for name, field in self.fields.items() if field.translatable)

    def template(self, view: str) -> str:
        """The kind's template for a view, relative to templates/."""
        return f"kinds/{self.name}/{view}.html"

    def validate(self, meta: Mapping[str, Any], lines: Mapping[str, int], path: str) -> dict[str, Any]:
        """The front matter with every field of the kind (None when absent), each value checked.

        An unknown key is an error, with the closest known one: a typo would
        otherwise silently drop a value from the page.
        """
        fields = self.fields
        for name in meta:
            if name not in fields:
                close = difflib.get_close_matches(name, fields, n=1)
                hint = f"did you mean `{close[0]}`?" if close else f"a {self.name} knows: {', '.join(fields)}"
                raise ContentError(f"unknown field `{name}` for a {self.name}", path, lines.get(name, 1), hint=hint)
        values: dict[str, Any] = {}
        for name, field in fields.items():
            value = meta.get(name)
            if value == "":
                value = None  # "" means "not known"
            if value is None:
                if field.required:
                    raise ContentError(
                        f"a {self.name} needs `{name}` in its metadata header",
                        path,
                        1,
                        hint=f"add {name} = {field.type.example}",
                    )
                values[name] = None
                continue
            if not field.type.accepts(value):
                raise ContentError(
                    f"`{name}` must be {field.type.example}, not {toml_value(value)}", path, lines.get(name, 1)
                )
            if control := _control_character(value):
                raise ContentError(
                    f"`{name}` holds the control character U+{ord(control):04X}",
                    path,
                    lines.get(name, 1),
                    hint="remove it: control characters have no place in printed text",
                )
            values[name] = value
        values["kind"] = self.name
        return values

    def date(self, meta: Mapping[str, Any]) -> datetime.date | None:
        """The date the document carries (adoption, publication…): never the clock."""
        for name in self.date_fields:
            value = meta.get(name)
            if isinstance(value, list):
                value = max(value, default=None)
            if value is not None:
                return value
        return None

    def spoken_values(self, meta: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
        """(field, spoken type, value) of every value the writer turns into words: dates, ordinals."""
        found = []
        for name, field in self.fields.items():
            value = meta.get(name)
            if not field.type.spoken or value is None:
                continue
            for one in value if isinstance(value, list) else [value]:
                found.append((name, field.type.spoken, one))
        return found
