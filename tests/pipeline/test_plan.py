"""Publishing policy: fuzzy is never published; below the threshold a draft or the last release, said out loud;
malformed catalogues stop the build and leave the site alone; the status page tells the team where things stand.

The policy is decided once per edition when the build is planned (pipeline/plan.py), and the plan makes one
job per edition and format: the last part of this file checks the plan itself, without rendering."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from pathlib import Path

import pytest

from polypress.editions import DRAFT, KEEP, PUBLISH
from polypress.formats import FORMATS
from polypress.i18n.po import load_po, po_path, render_po
from polypress.pipeline.plan import PlannedEdition, plan_editions, plan_jobs, summarize
from polypress.sources import Sources, load_sources
from tests.conftest import copy_project, pdf_text, run_cli

SOURCE_CHANGE = ("important contribution", "significant contribution")


def build_fr(project: Path) -> int:
    return run_cli("-C", str(project), "build", "--quiet", "--lang", "fr", "--jobs", "1")


def set_policy(project: Path, policy: str) -> None:
    config = project / "polypress.toml"
    text = re.sub(r'below_threshold = "\w+"', f'below_threshold = "{policy}"', config.read_text(encoding="utf-8"))
    config.write_text(text, encoding="utf-8")


def change_source_and_update(project: Path) -> None:
    source = project / "content" / "a-res-68-4.md"
    source.write_text(source.read_text(encoding="utf-8").replace(*SOURCE_CHANGE, 1), encoding="utf-8")
    assert run_cli("-C", str(project), "update", "--lang", "fr") == 0


def site_digest(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def status_row(site: Path, row_id: str) -> str:
    html = (site / "status.html").read_text(encoding="utf-8")
    match = re.search(rf'<tr class="status-([\w-]+)" id="{row_id}">(.*?)</tr>', html, re.S)
    assert match, row_id
    return match.group(1) + " " + re.sub(r"<[^>]+>", " ", match.group(2))


def test_release_then_keep_then_draft(project: Path, capsys):
    site = project / "build" / "site"
    set_policy(project, "keep")
    assert build_fr(project) == 0
    capsys.readouterr()
    released_html = (site / "fr/a-res-68-4.html").read_bytes()
    assert "published" in status_row(site, "a-res-68-4-fr")
    assert "nothing" in status_row(site, "a-res-68-4-fr")
    assert (site / "status.html").read_bytes() and '"status.html"' in (site / "manifest.json").read_text()

    # A source change makes one French unit fuzzy: below the 100 % threshold.
    change_source_and_update(project)
    assert build_fr(project) == 0
    err = capsys.readouterr().err
    assert "a-res-68-4 in fr is 98% translated" in err and "the last good release is kept" in err
    assert (site / "fr/a-res-68-4.html").read_bytes() == released_html  # the release, untouched
    row = status_row(site, "a-res-68-4-fr")
    assert row.startswith("kept") and "1 new" in row and "significant contribution" in row

    # Draft policy: published, watermarked, the fuzzy unit in English and marked; said on the console.
    set_policy(project, "draft")
    assert build_fr(project) == 0
    err = capsys.readouterr().err
    assert "published as a DRAFT" in err
    html = (site / "fr/a-res-68-4.html").read_text(encoding="utf-8")
    assert 'class="draft-banner"' in html
    marked = re.search(r'<p[^>]*data-status="fuzzy"[^>]*>(.*?)</p>', html, re.S)
    assert marked and "significant contribution" in marked.group(0) and "untranslated" in marked.group(0)
    assert "significant contribution" in html  # English shown, fuzzy French never published
    watermark = load_sources(project).translations("fr", "templates").gettext("DRAFT", "watermark")
    assert watermark == "PROJET" and watermark in pdf_text(site / "fr/a-res-68-4.pdf")
    manifest = json.loads((site / "manifest.json").read_text())
    assert any(a["path"] == "fr/a-res-68-4.pdf" and a.get("draft") for a in manifest["artifacts"])
    assert status_row(site, "a-res-68-4-fr").startswith("draft")


def test_keep_with_no_earlier_release_says_it_publishes_nothing(project: Path, capsys):
    set_policy(project, "keep")
    change_source_and_update(project)
    assert build_fr(project) == 0
    err = capsys.readouterr().err
    assert "a-res-68-4/fr: no earlier complete release to keep, so it is not published" in err
    site = project / "build" / "site"
    assert not (site / "fr/a-res-68-4.html").exists()
    assert status_row(site, "a-res-68-4-fr").startswith("not-published")


def test_a_malformed_catalogue_stops_the_build_and_leaves_the_site_untouched(project: Path, capsys):
    assert build_fr(project) == 0
    site = project / "build" / "site"
    before = site_digest(site)
    path = project / "translations/fr/LC_MESSAGES/hld-series.po"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines, start=1) if line.startswith('msgstr "') and len(line) > 12)
    lines[number - 1] = lines[number - 1].rstrip().rstrip('"') + "\n"  # unterminated string
    path.write_text("".join(lines), encoding="utf-8")
    capsys.readouterr()
    assert build_fr(project) == 1
    err = capsys.readouterr().err
    assert f"translations/fr/LC_MESSAGES/hld-series.po:{number}: unterminated or malformed string" in err
    assert "Traceback" not in err
    assert site_digest(site) == before


def test_wrong_plural_forms_and_charset_are_reported_at_the_header(project: Path, capsys):
    path = project / "translations/fr/LC_MESSAGES/templates.po"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("nplurals=2; plural=(n > 1);", "nplurals=3; plural=(n > 1);"), encoding="utf-8")
    assert build_fr(project) == 1
    err = capsys.readouterr().err
    assert re.search(r"templates\.po:\d+: Plural-Forms says nplurals=3, but fr has 2", err)
    path.write_text(text.replace("charset=UTF-8", "charset=ISO-8859-1"), encoding="utf-8")
    assert build_fr(project) == 1
    assert "charset is iso-8859-1, not UTF-8" in capsys.readouterr().err


# -- the plan: the policy decided once per edition, one job per file ---------------------------------


def empty_one_unit(root: Path, language: str, domain: str) -> str:
    """Take the translation of one paragraph away (msgstr ""), as a translator who has not got to it yet."""
    path = po_path(root / "translations", language, domain)
    catalog = load_po(path, str(path), language)
    message = next(m for m in catalog if m.id and m.string and not m.fuzzy and "Paragraph." in m.auto_comments)
    message.string = ""
    path.write_bytes(render_po(catalog))
    return message.id


@pytest.fixture(scope="module")
def incomplete(tmp_path_factory: pytest.TempPathFactory) -> Sources:
    """The project with one unit of the French Declaration left untranslated; everything else complete."""
    root = copy_project(tmp_path_factory.mktemp("plan") / "project")
    empty_one_unit(root, "fr", "a-res-68-4")
    return load_sources(root)


def with_settings(sources: Sources, **changes) -> Sources:
    return dataclasses.replace(sources, settings=dataclasses.replace(sources.settings, **changes))


def planned_by_key(sources: Sources, languages: list[str]) -> dict[str, PlannedEdition]:
    return {p.edition.key: p for p in plan_editions(sources, languages)}


def test_a_complete_translation_is_published(incomplete: Sources):
    planned = planned_by_key(incomplete, ["en", "fr", "es"])
    assert list(planned) == [
        f"{slug}/{code}" for code in ("en", "fr", "es") for slug in ("a-res-68-4", "hld-report", "hld-series")
    ]
    for key in ("a-res-68-4/en", "hld-series/fr", "a-res-68-4/es"):
        edition = planned[key].edition
        assert edition.policy == PUBLISH and edition.coverage.percent == 100.0, key
        assert not [w for w in planned[key].warnings if w.category == "below-threshold"], key


def test_below_the_threshold_a_draft_says_so_and_names_the_catalogue(incomplete: Sources):
    assert incomplete.settings.below_threshold == "draft"
    planned = planned_by_key(incomplete, ["fr"])["a-res-68-4/fr"]
    edition = planned.edition
    assert edition.policy == DRAFT and edition.draft
    assert (edition.coverage.untranslated, edition.coverage.fuzzy) == (1, 0)
    assert edition.coverage.percent < 100
    (said,) = [w for w in planned.warnings if w.category == "below-threshold"]
    assert said.path == "translations/fr/LC_MESSAGES/a-res-68-4.po"
    assert "published as a DRAFT" in said.message
    # The unit shown in English is named too, where a writer would look for it.
    assert [w.path for w in planned.warnings if w.category == "fallback"] == ["content/a-res-68-4.md"]


def test_below_the_threshold_keep_holds_the_edition_back_and_says_so(incomplete: Sources):
    planned = planned_by_key(with_settings(incomplete, below_threshold="keep"), ["fr"])
    kept = planned["a-res-68-4/fr"]
    assert kept.edition.policy == KEEP and not kept.edition.draft
    (said,) = kept.warnings
    assert said.category == "below-threshold" and "the last good release is kept" in said.message
    assert planned["hld-series/fr"].edition.policy == PUBLISH


def test_a_lower_threshold_publishes_what_reaches_it(incomplete: Sources):
    french = dataclasses.replace(incomplete.settings.language("fr"), threshold=90.0)
    languages = {**incomplete.settings.languages, "fr": french}
    planned = planned_by_key(with_settings(incomplete, languages=languages, below_threshold="keep"), ["fr"])
    assert planned["a-res-68-4/fr"].edition.policy == PUBLISH


def test_one_job_per_edition_and_format_and_none_for_a_kept_edition(incomplete: Sources):
    sources = with_settings(incomplete, below_threshold="keep")
    editions = [summarize(sources, p.edition) for p in plan_editions(sources, ["en", "fr"])]
    jobs = plan_jobs(editions)
    published = [e for e in editions if e.policy != KEEP]
    assert len(published) == len(editions) - 1
    assert sorted((j.edition.key, j.format.name) for j in jobs) == sorted(
        (e.key, name) for e in published for name in FORMATS
    )
    assert not [j for j in jobs if j.edition.key == "a-res-68-4/fr"]
    for job in jobs:
        slug, code = job.edition.slug, job.edition.language
        assert job.name == f"{slug}.{code}.{job.format.name}"
        assert job.path == job.format.path(slug, code)


def test_the_jobs_follow_the_policy_on_the_edition_not_the_coverage(incomplete: Sources):
    """Decided once, at planning: a complete edition marked kept gets no job, an incomplete one marked
    published gets every job."""
    planned = {p.edition.key: summarize(incomplete, p.edition) for p in plan_editions(incomplete, ["fr"])}
    complete = dataclasses.replace(planned["hld-series/fr"], policy=KEEP)
    incomplete_but_published = dataclasses.replace(planned["a-res-68-4/fr"], policy=PUBLISH)
    jobs = plan_jobs([complete, incomplete_but_published])
    assert {j.edition.key for j in jobs} == {"a-res-68-4/fr"}
    assert len(jobs) == len(FORMATS)


def test_the_biggest_document_is_rendered_first(incomplete: Sources):
    editions = [summarize(incomplete, p.edition) for p in plan_editions(incomplete, ["en", "fr"])]
    # Source order puts the smallest last: reverse it, so only the sizes can put the biggest first.
    jobs = plan_jobs(list(reversed(editions)))
    sizes = [sum(1 for _ in incomplete.document(j.edition.slug).walk()) for j in jobs]
    assert sizes == sorted(sizes, reverse=True)
    assert [j.edition.size for j in jobs] == sizes  # the summary's size is the document's blocks
    assert jobs[0].edition.slug == "hld-report"  # the most blocks: every table cell is one
    # A document's formats stay together, in the registry's order.
    assert [j.format.name for j in jobs[: len(FORMATS)]] == list(FORMATS)


def test_a_reviewed_threshold_holds_back_what_revisers_have_not_signed_off(incomplete: Sources):
    """Default off: complete is enough. With `reviewed_threshold`, an unreviewed edition is below threshold."""
    assert incomplete.settings.language("fr").reviewed_threshold == 0
    assert planned_by_key(incomplete, ["fr"])["hld-series/fr"].edition.policy == PUBLISH
    french = dataclasses.replace(incomplete.settings.language("fr"), reviewed_threshold=50.0)
    languages = {**incomplete.settings.languages, "fr": french}
    planned = planned_by_key(with_settings(incomplete, languages=languages, below_threshold="keep"), ["fr"])
    held = planned["hld-series/fr"]
    assert held.edition.coverage.percent == 100.0 and held.edition.coverage.reviewed == 0
    assert held.edition.policy == KEEP
    (said,) = held.warnings
    assert "0% reviewed (reviewed_threshold 50%)" in said.message
    assert (
        planned_by_key(with_settings(incomplete, languages=languages), ["en"])["hld-series/en"].edition.policy
        == PUBLISH
    )
