"""Serve build/site on localhost for a quick look; with --watch, rebuild on save and reload the open page."""

from __future__ import annotations

import functools
import http.server
import threading
import time
from collections.abc import Callable
from pathlib import Path

from polypress.errors import OutputError

#: Loopback only: the preview is for the person at this machine, not the network.
HOST = "127.0.0.1"
DEFAULT_PORT = 8000


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".xml": "application/xml",
        ".json": "application/json",
        ".zip": "application/zip",
        "": "text/plain",  # SHA256SUMS
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)


def _listen(site_dir: Path, port: int, verbose: bool, handler) -> http.server.ThreadingHTTPServer:
    """The one place a server binds to 127.0.0.1: a taken port is a located error, not a traceback."""
    try:
        server = http.server.ThreadingHTTPServer((HOST, port), handler)
    except OSError as exc:
        raise OutputError(
            f"cannot listen on {HOST}:{port}: {exc.strerror}", site_dir, hint="choose another port with --port"
        ) from None
    server.verbose = verbose  # type: ignore[attr-defined]
    server.daemon_threads = True
    return server


def make_server(site_dir: Path, port: int = DEFAULT_PORT, verbose: bool = False) -> http.server.ThreadingHTTPServer:
    """A server for *site_dir* bound to 127.0.0.1; port 0 picks a free port (see server_port)."""
    if not (site_dir / "index.html").is_file():
        raise OutputError("no site to serve", site_dir, hint="build it first: python -m polypress build")
    handler = functools.partial(_Handler, directory=str(site_dir))
    server = _listen(site_dir, port, verbose, handler)
    return server


def serve_in_background(site_dir: Path, port: int = 0) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start a server in a thread (for tests and scripts); returns it and its base URL."""
    server = make_server(site_dir, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{HOST}:{server.server_port}/"


# -- live preview: rebuild on save, reload the open page --------------------------------------------

#: Where a watched server streams its reload events (server-sent events) and serves the script that listens.
EVENTS_PATH = "/__polypress/events"
SCRIPT_PATH = "/__polypress/reload.js"
#: The script a watched server adds to every page it serves (the built files are left as they are).
RELOAD_SCRIPT = (
    f'new EventSource("{EVENTS_PATH}").addEventListener("reload", function () {{ location.reload(); }});\n'
).encode()
RELOAD_TAG = f'<script src="{SCRIPT_PATH}"></script>'.encode()
#: Folders and files whose change means a rebuild.
WATCHED = ("content", "templates", "translations", "polypress.toml")


class Reloads:
    """A counter of finished rebuilds that server-sent-event streams wait on."""

    def __init__(self) -> None:
        self.generation = 0
        self._changed = threading.Condition()

    def bump(self) -> None:
        with self._changed:
            self.generation += 1
            self._changed.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        with self._changed:
            self._changed.wait_for(lambda: self.generation != seen, timeout)
            return self.generation


class _WatchHandler(_Handler):
    """The static server, plus the event stream, and the reload script in every HTML page."""

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        path = self.path.split("?", 1)[0]
        if path == EVENTS_PATH:
            return self._events()
        if path == SCRIPT_PATH:
            return self._send(RELOAD_SCRIPT, "text/javascript")
        target = Path(self.translate_path(path))
        if target.is_dir():
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            page = target.read_bytes()
            at = page.rfind(b"</body>")
            return self._send(page[:at] + RELOAD_TAG + page[at:] if at >= 0 else page + RELOAD_TAG, "text/html")
        return super().do_GET()

    def _send(self, data: bytes, media_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", f"{media_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def _events(self) -> None:
        reloads: Reloads = self.server.reloads  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = reloads.generation
        try:
            while True:
                now = reloads.wait(seen, timeout=15)
                message = b"event: reload\ndata: rebuilt\n\n" if now != seen else b": still here\n\n"
                self.wfile.write(message)
                self.wfile.flush()
                seen = now
        except OSError:
            return  # the page went away


def snapshot(root: Path) -> dict[str, float]:
    """Modification time of every watched file: a change between two snapshots means a rebuild."""
    found: dict[str, float] = {}
    for name in WATCHED:
        top = root / name
        for path in [top] if top.is_file() else top.rglob("*") if top.is_dir() else []:
            if path.is_file() and not path.name.startswith("."):
                try:
                    found[str(path)] = path.stat().st_mtime_ns
                except OSError:
                    continue
    return found


def make_watch_server(
    root: Path, site_dir: Path, port: int, rebuild: Callable[[], bool], verbose: bool = False, interval: float = 0.3
) -> http.server.ThreadingHTTPServer:
    """A server that runs *rebuild()* when a watched source changes and then reloads every open page.

    *rebuild* does the build and reports its own errors; the server keeps serving the last good site.
    """
    handler = functools.partial(_WatchHandler, directory=str(site_dir))
    server = _listen(site_dir, port, verbose, handler)
    server.reloads = Reloads()  # type: ignore[attr-defined]

    def watch() -> None:
        before = snapshot(root)
        while not getattr(server, "stopped", False):
            time.sleep(interval)
            now = snapshot(root)
            if now == before:
                continue
            before = now
            if rebuild():
                server.reloads.bump()  # type: ignore[attr-defined]

    threading.Thread(target=watch, daemon=True).start()
    return server
