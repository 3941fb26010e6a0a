"""The site assembled in memory from plain data: what a build hands polypress.site, and nothing else.

No render and no build: the project is loaded read-only, each edition's files are a
few fake bytes, and the zips the site describes are laid out in memory from a dict,
by the code the writer streams them with. The site stage must give every other file
back as bytes and write nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
import re
import zipfile
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from babel.messages.pofile import normalize, read_po

import polypress
from polypress.content.inline import plain_text
from polypress.editions import DRAFT, KEEP, PUBLISH, Edition, EditionSummary, text_digest
from polypress.formats import FORMATS, PAGE
from polypress.formats.base import Output
from polypress.i18n.placement import EditionUnits, Placement, UnitPages
from polypress.pipeline.plan import summarize
from polypress.releases import units_by_source
from polypress.site import Site, SiteInput, archives, assemble_site
from polypress.site.archives import write_zip
from tests.conftest import copy_project

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
REVISION = "0123456789abcdef0123"
#: The edition kept below its threshold with no earlier release, and the one published as a draft.
KEPT = ("a-res-68-4", "fr")
DRAFTED = ("hld-series", "es")
#: The newest date the documents carry (the resolution's adoption): the zips' entries are dated by it.
NEWEST = (2013, 10, 3, 0, 0, 0)


def fake_bytes(edition: EditionSummary, fmt_name: str) -> bytes:
    return f"{fmt_name} of {edition.key}, policy {edition.policy}".encode()


class Files(dict):
    """The document files on the site, by path, as fake bytes; records what the zips asked to read."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def open(self, path: str) -> io.BytesIO:
        self.asked.append(path)
        return io.BytesIO(self[path])


def site_input(project, editions: list[Edition | EditionSummary], files: Files, **extra) -> SiteInput:
    """What the pipeline would hand the site: every edition's summary, the home document's text, and every
    file of every edition it publishes (a kept edition with no earlier release has none)."""
    home = project.sources.settings.home_document
    homes = {e.language: e.document for e in editions if isinstance(e, Edition) and e.slug == home}
    editions = [summarize(project.sources, e) if isinstance(e, Edition) else e for e in editions]
    artifacts = []
    for edition in editions:
        if edition.policy == KEEP and edition.key not in extra.get("kept", ()):
            continue
        for fmt in FORMATS.values():
            data = fake_bytes(edition, fmt.name)
            artifact = fmt.artifact(edition, Output(data, pages=3 if fmt.name == "pdf" else None), REVISION)
            files[artifact.path] = data
            artifacts.append(artifact)
    extra.setdefault("homes", homes)
    return SiteInput(sources=project.sources, editions=editions, artifacts=artifacts, revision=REVISION, **extra)


def assemble(given: SiteInput, files: Files) -> tuple[Site, dict[str, bytes]]:
    """What the pipeline does with the site stage, in memory: each zip it describes laid out by
    ``write_zip`` (as the writer streams it), then every other file assembled around them."""
    zips, packed = {}, []
    for archive in archives(given):
        sink = io.BytesIO()
        write_zip(archive, sink, files.open)
        zips[archive.path] = data = sink.getvalue()
        packed.append(archive.artifact(hashlib.sha256(data).hexdigest(), len(data), REVISION))
    return assemble_site(given, packed), zips


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every path under *folder* with its size and modification time."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.rglob("*"))}


def with_policy(edition: Edition | EditionSummary) -> Edition | EditionSummary:
    where = (edition.slug, edition.language)
    return replace(edition, policy=KEEP if where == KEPT else DRAFT if where == DRAFTED else edition.policy)


@pytest.fixture(scope="module")
def assembled(tmp_path_factory: pytest.TempPathFactory):
    """The shipped project's site, every edition published but one kept without a release and one drafted.

    The project is a private copy listed before and after; the assembly runs in an empty
    working folder, with the one writer made to fail.
    """
    root = copy_project(tmp_path_factory.mktemp("assembly") / "project")
    elsewhere = tmp_path_factory.mktemp("cwd")
    project = polypress.load_project(root)
    editions = [with_policy(project.edition(slug, code)[0]) for code in project.languages for slug in project.documents]
    assert all(e.policy == PUBLISH for e in editions if (e.document.slug, e.language) not in (KEPT, DRAFTED))
    files = Files()
    given = site_input(project, editions, files)
    before = listing(root)

    def refuse(*args, **kwargs):
        raise AssertionError(f"the site stage wrote a file: {args[:1]}")

    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(elsewhere)
        for name in ("write_atomic", "write_if_changed", "write_stream"):
            patch.setattr(f"polypress.writer.{name}", refuse)
        site, zips = assemble(given, files)
    return {
        "project": project,
        "input": given,
        "files": files,
        "site": site,
        "out": {**zips, **{f.path: f.data for f in site.files}},
        "writes": (before, listing(root), list(elsewhere.iterdir()), (root / "build").exists()),
    }


