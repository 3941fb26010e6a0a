"""Accessible PDF (PDF/UA-1): WeasyPrint's tagger replaced by ours, and a checker of the result.

``tagged_by_polypress()`` puts ``tagger.py`` in the place of WeasyPrint 70's
``add_tags`` while a PDF is written (WeasyPrint has no hook for it: the
finisher runs after the tree is built and the boxes are gone); ``check.py``
reads a written PDF back with pikepdf and lists the Matterhorn Protocol
failures it finds.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from polypress.formats.pdfua.tagger import Tagger

_SWAP = threading.Lock()

#: The PDF variants a project may ask for (polypress.toml's pdf_variant), as WeasyPrint names them, and
#: whether polypress declares PDF/UA-1 in the XMP itself (WeasyPrint writes one identification only).
VARIANTS = {
    "pdf/ua-1": ("pdf/ua-1", False),
    "pdf/a-3a+ua-1": ("pdf/a-3a", True),
    "pdf/a-3b": ("pdf/a-3b", False),
    "": ("", False),
}
#: What a PDF of each variant claims to be, for the checker: PDF/UA-1 or not.
CLAIMS_UA = {"pdf/ua-1": True, "pdf/a-3a+ua-1": True, "pdf/a-3b": False, "": False}

_UA_IDENTIFICATION = (
    b'<rdf:Description xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" rdf:about="" '
    b'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1"/>'
    # PDF/A accepts only the schemas it knows or ones described in the file: pdfuaid described.
    b'<rdf:Description xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" rdf:about="" '
    b'xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" '
    b'xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" '
    b'xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">'
    b'<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">'
    b"<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>"
    b"<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>"
    b"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"
    b'<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">'
    b"<pdfaProperty:name>part</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType>"
    b"<pdfaProperty:category>internal</pdfaProperty:category>"
    b"<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>"
    b"</rdf:li></rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>"
)


def declare_ua(pdf) -> None:
    """Add the PDF/UA-1 identification to the XMP WeasyPrint wrote for another variant (PDF/A-3a)."""
    number = int(bytes(pdf.catalog["Metadata"]).split()[0])
    stream = pdf.objects[number]
    stream.stream = [b"".join(stream.stream).replace(b"</rdf:RDF>", _UA_IDENTIFICATION + b"</rdf:RDF>", 1)]


def add_structure_tree(pdf, document, pdf_version, page_streams) -> None:
    """What ``weasyprint.pdf.add_tags`` does, done by ``Tagger``: same arguments, same place in the writer."""
    tagger = Tagger(pdf, document.metadata.lang or "")
    for number, (page, stream) in enumerate(zip(document.pages, page_streams, strict=True)):
        artifacts = tagger.page(number, page._page_box, stream._tags)
        tagger.finish_page(number, stream, artifacts)
    tagger.write(len(document.pages))


@contextmanager
def tagged_by_polypress():
    """While inside, WeasyPrint tags the PDFs it writes with ``add_structure_tree``."""
    import weasyprint.pdf

    if not hasattr(weasyprint.pdf, "add_tags"):  # pragma: no cover - a WeasyPrint this was not written for
        raise RuntimeError("this WeasyPrint has no weasyprint.pdf.add_tags: polypress's tagger cannot replace it")
    with _SWAP:
        original = weasyprint.pdf.add_tags
        weasyprint.pdf.add_tags = add_structure_tree
        try:
            yield
        finally:
            weasyprint.pdf.add_tags = original
