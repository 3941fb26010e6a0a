"""Catalogues are parsed when a stage first needs them, not all when the project is loaded (issue 16),
and a catalogue saved between two reads of one build is never taken for the one the build planned from."""

from __future__ import annotations

from pathlib import Path

import pytest

from polypress.errors import CatalogError
from polypress.sources import Catalogues, load_sources
from tests.conftest import copy_project

FRENCH_REPORT = Path("translations/fr/LC_MESSAGES/hld-report.po")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def test_loading_the_project_finds_the_catalogues_but_parses_none(project: Path) -> None:
    sources = load_sources(project)
    assert ("fr", "hld-report") in sources.catalogues
    assert sources.catalogues._parsed == {}
    # The first lookup parses that one catalogue, and only it.
    assert sources.translations("fr", "hld-report").catalogue is not None
    assert list(sources.catalogues._parsed) == [("fr", "hld-report")]


def test_a_malformed_catalogue_is_refused_at_its_line_when_first_used(project: Path) -> None:
    path = project / FRENCH_REPORT
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "unterminated\n', encoding="utf-8")
    sources = load_sources(project)
    with pytest.raises(CatalogError) as caught:
        sources.translations("fr", "hld-report")
    assert caught.value.path == str(FRENCH_REPORT) and caught.value.line is not None


def test_a_catalogue_saved_between_two_reads_of_one_build_stops_it(project: Path) -> None:
    sources = load_sources(project)
    sources.catalogues.KEPT = 0  # forget each document's catalogue at once, so the next use reads it again
    planned = sources.translations("fr", "hld-report").catalogue
    assert planned is not None and sources.catalogues._parsed == {}
    path = project / FRENCH_REPORT
    path.write_text(path.read_text(encoding="utf-8").replace('msgstr "', 'msgstr "Révisé ', 1), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        sources.translations("fr", "hld-report")
    assert caught.value.path == str(FRENCH_REPORT) and "changed while the build was reading it" in caught.value.message


def test_read_again_unchanged_a_forgotten_catalogue_gives_the_same_translations(project: Path) -> None:
    sources = load_sources(project)
    sources.catalogues.KEPT = 0
    first = sources.translations("fr", "hld-report")
    again = sources.translations("fr", "hld-report")
    assert again is not first and again._messages == first._messages


def test_only_a_few_documents_catalogues_stay_parsed_and_the_templates_always(project: Path) -> None:
    sources = load_sources(project)
    catalogues: Catalogues = sources.catalogues
    catalogues.KEPT = 1
    for language in ("fr", "es", "ar"):
        sources.translations(language, "templates")
        for document in sources.documents:
            sources.translations(language, document.slug)
    documents = [key for key in catalogues._parsed if key[1] != "templates"]
    assert documents == [("ar", sources.documents[-1].slug)]
    templates = {key for key in catalogues._parsed if key[1] == "templates"}
    assert templates == {("fr", "templates"), ("es", "templates"), ("ar", "templates")}


def test_catalogues_carried_to_a_machine_without_the_project_translate_as_here(project: Path) -> None:
    import pickle
    import shutil

    sources = load_sources(project)
    here = sources.translations("fr", "hld-report")
    carried = pickle.loads(pickle.dumps(sources.catalogues.carried()))
    shutil.rmtree(project / "translations")  # a Dask worker has no checkout: the bundle is all it reads
    there = carried.translations(("fr", "hld-report"))
    assert there._messages == here._messages
    assert carried.get(("fr", "templates")) is not None and carried.get(("fr", "no-such-document")) is None
