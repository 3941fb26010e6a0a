"""Plans kept between builds: an edition is translated again only when what its plan depends on changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import polypress.pipeline.plans as plans_module
import polypress.pipeline.run as run_module
from polypress.pipeline.plans import EditionPlans, plan_bytes
from polypress.pipeline.state import Fingerprints
from polypress.sources import load_sources
from tests.conftest import ROOT
from tests.pipeline.conftest import FRENCH_HTML, build, change_msgstr


@pytest.fixture
def planned(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every edition a build plans by translating it, as (document, language)."""
    seen: list[tuple[str, str]] = []
    plan_edition = plans_module.plan_edition

    def spy(sources, document, language):
        seen.append((document.slug, language))
        return plan_edition(sources, document, language)

    monkeypatch.setattr(plans_module, "plan_edition", spy)
    return seen


def test_a_build_with_nothing_changed_translates_no_edition(fr_project: Path, planned) -> None:
    build(fr_project)
    assert planned == []


def test_a_catalogue_change_plans_only_its_edition_again(fr_project: Path, planned) -> None:
    change_msgstr(fr_project, "hld-series", None, "Une traduction révisée.")
    report = build(fr_project)
    assert planned == [("hld-series", "fr")]
    assert set(report.rendered) == {"hld-series.fr.pdf", "hld-series.fr.html", "hld-series.fr.epub"}
    assert "Une traduction révisée." in (fr_project / "build/site/fr/hld-series.html").read_text(encoding="utf-8")


def test_a_settings_change_plans_every_edition_again(fr_project: Path, planned) -> None:
    config = fr_project / "polypress.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n# a comment is a change\n", encoding="utf-8")
    build(fr_project)
    assert sorted(planned) == [("a-res-68-4", "fr"), ("hld-report", "fr"), ("hld-series", "fr")]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"not JSON",
        lambda data: json.dumps({**json.loads(data), "statuses": json.loads(data)["statuses"][:-1]}).encode(),
        lambda data: json.dumps({**json.loads(data), "statuses": [9] * len(json.loads(data)["statuses"])}).encode(),
        lambda data: json.dumps({**json.loads(data), "coverage": [-1, 0, 0, 0]}).encode(),
        lambda data: json.dumps({**json.loads(data), "warnings": [["fallback", 3]]}).encode(),
        lambda data: json.dumps({**json.loads(data), "digests": "zz"}).encode(),
    ],
    ids=["not-json", "a-unit-short", "unknown-status", "negative-count", "malformed-warning", "not-hex"],
)
def test_a_plan_changed_by_hand_is_planned_again_and_the_build_goes_on(fr_project: Path, planned, damage) -> None:
    path = fr_project / "build/.plans/a-res-68-4.fr.json"
    kept = path.read_bytes()
    path.write_bytes(damage(kept))
    report = build(fr_project)
    assert planned == [("a-res-68-4", "fr")]
    assert report.rendered == []  # a cache, never a reason to render or to fail
    assert json.loads(path.read_bytes())["key"] == json.loads(kept)["key"]


def test_an_edition_whose_glyphs_passed_is_not_checked_again(fr_project: Path, monkeypatch) -> None:
    """Every web page renders again after a template change; their glyphs passed the check with the same
    texts and fonts, so only their files (fonts, figures) are checked."""
    checked, files = [], []
    check_editions, check_files = run_module.check_editions, run_module.check_files
    monkeypatch.setattr(run_module, "check_editions", lambda s, e: checked.extend(e) or check_editions(s, e))
    monkeypatch.setattr(run_module, "check_files", lambda s, e: files.append(e.key) or check_files(s, e))
    page = fr_project / "templates/document.html"
    page.write_text(page.read_text(encoding="utf-8") + "\n{# a change #}\n", encoding="utf-8")
    report = build(fr_project)
    assert set(report.rendered) == FRENCH_HTML
    assert checked == []
    assert sorted(files) == ["a-res-68-4/fr", "hld-report/fr", "hld-series/fr"]


def test_a_plan_read_back_is_the_plan_made(tmp_path: Path) -> None:
    sources = load_sources(ROOT)
    plans = EditionPlans(sources, Fingerprints(sources), tmp_path)
    for document in sources.documents:
        for language in sources.settings.languages:
            made = plans.plan(document, language)
            assert made.edition is not None
            path = plans.path(document.slug, language)
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(plan_bytes(made))
            read = plans.plan(document, language)
            assert read.edition is None  # not translated
            assert (read.summary, read.warnings, read.key) == (made.summary, made.warnings, made.key)
