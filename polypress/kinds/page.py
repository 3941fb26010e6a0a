"""A web page turned document: a title and the blocks below it, plus the facts of an event series."""

from polypress.kinds.base import DATES, TEXT, Field, Kind

KIND = Kind(
    name="page",
    description="a plain page: title and content (the series page adds its roundtable dates and its report)",
    own_fields=(
        Field("roundtables", DATES, help="the dates of the series' roundtables"),
        Field(
            "report",
            TEXT,
            help='the series report\'s document, "hld-report": linked in every language the site publishes it in',
        ),
    ),
    date_fields=("published", "roundtables"),
)
