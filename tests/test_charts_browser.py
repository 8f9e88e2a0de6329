"""The charts in headless Chromium, against the built site: a chart's numbers equal the table's
(and the engine's in CPython), the ranking sorts by any column and stays sorted as it is
recomputed, the pictures come from the worker under the page's Content-Security-Policy, and the
model pages carry their price history. Screenshots: tests/artifacts/charts-*.png."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from calculator import api, display
from hooks.data.load import load_catalog
from sitebuild import data_date
from test_browser import ARTIFACTS, CSP_WATCH, READY, Watch, field, fill

REPO = Path(__file__).resolve().parent.parent
DAY = data_date(REPO / "data").isoformat()


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(REPO / "data").catalog


def tiered(catalog):
    """A model callable on the data's day with a context tier: its curve has a cliff."""
    return next(m for m in catalog.models if m.callable_on(DAY) and m.status_on(DAY) == "active" and m.prices.tiers)


@pytest.fixture(scope="module")
def page(chromium, site_url):
    ctx = chromium.new_context(viewport={"width": 1366, "height": 900})
    ctx.add_init_script(CSP_WATCH)
    p = ctx.new_page()
    p.watch = Watch(p)
    p.goto(f"{site_url}calculator/")
    expect(p.locator(READY)).to_be_visible(timeout=60_000)
    yield p
    assert p.watch.exceptions == [] and p.watch.errors == [], (p.watch.exceptions, p.watch.errors)
    assert p.evaluate("window.__csp") == []
    ctx.close()


def bars(page, chart):
    """{(label, series): (data-value, the value text at the bar's end)} of a bars chart."""
    return {(b["label"], b["series"]): (b["value"], b["text"]) for b in page.locator(f"{chart} rect.pb-bar").evaluate_all(
        "rs => rs.map(r => ({label: r.dataset.label, series: +r.dataset.series, value: r.dataset.value, "
        "text: r.nextElementSibling.textContent}))")}


def test_the_result_charts_show_the_tables_figures(page, catalog):
    model = tiered(catalog)
    threshold = model.prices.tiers[0].above
    workload = {"model": model.slug, "input": threshold + 50_000, "cache_read": 100_000, "cache_write_5m": 0,
                "cache_write_1h": 0, "output": 3000, "requests": 4}
    fill(page, workload)
    view = api.estimate_view(catalog, {**workload, "at": DAY})
    first = next(r for r in view["rows"] if r["tokens"])
    page.locator('[data-chart="buckets"]').scroll_into_view_if_needed()   # drawn when on screen
    buckets = '[data-chart="buckets"] svg'
    expect(page.locator(f'{buckets} rect[data-label="{first["label"]}"][data-series="1"]')).to_have_attribute(
        "data-value", first["official"]["exact"])
    shown = bars(page, buckets)
    rows = [r for r in view["rows"] if r["tokens"]]
    assert len(shown) == 2 * len(rows)
    for r in rows:
        cells = page.locator(f'#pb-breakdown tr[data-bucket="{r["bucket"]}"]')
        for series, side in ((0, "gateway"), (1, "official")):
            value, text = shown[(r["label"], series)]
            assert value == r[side]["exact"]                                              # the engine's exact figure
            assert text == cells.locator(f'[data-c="{side}.display"]').text_content()    # the table's cell
    # cost against prompt length: this prompt's point is the per-request figure; the cliff sits at
    # the model's threshold, the wall at its window
    curve = page.locator('[data-chart="curve"] svg')
    here = curve.locator(f'circle[data-series="{display.OFFICIAL}"][data-x="{workload["input"]}"]')
    expect(here).to_have_attribute("data-value", view["per_request"]["official"]["exact"])
    expect(curve.locator(".pb-mark--cliff")).to_have_attribute("data-x", str(threshold))
    wall, _ = api.prompt_points(catalog, model, api.Usage(**view["usage"]), DAY, api._modifiers(workload, []))
    expect(curve.locator(".pb-mark--wall")).to_have_attribute("data-x", str(wall))
    assert curve.locator(f'circle[data-x="{threshold}"]').first.get_attribute("cx") == \
        curve.locator(f'circle[data-x="{threshold + 1}"]').first.get_attribute("cx")
    assert curve.get_attribute("role") == "img" and model.name in curve.locator("title").first.text_content()


