"""Publishing policy: fuzzy is never published; below the threshold a draft or the last release, said out loud;
malformed catalogues stop the build and leave the site alone; the status page tells the team where things stand."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from polypress.sources import load_sources
from tests.conftest import pdf_text, run_cli

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
    watermark = load_sources(project).translations("fr", "templates").gettext("DRAFT")
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
    path.write_text(text.replace("charset=utf-8", "charset=ISO-8859-1"), encoding="utf-8")
    assert build_fr(project) == 1
    assert "charset is iso-8859-1, not UTF-8" in capsys.readouterr().err
