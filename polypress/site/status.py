"""The translation dashboard (status.html) and the release snapshots it compares against, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field

from polypress.content.inline import plain_text
from polypress.document import Unit
from polypress.editions import DRAFT, KEEP, EditionSummary, text_digest
from polypress.formats import FORMATS
from polypress.i18n.lookup import context_key
from polypress.i18n.placement import page_label
from polypress.i18n.translate import Completeness
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


def _digest(text: str) -> str:
    return text_digest(text).hex()


def _unit_digest(unit: Unit) -> str:
    """A unit's English, under its context: the short title is not the title, though its English may be."""
    return _digest(context_key(unit.context, unit.text))


def edition_units(edition: EditionSummary, english: list[str]) -> dict[str, str]:
    """English text digest → translation digest ("" when not published) for every unit of an edition
    (the summary keeps each as bytes; the snapshots, as _digest gives them, in hex).

    *english* is the document's (source_digests), made once for all its languages: the release snapshots
    of an archive then hold one copy of each."""
    digests = (edition.digests[at : at + 8] for at in range(0, len(edition.digests), 8))
    return {key: digest.hex() if any(digest) else "" for key, digest in zip(english, digests, strict=True)}


def source_digests(site: SiteInput, slug: str) -> list[str]:
    """The digest of each unit of the English document, in reading order."""
    return [_unit_digest(unit) for unit in site.sources.document(slug).units()]


def compare(current: dict[str, str], released: dict[str, str], texts: dict[str, str]) -> Changes:
    """What changed since the release, each changed unit shown by an excerpt of its source *texts* (made
    only for those: an archive's status page compares every edition at every assembly)."""
    changes = Changes()
    for key, value in current.items():
        if key not in released:
            changes.new.append(_excerpt(texts[key]) if key in texts else key)
        elif released[key] != value:
            changes.retranslated.append(_excerpt(texts[key]) if key in texts else key)
    changes.removed = sum(1 for key in released if key not in current)
    return changes


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
    english: dict[str, list[str]] = {}  # each document's unit digests, made once for all its languages
    for edition in site.editions:
        if edition.language == settings.source_language:
            continue
        if edition.slug not in english:
            english[edition.slug] = source_digests(site, edition.slug)
        units = edition_units(edition, english[edition.slug])
        texts = dict(zip(english[edition.slug], (u.text for u in sources.document(edition.slug).units()), strict=True))
        state = _state(site, edition)
        previous = releases.get(edition.key)
        if state == "published" and (previous is None or previous["units"] != units):
            brought = compare(units, previous["units"], texts) if previous else None
            releases[edition.key] = previous = {
                "release": int(previous.get("release", 0)) + 1 if previous else 1,
                "revision": site.revision[:12],
                "units": units,
                "changes": {
                    "new": len(brought.new),
                    "retranslated": len(brought.retranslated),
                    "removed": brought.removed,
                }
                if brought
                else {},
            }
        changes = (
            compare(units, previous["units"], texts)
            if previous
            else Changes(new=[_excerpt(text) for text in texts.values()])
        )
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
