"""A PDF/UA-1 checker: the machine-checkable failure conditions of the Matterhorn Protocol 1.1 that apply
to what polypress writes (no veraPDF can be installed here).

``check(pdf)`` returns the failures, each with its Matterhorn condition
(``"14-003"``); ``structure_text(pdf)`` reads the text in structure order, as a
screen reader does. What is checked and what is not is listed in README.md
("Accessible PDF").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from polypress.formats.pdfua.content import page_marks

#: Standard structure types of ISO 32000-1, 14.8.4.
STANDARD_TYPES = frozenset(
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4 H5 H6 "
    "L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot "
    "Ruby RB RT RP Warichu WT WP Figure Formula Form".split()
)
#: Elements that start a new line when their text is read.
BLOCKS = frozenset(
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI P H H1 H2 H3 H4 H5 H6 L LI Table TR TH TD "
    "THead TBody TFoot Note Figure Formula Form".split()
)
#: Parent each structure type must have (ISO 32000-1, 14.8.4.3 and 14.8.4.6).
PARENTS = {
    "LI": ("L",),
    "Lbl": ("LI", "Note", "TOCI", "BibEntry"),
    "LBody": ("LI",),
    "TOCI": ("TOC",),
    "TR": ("Table", "THead", "TBody", "TFoot"),
    "TH": ("TR",),
    "TD": ("TR",),
    "THead": ("Table",),
    "TBody": ("Table",),
    "TFoot": ("Table",),
}


@dataclass(frozen=True)
class Failure:
    """One failure condition met: its Matterhorn number and what was found."""

    condition: str
    message: str

    def __str__(self) -> str:
        return f"{self.condition}: {self.message}"


@dataclass
class Element:
    """A structure element as read back: its type (role-mapped), attributes and kids in order."""

    type: str
    item: pikepdf.Dictionary
    kids: list  # Element | (page index, mcid) | ("annotation", dict)


def _open(pdf: pikepdf.Pdf | bytes | Path | str) -> pikepdf.Pdf:
    if isinstance(pdf, pikepdf.Pdf):
        return pdf
    if isinstance(pdf, bytes):
        import io

        return pikepdf.open(io.BytesIO(pdf))
    return pikepdf.open(pdf)


def structure_tree(pdf: pikepdf.Pdf) -> tuple[Element | None, list[Failure]]:
    """The tree under /StructTreeRoot, types role-mapped; failures met while reading it."""
    failures: list[Failure] = []
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return None, [Failure("01-003", "no structure tree (/StructTreeRoot): the document is not tagged")]
    role_map = {str(k): str(v) for k, v in root.get("/RoleMap", pikepdf.Dictionary()).items()}
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}

    def mapped(name: str) -> str:
        seen = set()
        while name not in STANDARD_TYPES and name in role_map and name not in seen:
            seen.add(name)
            name = role_map[name].lstrip("/")
        return name

    def read(item, page: int | None) -> Element | None:
        raw = str(item.get("/S", "/")).lstrip("/")
        kind = mapped(raw)
        if kind not in STANDARD_TYPES:
            failures.append(Failure("02-001", f"structure type {raw} is neither standard nor role-mapped to one"))
        if "/Pg" in item:
            page = pages.get(item.Pg.objgen, page)
        element = Element(kind, item, [])
        kids = item.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else ([] if kids is None else [kids])
        for kid in kids:
            if isinstance(kid, int):
                element.kids.append((page, int(kid)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                element.kids.append((pages.get(kid.Pg.objgen, page) if "/Pg" in kid else page, int(kid.MCID)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                element.kids.append(("annotation", kid.Obj))
            elif isinstance(kid, pikepdf.Dictionary):
                element.kids.append(read(kid, page))
        return element

    top = root.get("/K")
    tops = list(top) if isinstance(top, pikepdf.Array) else [top]
    document = Element("Document", root, [read(item, None) for item in tops if item is not None])
    return document, failures


def walk(element: Element):
    yield element
    for kid in element.kids:
        if isinstance(kid, Element):
            yield from walk(kid)


def check(source: pikepdf.Pdf | bytes | Path | str, claims_ua: bool = True) -> list[Failure]:
    """Every failure condition met by the PDF (empty: it passes what this checker checks)."""
    pdf = _open(source)
    failures: list[Failure] = []
    failures += _check_document(pdf, claims_ua)
    tree, read_failures = structure_tree(pdf)
    failures += read_failures
    if tree is None:
        return failures
    elements = list(walk(tree))
    failures += _check_elements(elements)
    failures += _check_content(pdf, elements)
    return failures


def _check_document(pdf: pikepdf.Pdf, claims_ua: bool) -> list[Failure]:
    failures = []
    root = pdf.Root
    mark_info = root.get("/MarkInfo", pikepdf.Dictionary())
    if not bool(mark_info.get("/Marked", False)):
        failures.append(Failure("01-002", "/MarkInfo /Marked is not true"))
    if bool(mark_info.get("/Suspects", False)):
        failures.append(Failure("01-007", "/MarkInfo /Suspects is true"))
    preferences = root.get("/ViewerPreferences", pikepdf.Dictionary())
    if not bool(preferences.get("/DisplayDocTitle", False)):
        failures.append(Failure("07-001", "/ViewerPreferences /DisplayDocTitle is not true"))
    if not str(root.get("/Lang", "")).strip():
        failures.append(Failure("11-006", "the catalog has no /Lang: the document's language cannot be determined"))
    if "/Metadata" not in root:
        failures.append(Failure("06-001", "no XMP metadata stream in the catalog"))
    else:
        metadata = pdf.open_metadata()
        if not str(metadata.get("dc:title", "")).strip():
            failures.append(Failure("06-003", "the XMP metadata has no dc:title"))
        if claims_ua and metadata.get("pdfuaid:part") != "1":
            failures.append(Failure("06-002", "the XMP metadata does not identify PDF/UA-1 (pdfuaid:part)"))
    for number, page in enumerate(pdf.pages, start=1):
        if "/Annots" in page and page.get("/Tabs") != "/S":
            failures.append(Failure("28-017", f"page {number} has annotations and no /Tabs /S"))
    return failures


def _check_elements(elements: list[Element]) -> list[Failure]:
    failures = []
    parents: dict[int, str] = {}
    for element in elements:
        for kid in element.kids:
            if isinstance(kid, Element):
                parents[id(kid)] = element.type
    headings = [int(e.type[1]) for e in elements if re.fullmatch(r"H[1-6]", e.type)]
    if headings and headings[0] != 1:
        failures.append(Failure("14-002", f"the first heading is H{headings[0]}, not H1"))
    for before, after in zip(headings, headings[1:], strict=False):
        if after > before + 1:
            failures.append(Failure("14-003", f"heading levels skip from H{before} to H{after}"))
    if headings and any(e.type == "H" for e in elements):
        failures.append(Failure("14-007", "numbered (H1…) and unnumbered (H) headings mixed"))
    note_ids: list[str] = []
    for element in elements:
        item = element.item
        if element.type in ("Figure", "Formula") and not str(item.get("/Alt", item.get("/ActualText", ""))).strip():
            failures.append(Failure("13-004", f"{element.type} without alternate text (/Alt)"))
        if element.type == "TH":
            attributes = item.get("/A")
            attributes = [attributes] if isinstance(attributes, pikepdf.Dictionary) else list(attributes or [])
            if "/Headers" not in item and not any(
                "/Scope" in a for a in attributes if isinstance(a, pikepdf.Dictionary)
            ):
                failures.append(Failure("15-003", "a TH has no /Scope"))
        if element.type == "Table" and not any(e.type == "TH" for e in walk(element)):
            failures.append(Failure("15-005", "a Table has no TH: its cells have no headers"))
        if element.type == "Note":
            note_ids.append(str(item.get("/ID", "")))
            if not note_ids[-1]:
                failures.append(Failure("19-003", "a Note has no /ID"))
        allowed = PARENTS.get(element.type)
        if allowed and id(element) in parents and parents[id(element)] not in allowed:
            failures.append(
                Failure("09-004", f"{element.type} inside {parents[id(element)]}, not {' or '.join(allowed)}")
            )
        if element.type == "Link" and not any(isinstance(k, tuple) and k[0] == "annotation" for k in element.kids):
            failures.append(Failure("28-011", "a Link element holds no link annotation (/OBJR)"))
    repeated = {n for n in note_ids if n and note_ids.count(n) > 1}
    if repeated:
        failures.append(Failure("19-004", f"Note IDs not unique: {sorted(repeated)}"))
    return failures


def _check_content(pdf: pikepdf.Pdf, elements: list[Element]) -> list[Failure]:
    failures = []
    reached: dict[tuple[int, int], Element] = {}
    for element in elements:
        for kid in element.kids:
            if isinstance(kid, tuple) and isinstance(kid[0], int):
                reached[kid] = element
    cmaps: dict = {}
    parent_tree = _number_tree(pdf.Root.StructTreeRoot.get("/ParentTree"))
    annotations_reached = {
        kid[1].objgen for e in elements for kid in e.kids if isinstance(kid, tuple) and kid[0] == "annotation"
    }
    fonts_checked: set = set()
    for index, page in enumerate(pdf.pages):
        number = index + 1
        marks = page_marks(page, cmaps)
        if marks.unmarked:
            failures.append(
                Failure(
                    "01-005",
                    f"page {number}: {len(marks.unmarked)} drawing operations neither tagged nor artifacts ({', '.join(sorted(set(marks.unmarked)))})",
                )
            )
        if marks.nested:
            failures.append(Failure("01-004", f"page {number}: artifacts and tagged content nested in each other"))
        mapped = parent_tree.get(int(page.get("/StructParents", -1)))
        for mcid in marks.text:
            if (index, mcid) not in reached:
                failures.append(
                    Failure("01-005", f"page {number}: marked content {mcid} is reached by no structure element")
                )
            elif mapped is None or mcid >= len(mapped) or mapped[mcid].objgen != reached[(index, mcid)].item.objgen:
                failures.append(
                    Failure(
                        "01-005", f"page {number}: the parent tree does not lead marked content {mcid} to its element"
                    )
                )
        for annotation in page.get("/Annots", []):
            if annotation.get("/Subtype") in ("/Link", "/Widget") and annotation.objgen not in annotations_reached:
                failures.append(
                    Failure("28-011", f"page {number}: a {annotation.Subtype} annotation is in no structure element")
                )
            if annotation.get("/Subtype") == "/Link" and not str(annotation.get("/Contents", "")).strip():
                failures.append(Failure("28-004", f"page {number}: a link annotation has no /Contents"))
            if "/StructParent" not in annotation:
                failures.append(Failure("28-011", f"page {number}: an annotation has no /StructParent"))
        for font in marks.fonts.values():
            if font.objgen in fonts_checked:
                continue
            fonts_checked.add(font.objgen)
            failures += _check_font(font)
    return failures


def _check_font(font: pikepdf.Dictionary) -> list[Failure]:
    name = str(font.get("/BaseFont", "?"))
    descriptor = (
        font.DescendantFonts[0].get("/FontDescriptor") if "/DescendantFonts" in font else font.get("/FontDescriptor")
    )
    failures = []
    if descriptor is None or not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
        failures.append(Failure("31-009", f"font {name} is not embedded"))
    if "/ToUnicode" not in font:
        failures.append(Failure("31-030", f"font {name} has no /ToUnicode: its text cannot be read"))
    return failures


def _number_tree(node) -> dict[int, object]:
    values: dict[int, object] = {}
    if node is None:
        return values
    nums = list(node.get("/Nums", []))
    for key, value in zip(nums[::2], nums[1::2], strict=True):
        values[int(key)] = value
    for kid in node.get("/Kids", []):
        values.update(_number_tree(kid))
    return values


def structure_text(source: pikepdf.Pdf | bytes | Path | str, skip: tuple[str, ...] = ()) -> str:
    """The text in structure order, as a screen reader reads it: /ActualText where given, a line per block.

    Elements of the types in *skip* (e.g. ``("Note", "Reference")``) are left out.
    """
    pdf = _open(source)
    tree, _ = structure_tree(pdf)
    if tree is None:
        return ""
    cmaps: dict = {}
    pages = [page_marks(page, cmaps).text for page in pdf.pages]
    out: list[str] = []

    def read(element: Element) -> None:
        if element.type in skip:
            return
        block = element.type in BLOCKS
        if block:
            out.append("\n")
        if "/ActualText" in element.item:
            out.append(str(element.item.ActualText))
        else:
            for kid in element.kids:
                if isinstance(kid, Element):
                    read(kid)
                elif isinstance(kid[0], int):
                    out.append(pages[kid[0]].get(kid[1], ""))
        if block:
            out.append("\n")

    read(tree)
    return re.sub(r"\n\s*\n+", "\n", "".join(out)).strip()
