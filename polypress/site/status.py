"""The translation dashboard (status.html) and the release snapshots it compares against, as plain data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from polypress.content.inline import plain_text
from polypress.document import Unit
from polypress.editions import DRAFT, KEEP, EditionSummary, text_digest
from polypress.formats import FORMATS
from polypress.i18n.lookup import context_key
from polypress.i18n.placement import page_label
from polypress.i18n.translate import Completeness
from polypress.releases import snapshot_units, units_by_source
from polypress.site.links import SiteFile, SiteInput, href, render_page

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


@dataclass(frozen=True)
class Missing:
    """A unit the edition does not publish translated (fuzzy or untranslated), and where its PDF prints it."""

    state: str  # fuzzy | untranslated
    excerpt: str  # of the English
    pages: str  # "p. 2", "" when no build said
    #: The PDF at that page ("../fr/a-res-68-4.pdf#page=2"), "" without one.
    href: str = ""


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
    #: Units a reviser signed off (``# reviewed``).
    reviewed: int
    state: str  # published | draft | kept | not published
    #: "release 3 (1a2b3c4)": the last release of the edition, "" if none.
    released: str
    changes: Changes
    release_changes: dict
    files: list[dict]
    #: Fuzzy and untranslated units, in reading order, with their pages.
    missing: list[Missing] = field(default_factory=list)


def _unit_digest(unit: Unit) -> bytes:
    """A unit's English, under its context: the short title is not the title, though its English may be."""
    return text_digest(context_key(unit.context, unit.text))


def source_digests(site: SiteInput, slug: str) -> bytes:
    """The digest of each unit of the English document, in reading order, eight bytes each."""
    return b"".join(_unit_digest(unit) for unit in site.sources.document(slug).units())


def compare(current: str, released: str, texts: Callable[[], dict[str, str]]) -> Changes:
    """What changed between two snapshots' units (releases.py), each changed unit shown by an excerpt of its
    English; *texts* (English digest → text) is asked only when something changed: an archive's status page
    compares every edition at every assembly."""
    changes = Changes()
    if current == released:
        return changes
    now, then = units_by_source(current), units_by_source(released)
    found = [key for key, value in now.items() if key not in then or then[key] != value]
    shown = texts() if found else {}
    for key in found:
        excerpt = _excerpt(shown[key]) if key in shown else key
        (changes.new if key not in then else changes.retranslated).append(excerpt)
    changes.removed = sum(1 for key in then if key not in now)
    return changes


def texts(site: SiteInput, slug: str) -> dict[str, str]:
    """English digest (hex) → English text, for each unit of a document."""
    return {_unit_digest(unit).hex(): unit.text for unit in site.sources.document(slug).units()}


def _state(site: SiteInput, edition: EditionSummary) -> str:
    if edition.policy == KEEP:
        return "kept" if edition.key in site.kept else "not published"
    return "draft" if edition.policy == DRAFT else "published"


def status_page(site: SiteInput) -> tuple[SiteFile, dict]:
    """The dashboard, and the release snapshots brought up to date.

    An edition published without the draft mark is a release: when its units
    differ from its last release's, they become a new release (numbered, with the
    sources' revision, never a date: the same sources give the same page).
    """
    sources = site.sources
    settings = sources.settings
    releases = {key: value for key, value in site.releases.items() if isinstance(value, dict) and "units" in value}
    rows: list[Row] = []
    english: dict[str, bytes] = {}  # each document's unit digests, made once for all its languages
    for edition in site.editions:
        if edition.language == settings.source_language:
            continue
        if edition.slug not in english:
            english[edition.slug] = source_digests(site, edition.slug)
        units = snapshot_units(english[edition.slug], edition.digests)
        state = _state(site, edition)
        previous = releases.get(edition.key)
        # What changed since the last release, compared once: a published edition with changes is a new release.
        changes = compare(units, previous["units"], partial(texts, site, edition.slug)) if previous else Changes()
        if state == "published" and (previous is None or changes.count):
            releases[edition.key] = previous = {
                "release": int(previous.get("release", 0)) + 1 if previous else 1,
                "revision": site.revision[:12],
                "units": units,
                "changes": {
                    "new": len(changes.new),
                    "retranslated": len(changes.retranslated),
                    "removed": changes.removed,
                }
                if previous
                else {},
            }
            changes = Changes()  # nothing since the release it just became
        coverage = edition.coverage
        rows.append(
            Row(
                document=edition.slug,
                title=edition.front.meta.get("short_title") or edition.front.meta["title"],
                language=edition.language,
                language_name=settings.language(edition.language).native_name,
                translated=coverage.translated,
                fuzzy=coverage.fuzzy,
                untranslated=coverage.untranslated,
                reviewed=coverage.reviewed,
                state=state,
                released=f"release {previous.get('release', 1)} ({previous.get('revision', 'unknown')})"
                if previous
                else "",
                changes=changes,
                release_changes=previous.get("changes", {}) if previous else {},
                files=[
                    {"label": FORMATS[a.format].label, "href": href(STATUS_PAGE, a.path), "draft": a.draft}
                    for a in site.files(edition)
                ],
                missing=missing_units(site, edition),
            )
        )
    links = {"assets": "assets/", "alternates": [], "x_default": "", "home": "index.html", "root": "index.html"}
    order = list(settings.languages)
    rows.sort(key=lambda r: (r.document, order.index(r.language)))
    html = render_page(sources, settings.source_language, STATUS_PAGE, links, rows=rows)
    return SiteFile(STATUS_PAGE, html, "html", "", "status"), releases


def missing_units(site: SiteInput, edition: EditionSummary) -> list[Missing]:
    """The edition's fuzzy and untranslated units, each with the page(s) of the PDF that prints it (from
    build/units.json) and a link to the first: a coordinator sees what is left and where, in print."""
    slug, language = edition.slug, edition.language
    placed = site.unit_pages.edition(slug, language)
    on_site = placed is not None and placed.pdf in site.by_path
    found = []
    for source, status in zip(site.sources.document(slug).units(), edition.statuses, strict=True):
        if status not in ("fuzzy", "untranslated"):
            continue
        pages = site.unit_pages.pages(slug, language, source.text, source.context)
        link = href(STATUS_PAGE, placed.pdf) + f"#page={pages[0]}" if pages and on_site else ""
        found.append(Missing(status, _excerpt(source.text), page_label(pages), link))
    return found


def _excerpt(text: str, length: int = 90) -> str:
    text = plain_text(text)
    return text if len(text) <= length else text[: length - 1] + "…"
