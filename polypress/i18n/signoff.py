"""A reviser's sign-off on a unit: the translator comment ``# reviewed`` (``# reviewed by …`` too).

A comment rather than a ``#,`` flag: Poedit and Weblate show and keep translator comments,
and GNU msgmerge and msgcat keep them, while they drop ``#,`` flags they do not know. A
sign-off holds for the text signed off: a fuzzy unit is never reviewed, and ``update`` removes
the mark when the English changes under it.
"""

from __future__ import annotations

import re

from babel.messages.catalog import Message

MARK = "reviewed"
_MARK = re.compile(r"reviewed\b", re.IGNORECASE)


def is_mark(comment: str) -> bool:
    return bool(_MARK.match(comment.strip()))


def is_reviewed(message: Message) -> bool:
    """Signed off, translated (every plural form) and not fuzzy."""
    string = message.string
    done = all(string) if isinstance(string, (list, tuple)) else bool(string)
    return done and not message.fuzzy and any(is_mark(c) for c in message.user_comments)
