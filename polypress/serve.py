"""Serve build/site on localhost for a quick look: a static file server, nothing more."""

from __future__ import annotations

import functools
import http.server
import threading
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


def make_server(site_dir: Path, port: int = DEFAULT_PORT, verbose: bool = False) -> http.server.ThreadingHTTPServer:
    """A server for *site_dir* bound to 127.0.0.1; port 0 picks a free port (see server_port)."""
    if not (site_dir / "index.html").is_file():
        raise OutputError("no site to serve", site_dir, hint="build it first: python -m polypress build")
    handler = functools.partial(_Handler, directory=str(site_dir))
    try:
        server = http.server.ThreadingHTTPServer((HOST, port), handler)
    except OSError as exc:
        raise OutputError(
            f"cannot listen on {HOST}:{port}: {exc.strerror}", site_dir, hint="choose another port with --port"
        ) from None
    server.verbose = verbose  # type: ignore[attr-defined]
    server.daemon_threads = True
    return server


def serve_in_background(site_dir: Path, port: int = 0) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start a server in a thread (for tests and scripts); returns it and its base URL."""
    server = make_server(site_dir, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{HOST}:{server.server_port}/"
