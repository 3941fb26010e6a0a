"""The format registry: what every output format declares, and the one place a site path is made."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

import pytest

from polypress.editions import DRAFT
from polypress.formats import FORMATS, PAGE
from polypress.formats.base import Output

NAMES = list(FORMATS)


def test_the_registry_holds_the_web_page_and_the_print_edition():
    assert {"html", "pdf"} <= set(FORMATS)


@pytest.mark.parametrize("name", NAMES)
def test_a_format_is_registered_under_its_own_name(name):
    assert FORMATS[name].name == name
    assert re.fullmatch(r"[a-z0-9]+", name), "a name is used in job names and on the command line"


def test_no_two_formats_share_a_suffix():
    suffixes = [fmt.suffix for fmt in FORMATS.values()]
    assert len(set(suffixes)) == len(suffixes), suffixes


@pytest.mark.parametrize("name", NAMES)
def test_a_format_declares_its_suffix_media_type_label_and_render(name):
    fmt = FORMATS[name]
    assert re.fullmatch(r"\.[a-z0-9]+", fmt.suffix), fmt.suffix
    assert re.fullmatch(r"[a-z]+/[a-z0-9.+-]+", fmt.media_type), fmt.media_type
    assert fmt.label.strip() and fmt.label == fmt.label.strip()
    assert callable(fmt.render)


def test_the_shipped_formats_have_their_registered_media_types():
    assert (FORMATS["html"].suffix, FORMATS["html"].media_type) == (".html", "text/html")
    assert (FORMATS["pdf"].suffix, FORMATS["pdf"].media_type) == (".pdf", "application/pdf")


@pytest.mark.parametrize("name", NAMES)
def test_a_site_path_is_the_language_folder_then_the_document_and_the_suffix(name):
    fmt = FORMATS[name]
    assert fmt.path("a-res-68-4", "fr") == f"fr/a-res-68-4{fmt.suffix}"


def test_a_site_path_is_a_file_path_and_links_to_it_are_percent_encoded():
    from polypress.site.links import href

    path = FORMATS["pdf"].path("résumé 68?#", "fr")
    assert path == "fr/résumé 68?#.pdf"  # the file's own name on disk and in the manifest
    assert href("fr/index.html", path) == "r%C3%A9sum%C3%A9%2068%3F%23.pdf"
    assert href("en/index.html", path) == "../fr/r%C3%A9sum%C3%A9%2068%3F%23.pdf"
    assert PAGE.path("a-res-68-4", "zh_Hant") == "zh_Hant/a-res-68-4.html"


def test_the_web_page_lists_the_downloads_and_is_not_one():
    html = FORMATS["html"]
    assert html.lists_downloads and not html.downloadable


@pytest.mark.parametrize("name", NAMES)
def test_exactly_the_formats_that_list_downloads_are_not_downloadable(name):
    fmt = FORMATS[name]
    assert fmt.downloadable is not fmt.lists_downloads


def test_the_page_format_is_the_registered_web_page():
    assert FORMATS[PAGE.name] is PAGE
    assert PAGE.lists_downloads


@pytest.fixture(scope="module")
def edition():
    import polypress
    from tests.conftest import ROOT

    found, _warnings = polypress.load_project(ROOT).edition("a-res-68-4", "fr")
    return found


@pytest.mark.parametrize("name", NAMES)
def test_an_artifact_records_the_files_path_digest_size_and_pages(edition, name):
    fmt = FORMATS[name]
    data = f"not really {name}".encode()
    artifact = fmt.artifact(edition, Output(data, pages=3), revision="abc123")
    assert (artifact.document, artifact.language, artifact.format) == ("a-res-68-4", "fr", name)
    assert artifact.path == fmt.path("a-res-68-4", "fr")
    assert artifact.sha256 == hashlib.sha256(data).hexdigest()
    assert (artifact.bytes, artifact.pages, artifact.source_revision) == (len(data), 3, "abc123")
    assert artifact.draft is False
    assert fmt.artifact(replace(edition, policy=DRAFT), Output(data)).draft is True
