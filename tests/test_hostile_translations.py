"""Translations are untrusted: markup in a msgstr is printed as text, and rendering fetches nothing outside the project.

A local HTTP server stands in for the internet: every test asserts it received
no request. Python's audit hooks see every file the build opens and every
socket it connects.
"""

from __future__ import annotations

import contextlib
import http.server
import io
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

import polypress.formats.fetcher
from polypress.cli import main
from polypress.errors import FetchRefused
from polypress.formats.fetcher import ProjectFetcher
from polypress.formats.pdf import weasyprint_pdf
from tests.conftest import comparable, pdf_text

#: File a hostile translation tries to read; it must never be opened.
SECRET = "/etc/passwd"


class Internet:
    """A web server on 127.0.0.1 that records every request it gets."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                outer.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.end_headers()
                self.wfile.write(b"body { color: red }")

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"


@pytest.fixture
def internet() -> Iterator[Internet]:
    net = Internet()
    net.thread.start()
    yield net
    net.server.shutdown()
    net.server.server_close()


class Audit:
    """Files opened and sockets connected while ``watching`` is on (audit hooks cannot be removed: they idle)."""

    watching = False
    opened: list[str] = []
    connected: list[str] = []

    @classmethod
    def hook(cls, event: str, args: tuple) -> None:
        if not cls.watching:
            return
        if event == "open" and isinstance(args[0], (str, bytes, Path)):
            cls.opened.append(str(args[0]))
        elif event == "socket.connect":
            cls.connected.append(repr(args[1]))

    @classmethod
    @contextlib.contextmanager
    def watch(cls) -> Iterator[Audit]:
        cls.opened, cls.connected = [], []
        cls.watching = True
        try:
            yield cls
        finally:
            cls.watching = False


sys.addaudithook(Audit.hook)


def payloads(net: Internet) -> list[str]:
    return [
        f'<img src="{net.url("img.png")}">',
        f'<link rel="stylesheet" href="file://{SECRET}">',
        f'<style>@import url("{net.url("import.css")}");</style>',
        f'<script src="{net.url("script.js")}">alert(1)</script>',
        f'<object data="{net.url("object")}"></object>',
    ]


def poison(path: Path, payload_list: list[str]) -> list[str]:
    """Append a payload to every translated msgstr without inline markup; return what was written."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    used = []
    for index, message in enumerate(m for m in catalog if m.id and isinstance(m.string, str) and m.string):
        if "*" in message.id or "[^" in message.id or "%(" in message.id:
            continue
        payload = payload_list[index % len(payload_list)]
        message.string = f"{message.string} {payload}"
        used.append(payload)
    with path.open("wb") as handle:
        write_po(handle, catalog)
    return used


def build(project: Path, *args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        status = main(["-C", str(project), "build", "--quiet", *args])
    return status, err.getvalue()


@pytest.fixture
def recording_fetchers(monkeypatch: pytest.MonkeyPatch) -> list[ProjectFetcher]:
    """Every ProjectFetcher the build makes (the real one, only remembered)."""
    made: list[ProjectFetcher] = []

    class Recording(ProjectFetcher):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(polypress.formats.fetcher, "ProjectFetcher", Recording)
    return made


def test_hostile_translations_are_printed_as_text_and_fetch_nothing(
    project: Path, internet: Internet, recording_fetchers: list[ProjectFetcher]
) -> None:
    folder = project / "translations" / "fr" / "LC_MESSAGES"
    used = poison(folder / "hld-series.po", payloads(internet)) + poison(folder / "templates.po", payloads(internet))
    assert len(set(used)) == len(payloads(internet))

    with Audit.watch() as audit:
        status, stderr = build(project, "--lang", "fr", "--jobs", "1")
    assert status == 0, stderr

    assert internet.requests == []
    assert audit.connected == []
    assert not [p for p in audit.opened if p.startswith(SECRET)]

    # Every URL the renderer asked for is a project template or a configured font file.
    templates = (project / "templates").resolve().as_uri() + "/"
    fonts = {f.as_uri() for fetcher in recording_fetchers for f in fetcher.fonts.paths()}
    requested = [url for fetcher in recording_fetchers for url in fetcher.requested]
    assert recording_fetchers and requested
    assert [u for u in requested if not (u.startswith(templates) or u in fonts)] == []
    assert [u for fetcher in recording_fetchers for u in fetcher.refused] == []

    page = (project / "build" / "site" / "fr" / "hld-series.html").read_text()
    for tag in ("<img", '<link rel="stylesheet" href="file:', "<style>@import", "<script src", "<object"):
        assert tag not in page
    assert "&lt;img src=" in page
    assert "&lt;script src=" in page

    # The PDF prints the payload as the translator typed it: text, not markup.
    text = comparable(pdf_text(project / "build" / "site" / "fr" / "hld-series.pdf"))
    assert comparable(f'<img src="{internet.url("img.png")}">') in text


# -- the fetcher itself: what it refuses when markup reaches the renderer anyway -------------------


def render(project: Path, body: str) -> tuple[ProjectFetcher, BaseException | None]:
    templates = project / "templates"
    fetcher = ProjectFetcher([templates])
    html = f'<!DOCTYPE html><html><head><link rel="stylesheet" href="css/print.css">{body}</head><body>x</body></html>'
    try:
        weasyprint_pdf(html, templates, fetcher, "content/test.md")
    except FetchRefused as exc:
        return fetcher, exc
    return fetcher, None


def test_the_fetcher_serves_project_templates(project: Path) -> None:
    fetcher, error = render(project, "")
    assert error is None
    assert fetcher.requested == [(project / "templates" / "css" / "print.css").resolve().as_uri()]


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="{net}img.png">',
        '<link rel="stylesheet" href="{net}style.css">',
        '<style>@import url("{net}import.css");</style>',
        '<style>body {{ background: url("{net}bg.png") }}</style>',
        '<link rel="stylesheet" href="file:///etc/passwd">',
        '<link rel="stylesheet" href="../polypress.toml">',
        '<link rel="stylesheet" href="file://localhost/etc/passwd">',
    ],
    ids=["http image", "http stylesheet", "css import", "css background", "file outside", "dot-dot", "localhost"],
)
def test_the_fetcher_refuses_anything_outside_the_project(project: Path, internet: Internet, markup: str) -> None:
    with Audit.watch() as audit:
        fetcher, error = render(project, markup.format(net=f"http://127.0.0.1:{internet.port}/"))
    assert isinstance(error, FetchRefused), "the renderer fetched a resource from outside the project"
    assert error.path == "content/test.md"
    assert len(fetcher.refused) == 1
    assert internet.requests == []
    assert audit.connected == []
    assert not [p for p in audit.opened if p.startswith(SECRET) or p.endswith("polypress.toml")]


def test_a_symlink_in_templates_does_not_lead_outside(project: Path) -> None:
    (project / "templates" / "css" / "leak.css").symlink_to(SECRET)
    with Audit.watch() as audit:
        fetcher, error = render(project, '<link rel="stylesheet" href="css/leak.css">')
    assert isinstance(error, FetchRefused)
    assert not [p for p in audit.opened if p.startswith(SECRET)]
