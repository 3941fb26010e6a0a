"""What every output format is (name, file suffix, media type, a render function) and what a render gives back."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from polypress.document import Document
from polypress.editions import Artifact, Edition, EditionSummary
from polypress.errors import BuildWarning
from polypress.formats.images import Drawing, Label, Picture, data_uri, load_image
from polypress.i18n.placement import Placement
from polypress.i18n.po import TEMPLATES_DOMAIN
from polypress.render.inline import FootnoteMarker, linked_marker
from polypress.render.templates import RenderContext, render_template
from polypress.sources import Sources

#: How a format refers to a document's image: the web page and the PDF carry it as a data: URI,
#: the e-book as a file of its package.
ImageLocator = Callable[[Picture], str]


@dataclass
class Deps:
    """What one render read beyond its document and its catalogue: template files and template strings.

    The build keys each output on them, so a change to a stylesheet or a
    template string the output never showed does not render it again.
    """

    templates: set[str] = field(default_factory=set)
    strings: set[str] = field(default_factory=set)

    def add(self, context: RenderContext) -> None:
        self.templates |= context.templates_read
        self.strings |= context.strings_read

    def as_dict(self) -> dict:
        """As the build state keeps it. Interned: every output of an archive reads much the same templates
        and strings, and each came back from its worker as a copy of its own (0.1 MB a document)."""
        return {"templates": sorted(map(sys.intern, self.templates)), "strings": sorted(map(sys.intern, self.strings))}

    @classmethod
    def from_dict(cls, data: dict) -> Deps:
        return cls(set(data.get("templates", ())), set(data.get("strings", ())))


@dataclass(frozen=True)
class Output:
    """One rendered file: its bytes, its pages where it has pages, what the render read and warned about."""

    data: bytes
    deps: Deps = field(default_factory=Deps)
    pages: int | None = None
    warnings: tuple[BuildWarning, ...] = ()
    #: Where each translation unit lands, for an output with pages (PDF): plain data for build/units.json.
    units: tuple[Placement, ...] = ()


@dataclass(frozen=True)
class RenderRequest:
    """An edition to render and the links its pages carry (plain data from the site stage)."""

    sources: Sources
    edition: Edition
    #: Relative links: assets, home, alternates (other languages), downloads (the edition's other files).
    links: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Format:
    """An output format: registered in polypress/formats/__init__.py, asked nothing else by the rest."""

    name: str
    #: File suffix, with its dot: ".pdf".
    suffix: str
    media_type: str
    #: The format's name as links show it ("PDF"): a proper noun, like a document symbol.
    label: str
    render: Callable[[RenderRequest], Output]
    #: A file a reader downloads (PDF, e-book): pages link to it with its size.
    downloadable: bool = True
    #: The output shows the edition's downloads (the web page): it is rendered after them.
    lists_downloads: bool = False
    #: The format's templates filled, nothing laid out (``check``): what its render would refuse in them is
    #: refused first. None: the render is no more than that (a web page), and ``check`` runs it.
    fill: Callable[[RenderRequest], object] | None = None

    def path(self, slug: str, language: str) -> str:
        """Where an edition's file lives on the site, as a file path (site/links.py href() makes URLs of it);
        the one place a site path is made."""
        return f"{language}/{slug}{self.suffix}"

    def artifact(self, edition: Edition | EditionSummary, output: Output, revision: str = "") -> Artifact:
        """The rendered file as the manifest lists it."""
        slug, code = edition.slug, edition.language
        return Artifact(
            document=slug,
            language=code,
            format=self.name,
            path=self.path(slug, code),
            sha256=hashlib.sha256(output.data).hexdigest(),
            bytes=len(output.data),
            pages=output.pages,
            draft=edition.draft,
            source_revision=revision,
        )


def render_view(
    request: RenderRequest,
    view: str,
    layout: str,
    deps: Deps,
    marker: FootnoteMarker = linked_marker,
    image_url: ImageLocator = data_uri,
    absolute_links: bool = False,
    unit_marks: dict[int, int] | None = None,
    **variables: object,
) -> tuple[str, list[BuildWarning]]:
    """Render the edition's kind template for *view*, extending *layout*; what it read goes into *deps*.

    *unit_marks* (see :func:`unit_marks`) makes each unit's element carry its position (print).
    """
    sources, edition = request.sources, request.edition
    settings = sources.settings
    context = RenderContext(
        settings,
        settings.language(edition.language),
        sources.translations(edition.language, TEMPLATES_DOMAIN),
        view,
        links=request.links,
        footnote_marker=marker,
        unit_marks=unit_marks,
    )
    document = edition.document
    context.document = document
    if absolute_links:
        # A PDF or an e-book leaves the site: it links to other documents' web pages by their address.
        context.site_base = settings.site_url

    def draw(template: str) -> Drawing:
        labels: list[Label] = []

        def label(left: float, top: float, text: str) -> str:
            """Words at a point of the drawing (percent of its width and height), laid out by the page."""
            labels.append(Label(round(left, 2), round(top, 2), str(text)))
            return ""

        svg = render_template(template, context, doc=document, draft=edition.draft, label=label)
        return svg, tuple(labels)

    pictures: dict[str, Picture] = {}

    def picture(src: str) -> Picture:
        if src not in pictures:
            pictures[src] = load_image(settings, src, edition.language, deps.templates, draw)
        return pictures[src]

    context.image_url = lambda src: image_url(picture(src))
    context.image_labels = lambda src: picture(src).labels
    html = render_template(
        document.kind.template(view),
        context,
        layout=layout,
        doc=document,
        footnotes=document.footnotes,
        draft=edition.draft,
        **variables,
    )
    deps.add(context)
    return html, context.warnings


def unit_marks(document: Document) -> dict[int, int]:
    """Each unit block of *document* (by id()) and its position in the document's walk.

    The walk has the same shape in every language (a translation replaces texts, never blocks), so the
    position names the same unit in the English source: where its msgid is.
    """
    return {id(block): number for number, block in enumerate(document.walk()) if block.is_unit}
