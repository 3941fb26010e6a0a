"""A source's blocks as parsed, kept in the user cache (``user_cache.py``) under the digest of its text.

Every build reads every source, and parsing is the cost of reading: markdown-it, the inline checks and the
numbering take ~27 ms a document, most of a one-catalogue rebuild of a 200-document archive (5.4 of its ~8
CPU seconds). The blocks depend only on the text and on the code that parses it, so they are kept under
both: the text's SHA-256, and the digest of this package's parser (``content/``, ``kinds/``,
``document.py``) and of markdown-it's and its plugins' versions. Only a text that passed every check of
``reader.parse_document`` is kept; what depends on other files (images, links to other documents) is
checked at every build.

An entry is data: a list per block (``astuple``), its fields in ``Block``'s order, read back only if every field has its
type; anything else is parsed again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple, fields
from functools import cache
from pathlib import Path

import markdown_it
import mdit_py_plugins

from polypress.document import Block
from polypress.files import file_digest
from polypress.user_cache import entry_path, found, keep

_PACKAGE = Path(__file__).resolve().parent.parent
#: The code whose change changes what a text parses to.
_PARSER_CODE = ("content", "kinds", "document.py")
#: Block's fields in order, and the type each must have read back (``children``: a list of blocks).
_FIELDS = tuple(f.name for f in fields(Block))
#: A field of another type needs its own line here (and a test): the import fails until it has one.
_READ_AS = {"str": str, "int": int, "bool": bool, "tuple[Block, ...]": list}
_TYPES = tuple(_READ_AS[f.type] for f in fields(Block))
_CHILDREN = _FIELDS.index("children")


def read_parsed(text: str) -> tuple[Block, ...] | None:
    """The blocks *text* parsed to in an earlier build, or None."""
    data = found(_entry(text))
    if data is None:
        return None
    try:
        items = json.loads(data)
        return tuple(map(_block, items)) if type(items) is list else None
    except (ValueError, TypeError, RecursionError):
        return None


def keep_parsed(text: str, blocks: tuple[Block, ...]) -> None:
    try:
        data = json.dumps([astuple(b) for b in blocks], ensure_ascii=False).encode()
    except UnicodeEncodeError:  # a lone surrogate, which no source read as UTF-8 has: parsed at every build
        return
    keep(_entry(text), data)


def _entry(text: str) -> Path:
    return entry_path("parsed", parser_identity(), hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())


@cache
def parser_identity() -> str:
    """The parser's files as the build's fingerprints know the package's (``file_digest``), and the versions
    of markdown-it and its plugins."""
    paths = [_PACKAGE / name for name in _PARSER_CODE]
    files = [f for path in paths for f in (sorted(path.rglob("*.py")) if path.is_dir() else [path])]
    named = [markdown_it.__version__, mdit_py_plugins.__version__]
    named += [(f.relative_to(_PACKAGE).as_posix(), file_digest(f)) for f in files]
    return hashlib.sha256(repr(named).encode()).hexdigest()


def _block(item: object) -> Block:
    if type(item) is not list or tuple(map(type, item)) != _TYPES:
        raise ValueError("not a block")
    item[_CHILDREN] = tuple(map(_block, item[_CHILDREN]))
    return Block(*item)