def status_row(html: str, row_id: str) -> tuple[str, str]:
    match = re.search(rf'<tr class="status-([\w-]+)" id="{row_id}">(.*?)</tr>', html, re.S)
    assert match, row_id
    return match.group(1), re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(2)))


# -- every language --------------------------------------------------------------------------------


def test_assembling_the_site_writes_nothing(assembled):
    before, after, in_working_folder, build_made = assembled["writes"]
    assert after == before
    assert in_working_folder == []
    assert not build_made


def test_every_language_gets_its_landing_page_feed_and_zip(assembled):
    out = assembled["out"]
    slug = assembled["project"].settings.slug
    for code in assembled["project"].languages:
        for path in (f"{code}/index.html", f"{code}/feed.xml", f"{code}/{slug}-{code}.zip"):
            assert path in out, path
    assert {"index.html", "status.html", "manifest.json", "SHA256SUMS", "assets/site.css"} <= set(out)


def test_the_site_adds_files_and_leaves_the_documents_to_the_build(assembled):
    documents = {a.path for a in assembled["input"].artifacts}
    assert not documents & set(assembled["out"])


@pytest.mark.parametrize("code", ["en", "fr", "es", "ar", "zh", "ru"])
def test_a_zip_holds_exactly_the_languages_downloadable_files_with_fixed_dates(assembled, code):
    project, files = assembled["project"], assembled["files"]
    folder = f"{project.settings.slug}-{code}"
    expected = {}
    for slug in project.documents:
        if (slug, code) == KEPT:
            continue
        for fmt in FORMATS.values():
            if fmt.downloadable:
                expected[f"{folder}/{slug}{fmt.suffix}"] = files[fmt.path(slug, code)]
    with zipfile.ZipFile(io.BytesIO(assembled["out"][f"{code}/{folder}.zip"])) as archive:
        assert archive.namelist() == list(expected)
        for info in archive.infolist():
            assert archive.read(info) == expected[info.filename]
            assert info.date_time == NEWEST


def test_the_zips_read_only_the_files_they_pack_each_once(assembled):
    asked = assembled["files"].asked
    packed = {a.path for a in assembled["input"].artifacts if FORMATS[a.format].downloadable}
    assert sorted(asked) == sorted(packed)


# -- manifest and checksums ------------------------------------------------------------------------


def test_the_manifest_lists_every_file_with_the_digest_of_its_bytes(assembled):
    out, files = assembled["out"], assembled["files"]
    every = {**files, **out}
    manifest = json.loads(out["manifest.json"])
    listed = {a["path"]: a for a in manifest["artifacts"]}
    assert set(listed) == set(every) - {"manifest.json", "SHA256SUMS"}
    for path, artifact in listed.items():
        assert artifact["sha256"] == hashlib.sha256(every[path]).hexdigest(), path
        assert artifact["bytes"] == len(every[path]), path
        assert artifact["source_revision"] == REVISION
    assert manifest["source_revision"] == REVISION
    assert manifest["languages"] == assembled["project"].languages


def test_sha256sums_checks_every_file_and_the_manifest(assembled):
    out, files = assembled["out"], assembled["files"]
    every = {**files, **out}
    lines = out["SHA256SUMS"].decode().splitlines()
    sums = dict(reversed(line.split("  ", 1)) for line in lines)
    assert set(sums) == set(every) - {"SHA256SUMS"}
    for path, digest in sums.items():
        assert digest == hashlib.sha256(every[path]).hexdigest(), path
    assert [line.split("  ", 1)[1] for line in lines] == sorted(sums)


