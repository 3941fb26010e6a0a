"""A web page turned document: a title and the blocks below it, plus the facts of an event series."""

from polypress.kinds.base import DATES, LANGUAGES, TEXT, Field, Kind

KIND = Kind(
    name="page",
    description="a plain page: title and content (the series page adds its roundtable dates and report languages)",
    own_fields=(
        Field("roundtables", DATES, help="the dates of the series' roundtables"),
        Field("report_languages", LANGUAGES, help="languages the series report is offered in"),
        Field("report", TEXT, help='the series report\'s document, "hld-report": its languages link to it'),
    ),
    date_fields=("published", "roundtables"),
)
