"""The structure tree of a PDF, built from the HTML elements WeasyPrint laid out.

WeasyPrint 70 tags each page on its own, from element names only: a paragraph
split by a page break is two paragraphs, page furniture is tagged content no
structure element reaches, footnotes are NonStruct, right-to-left text has no
/ActualText. This tagger takes its place (see ``install``) and builds one
structure element per HTML element, across pages, in document order:

- roles from ``roles.py`` (by element, refined by ARIA);
- content of margin boxes (running heads, page numbers, the page-1 foot), of
  ``aria-hidden`` elements and anything drawn outside marked content becomes an
  artifact (``/Pagination`` in the margins);
- a footnote (its call is ``::footnote-call``) is a ``Note`` with an ID, placed at
  its call, with its marker as ``Lbl``; a list marker is ``Lbl``, the rest of the
  item ``LBody``;
- figures carry ``/Alt`` (``alt``, ``aria-label`` or an SVG ``<title>``), header
  cells ``/Scope``, links their annotation (``/StructParent``, ``/Contents``);
- an element whose ``lang`` differs from its parent's carries ``/Lang``;
- a run whose glyphs do not say its logical text (``text.py``) carries
  ``/ActualText``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pydyf

from polypress.formats.pdfua.marks import mark_page
from polypress.formats.pdfua.roles import Role, css_role, element_role, local_name, table_scope
from polypress.formats.pdfua.text import BIDI_CONTROLS, ElementText, is_right_to_left

#: Roles whose content goes into an LBody (the marker into an Lbl).
_LIST_ITEMS = ("LI",)


@dataclass(eq=False)
class Node:
    """A structure element being built: its kids are Nodes and (page, mcid) pairs, in reading order."""

    type: str
    parent: Node | None
    attributes: dict = field(default_factory=dict)
    kids: list = field(default_factory=list)
    page: int | None = None
    attached: bool = False
    #: The LBody of a list item, made when its first content arrives.
    body: Node | None = None
    #: The language inside this element (its own /Lang or its parent's).
    language: str = ""
    #: A link's text, for its annotation's /Contents.
    text: str = ""

    def attach(self) -> None:
        """Put this node in its parent's kids (once, at the place of its first content)."""
        if not self.attached and self.parent is not None:
            self.parent.attach()
            if self.parent.type in _LIST_ITEMS and self.type in ("Lbl", "LBody"):
                self.parent.kids.append(self)  # a label or body the markup declares itself
                if self.type == "LBody" and self.parent.body is None:
                    self.parent.body = self
            else:
                self.parent.content_target().kids.append(self)
        self.attached = True

    def content_target(self) -> Node:
        """Where content and child elements of this node go: a list item's body, else the node itself."""
        if self.type not in _LIST_ITEMS:
            return self
        if self.body is None:
            self.body = Node("LBody", self)
            self.body.attached = True
            self.kids.append(self.body)
        return self.body