def test_the_sites_artifacts_are_what_the_manifest_lists(assembled):
    site: Site = assembled["site"]
    manifest = json.loads(assembled["out"]["manifest.json"])
    assert [a.path for a in site.artifacts] == [a["path"] for a in manifest["artifacts"]]


# -- what the publishing policy decided -------------------------------------------------------------


def test_a_kept_edition_with_no_earlier_release_is_nowhere_on_the_site(assembled):
    out = assembled["out"]
    slug, code = KEPT
    gone = [fmt.path(slug, code) for fmt in FORMATS.values()]
    manifest = json.loads(out["manifest.json"])
    assert not {a["path"] for a in manifest["artifacts"]} & set(gone)
    for other in assembled["project"].languages:
        landing = out[f"{other}/index.html"].decode()
        for path in gone:
            assert f'href="{posixpath.relpath(path, other)}"' not in landing, (other, path)
    feed = ET.fromstring(out[f"{code}/feed.xml"])
    assert not [e for e in feed.iter(f"{ATOM}id") if e.text.endswith(PAGE.path(slug, code))]
    sitemap = ET.fromstring(out["sitemap.xml"])
    assert not [e for e in sitemap.iter(f"{SM}loc") if e.text.endswith(PAGE.path(slug, code))]
    state, _text = status_row(out["status.html"].decode(), f"{slug}-{code}")
    assert state == "not-published"
    assert f"{slug}/{code}" not in assembled["site"].releases


def test_the_other_documents_of_that_language_are_still_published(assembled):
    landing = assembled["out"]["fr/index.html"].decode()
    assert 'href="hld-series.html"' in landing


def test_the_status_page_shows_a_draft_as_draft(assembled):
    slug, code = DRAFTED
    state, text = status_row(assembled["out"]["status.html"].decode(), f"{slug}-{code}")
    assert state == "draft"
    assert " draft " in f" {text} "
    manifest = json.loads(assembled["out"]["manifest.json"])
    drafts = {a["path"] for a in manifest["artifacts"] if a.get("draft")}
    assert drafts == {fmt.path(slug, code) for fmt in FORMATS.values()}


def test_a_published_translation_becomes_release_1_and_a_draft_does_not(assembled):
    releases = assembled["site"].releases
    assert releases["a-res-68-4/es"]["release"] == 1
    assert releases["a-res-68-4/es"]["revision"] == REVISION[:12]
    assert "hld-series/es" not in releases
    # The source language is the original, not a translation: it has no release to track.
    assert not [key for key in releases if key.endswith("/en")]
    state, text = status_row(assembled["out"]["status.html"].decode(), "a-res-68-4-es")
    assert state == "published" and "release 1" in text


def test_a_release_records_the_short_title_apart_from_the_title_of_the_same_english(assembled):
    # Changes since a release are told unit by unit: a retranslated title must not hide behind its short title.
    declaration = assembled["project"].sources.document("a-res-68-4")
    units = list(declaration.units())
    assert len({u.text for u in units}) < len(units)  # the short title's English is the title's
    released = units_by_source(assembled["site"].releases["a-res-68-4/es"]["units"])
    assert len(released) == len({(u.context, u.text) for u in units})


def retranslated(assembled, policy: str) -> tuple[Site, str, str]:
    """The site again against its release 1, with one unit of the Spanish declaration published with
    another translation (and the edition under *policy*): the site, the status row, that unit's English."""
    given = assembled["input"]
    spanish = next(e for e in given.editions if e.key == "a-res-68-4/es")
    units = list(given.sources.document("a-res-68-4").units())
    at = 8 * 2  # "The General Assembly": a unit whose English is there once (the title is twice)
    assert [u.text for u in units].count(units[2].text) == 1 and any(spanish.digests[at : at + 8])
    digests = spanish.digests[:at] + text_digest("otra traducción") + spanish.digests[at + 8 :]
    editions = [replace(e, digests=digests, policy=policy) if e is spanish else e for e in given.editions]
    files = Files()
    given = site_input(assembled["project"], editions, files, releases=assembled["site"].releases, homes=given.homes)
    site, _zips = assemble(given, files)
    _state, row = status_row({f.path: f.data for f in site.files}["status.html"].decode(), "a-res-68-4-es")
    return site, row, plain_text(units[2].text)


