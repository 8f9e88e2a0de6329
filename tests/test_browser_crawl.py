"""Every page of the built site in Chromium (issue 14, "Done means"): each page of sitemap.xml is
opened, and every request it makes until it has loaded is answered from the site's own origin
without a 404, no page logs a console error or throws, and every link on every page leads to a page
that exists (the link's target fetched once, its #anchor found on that page). The calculator page's
engine start is watched by tests/test_browser.py.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(v for k, v in attrs if k in ("id", "name") and v)


class _Links(HTMLParser):
    def __init__(self, base):
        super().__init__()
        self.base, self.links = base, set()

        self.refresh = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.add(urljoin(self.base, attrs["href"]))
        if tag == "meta" and attrs.get("http-equiv") == "refresh":
            self.refresh = urljoin(self.base, attrs.get("content", "").partition("url=")[2])
            self.links.add(self.refresh)


def _pages(built_site, site_url):
    locs = re.findall(r"<loc>([^<]+)</loc>", (built_site / "sitemap.xml").read_text(encoding="utf-8"))
    root = min(locs, key=len)
    return [site_url + loc[len(root):] for loc in locs]


def test_every_page_loads_clean_from_its_own_origin_with_no_broken_link(chromium, built_site, site_url):
    pages = _pages(built_site, site_url)
    assert len(pages) > 80
    ctx = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    failures, off_origin, console, links = [], [], [], set()
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    # a request cut short by the next navigation (net::ERR_ABORTED, e.g. the search worker) is no failure
    page.on("requestfailed", lambda r: None if "ERR_ABORTED" in (r.failure or "") else failures.append(
        f"failed {r.url} ({r.failure})"))
    page.on("request", lambda r: None if r.url.startswith((site_url, "data:", "blob:")) else off_origin.append(r.url))
    page.on("console", lambda m: console.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(f"{page.url}: {e}"))
    client = chromium.new_context()
    for url in pages:
        parser = _Links(url)
        parser.feed(client.request.get(url).text())
        links.update(parser.links)
        page.goto(url)
        if parser.refresh:      # an alias page: it refreshes to its model page at once
            page.wait_for_url(parser.refresh)
            page.wait_for_load_state("load")
    page.goto("about:blank")
    ctx.close()
    assert failures == [] and off_origin == [] and console == []

    internal = {urldefrag(u) for u in links if u.startswith(site_url)}
    ids, missing = {}, []
    for target in sorted({u for u, _ in internal}):
        response = client.request.get(target)
        if response.status >= 400:
            missing.append(f"{response.status} {target}")
        elif "html" in response.headers.get("content-type", ""):
            parser = _Ids()
            parser.feed(response.text())
            ids[target] = parser.ids
    client.close()
    assert missing == []
    anchors = [f"{u}#{frag}" for u, frag in internal
               if frag and u in ids and frag not in ids[u]]
    assert anchors == []
    assert len(internal) > 150 and sum(1 for _, frag in internal if frag.startswith("cause-")) >= 30


def test_the_crawl_sees_a_broken_link(chromium, built_site, site_url):
    """The crawl's checks are not vacuous: a missing page answers 404 and a made-up anchor is not
    among a real page's ids."""
    client = chromium.new_context()
    assert client.request.get(urljoin(site_url, "errors/no-such-page/")).status == 404
    parser = _Ids()
    parser.feed(client.request.get(urljoin(site_url, "errors/out-of-balance/")).text())
    assert "cause-stale-key" in parser.ids and "cause-no-such-cause" not in parser.ids
    client.close()