class Tagger:
    """One PDF's tree: walk every page's boxes, then write the structure elements."""

    def __init__(self, pdf, language: str) -> None:
        # WeasyPrint's box classes, looked up once per PDF rather than at each of its ~1,000 boxes: the tagger
        # runs inside WeasyPrint's writer, so they are loaded by then (a no-op build never imports them).
        from weasyprint.formatting_structure import boxes
        from weasyprint.layout.absolute import AbsolutePlaceholder

        self.boxes, self.placeholder, self.margin_box = boxes, AbsolutePlaceholder, boxes.MarginBox
        self.pdf = pdf
        self.document = Node("Document", None, attached=True)
        self.language = language
        self.nodes: dict[tuple[int, str], Node] = {}
        self.texts: dict[int, ElementText] = {}
        #: --pdf-role by computed style: the boxes of an element (its lines, its text runs) share one.
        self.roles: dict[int, str] = {}
        self.note_ids = 0
        self.renumbered: dict[int, dict[int, int]] = {}

    # -- walking the boxes -----------------------------------------------------------------

    def page(self, number: int, page_box, marks: dict) -> set:
        """Tag one page's marked boxes; return the marks that are artifacts (box → artifact type)."""
        self.marks, self.number = marks, number
        self.artifacts: dict = {}
        self.reached: set = set()
        self.walk(page_box, self.document, self.language)
        for box in marks:  # drawn but reached by no element: not content
            if box not in self.reached:
                self.artifacts.setdefault(box, "/Layout")
        return self.artifacts

    def walk(self, box, parent: Node, language: str, declared: str = "") -> None:
        if isinstance(box, self.placeholder):
            box = box._box
        if isinstance(box, self.margin_box):
            self.artifact(box, "/Pagination")
            return
        # A role the print stylesheet declares (--pdf-role), on the element that sets it, not its descendants.
        if box.element is None:
            own = declared
        else:
            own = self.roles.get(id(box.style))
            if own is None:
                own = self.roles[id(box.style)] = css_role(box.style)
        node, language = self.node_for(box, parent, language, own if own != declared else "")
        if node is None:
            self.artifact(box, "/Layout")
            return
        if box.link_annotation is not None and node.type == "Link":
            node.attach()
            node.kids.append(("annotation", box.link_annotation, self.number))
            node.page = self.number if node.page is None else node.page
        if box in self.marks:
            self.content(box, node)
        for child in getattr(box, "children", ()):
            self.walk(child, node, language, own)

    def artifact(self, box, kind: str) -> None:
        if box in self.marks:
            self.artifacts[box] = kind
        for child in getattr(box, "children", ()):
            self.artifact(child, kind)

    def node_for(self, box, parent: Node, language: str, declared: str = "") -> tuple[Node | None, str]:
        """The node *box*'s content goes to (None: an artifact), and the language inside it."""
        element = box.element
        if element is None or element.tag in ("html", "body"):
            return parent, language
        pseudo = box.element_tag.partition("::")[2]
        key = (id(element), pseudo)
        node = self.nodes.get(key)
        if node is not None:  # most boxes: an element's lines and runs after its first box
            return node, node.language or language
        if pseudo == "footnote-call":
            note = self.note(element, parent)
            call = self.new(key, Node("Reference", parent))
            call.attach()
            note.attach()  # right after its call, where a reader wants it
            return call, language
        if pseudo == "footnote-marker":
            return self.new(key, Node("Lbl", self.nodes.get((id(element), "note")) or parent)), language
        if pseudo == "marker":
            item = parent if parent.type in (*_LIST_ITEMS, "TOCI") else None
            if item is None:
                return parent, language
            label = self.new(key, Node("Lbl", None))
            label.parent, label.attached = item, True
            item.kids.insert(0 if item.body is None else item.kids.index(item.body), label)
            return label, language
        if pseudo:  # ::before, ::after: part of their element
            return parent, language
        role = element_role(element, declared)
        if role.artifact:
            return None, language
        node_type = self.in_context(role, parent)
        own_language = element.get("lang") or element.get("{http://www.w3.org/XML/1998/namespace}lang")
        attributes: dict = {}
        if own_language and own_language != language:
            attributes["Lang"] = pydyf.String(own_language)
            node_type = node_type or "Span"
            language = own_language
        if not node_type:
            return parent, language
        node = self.new(key, Node(node_type, parent, attributes, language=language))
        self.describe(node, box)
        return node, language

    def in_context(self, role: Role, parent: Node) -> str:
        """A list inside a table of contents is the TOC's own entries; its items are TOCI."""
        inside_toc = parent.type in ("TOC", "TOCI")
        if role.type == "L" and inside_toc:
            return "" if parent.type == "TOC" else "TOC"
        if role.type == "LI" and inside_toc:
            return "TOCI"
        return role.type

    def new(self, key, node: Node) -> Node:
        self.nodes[key] = node
        return node

    def note(self, element, parent: Node) -> Node:
        """The Note of a footnote, placed at its call; its body arrives later, in the footnote area."""
        key = (id(element), "")
        if key not in self.nodes:
            self.note_ids += 1
            note = Node("Note", parent, {"ID": pydyf.String(f"note-{self.note_ids}")})
            self.nodes[key] = self.nodes[(id(element), "note")] = note
        return self.nodes[key]

    def describe(self, node: Node, box) -> None:
        """Attributes an element's role asks for: /Alt of a figure, /Scope of a header cell."""
        element = box.element
        if node.type == "Figure":
            title = next((child for child in element if local_name(child.tag) == "title"), None)
            alt = element.get("alt") or element.get("aria-label") or (title.text if title is not None else "")
            node.attributes["Alt"] = pydyf.String(" ".join(alt.split()))
        elif node.type == "TH":
            in_head = node.parent is not None and node.parent.parent is not None and node.parent.parent.type == "THead"
            first = not node.parent.kids if node.parent is not None else True
            scope = "Column" if in_head else table_scope(element, first)
            node.attributes["A"] = pydyf.Dictionary({"O": "/Table", "Scope": f"/{scope}"})

    def content(self, box, node: Node) -> None:
        """A marked run of text or a replaced element, in reading order under *node*."""
        mcid = self.marks[box]["mcid"]
        self.reached.add(box)
        target = node.content_target()
        node.attach()
        is_text = isinstance(box, self.boxes.TextBox)
        if is_text and box.element is not None and "::" not in box.element_tag:
            text = self.texts.get(id(box.element))
            if text is None:  # an element's first run (each later one continues its cursor)
                text = self.texts[id(box.element)] = ElementText(box.element)
            right_to_left = box.style["direction"] == "rtl"
            logical = text.logical(box.text, box.style["hyphenate_character"], right_to_left)
            if logical is not None:
                span = Node("Span", target, {"ActualText": pydyf.String(logical)}, attached=True)
                target.kids.append(span)
                target = span
        elif is_text:  # words the stylesheet wrote (::before, ::after): no source to follow
            clean = BIDI_CONTROLS.sub("", box.text)
            # Right to left, the glyphs are drawn in visual order: say the text, as for an element's own runs.
            if clean != box.text or box.style["direction"] == "rtl" or is_right_to_left(clean):
                span = Node("Span", target, {"ActualText": pydyf.String(clean)}, attached=True)
                target.kids.append(span)
                target = span
        target.kids.append((self.number, mcid))
        if is_text:
            link = node
            while link is not None and link.type != "Link":
                link = link.parent
            if link is not None:  # its annotation's /Contents: what the link says, not where it goes
                link.text += box.text
        while target is not None and target.page is None:
            target.page = self.number
            target = target.parent

    # -- one page's marks, then the whole tree ---------------------------------------------

    def finish_page(self, number: int, stream, artifacts: dict) -> None:
        """Rewrite the page's content stream: artifacts marked as such, content MCIDs renumbered."""
        marks = stream._tags
        by_mcid = {marks[box]["mcid"]: kind for box, kind in artifacts.items()}
        self.renumbered[number] = mark_page(stream.stream, by_mcid)
        marks.clear()

    def write(self, page_count: int) -> None:
        """The structure tree root, its elements, the parent tree and the ID tree, in the catalog."""
        pdf = self.pdf
        root = pydyf.Dictionary({"Type": "/StructTreeRoot"})
        pdf.add_object(root)
        self.parent_tree: list[dict[int, object]] = [{} for _ in range(page_count)]
        self.annotations: list = []
        self.ids: list = []
        # pydyf makes this tuple anew at each reading: once here, not at each of the thousands of elements.
        self.page_references = pdf.page_references
        document = self.emit(self.document, root.reference)
        root["K"] = pydyf.Array([document])
        nums = pydyf.Array()
        for number, mcids in enumerate(self.parent_tree):
            nums.extend([number, pydyf.Array([mcids[mcid] for mcid in sorted(mcids)])])
        for key, (element, annotation) in enumerate(self.annotations, start=page_count):
            annotation["StructParent"] = key
            nums.extend([key, element])
        parent_tree = pydyf.Dictionary({"Nums": nums})
        pdf.add_object(parent_tree)
        root["ParentTree"] = parent_tree.reference
        root["ParentTreeNextKey"] = page_count + len(self.annotations)
        if self.ids:
            names = pydyf.Array()
            for name, reference in sorted(self.ids, key=lambda item: item[0].string):
                names.extend([name, reference])
            root["IDTree"] = pydyf.Dictionary({"Names": names})
        pdf.catalog["StructTreeRoot"] = root.reference
        pdf.catalog["MarkInfo"] = pydyf.Dictionary({"Marked": "true"})
        pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})

    def listed(self, node: Node) -> list:
        """*node*'s kids, consecutive list items outside a list gathered in one (numbered paragraphs)."""
        if node.type in ("L", "TOC"):
            return node.kids
        kids: list = []
        for kid in node.kids:
            if isinstance(kid, Node) and kid.type == "LI":
                if not (kids and isinstance(kids[-1], Node) and kids[-1].type == "L" and kids[-1].parent is None):
                    kids.append(Node("L", None, page=kid.page))
                kids[-1].kids.append(kid)
            else:
                kids.append(kid)
        return kids

    def emit(self, node: Node, parent) -> object:
        pdf, pages = self.pdf, self.page_references
        element = pydyf.Dictionary({"Type": "/StructElem", "S": f"/{node.type}", "P": parent})
        pdf.add_object(element)
        reference = element.reference  # pydyf formats it at each reading: once, for its kids and parent tree
        page = node.page or 0
        element["Pg"] = pages[page]
        kids = pydyf.Array()
        for kid in self.listed(node):
            if isinstance(kid, Node):
                if kid.page is not None or kid.kids:
                    kids.append(self.emit(kid, reference))
            elif kid[0] == "annotation":
                _, annotation, number = kid
                objr = pydyf.Dictionary({"Type": "/OBJR", "Obj": annotation.reference, "Pg": pages[number]})
                pdf.add_object(objr)
                kids.append(objr.reference)
                self.annotations.append((reference, annotation))
                if node.text.strip():
                    annotation["Contents"] = pydyf.String(" ".join(BIDI_CONTROLS.sub("", node.text).split()))
            else:
                number, old = kid
                mcid = self.renumbered[number][old]
                if number == page:
                    kids.append(mcid)
                else:
                    kids.append(pydyf.Dictionary({"Type": "/MCR", "Pg": pages[number], "MCID": mcid}))
                self.parent_tree[number][mcid] = reference
        element["K"] = kids
        for key, value in node.attributes.items():
            element[key] = value
        if "ID" in node.attributes:
            self.ids.append((node.attributes["ID"], reference))
        return reference
