"""Code 39 barcode of a job number's digits, as inline SVG for the page-1 footer."""

from __future__ import annotations

from markupsafe import Markup

#: Code 39 patterns: nine elements (bar, space, bar, …), 1 = wide, 0 = narrow.
_PATTERNS = {
    "0": "000110100",
    "1": "100100001",
    "2": "001100001",
    "3": "101100000",
    "4": "000110001",
    "5": "100110000",
    "6": "001110000",
    "7": "000100101",
    "8": "100100100",
    "9": "001100100",
    "*": "010010100",
}
_NARROW = 1.0
_WIDE = 2.5


def code39_svg(digits: str, height_mm: float = 6.0, module_mm: float = 0.25) -> Markup:
    """The barcode of ``*digits*`` (start and stop asterisks) as an SVG element."""
    if not digits.isdigit():
        raise ValueError(f"a job-number barcode holds digits only, not {digits!r}")
    x = 0.0
    bars: list[str] = []
    for char in f"*{digits}*":
        for index, element in enumerate(_PATTERNS[char]):
            width = (_WIDE if element == "1" else _NARROW) * module_mm
            if index % 2 == 0:
                bars.append(f'<rect x="{x:.3f}" y="0" width="{width:.3f}" height="{height_mm}"/>')
            x += width
        x += _NARROW * module_mm  # gap between characters
    total = x - _NARROW * module_mm
    return Markup(
        f'<svg class="barcode" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="*{digits}*"'
        f' width="{total:.3f}mm" height="{height_mm}mm" viewBox="0 0 {total:.3f} {height_mm}">'
        + "".join(bars)
        + "</svg>"
    )
