"""The library API: load a project, render one file to bytes without writing anything, or build the site."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

import polypress
from polypress.errors import ConfigError, PolypressError
from polypress.formats import FORMATS
from tests.conftest import ROOT, comparable, copy_project


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every path under *folder* with its size and modification time."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.rglob("*"))}


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("library") / "project")


@pytest.fixture(scope="module")
def rendered(copy: Path) -> dict:
    """The French Declaration rendered as a PDF and as its web page, the project listed before and after."""
    before = listing(copy)
    project = polypress.load_project(copy)
    pdf = project.render("a-res-68-4", "fr", "pdf")
    html = project.render("a-res-68-4", "fr", "html")
    return {"pdf": pdf, "html": html, "before": before, "after": listing(copy), "root": copy}


def test_the_package_hands_on_the_library_api():
    assert polypress.load_project is __import__("polypress.project").project.load_project
    assert isinstance(polypress.__version__, str) and polypress.__version__


def test_a_project_knows_its_documents_languages_and_formats():
    project = polypress.load_project(ROOT)
    assert project.documents == sorted(path.stem for path in (ROOT / "content").glob("*.md"))
    assert {"a-res-68-4", "hld-series"} <= set(project.documents)
    assert project.languages[:6] == ["en", "fr", "es", "ar", "zh", "ru"]  # in polypress.toml's order
    assert project.formats == list(FORMATS)


def test_render_gives_the_pdf_as_bytes(rendered):
    pdf = rendered["pdf"]
    assert isinstance(pdf.data, bytes) and pdf.data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf.data))
    assert pdf.pages == len(reader.pages) >= 3
    text = comparable("\n".join(page.extract_text() or "" for page in reader.pages))
    for words in ("Nations Unies", "Assemblée générale", "Résolution adoptée par l'Assemblée générale"):
        assert comparable(words) in text.replace("’", "'"), words
    assert pdf.warnings == ()


def test_render_writes_nothing_in_the_project(rendered):
    assert rendered["after"] == rendered["before"]
    assert not (rendered["root"] / "build").exists()


def test_the_rendered_web_page_shows_the_pdfs_size_and_pages(rendered):
    pdf, html = rendered["pdf"], rendered["html"]
    page = html.data.decode("utf-8")
    assert '<html lang="fr"' in page
    assert 'href="a-res-68-4.pdf"' in page
    # French sizes: "208 ko", with a no-break space of some width.
    size = f"{round(len(pdf.data) / 1000)}"
    assert re.search(rf"(?<!\d){size}[\s\u00a0\u202f]ko\b", page), size
    assert re.search(rf"(?<!\d){pdf.pages}[\s\u00a0\u202f]pages\b", page)


def test_an_unknown_document_is_an_error_located_in_the_content_folder(copy):
    with pytest.raises(PolypressError) as caught:
        polypress.load_project(copy).render("a-res-99-1", "fr", "pdf")
    assert caught.value.path == "content"  # relative to the project, as every other error
    assert "unknown document 'a-res-99-1'" in caught.value.message
    assert "a-res-68-4" in caught.value.hint


def test_an_unknown_language_is_an_error_located_in_the_settings(copy):
    with pytest.raises(PolypressError) as caught:
        polypress.load_project(copy).render("a-res-68-4", "de", "pdf")
    assert caught.value.path == "polypress.toml"
    assert "language 'de' is not configured" in caught.value.message
    assert "add-language de" in caught.value.hint


def test_an_unknown_format_is_an_error_that_names_the_formats(copy):
    with pytest.raises(PolypressError) as caught:
        polypress.load_project(copy).render("a-res-68-4", "fr", "docx")
    assert "unknown format 'docx'" in caught.value.message
    assert all(name in caught.value.hint for name in FORMATS)
    # No file of the project is at fault: the caller asked for a format polypress does not make.
    assert caught.value.path is None


def test_a_setting_can_be_overridden_for_one_use(copy):
    project = polypress.load_project(copy, pdf_variant="pdf/a-3b")
    assert project.settings.pdf_variant == "pdf/a-3b"
    assert polypress.load_project(copy).settings.pdf_variant == "pdf/ua-1"  # polypress.toml is untouched
    data = project.render("hld-series", "en", "pdf").data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        metadata = pdf.open_metadata()
        assert (metadata.get("pdfaid:part"), metadata.get("pdfaid:conformance")) == ("3", "B")


def test_an_unknown_override_is_an_error(copy):
    with pytest.raises(ConfigError) as caught:
        polypress.load_project(copy, pdf_varient="pdf/a-3b")
    assert "pdf_varient cannot be overridden" in caught.value.message
    assert "pdf_variant" in caught.value.hint  # what can be


#: Values polypress.toml may not hold, each refused by read_settings with a located error.
REFUSED_SETTINGS = [("pdf_variant", "pdf/a-9z"), ("page_size", "B5"), ("below_threshold", "publish")]


@pytest.mark.parametrize(("setting", "value"), REFUSED_SETTINGS)
def test_polypress_toml_refuses_a_value_the_setting_does_not_take(tmp_path, setting, value):
    root = copy_project(tmp_path / "project")
    path = root / "polypress.toml"
    text = path.read_text(encoding="utf-8")
    changed = re.sub(rf"^{setting} = .*$", f'{setting} = "{value}"', text, count=1, flags=re.M)
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        polypress.load_project(root)
    assert caught.value.path == str(path) and setting in caught.value.message


@pytest.mark.parametrize(("setting", "value"), REFUSED_SETTINGS)
def test_an_override_is_checked_like_the_same_setting_in_polypress_toml(copy, setting, value):
    with pytest.raises(ConfigError) as caught:
        polypress.load_project(copy, **{setting: value})
    assert setting in caught.value.message


def test_build_writes_the_site_of_the_languages_asked_for(rendered):
    root = rendered["root"]
    report = polypress.load_project(root).build(languages=["fr"], jobs=1)
    site = root / "build" / "site"
    for slug in ("a-res-68-4", "hld-report", "hld-series"):
        for fmt in FORMATS.values():
            assert (site / fmt.path(slug, "fr")).is_file(), fmt.path(slug, "fr")
    assert (site / "fr" / "index.html").is_file() and (site / "manifest.json").is_file()
    assert not (site / "en").exists()
    assert {a.language for a in report.artifacts} == {"fr", ""}
    slugs = ("a-res-68-4", "hld-report", "hld-series")
    assert set(report.rendered) == {f"{slug}.fr.{name}" for slug in slugs for name in FORMATS}
    # The build publishes the bytes render gives: one way of making a file.
    assert (site / "fr" / "a-res-68-4.pdf").read_bytes() == rendered["pdf"].data
