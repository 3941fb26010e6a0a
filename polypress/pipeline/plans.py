"""What planning an edition gave, kept between builds (build/.plans/<document>.<language>.json), so a build
translates again only the editions whose document, catalogues or settings changed.

Planning translates an edition to decide its policy (its coverage), to say what falls back to English, and to
check its glyphs before it is rendered. With an archive, a template or catalogue change planned every edition
again (200 documents: most of a one-catalogue rebuild's 23.6 s). The edition's summary, its warnings and
whether its glyph check passed are kept under a key of everything they depend on, and read back while the key
is unchanged. A plan file that cannot be read back exactly is planned again: it is a cache, never a reason
to fail.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path

from polypress.document import Document
from polypress.editions import POLICIES, Edition, EditionSummary
from polypress.errors import BuildWarning
from polypress.i18n.po import TEMPLATES_DOMAIN
from polypress.i18n.translate import Coverage
from polypress.pipeline.plan import plan_edition, summarize, translated
from polypress.pipeline.state import Fingerprints
from polypress.sources import Sources

PLANS_DIR = ".plans"
#: The largest plan file read back (a 500-page report's is under 1 MB).
MAX_PLAN_BYTES = 64 * 1024 * 1024
STATUSES = ("source", "translated", "fuzzy", "untranslated")


@dataclass(frozen=True)
class Plan:
    """An edition as planned: its summary, what planning it warned, whether its glyphs were checked."""

    summary: EditionSummary
    warnings: tuple[BuildWarning, ...]
    #: The glyph check passed for this key (the fonts, the texts and the template strings are in it).
    checked: bool
    key: str
    #: The translated edition when this build planned it (None when the plan was read back).
    edition: Edition | None = None


class EditionPlans:
    """Each edition's plan: read back when its key is unchanged, else made by translating the edition."""

    def __init__(self, sources: Sources, prints: Fingerprints, build_dir: Path) -> None:
        self.sources = sources
        self.prints = prints
        self.build_dir = build_dir

    def path(self, slug: str, language: str) -> Path:
        return self.build_dir / PLANS_DIR / f"{slug}.{language}.json"

    def key(self, slug: str, language: str) -> str:
        """Everything a plan depends on: polypress and the settings (thresholds, fonts), the document, and
        in a translation its catalogue and the templates' (the glyph check covers their strings)."""
        settings = self.sources.settings
        digest = hashlib.sha256(f"{self.prints.common}|{slug}|{language}".encode())
        digest.update(self.prints.file(settings.content_dir / f"{slug}.md").encode())
        if language != settings.source_language:
            for domain in (slug, TEMPLATES_DOMAIN):
                digest.update(f"|{self.prints.catalogue(language, domain)}".encode())
        return digest.hexdigest()

    def plan(self, document: Document, language: str) -> Plan:
        key = self.key(document.slug, language)
        found = self._read(document, language, key)
        if found is not None:
            return found
        planned = plan_edition(self.sources, document, language)
        summary = summarize(self.sources, planned.edition)
        return Plan(summary, planned.warnings, False, key, planned.edition)

    def text(self, plan: Plan) -> Edition:
        """The edition translated: as planned by this build, or translated again."""
        return plan.edition or translated(self.sources, plan.summary)

    def _read(self, document: Document, language: str, key: str) -> Plan | None:
        path = self.path(document.slug, language)
        try:
            if path.stat().st_size > MAX_PLAN_BYTES:
                return None
            data = json.loads(path.read_bytes())
            if data["key"] != key:
                return None
            return _plan_from(data, document, language, key)
        except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError):
            return None


def plan_bytes(plan: Plan) -> bytes:
    summary = plan.summary
    coverage = summary.coverage
    record = {
        "key": plan.key,
        "fields": summary.front.fields,
        "field_status": summary.front.field_status,
        "coverage": [coverage.translated, coverage.fuzzy, coverage.untranslated, coverage.reviewed],
        "policy": summary.policy,
        "statuses": [STATUSES.index(status) for status in summary.statuses],
        "digests": summary.digests.hex(),
        "size": summary.size,
        "catalogue": summary.catalogue,
        "warnings": [[w.category, w.message, w.path, w.line] for w in plan.warnings],
        "checked": plan.checked,
    }
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _plan_from(data: dict, document: Document, language: str, key: str) -> Plan | None:
    """A plan as plan_bytes wrote it, checked against the document it is of; None if anything is off."""
    units = sum(1 for _ in document.units())
    fields, field_status = data["fields"], data["field_status"]
    statuses = tuple(STATUSES[n] for n in data["statuses"])
    digests = bytes.fromhex(data["digests"])
    coverage = data["coverage"]
    warnings = tuple(BuildWarning(*w) for w in data["warnings"])
    well_formed = (
        _strings(fields)
        and _strings(field_status)
        and len(statuses) == units
        and len(digests) == 8 * units
        and len(coverage) == 4
        and all(type(n) is int and n >= 0 for n in [*coverage, data["size"], *data["statuses"]])
        and data["policy"] in POLICIES
        and isinstance(data["catalogue"], str)
        and isinstance(data["checked"], bool)
        and all(_warning(w) for w in warnings)
    )
    if not well_formed:
        return None
    front = replace(document, blocks=(), language=language, fields=fields, field_status=field_status)
    summary = EditionSummary(
        front, language, Coverage(*coverage), data["policy"], statuses, digests, data["size"], data["catalogue"]
    )
    return Plan(summary, warnings, data["checked"], key)


def _warning(warning: BuildWarning) -> bool:
    located = (warning.path is None or isinstance(warning.path, str)) and (
        warning.line is None or type(warning.line) is int
    )
    return isinstance(warning.category, str) and isinstance(warning.message, str) and located


def _strings(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
