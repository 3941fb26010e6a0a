"""The web page of an edition: the kind's screen template in the site's layout, linking to the edition's files."""

from polypress.formats.base import Deps, Format, Output, RenderRequest, render_view


def render_html(request: RenderRequest) -> Output:
    deps = Deps()
    html, warnings = render_view(request, "screen", "document.html", deps)
    return Output(html.encode("utf-8"), deps, warnings=tuple(warnings))


FORMAT = Format(
    name="html",
    suffix=".html",
    media_type="text/html",
    label="HTML",
    render=render_html,
    downloadable=False,
    lists_downloads=True,
)
