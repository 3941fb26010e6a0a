"""The review edition as HTML (templates/review.html) and as a PDF printed from it by WeasyPrint."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup

from polypress.formats.fetcher import ProjectFetcher
from polypress.formats.pdf import weasyprint_pdf
from polypress.render.environment import make_environment
from polypress.render.fonts import FontFiles, css_family, font_face_css
from polypress.review.units import ReviewEdition
from polypress.settings import Settings

TEMPLATE = "review.html"


@dataclass(frozen=True)
class ReviewFiles:
    html: bytes
    pdf: bytes
    pages: int
    warnings: tuple[str, ...]


def review_html(settings: Settings, edition: ReviewEdition, font_faces: str = "") -> str:
    """The side-by-side page; *font_faces* are the @font-face rules a PDF embeds (a browser uses installed fonts)."""
    source = settings.source_language
    stacks = {
        "source": ", ".join(f'"{css_family(f)}"' for f in settings.font_stack(source)),
        "target": ", ".join(f'"{css_family(f)}"' for f in settings.font_stack(edition.language)),
    }
    template = make_environment(settings.templates_dir).get_template(TEMPLATE)
    return template.render(
        edition=edition,
        source_language=source,
        language_name=settings.language(edition.language).native_name,
        font_faces=Markup(font_faces),  # generated from the settings, not from any text
        stacks=stacks,
        reviewed_percent=100.0 * edition.reviewed / len(edition.units) if edition.units else 100.0,
    )


def render_review(settings: Settings, edition: ReviewEdition) -> ReviewFiles:
    """HTML and PDF of one review edition; the PDF embeds both columns' fonts and fetches nothing else."""
    fonts = FontFiles(settings)

    def url(face, path: Path) -> str:
        file = fonts.file(face, path)
        if file.is_relative_to(settings.root):
            return quote(os.path.relpath(file, settings.templates_dir).replace(os.sep, "/"))
        return file.as_uri()

    faces = "\n".join(
        line
        for code in dict.fromkeys((settings.source_language, edition.language))
        for line in font_face_css(settings, code, url).splitlines()
        if line.startswith("@font-face")
    )
    html = review_html(settings, edition)
    printed = review_html(settings, edition, faces)
    fetcher = ProjectFetcher([settings.templates_dir], fonts)
    rendered = weasyprint_pdf(
        printed, settings.templates_dir, fetcher, f"{TEMPLATE} ({edition.document}, {edition.language})"
    )
    return ReviewFiles(html.encode("utf-8"), rendered.data, rendered.pages, rendered.messages)
