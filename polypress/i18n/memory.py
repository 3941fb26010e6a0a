"""A translation memory: what a language's other catalogues (and any compendium) already translated.

UN texts repeat themselves ("Recalling its resolution …"): a paragraph translated in one
document should not start empty in the next. ``update`` asks the memory for each new unit,
as ``msgmerge --compendium`` does: an exact match is taken as translated, a close one is
offered fuzzy; both say where they came from in a translator comment.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from polypress.errors import CatalogError, ConfigError
from polypress.files import read_bytes
from polypress.i18n.po import parse_po
from polypress.settings import CONFIG_NAME, Settings
from polypress.xml_input import parse_xml

#: The translator comment that names where a unit's translation was taken from.
ORIGIN_PREFIX = "translation memory:"


@dataclass(frozen=True)
class Memory:
    """Translated units by English text; each knows the file it came from."""

    exact: dict[tuple[str, str | None], tuple[Message, str]]
    candidates: tuple[Message, ...]
    origins: dict[int, str]

    def find(self, text: str, context: str | None, exclude: str) -> tuple[Message, str] | None:
        """An exact translation of *text* from a file other than *exclude*."""
        found = self.exact.get((text, context))
        return found if found is not None and found[1] != exclude else None

    def origin(self, message: Message) -> str:
        return self.origins[id(message)]


def build_memory(sources: Iterable[tuple[str, Catalog]]) -> Memory:
    """A memory of every translated, non-fuzzy singular unit of *sources* ((display path, catalogue) pairs)."""
    exact: dict[tuple[str, str | None], tuple[Message, str]] = {}
    candidates: list[Message] = []
    origins: dict[int, str] = {}
    for origin, catalog in sources:
        for message in catalog:
            if not message.id or not isinstance(message.id, str) or message.fuzzy or not message.string:
                continue
            exact.setdefault((message.id, message.context), (message, origin))
            candidates.append(message)
            origins[id(message)] = origin
    return Memory(exact, tuple(candidates), origins)


def compendium_paths(project: Settings, language: str) -> list[Path]:
    """The external memories polypress.toml names (``compendium = ["memory/{lang}.tmx"]``) for *language*."""
    configured = project.options.get("compendium", [])
    if isinstance(configured, str):
        configured = [configured]
    if not isinstance(configured, list) or not all(isinstance(p, str) for p in configured):
        raise ConfigError(
            "compendium must be a list of paths", CONFIG_NAME, hint='e.g. compendium = ["memory/{lang}.tmx"]'
        )
    paths = []
    for pattern in configured:
        path = project.root / pattern.replace("{lang}", language)
        if path.suffix not in (".po", ".tmx"):
            raise ConfigError(f"compendium {pattern!r} is neither a .po nor a .tmx file", CONFIG_NAME)
        if os.path.lexists(path):  # a dangling link is read, and refused, rather than taken for no file
            paths.append(path)
        elif "{lang}" not in pattern:
            raise ConfigError(f"compendium {pattern!r} does not exist", CONFIG_NAME)
    return paths


def load_compendium(path: Path, display: str, language: str, project_root: Path) -> Catalog:
    """A compendium PO file, or the *language* side of a TMX file, as a catalogue.

    Read as every project file is (files.py): a link out of the project, a FIFO or a huge file is refused
    unread; a TMX file may declare no DTD (no entity expansion, whatever its encoding).
    """
    data = read_bytes(path, project_root, CatalogError, display=display)
    if path.suffix == ".po":
        return parse_po(data, display)
    root = parse_xml(data, display, CatalogError, "TMX")
    catalog = Catalog(locale=None, fuzzy=False)
    source_language = (root.find("header").get("srclang", "en") if root.find("header") is not None else "en").lower()
    for unit in root.iter("tu"):
        texts: dict[str, str] = {}
        for variant in unit.iter("tuv"):
            code = (variant.get("{http://www.w3.org/XML/1998/namespace}lang") or variant.get("lang") or "").lower()
            segment = variant.find("seg")
            if segment is not None:
                texts[code.replace("_", "-").split("-")[0]] = "".join(segment.itertext())
        source = texts.get(source_language.split("-")[0])
        target = texts.get(language.lower().replace("_", "-").split("-")[0])
        if source and target and source not in catalog:
            catalog.add(source, target)
    return catalog
