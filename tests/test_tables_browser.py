"""Issue 14 part 6 (tables) and issue 13 part 5 (pages) in headless Chromium: the models table's
filter box, price tables sorted by each cell's exact value, and the pricing pages' service tier
tables on a desktop and a 390 px phone (screenshots in tests/artifacts/, looked at by hand).
Expected rows come from the catalog in CPython, never from lists written here."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from hooks.data.load import load_catalog
from sitebuild import data_date

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "tests" / "artifacts"
DAY = data_date(REPO / "data").isoformat()
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(REPO / "data").catalog


@pytest.fixture(scope="module")
def tables_url(tmp_path_factory):
    """The site without the Pyodide copy (these pages never load it), served on 127.0.0.1."""
    from browser_site import serve
    from sitebuild import build_site
    site = build_site(tmp_path_factory.mktemp("tables-site") / "site", pyodide=False)
    with serve(site.site_dir) as base:
        yield base


@pytest.fixture()
def open_page(chromium, tables_url):
    """open_page(path, viewport) -> a page with no script error; closed after the test."""
    made = []

    def opener(path, viewport=DESKTOP):
        ctx = chromium.new_context(viewport=viewport)
        page = ctx.new_page()
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        page.goto(tables_url + path)
        page.wait_for_function("window.Tablesort && !document.querySelector('.pb-sortable table:not([data-pb-sortable])')")
        made.append((ctx, page))
        return page

    yield opener
    for ctx, page in made:
        assert page.errors == []
        ctx.close()


def visible_slugs(page):
    return page.locator(".pb-sortable table tbody tr:visible code.pb-slug").all_inner_texts()


def expected(catalog, words):
    """The callable models whose name, slug, provider, family or alias holds every word."""
    out = []
    for m in catalog.models:
        if m.status_on(DAY) in ("retired", "upcoming"):
            continue
        hay = " ".join([m.name, m.slug, m.provider_name, catalog.families[m.family].name, *m.aliases]).lower()
        if all(w in hay for w in words.lower().split()):
            out.append(m.slug)
    return sorted(out)


def test_the_filter_box_narrows_the_models_table(open_page, catalog):
    page = open_page("models/")
    box = page.get_by_label("Filter models")
    expect(box).to_be_visible()
    everything = sorted(visible_slugs(page))
    assert everything == expected(catalog, "")
    for words in ("sonnet", "DeepSeek", "gpt mini", "claude-sonnet-4.6"):
        box.fill(words)
        got = sorted(visible_slugs(page))
        assert got == expected(catalog, words) and 0 < len(got) < len(everything), words
    box.fill("claude-sonnet-4.6")       # an alias finds its model
    assert visible_slugs(page) == ["claude-sonnet-4-6"]
    box.fill("no such model")
    assert visible_slugs(page) == []
    expect(page.get_by_text("No model matches.")).to_be_visible()
    box.fill("")
    assert sorted(visible_slugs(page)) == everything
    expect(page.get_by_text("No model matches.")).to_be_hidden()


def column(page, table, header):
    """(exact value, text) of each body cell under `header`, in the order shown."""
    index = table.locator("thead th").all_inner_texts().index(header)
    cells = table.locator(f"tbody tr td:nth-child({index + 1})")
    return [(c.get_attribute("data-sort"), c.inner_text().strip()) for c in cells.all()]


def sort_by(page, table, header):
    table.locator("thead th").filter(has_text=re.compile(f"^{re.escape(header)}$")).click()


def test_money_columns_sort_by_their_exact_value(open_page):
    page = open_page("models/")
    table = page.locator(".pb-sortable table").first
    sort_by(page, table, "Output")
    cells = column(page, table, "Output")
    values = [Decimal(v) for v, _ in cells]
    assert values == sorted(values) and len(set(values)) > 5
    texts = [t for _, t in cells]
    # the same rates sorted as text would differ ($10.00 before $9.50): the order is by value
    assert sorted(texts) != texts
    ten = next((i for i, v in enumerate(values) if v >= 10), None)
    assert ten is not None and all(v < 10 for v in values[:ten])
    sort_by(page, table, "Output")      # the second click: dearest first
    assert [Decimal(v) for v, _ in column(page, table, "Output")] == sorted(values, reverse=True)
    sort_by(page, table, "Context")
    windows = [int(v) for v, _ in column(page, table, "Context")]
    assert windows == sorted(windows)


def test_not_offered_sorts_after_every_price(open_page):
    page = open_page("pricing/gemini/")
    table = page.locator("#service-tiers ~ .pb-sortable table").first
    expect(table.locator("thead th").first).to_have_text("Model")
    sort_by(page, table, "Flex input gateway")
    assert {t for _, t in column(page, table, "Flex input gateway")} == {"not offered"}
    sort_by(page, table, "Batch input gateway")
    values = [Decimal(v) for v, _ in column(page, table, "Batch input gateway")]
    assert values == sorted(values)


def test_every_price_table_on_the_pricing_and_model_pages_sorts(open_page, catalog):
    for path in ("pricing/claude/", "pricing/gemini/", "pricing/deepseek/", "pricing/cache/", "pricing/tracker/",
                 "models/claude-opus-5/", "models/deepseek-flash/"):
        page = open_page(path)
        tables = page.locator("article table")
        for i in range(tables.count()):
            t = tables.nth(i)
            heads = " ".join(t.locator("thead th").all_inner_texts())
            if "$" in t.locator("tbody").inner_text():
                assert t.get_attribute("data-pb-sortable") == "1", f"{path}: table {i} ({heads}) is not sortable"


def snap(page, selector, name):
    """A screenshot of the window with `selector` just below the header."""
    page.locator(selector).evaluate("e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 80)")
    page.wait_for_timeout(100)
    page.screenshot(path=str(ARTIFACTS / name))


def scroll(table, to):
    """Scroll the element that scrolls the table sideways (the table or a wrapper of Material's)."""
    table.evaluate("""(e, to) => {
      for (let s = e; s; s = s.parentElement) {
        if (s.scrollWidth > s.clientWidth + 1 && getComputedStyle(s).overflowX !== "visible") {
          s.scrollLeft = to === "end" ? s.scrollWidth : to; return;
        }
      }
    }""", to)


@pytest.mark.parametrize("viewport,name", [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_tier_tables_on_desktop_and_phone(open_page, viewport, name):
    """The service tier section of a family comparison: every money column reachable on a phone,
    the model's name pinned; screenshots for a look."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = open_page("pricing/gemini/", viewport)
    heading = page.locator("#service-tiers")
    heading.scroll_into_view_if_needed()
    table = page.locator("#service-tiers ~ .pb-sortable table").first
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    last = table.locator("tbody tr").first.locator("td").last
    scroll(table, "end")
    box = last.bounding_box()
    assert box and 0 <= box["x"] and box["x"] + box["width"] <= viewport["width"] + 1
    if name == "phone":
        first = table.locator("tbody tr").first.locator("td").first
        assert first.evaluate("e => getComputedStyle(e).position") == "sticky"
        fbox = first.bounding_box()
        assert fbox and fbox["x"] >= 0 and fbox["x"] < 40, "the model column stays at the left edge"
    scroll(table, 0)
    snap(page, "#service-tiers", f"pricing-tiers-{name}.png")
    index = open_page("pricing/", viewport)
    snap(index, "#service-tiers", f"pricing-index-tiers-{name}.png")


@pytest.mark.parametrize("viewport,name", [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_models_page_with_the_filter_screenshot(open_page, viewport, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page = open_page("models/", viewport)
    box = page.get_by_label("Filter models")
    box.fill("gemini")
    box_rect = box.bounding_box()
    assert box_rect and box_rect["x"] >= 0 and box_rect["x"] + box_rect["width"] <= viewport["width"]
    snap(page, ".pb-filter", f"models-filter-{name}.png")
