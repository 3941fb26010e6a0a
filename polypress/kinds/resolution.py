"""A United Nations General Assembly resolution: masthead facts, adoption and the meeting that adopted it."""

from polypress.kinds.base import DATE, ORDINAL, TEXT, WHOLE, Field, Kind

KIND = Kind(
    name="resolution",
    description="a General Assembly resolution in the UN layout (masthead, numbered title, adoption line)",
    own_fields=(
        Field("symbol", TEXT, required=True, help='the document symbol, "A/RES/68/4"'),
        Field("resolution", TEXT, required=True, help='the resolution number, "68/4"'),
        Field("session", WHOLE, required=True, help="the session of the General Assembly"),
        Field("agenda_item", WHOLE, required=True, help="the agenda item"),
        Field("agenda_subitem", TEXT, help='the letter of the sub-item, "b"'),
        Field("adopted", DATE, required=True, help="the day of adoption"),
        Field("meeting", ORDINAL, required=True, help="the plenary meeting that adopted it"),
        Field("draft", TEXT, help='the draft resolution\'s symbol, "A/68/L.5"'),
        Field("main_committee", TEXT, help="the Main Committee whose report it was adopted on"),
        Field("committee_report", TEXT, help="that report's symbol"),
    ),
    date_fields=("adopted", "published"),
)
