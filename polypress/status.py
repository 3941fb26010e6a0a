"""The translation dashboard (build/site/status.html) and the release snapshots it compares against."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from polypress.editions import Artifact, Edition
from polypress.inline import plain_text
from polypress.render import RenderContext, render_template
from polypress.sources import Sources
from polypress.translate import Completeness
from polypress.writer import write_if_changed

#: Where the build remembers, per edition, the units of its last release (build/, never published).
SNAPSHOT_FILE = "releases.json"
STATUS_PAGE = "status.html"


@dataclass
class Changes:
    """How an edition's units differ from its last release."""

    new: list[str] = field(default_factory=list)  # English text not in the release
    retranslated: list[str] = field(default_factory=list)  # same English, different translation
    removed: int = 0

    @property
    def count(self) -> int:
        return len(self.new) + len(self.retranslated) + self.removed


@dataclass
class Row(Completeness):
    """One document in one language, as the dashboard shows it."""

    document: str
    title: str
    language: str
    language_name: str
    translated: int
    fuzzy: int
    untranslated: int
    state: str  # published | draft | kept | not published
    released: str  # date of the last release, "" if none
    changes: Changes
    release_changes: dict


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def edition_units(edition: Edition, sources: Sources) -> dict[str, str]:
    """English text digest → translation digest ("" when not published) for every unit of an edition."""
    translations = sources.translations(edition.language, edition.document.slug)
    units: dict[str, str] = {}
    original = sources.document(edition.document.slug)
    texts = [u.text for u in original.units()]
    for text in texts:
        found = translations.lookup(text)
        units[_digest(text)] = _digest(found.string) if found.status in ("translated", "source") else ""
    return units


def compare(current: dict[str, str], released: dict[str, str], texts: dict[str, str]) -> Changes:
    changes = Changes()
    for key, value in current.items():
        if key not in released:
            changes.new.append(texts.get(key, key))
        elif released[key] != value:
            changes.retranslated.append(texts.get(key, key))
    changes.removed = sum(1 for key in released if key not in current)
    return changes


def load_snapshots(sources: Sources) -> dict:
    try:
        return json.loads((sources.project.build_dir / SNAPSHOT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_status_page(
    sources: Sources, editions: list[Edition], kept: list[str], today: datetime.date | None = None
) -> Artifact:
    """Record releases, then write the dashboard: completeness, fuzzy units, changes since each edition's release.

    An edition published without the draft mark is a release: its units are
    snapshotted in build/releases.json, so a later build can say what changed since.
    """
    project = sources.project
    today = today or datetime.datetime.now(datetime.UTC).date()
    snapshots = load_snapshots(sources)
    rows: list[Row] = []
    for edition in editions:
        if edition.language == project.source_language:
            continue
        units = edition_units(edition, sources)
        texts = {_digest(u.text): _excerpt(u.text) for u in sources.document(edition.document.slug).units()}
        key = edition.key
        language = project.language(edition.language)
        if project.below_threshold == "keep" and edition.coverage.percent < language.threshold:
            state = "kept" if key in kept else "not published"
        elif edition.draft:
            state = "draft"
        else:
            state = "published"
        previous = snapshots.get(key)
        if state == "published" and (previous is None or previous["units"] != units):
            brought = compare(units, previous["units"], texts) if previous else None
            snapshots[key] = {
                "released": today.isoformat(),
                "units": units,
                "changes": {
                    "new": len(brought.new),
                    "retranslated": len(brought.retranslated),
                    "removed": brought.removed,
                }
                if brought
                else {},
            }
            previous = snapshots[key]
        changes = compare(units, previous["units"], texts) if previous else Changes(new=list(texts.values()))
        coverage = edition.coverage
        rows.append(
            Row(
                document=edition.document.slug,
                title=edition.document.meta.get("short_title")
                or edition.document.meta.get("title", edition.document.slug),
                language=edition.language,
                language_name=project.language(edition.language).native_name,
                translated=coverage.translated,
                fuzzy=coverage.fuzzy,
                untranslated=coverage.untranslated,
                state=state,
                released=previous["released"] if previous else "",
                changes=changes,
                release_changes=previous.get("changes", {}) if previous else {},
            )
        )
    write_if_changed(
        project.build_dir / SNAPSHOT_FILE, (json.dumps(snapshots, indent=1, sort_keys=True) + "\n").encode()
    )
    source = project.language(project.source_language)
    links = {"assets": "assets/", "alternates": [], "x_default": "", "home": "index.html", "root": "index.html"}
    context = RenderContext(project, source, sources.translations(source.code, "templates"), "web", links=links)
    rows.sort(key=lambda r: (r.document, list(project.languages).index(r.language)))
    html = render_template(STATUS_PAGE, context, rows=rows).encode("utf-8")
    write_if_changed(project.site_dir / STATUS_PAGE, html)
    return Artifact("status", "", "html", STATUS_PAGE, hashlib.sha256(html).hexdigest(), len(html))


def _excerpt(text: str, length: int = 90) -> str:
    text = plain_text(text)
    return text if len(text) <= length else text[: length - 1] + "…"
