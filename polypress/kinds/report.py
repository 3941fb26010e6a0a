"""A report in the layout of a UN report (of the Secretary-General, of IOM): a summary on page 1, contents with
page numbers, numbered chapters, sections and paragraphs, tables and figures with numbered captions, annexes."""

from polypress.kinds.base import DATES, TEXT, WHOLE, Field, Kind

KIND = Kind(
    name="report",
    description="a report in the UN layout: summary, contents, numbered chapters and paragraphs, annexes",
    own_fields=(
        Field(
            "subtitle",
            TEXT,
            translatable=True,
            help='What the report is, under its title: "Report of the Secretary-General".',
        ),
        Field(
            "organ", TEXT, translatable=True, help='The organ the report goes to, in the masthead: "General Assembly".'
        ),
        Field("session", WHOLE, help="the session of the organ"),
        Field("agenda_item", WHOLE, help="the agenda item"),
        Field("agenda_subitem", TEXT, help='the letter of the sub-item, "b"'),
        Field("events", DATES, help="dates of the events the report covers (the timeline figure draws them)"),
    ),
    date_fields=("issued", "published", "events"),
    heading_numbers=("upper-roman", "upper-alpha", "decimal"),
    numbered_paragraphs=True,
)
