"""Document kinds, one module each: front-matter fields with their types, the date, the templates.

Adding a kind: a module with a ``KIND`` (see ``resolution.py``), its templates in
``templates/kinds/<name>/`` (``print.html``, ``screen.html``) and one line below.
"""

from polypress.kinds import page, report, resolution
from polypress.kinds.base import Kind

#: Every kind by name, as ``kind = "…"`` in a front matter names it.
KINDS: dict[str, Kind] = {kind.name: kind for kind in (resolution.KIND, page.KIND, report.KIND)}
#: The kind of a document whose front matter names none.
DEFAULT_KIND = "page"
