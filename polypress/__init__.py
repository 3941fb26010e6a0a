"""polypress: publish official documents in many languages as HTML, PDF and EPUB.

The library API (see README, "Using polypress from Python"):

    import polypress
    project = polypress.load_project("path/to/project")
    out = project.render("a-res-68-4", "fr", "pdf")   # .data (bytes), .pages, .warnings
    project.build(languages=["fr"], jobs=2)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from polypress.version import __version__

if TYPE_CHECKING:
    from polypress.errors import BuildWarning, PolypressError
    from polypress.formats.base import Output
    from polypress.project import Project, load_project

#: Names the package hands on from the modules that define them, imported on first use: the
#: command line imports this package too, and a build with nothing to do should not pay for Jinja.
_API = {
    "load_project": "polypress.project",
    "Project": "polypress.project",
    "Output": "polypress.formats.base",
    "PolypressError": "polypress.errors",
    "BuildWarning": "polypress.errors",
}
__all__ = ["BuildWarning", "Output", "PolypressError", "Project", "__version__", "load_project"]


def __getattr__(name: str) -> object:
    if name in _API:
        import importlib

        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'polypress' has no attribute {name!r}")
