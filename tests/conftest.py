"""Shared fixtures: a throw-away copy of the real project, built once per test session."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

import pytest

from polypress.cli import main
from polypress.settings import copy_sources

ROOT = Path(__file__).resolve().parent.parent

#: The tests keep what builds reuse (faces, compiled templates) in a cache of their own (user_cache.py), never
#: in the user's, and remove it when they end; builds they start in child processes inherit it.
os.environ["POLYPRESS_CACHE_DIR"] = tempfile.mkdtemp(prefix="polypress-test-cache-")
atexit.register(shutil.rmtree, os.environ["POLYPRESS_CACHE_DIR"], True)


def copy_project(target: Path) -> Path:
    """Copy the real project's sources (not build/) to *target*."""
    return copy_sources(ROOT, target)


def run_cli(*args: str) -> int:
    return main(list(args))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the real project a test may change."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project, copied and built once for every test that only reads the output."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    assert run_cli("-C", str(root), "build", "--quiet") == 0
    return root


@pytest.fixture(scope="session")
def site(built_project: Path) -> Path:
    return built_project / "build" / "site"


def pdf_text(path: Path) -> str:
    """The text a reader's viewer would extract, page after page."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


#: Text smaller than this (in points) is page furniture: footnotes, running heads, page numbers.
BODY_TEXT_MIN_PT = 9.75


def pdf_body_text(path: Path) -> str:
    """The running text without page furniture, so a paragraph split by a page break reads whole."""
    from pypdf import PdfReader

    runs: list[str] = []

    def visit(text, cm, tm, font_dict, font_size):
        if font_size * cm[0] >= BODY_TEXT_MIN_PT:
            runs.append(text)

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
        runs.append("\n")
    return "".join(runs)


#: Page margins of the print layout (templates/css/print.css), in points: top, bottom.
PAGE_MARGINS_PT = (25 * 72 / 25.4, 22 * 72 / 25.4)
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def pdf_logical_body_text(path: Path) -> str:
    """Text inside the page margins in reading order (poppler), for right-to-left languages.

    pypdf returns runs in drawing order, which scrambles mixed Arabic and Latin
    runs; pdftotext rebuilds the logical order. Footnotes remain: callers strip them.
    """
    import subprocess

    from pypdf import PdfReader

    texts = []
    for number, page in enumerate(PdfReader(path).pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        top, bottom = PAGE_MARGINS_PT
        top = 0 if number == 1 else top  # page 1 has no running head, and a taller text block
        crop = ["-x", "0", "-y", str(int(top)), "-W", str(int(width)), "-H", str(int(height - top - bottom))]
        result = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-f", str(number), "-l", str(number), *crop, str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        )
        texts.append(_BIDI_CONTROLS.sub("", result.stdout))
    return "\n".join(texts)


def comparable(text: str, punctuation: bool = True) -> str:
    """Text reduced for comparison across line breaks and hyphenation: no spaces, no hyphens, no markup.

    ``punctuation=False`` keeps only the letters of the text's own script: in
    right-to-left text poppler's reading order moves punctuation, digits and
    Latin runs (A/RES/63/225) across their neighbours, but not the words.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("*", "")
    text = re.sub(r"\[\^[^\]]+\]", "", text)
    if not punctuation:
        text = "".join(c for c in text if unicodedata.category(c).startswith("L") and not c.isascii())
    return re.sub(r"[\s\u00a0\u202f\u00ad\-‐]+", "", text)
