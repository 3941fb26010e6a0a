"""Plan a build: every document in every language, the publishing policy decided once per edition, one job per format."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, replace

from polypress.document import Document
from polypress.editions import DRAFT, KEEP, PUBLISH, Edition, EditionSummary, text_digest
from polypress.errors import BuildWarning
from polypress.formats import FORMATS
from polypress.formats.base import Format
from polypress.i18n.translate import translate_document
from polypress.settings import Settings
from polypress.sources import Sources


@dataclass(frozen=True)
class PlannedEdition:
    """An edition and what planning it said: the fallbacks to English and the policy applied."""

    edition: Edition
    warnings: tuple[BuildWarning, ...]


def languages_on_site(
    settings: Settings, languages: list[str], jobs: dict[str, dict], site_shown: str
) -> tuple[list[str], list[str], list[BuildWarning]]:
    """The languages to build and those on the site: this build's plus those an earlier build left in
    build/site (*jobs*, the state's record), in configured order: `build --lang fr` must not drop the others
    from the switchers, landing pages and manifest.

    A language whose folder is on the site but that the state does not know (the state was lost or
    corrupt) is built again with this build, as from scratch: it is never dropped from the site.
    """
    site_dir = settings.site_dir
    earlier = {
        entry.get("language") for entry in jobs.values() if entry.get("path") and (site_dir / entry["path"]).is_file()
    }
    forgotten = [
        code
        for code in settings.languages
        if code not in languages and code not in earlier and (site_dir / code / "index.html").is_file()
    ]
    warnings = []
    if forgotten:
        warnings.append(
            BuildWarning(
                "state",
                f"the build state does not know the {', '.join(forgotten)} files on the site: built again",
                site_shown,
            )
        )
        languages = [code for code in settings.languages if code in languages or code in forgotten]
    return languages, [code for code in settings.languages if code in languages or code in earlier], warnings


def plan_editions(sources: Sources, languages: list[str]) -> list[PlannedEdition]:
    """Translate every document into every language and apply the publishing policy, once per edition;
    listed language by language. (A build plans an edition at a time instead: pipeline/plans.py.)"""
    # A document in every language in turn, so its units, parsed for the first, are still known for the
    # others (content/inline.py keeps a few thousand).
    planned = [plan_edition(sources, document, language) for document in sources.documents for language in languages]
    order = {code: number for number, code in enumerate(languages)}
    return sorted(planned, key=lambda p: order[p.edition.language])


def plan_edition(sources: Sources, document: Document, language: str) -> PlannedEdition:
    """One document in one language, translated, with the policy its coverage calls for and what it warns."""
    settings = sources.settings
    threshold = settings.language(language).threshold
    reviewed_threshold = settings.language(language).reviewed_threshold
    catalogue = sources.catalog_display(language, document.slug)
    translated_document, coverage, fallbacks = translate_document(
        document, language, sources.translations(language, document.slug), catalogue
    )
    policy = PUBLISH
    # A language may require revisers' sign-off too: short of it, the edition is below threshold.
    unreviewed = reviewed_threshold > 0 and coverage.reviewed_percent < reviewed_threshold
    if coverage.percent < threshold or unreviewed:
        policy = KEEP if settings.below_threshold == "keep" else DRAFT
    edition = Edition(translated_document, language, coverage, policy)
    _remember(sources, edition)
    # Fuzzy units are never published (translate_document falls back to English); below the
    # threshold the build says which policy it applied, so a language is never silently mixed.
    summary = (
        f"{document.slug} in {language} is {coverage.percent:.0f}% translated (threshold {threshold:.0f}%, "
        f"{coverage.fuzzy} fuzzy, {coverage.untranslated} untranslated)"
    )
    if reviewed_threshold > 0:
        summary += f", {coverage.reviewed_percent:.0f}% reviewed (reviewed_threshold {reviewed_threshold:.0f}%)"
    warnings: list[BuildWarning] = []
    if policy == KEEP:
        warnings.append(
            BuildWarning("below-threshold", f"{summary}: not published, the last good release is kept", catalogue)
        )
    else:
        warnings.extend(fallbacks)
    if policy == DRAFT:
        warnings.append(
            BuildWarning(
                "below-threshold",
                f"{summary}: published as a DRAFT, watermarked, missing units marked and shown in English",
                catalogue,
            )
        )
    return PlannedEdition(edition, tuple(warnings))


#: Units whose text is published as it stands (a fuzzy or untranslated unit shows the English instead).
PUBLISHED = ("translated", "source")


def summarize(sources: Sources, edition: Edition) -> EditionSummary:
    """What a build keeps of a planned edition: its front matter, its units' statuses and digests, its size."""
    units = list(edition.document.units())
    return EditionSummary(
        front=replace(edition.document, blocks=()),
        language=edition.language,
        coverage=edition.coverage,
        policy=edition.policy,
        statuses=tuple(unit.status for unit in units),
        digests=b"".join(text_digest(unit.text) if unit.status in PUBLISHED else bytes(8) for unit in units),
        size=sum(1 for _ in edition.document.walk()),
        catalogue=sources.catalogues.digests.get((edition.language, edition.slug), ""),
    )


#: The editions translated last in this process, by document and language: a render that follows its
#: planning in the same process (-j 1), or another format of the edition in the same worker, finds it here.
_TRANSLATED: OrderedDict[tuple[str, str], tuple[Sources, Edition]] = OrderedDict()
_TRANSLATED_LOCK = threading.Lock()  # a Dask worker may render in several threads
KEPT_EDITIONS = 16


def _remember(sources: Sources, edition: Edition) -> None:
    with _TRANSLATED_LOCK:
        _TRANSLATED[(edition.slug, edition.language)] = (sources, edition)
        _TRANSLATED.move_to_end((edition.slug, edition.language))
        while len(_TRANSLATED) > KEPT_EDITIONS:
            _TRANSLATED.popitem(last=False)


def translated(sources: Sources, edition: EditionSummary) -> Edition:
    """The planned edition with its text, for its render: translated again (16 ms for a 10-page document)
    from the catalogue it was planned from, unless this process translated it last."""
    with _TRANSLATED_LOCK:
        found = _TRANSLATED.get((edition.slug, edition.language))
    if found is not None and found[0] is sources and found[1].policy == edition.policy:
        return found[1]
    key = (edition.language, edition.slug)
    if edition.catalogue:
        # Its bytes must be those planned: a catalogue saved since is a changed catalogue, and stops the build.
        sources.catalogues.digests.setdefault(key, edition.catalogue)
    document, _coverage, _warnings = translate_document(
        sources.document(edition.slug),
        edition.language,
        sources.translations(edition.language, edition.slug),
        sources.catalog_display(edition.language, edition.slug),
    )
    text = Edition(document, edition.language, edition.coverage, edition.policy)
    _remember(sources, text)
    return text


@dataclass(frozen=True)
class Job:
    """One output file: an edition in one format. The edition travels without its text (a worker
    translates it: ``translated``), so a job costs little to hold and to send."""

    edition: EditionSummary
    format: Format

    @property
    def name(self) -> str:
        return f"{self.edition.slug}.{self.edition.language}.{self.format.name}"

    @property
    def path(self) -> str:
        """Path relative to build/site."""
        return self.format.path(self.edition.slug, self.edition.language)


def plan_jobs(editions: list[EditionSummary]) -> list[Job]:
    """A job per edition and format, for every edition the policy publishes; the biggest documents first,
    so a long render does not start last and keep the pool waiting."""
    ordered = sorted(editions, key=lambda e: -e.size)
    return [Job(edition, fmt) for edition in ordered if edition.policy != KEEP for fmt in FORMATS.values()]
