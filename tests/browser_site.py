"""The built site served on 127.0.0.1, and Debian's Chromium driven by Playwright, for the browser
tests (tests/test_browser.py, fixtures in tests/conftest.py) and bench/browser.py.

    site = build_site(tmp_dir)                       # tests/sitebuild.py: real mkdocs.yml, Pyodide
    with serve(site) as base:                        # "http://127.0.0.1:PORT/"
        ...
    with serve(site, hide=("assets/pyodide/",)) as base:   # as if Pyodide were not deployed
        ...
    browser = launch(playwright)                     # /usr/bin/chromium, offline-safe flags
"""
from __future__ import annotations

import contextlib
import email.utils
import functools
import http.server
import io
import os
import re
import shutil
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("PRICEBOOK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic",
                 # Chromium 156 builds its WebUI omnibox popup in a renderer of its own for every
                 # window, headless too: seconds of CPU that compete with the page being measured.
                 "--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup"]


def build_site(site_dir: Path) -> Path:
    """A strict in-process build of the repository's site (data/, docs/, mkdocs.yml, Pyodide
    vendored) into site_dir, by the shared helper tests/sitebuild.py."""
    from sitebuild import build_site as _build  # tests/ is on sys.path (pytest, bench/browser.py)

    return Path(_build(Path(site_dir)).site_dir)


class _Handler(http.server.SimpleHTTPRequestHandler):
    hide: tuple = ()
    replace: dict = {}
    precompressed: bool = False
    started: float = 0.0  # the Last-Modified time of the `replace` bodies

    def log_message(self, *args):  # quiet
        pass

    def send_head(self):
        path = self.path.split("?", 1)[0].lstrip("/")
        if any(path.startswith(prefix) for prefix in self.hide):
            self.send_error(404, "hidden for this test")
            return None
        if path in self.replace:
            return self._send(self.replace[path], path, self.started)
        if self.precompressed:  # as nginx brotli_static/gzip_static: x.br or x.gz for x, if there
            accept = self.headers.get("Accept-Encoding", "")
            local = Path(self.translate_path(self.path))
            for token, ext in (("br", ".br"), ("gzip", ".gz")):
                packed = local.with_name(local.name + ext)
                if token in accept and local.is_file() and packed.is_file():
                    return self._send(packed.read_bytes(), str(local), local.stat().st_mtime, token)
        return super().send_head()

    def _send(self, body, path, mtime, encoding=None):
        """200 with Last-Modified (a browser may cache it, as from any static host), or 304."""
        since = self.headers.get("If-Modified-Since")
        try:
            fresh = since and email.utils.parsedate_to_datetime(since).timestamp() >= int(mtime)
        except (TypeError, ValueError):
            fresh = False
        self.send_response(304 if fresh else 200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Last-Modified", self.date_time_string(mtime))
        if encoding:
            self.send_header("Content-Encoding", encoding)
            self.send_header("Vary", "Accept-Encoding")
        if fresh:
            self.end_headers()
            return None
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve(site_dir: Path, hide: tuple = (), replace: dict | None = None, precompressed: bool = False):
    """Serve site_dir on a free port of 127.0.0.1 in a thread; yields the base URL.
    `hide`: path prefixes (e.g. "assets/pyodide/") answered with 404; `replace`: {site path:
    bytes} served instead of the file (e.g. a bigger catalog.json); `precompressed`: answer with
    the build's x.br / x.gz when the browser accepts it (as a host configured per the README)."""
    replace = dict(replace or {})
    handler = type("Handler", (_Handler,), {"hide": tuple(hide), "replace": replace,
                                            "precompressed": precompressed, "started": time.time()})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site_dir)))
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    # Material's navigation.instant only intercepts links listed in sitemap.xml, by full URL
    # (site_url's port included): serve the sitemap as if the site were deployed here.
    sitemap = Path(site_dir) / "sitemap.xml"
    if sitemap.is_file() and "sitemap.xml" not in replace:
        text = sitemap.read_text(encoding="utf-8")
        locs = re.findall(r"<loc>([^<]+)</loc>", text)
        if locs:
            root = min(locs, key=len)
            replace["sitemap.xml"] = text.replace(root, base).encode()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def launch(playwright):
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Chromium is not at {CHROMIUM}: run `make chromium` (Debian's chromium package)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
