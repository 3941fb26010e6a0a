"""Output formats, one module each, behind one small interface (formats/base.py).

Adding a format: a module with a ``FORMAT`` (see ``html.py``) and one line below.
The planner, the pool, the manifest, the site's links and the status page learn
about it from here.
"""

from polypress.formats import epub, html, pdf
from polypress.formats.base import Format

#: Every format by name, in the order pages list them.
FORMATS: dict[str, Format] = {fmt.name: fmt for fmt in (html.FORMAT, pdf.FORMAT, epub.FORMAT)}
#: The format of an edition's own page on the site: the one the language switchers and landing pages link.
PAGE: Format = html.FORMAT