def test_a_retranslated_unit_published_makes_a_new_release_that_counts_it(assembled):
    site, row, _english = retranslated(assembled, PUBLISH)
    released = assembled["site"].releases
    assert site.releases["a-res-68-4/es"]["release"] == 2
    assert site.releases["a-res-68-4/es"]["changes"] == {"new": 0, "retranslated": 1, "removed": 0}
    assert "release 2 (0123456789ab) (0 new, 1 retranslated, 0 removed) nothing" in row
    assert {k: v for k, v in site.releases.items() if k != "a-res-68-4/es"} == {
        k: v for k, v in released.items() if k != "a-res-68-4/es"
    }


def test_a_retranslated_unit_in_a_draft_is_named_as_changed_since_the_release(assembled):
    site, row, english = retranslated(assembled, DRAFT)
    assert site.releases["a-res-68-4/es"] == assembled["site"].releases["a-res-68-4/es"]
    assert "release 1 (0123456789ab)" in row
    assert f"0 new, 1 retranslated, 0 removed retranslated: {english}" in row


def test_a_kept_edition_with_a_release_stays_on_the_site_as_kept(assembled, tmp_path):
    project = assembled["project"]
    slug, code = KEPT
    editions = [with_policy(e) for e in assembled["input"].editions]
    homes = assembled["input"].homes
    released = assembled["site"].releases["a-res-68-4/es"]  # any release record will do for its shape
    key = f"{slug}/{code}"
    files = Files()
    site, _zips = assemble(
        site_input(project, editions, files, kept=(key,), releases={key: released}, homes=homes), files
    )
    out = {f.path: f.data for f in site.files}
    assert f'href="{slug}.html"' in out[f"{code}/index.html"].decode()
    state, text = status_row(out["status.html"].decode(), f"{slug}-{code}")
    assert state == "kept" and "release 1" in text
    assert site.releases[key] == released  # a kept edition is not released again


def test_the_status_page_shows_the_reviewed_share(assembled):
    html = assembled["out"]["status.html"].decode()
    assert '<th scope="col">Reviewed</th>' in html
    edition = next(e for e in assembled["input"].editions if e.key == "a-res-68-4/es")
    _state, text = status_row(html, "a-res-68-4-es")
    assert f" {edition.coverage.reviewed_percent:.0f}% ({edition.coverage.reviewed}) " in f" {text} "


def test_the_status_page_names_the_page_of_each_fuzzy_or_untranslated_unit(tmp_path):
    """With build/units.json's placements, each unit still to translate is listed with its page in the PDF,
    linked; a unit the map does not place is listed without a page."""
    root = copy_project(tmp_path / "project")
    po = root / "translations" / "fr" / "LC_MESSAGES" / "hld-series.po"
    catalog = read_po(po.open("rb"))
    fuzzy, untranslated = [m for m in catalog if m.id and m.string][1:3]
    text = po.read_text(encoding="utf-8")
    for message, string in ((fuzzy, normalize(fuzzy.string, width=79)), (untranslated, '""')):
        block = f"msgid {normalize(message.id, width=79)}\nmsgstr {normalize(message.string, width=79)}\n"
        assert block in text, message.id
        mark = "#, fuzzy\n" if message is fuzzy else ""
        text = text.replace(block, f"{mark}msgid {normalize(message.id, width=79)}\nmsgstr {string}\n")
    po.write_text(text, encoding="utf-8")
    project = polypress.load_project(root)
    editions = [project.edition(slug, code)[0] for code in project.languages for slug in project.documents]
    placed = EditionUnits(
        "hld-series", "fr", "fr/hld-series.pdf", "translations/fr/LC_MESSAGES/hld-series.po",
        (Placement(fuzzy.id, (2,), fuzzy.context, 1, 1),),  # as the build records it: with its msgctxt
    )  # fmt: skip
    files = Files()
    site, _zips = assemble(site_input(project, editions, files, unit_pages=UnitPages([placed])), files)
    html = {f.path: f.data for f in site.files}["status.html"].decode()
    row = re.search(r'id="hld-series-fr">(.*?)</tr>', html, re.S).group(1)
    assert '<span class="unit-state">fuzzy</span>, <a href="fr/hld-series.pdf#page=2" hreflang="fr">p. 2</a>' in row
    assert '<span class="unit-state">untranslated</span>, page unknown (not built):' in row