def test_the_ranking_chart_matches_its_table_and_the_table_sorts(page, catalog):
    workload = {"model": tiered(catalog).slug, "input": 40000, "cache_read": 0, "cache_write_5m": 0,
                "cache_write_1h": 0, "output": 900, "requests": 2}
    fill(page, workload)
    ranked = api.rank_view(catalog, {**workload, "at": DAY, "chart": True})
    chart = '[data-chart="rank"] svg'
    first = ranked["rows"][0]
    expect(page.locator(f'{chart} rect[data-series="0"]').first).to_have_attribute("data-value", first["gateway"]["exact"])
    shown = bars(page, chart)
    table = {r["name"]: r for r in page.locator("#pb-compare tbody tr").evaluate_all(
        "rs => rs.map(r => ({name: r.cells[1].firstChild.textContent.trim(), official: r.cells[4].textContent, "
        "gateway: r.cells[5].textContent}))")}
    assert len(shown) == ranked["chart"].count('class="pb-bar ') >= 2 * api.RANK_CHART_TOP   # CPython draws the same
    for (name, series), (value, text) in shown.items():
        assert text == table[name]["gateway" if series == 0 else "official"]
        row = next(r for r in ranked["rows"] if r["name"] == name)
        assert value == row["gateway" if series == 0 else "official"]["exact"]
    assert page.locator(f"{chart} .pb-current .pb-label").text_content() == tiered(catalog).name

    # Sortable by the pages' tablesort: "Gateway" twice -> dearest first; and it stays sorted when
    # the workload changes and the rows are rewritten.
    header = page.locator("#pb-compare thead th", has_text="Gateway")
    header.click()
    header.click()
    expect(header).to_have_attribute("aria-sort", "descending")

    def gateway_column():
        return [Decimal(v) for v in page.locator("#pb-compare tbody tr:not([data-fits=false])").evaluate_all(
            "rs => rs.map(r => r.cells[5].textContent.replace(/[$,]/g, ''))")]
    values = gateway_column()
    assert values == sorted(values, reverse=True) and values[0] > values[-1]
    field(page, "output").fill("5000")
    new_first = api.rank_view(catalog, {**workload, "output": 5000, "at": DAY})["rows"][0]
    expect(page.locator(f'{chart} rect[data-series="0"]').first).to_have_attribute("data-value", new_first["gateway"]["exact"])
    values = gateway_column()
    assert values == sorted(values, reverse=True)


def test_model_pages_show_their_price_history(chromium, site_url, catalog):
    model = next(m for m in catalog.models if len(api.timeline(m)) > 2)
    ctx = chromium.new_context(viewport={"width": 1366, "height": 900})
    ctx.add_init_script(CSP_WATCH)
    p = ctx.new_page()
    p.goto(f"{site_url}models/{model.slug}/")
    view = api.history_view(catalog, model, DAY)
    chart = p.locator("#pb-chart-history")
    expect(chart).to_be_visible()
    points = chart.locator(f'circle[data-series="{display.rate_series("Input", "official")}"]').evaluate_all(
        "cs => cs.map(c => c.dataset.value)")
    cells = p.locator("xpath=//div[contains(@class, 'pb-chart-box')]/following::table[1]").locator("tbody tr").evaluate_all(
        "rs => rs.map(r => r.cells[1].textContent)")
    assert [display.rate(Decimal(v)) for v in points] == cells == [r["official_input_text"] for r in view["rows"]]
    assert p.evaluate("window.__csp") == []
    ctx.close()


@pytest.mark.parametrize("width,height", [(1366, 900), (390, 844)])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_the_charts(chromium, site_url, catalog, width, height, scheme):
    """The pictures on a desktop and a phone, light and dark (looked at by hand): each is drawn
    inside the screen's width and its text is painted in a color that differs from the page's."""
    ARTIFACTS.mkdir(exist_ok=True)
    ctx = chromium.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    p = ctx.new_page()
    model = tiered(catalog)
    p.goto(f"{site_url}calculator/?model={model.slug}&input={model.prices.tiers[0].above + 30000}"
           "&cache_read=100000&output=3000&requests=5")
    expect(p.locator(READY)).to_be_visible(timeout=60_000)
    for name in ("buckets", "curve", "rank"):
        p.locator(f'[data-chart="{name}"]').scroll_into_view_if_needed()   # drawn when on screen
        expect(p.locator(f'[data-chart="{name}"]')).to_have_attribute("data-origin", "worker")
        svg = p.locator(f'[data-chart="{name}"] svg')
        expect(svg).to_be_visible()  # waits while the picture is being replaced or laid out
        # Measured in one turn of the page: the worker may swap the picture for a newer one at any
        # moment (a later ranking's reply), and a handle to the old one would have no box.
        box = p.locator(f'[data-chart="{name}"]').evaluate(
            "b => { const r = b.querySelector('svg').getBoundingClientRect(); return {x: r.x, width: r.width}; }")
        assert box["width"] > 0, f"{name} has no picture"
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{name} wider than the screen"
        colors = svg.evaluate("s => [getComputedStyle(s.querySelector('text')).fill, "
                              "getComputedStyle(document.body).backgroundColor]")
        assert colors[0] != colors[1]
    expect(p.locator('[data-chart="curve"] .pb-mark--cliff')).to_have_count(1)
    tag = f"{'desktop' if width > 1000 else 'phone'}-{scheme}"
    for name in ("buckets", "curve"):
        p.locator(f'[data-chart="{name}"]').scroll_into_view_if_needed()
        p.locator(f'[data-chart="{name}"] svg').screenshot(path=str(ARTIFACTS / f"charts-{name}-{tag}.png"))
    p.locator('[data-chart="buckets"]').scroll_into_view_if_needed()
    p.screenshot(path=str(ARTIFACTS / f"charts-calculator-{tag}.png"))
    p.locator("#pb-compare").scroll_into_view_if_needed()
    p.screenshot(path=str(ARTIFACTS / f"charts-ranking-{tag}.png"))
    p.goto(f"{site_url}models/{next(m for m in catalog.models if len(api.timeline(m)) > 2).slug}/")
    p.locator("#pb-chart-history").scroll_into_view_if_needed()
    p.screenshot(path=str(ARTIFACTS / f"charts-history-{tag}.png"))
    ctx.close()
