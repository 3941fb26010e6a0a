"""Plan a build: every document in every language, the publishing policy decided once per edition, one job per format."""

from __future__ import annotations

from dataclasses import dataclass

from polypress.editions import DRAFT, KEEP, PUBLISH, Edition
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
    """Translate every document into every language and apply the publishing policy, once per edition."""
    settings = sources.settings
    planned: dict[tuple[int, int], PlannedEdition] = {}
    # A document in every language in turn, so its units, parsed for the first, are still known for the
    # others (content/inline.py keeps a few thousand); listed language by language.
    for number, document in enumerate(sources.documents):
        for order, language in enumerate(languages):
            threshold = settings.language(language).threshold
            reviewed_threshold = settings.language(language).reviewed_threshold
            catalogue = sources.catalog_display(language, document.slug)
            translated, coverage, fallbacks = translate_document(
                document, language, sources.translations(language, document.slug), catalogue
            )
            policy = PUBLISH
            # A language may require revisers' sign-off too: short of it, the edition is below threshold.
            unreviewed = reviewed_threshold > 0 and coverage.reviewed_percent < reviewed_threshold
            if coverage.percent < threshold or unreviewed:
                policy = KEEP if settings.below_threshold == "keep" else DRAFT
            edition = Edition(translated, language, coverage, policy)
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
                    BuildWarning(
                        "below-threshold", f"{summary}: not published, the last good release is kept", catalogue
                    )
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
            planned[(order, number)] = PlannedEdition(edition, tuple(warnings))
    return [planned[key] for key in sorted(planned)]


@dataclass(frozen=True)
class Job:
    """One output file: an edition in one format."""

    edition: Edition
    format: Format

    @property
    def name(self) -> str:
        return f"{self.edition.document.slug}.{self.edition.language}.{self.format.name}"

    @property
    def path(self) -> str:
        """Path relative to build/site."""
        return self.format.path(self.edition.document.slug, self.edition.language)


def plan_jobs(editions: list[Edition]) -> list[Job]:
    """A job per edition and format, for every edition the policy publishes; the biggest documents first,
    so a long render does not start last and keep the pool waiting."""
    ordered = sorted(editions, key=lambda e: -sum(1 for _ in e.document.walk()))
    return [Job(edition, fmt) for edition in ordered if edition.policy != KEEP for fmt in FORMATS.values()]
