"""The site in a real browser: Debian's headless Chromium, driven through chromedriver's WebDriver API.

No driver package: chromedriver speaks W3C WebDriver over HTTP on loopback,
and the standard library's urllib is enough to drive it, so nothing is ever
downloaded (Selenium's own driver manager is never involved).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urlsplit
from urllib.request import url2pathname

import pytest

from polypress.content.reader import discover_documents
from polypress.serve import serve_in_background
from polypress.settings import read_settings
from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
#: Without the background-networking flags Chromium floods a closed network with refused connections.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--hide-scrollbars",
]
PROJECT = read_settings(ROOT)
LANGUAGES = list(PROJECT.languages)
DOCUMENTS = [d.slug for d in discover_documents(PROJECT.content_dir, ROOT)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """One Chromium session: just the WebDriver commands these tests use."""

    def __init__(self, accept_language: str = "en-US,en", javascript: bool = True) -> None:
        for program in (CHROMIUM, CHROMEDRIVER):
            assert program.exists(), (
                f"{program} is missing: run `make setup` (Debian packages chromium, chromium-driver)"
            )
        self.port = _free_port()
        self.profile = tempfile.mkdtemp(prefix="polypress-chromium-")
        self.driver = subprocess.Popen(
            [str(CHROMEDRIVER), f"--port={self.port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                self._call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        prefs = {"intl.accept_languages": accept_language}
        if not javascript:
            prefs["profile.managed_default_content_settings.javascript"] = 2
        options = {
            "binary": str(CHROMIUM),
            "args": [*CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "--window-size=1280,900"],
            "prefs": prefs,
        }
        capabilities = {"browserName": "chrome", "goog:chromeOptions": options, "goog:loggingPrefs": {"browser": "ALL"}}
        session = self._call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        self.session = f"/session/{session['sessionId']}"

    def _call(self, method: str, path: str, body: dict | None = None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return json.loads(response.read())["value"]
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"WebDriver {method} {path}: {exc.read().decode()}") from None

    def get(self, url: str) -> None:
        self._call("POST", f"{self.session}/url", {"url": url})

    @property
    def url(self) -> str:
        return self._call("GET", f"{self.session}/url")

    def js(self, script: str, *args):
        return self._call("POST", f"{self.session}/execute/sync", {"script": script, "args": list(args)})

    def click(self, selector: str) -> None:
        element = self._call("POST", f"{self.session}/element", {"using": "css selector", "value": selector})
        self._call("POST", f"{self.session}/element/{next(iter(element.values()))}/click", {})

    def console(self) -> list[dict]:
        """Browser log entries since the last call (console messages, failed loads, script errors)."""
        return self._call("POST", f"{self.session}/se/log", {"type": "browser"})

    def resize(self, width: int, height: int) -> None:
        self._call("POST", f"{self.session}/window/rect", {"width": width, "height": height})

    def screenshot(self, path: Path, width: int = 1280) -> Path:
        """The whole page, not just the window: the window is made as tall as the page first."""
        self.resize(width, 900)
        height = self.js("return document.documentElement.scrollHeight")
        self.resize(width, min(max(height + 140, 600), 6000))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(self._call("GET", f"{self.session}/screenshot")))
        self.resize(1280, 900)
        return path

    def quit(self) -> None:
        try:
            self._call("DELETE", self.session)
        finally:
            self.driver.terminate()
            self.driver.wait(timeout=30)
            shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def served(site):
    server, base = serve_in_background(site)
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    chromium = Browser()
    yield chromium
    chromium.quit()


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method="GET"), timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture(scope="module")
def crawl(browser, served):
    """Every page reachable from the root, as the browser saw it: its links and its console messages."""
    pages: dict[str, dict] = {}
    queue = [served + "index.html#languages"]  # the hash keeps the chooser from redirecting
    browser.console()
    while queue:
        url, _ = urldefrag(queue.pop(0))
        if url in pages:
            continue
        browser.get(url)
        links = browser.js(
            "return Array.from(document.querySelectorAll('a[href], link[href], script[src], img[src]'))"
            ".map(e => e.href || e.src)"
        )
        pages[url] = {
            "links": links,
            "console": browser.console(),
            "lang": browser.js("return document.documentElement.lang"),
        }
        for link in links:
            target, _ = urldefrag(link)
            if target.startswith(served) and target.endswith(".html") and target not in pages:
                queue.append(target)
    return pages


def test_the_browser_reaches_every_page_from_the_root(crawl, served):
    for code in LANGUAGES:
        assert f"{served}{code}/index.html" in crawl
        for slug in DOCUMENTS:
            assert f"{served}{code}/{slug}.html" in crawl


def test_every_link_and_pdf_resolves(crawl, served):
    targets = {urldefrag(link)[0] for page in crawl.values() for link in page["links"]}
    local = sorted(t for t in targets if t.startswith(served))
    assert any(t.endswith(".pdf") for t in local) and any(t.endswith(".zip") for t in local)
    # "data:," is the empty icon that stops browsers asking for /favicon.ico; a document's
    # images are carried inside its page.
    inside = ("data:,", "data:image/")
    outside = sorted(t for t in targets if not t.startswith(served) and not t.startswith(inside))
    assert outside == [], "the site links outside itself"
    broken = [t for t in local if _status(t) != 200]
    assert broken == []


def test_no_page_logs_a_console_error(crawl):
    errors = {
        url: [e["message"] for e in page["console"] if e["level"] in ("SEVERE", "WARNING")]
        for url, page in crawl.items()
    }
    assert {url: found for url, found in errors.items() if found} == {}


@pytest.mark.parametrize("slug", DOCUMENTS)
def test_the_language_switcher_stays_on_the_same_document(browser, served, slug):
    for source, target in [("en", code) for code in LANGUAGES if code != "en"] + [("ar", "en")]:
        browser.get(f"{served}{source}/{slug}.html")
        browser.click(f'.language-switcher a[hreflang="{target}"]')
        assert browser.url == f"{served}{target}/{slug}.html"
        assert browser.js("return document.documentElement.lang") == target


def test_the_chooser_sends_a_browser_to_its_preferred_language(served):
    french = Browser(accept_language="fr-FR,fr")
    try:
        french.get(served + "index.html")
        for _ in range(50):
            if french.url.endswith("/fr/index.html"):
                break
            time.sleep(0.1)
        assert french.url == f"{served}fr/index.html"
    finally:
        french.quit()


def test_the_chooser_works_with_javascript_off(served):
    plain = Browser(accept_language="fr-FR,fr", javascript=False)
    try:
        plain.get(served + "index.html")
        assert plain.url == served + "index.html"  # no redirect without script
        plain.click('.language-choices a[hreflang="es"]')
        assert plain.url == f"{served}es/index.html"
        assert plain.js("return document.documentElement.lang") == "es"
    finally:
        plain.quit()


def test_arabic_reads_right_to_left(browser, served):
    browser.get(f"{served}ar/a-res-68-4.html")
    assert browser.js("return getComputedStyle(document.body).direction") == "rtl"
    # The title starts at the right edge of the column, where an Arabic reader looks first.
    main_right, title_right, title_left, main_left = browser.js(
        "const m = document.querySelector('main').getBoundingClientRect();"
        "const r = document.createRange(); r.selectNodeContents(document.querySelector('h1'));"
        "const rects = Array.from(r.getClientRects());"
        "return [m.right, Math.max(...rects.map(x => x.right)), Math.min(...rects.map(x => x.left)), m.left]"
    )
    assert main_right - title_right < 40 and title_left - main_left > 0


@pytest.mark.parametrize("code", ["en", "ar", "zh"])
def test_a_phone_never_scrolls_sideways(browser, served, code):
    browser.resize(390, 844)
    try:
        for page in ["index.html", *(f"{slug}.html" for slug in DOCUMENTS)]:
            browser.get(f"{served}{code}/{page}")
            overflow = browser.js("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{code}/{page} is {overflow}px too wide for a phone"
    finally:
        browser.resize(1280, 900)


@pytest.mark.parametrize("width", [390, 1000])
def test_the_status_page_scrolls_its_table_not_the_page(browser, served, width):
    """Twelve columns do not fit a reading column: the table scrolls in its own region, which a keyboard
    can reach (tabindex) and a screen reader names; the page itself never scrolls sideways."""
    browser.resize(width, 900)
    try:
        browser.get(f"{served}status.html")
        overflow = browser.js("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"status.html is {overflow}px too wide at {width}px"
        region = browser.js(
            "const r = document.querySelector('.status-table');"
            "return [r.tabIndex, r.getAttribute('role'), r.getAttribute('aria-label'), r.scrollWidth > r.clientWidth,"
            " r.querySelectorAll('tbody tr').length]"
        )
        tab_index, role, label, scrolls, rows = region
        assert (tab_index, role) == (0, "region") and label
        assert scrolls and rows > 0  # the table is wider than its region: it scrolls there
    finally:
        browser.resize(1280, 900)


def test_screenshots_of_each_landing_page(browser, served, built_project):
    """Written for review: desktop for every language, phone for the right-to-left and CJK pages."""
    folder = Path(os.environ.get("POLYPRESS_SCREENSHOTS") or built_project / "build" / "screenshots")
    written = []
    for code in LANGUAGES:
        browser.get(f"{served}{code}/index.html")
        written.append(browser.screenshot(folder / f"landing-{code}.png"))
    for code in ("ar", "zh"):
        browser.get(f"{served}{code}/index.html")
        written.append(browser.screenshot(folder / f"landing-{code}-phone.png", width=390))
    browser.get(f"{served}ar/a-res-68-4.html")
    written.append(browser.screenshot(folder / "document-ar.png"))
    for path in written:
        assert path.read_bytes().startswith(b"\x89PNG") and path.stat().st_size > 10_000
    print(f"screenshots in {folder}")


def test_a_file_url_copy_under_any_prefix_works(browser, site, tmp_path):
    copy = tmp_path / "some" / "deep prefix" / "site"
    shutil.copytree(site, copy)
    for page in ["index.html#languages", "en/index.html", "ar/a-res-68-4.html", "fr/hld-series.html"]:
        browser.get((copy / page.split("#")[0]).as_uri() + ("#languages" if "#" in page else ""))
        # The stylesheet applied: the reading column is 46rem wide, not the browser's full width.
        assert browser.js("return getComputedStyle(document.querySelector('main')).maxWidth") == "736px"
        links = browser.js("return Array.from(document.querySelectorAll('a[href], link[href]')).map(e => e.href)")
        for link in links:
            if link == "data:,":
                continue
            parts = urlsplit(link)
            assert parts.scheme == "file", link
            assert Path(url2pathname(parts.path)).is_file(), f"{page}: {link} does not exist"


def test_printing_a_page_drops_the_navigation(browser, served):
    browser.get(f"{served}fr/a-res-68-4.html")
    browser._call(
        "POST",
        f"{browser.session}/goog/cdp/execute",
        {"cmd": "Emulation.setEmulatedMedia", "params": {"media": "print"}},
    )
    try:
        hidden = browser.js(
            "return ['.site-header', '.site-footer', '.skip-link']"
            ".map(s => getComputedStyle(document.querySelector(s)).display)"
        )
        assert hidden == ["none", "none", "none"]
        assert browser.js("return getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    finally:
        browser._call(
            "POST",
            f"{browser.session}/goog/cdp/execute",
            {"cmd": "Emulation.setEmulatedMedia", "params": {"media": ""}},
        )
