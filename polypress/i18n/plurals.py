"""Plural-Forms rules: a translator's C expression, parsed safely and tried before any render uses it."""

from __future__ import annotations

import gettext

from polypress.errors import CatalogError

#: Counts a Plural-Forms expression is tried on: every n a document shows, and a few past any rule's cycle.
_PLURAL_SAMPLES = (*range(0, 1001), 10_001, 100_000, 1_000_000, 2**31 - 1)


def check_plural_expression(expression: str, nplurals: int, path: str, line: int | None) -> None:
    """The header's ``plural=`` is a C expression a translator typed: parsed, never evaluated as Python
    source, and tried on sample counts, so a dividing or out-of-range rule is an error here, not mid-build."""
    hint = "copy the Plural-Forms line of your language from the GNU gettext manual (or `make add-language`)"
    try:
        rule = gettext.c2py(expression)
    except (ValueError, RecursionError) as exc:
        raise CatalogError(f"unreadable Plural-Forms expression {expression!r}: {exc}", path, line, hint=hint) from None
    for count in _PLURAL_SAMPLES:
        try:
            index = rule(count)
        except (ArithmeticError, RecursionError) as exc:
            raise CatalogError(
                f"Plural-Forms expression {expression!r} fails for n={count}: {exc}", path, line, hint=hint
            ) from None
        if not 0 <= index < nplurals:
            raise CatalogError(
                f"Plural-Forms expression {expression!r} gives form {index} for n={count}, "
                f"but nplurals={nplurals} (forms 0 to {nplurals - 1})",
                path,
                line,
                hint=hint,
            )
