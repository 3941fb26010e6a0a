"""serve --watch: a translator saves a PO file and the open page shows the edit, in a real browser."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.site.test_browser import CHROMEDRIVER, CHROMIUM, Browser, _free_port

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="Debian's chromium and chromium-driver (make installs them)",
)


def test_a_saved_french_edit_shows_in_the_page_open_in_the_browser(project: Path):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "polypress", "-C", str(project), "serve", "--watch", "--port", str(port),
         "--lang", "fr", "--doc", "hld-series", "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    browser = None
    try:
        line = server.stdout.readline()  # printed once the first build is done and the server listens
        assert line.startswith("serving"), line + server.stdout.read()
        url = f"http://127.0.0.1:{port}/fr/hld-series.html"
        with urllib.request.urlopen(url) as response:
            assert b'<script src="/__polypress/reload.js"></script>' in response.read()
        assert b"__polypress" not in (project / "build/site/fr/hld-series.html").read_bytes()  # the site stays clean
        browser = Browser()
        browser.get(url)
        assert "MODIFIÉ EN DIRECT" not in browser.js("return document.body.innerText")
        po = project / "translations/fr/LC_MESSAGES/hld-series.po"
        text = po.read_text(encoding="utf-8")
        edited = text.replace(
            'msgstr ""\n"Série de tables rondes consacrée',
            'msgstr ""\n"MODIFIÉ EN DIRECT Série de tables rondes consacrée',
            1,
        )
        assert edited != text
        saved = time.monotonic()
        po.write_text(edited, encoding="utf-8")
        while "MODIFIÉ EN DIRECT" not in browser.js("return document.body.innerText"):
            if time.monotonic() - saved > 120 or server.poll() is not None:
                server.terminate()
                pytest.fail("the page did not reload with the edit: " + server.communicate(timeout=10)[0])
            time.sleep(0.25)
        print(f"edit visible {time.monotonic() - saved:.1f} s after the save")
    finally:
        if browser is not None:
            browser.quit()
        server.terminate()
        server.wait(timeout=10)
