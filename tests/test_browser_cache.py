"""Issue 13 in Chromium: "Should I cache?" shows calculator.api.cache_view's figures (the same
engine in Pyodide as in CPython here), and a pasted usage object sets the service tier, residency
and web-search controls to what was served (priced as `pricebook estimate --usage` prices it).
Harness and fixtures: tests/test_browser.py (the built site, one Chromium)."""
import json
import subprocess
import sys

from playwright.sync_api import expect

from calculator import api
from test_browser import (ARTIFACTS, REPO, _painted, calc, calc_page, catalog, context,  # noqa: F401
                          field, message, shown)

CACHE = {"prefix": "Prefix tokens (P)", "reuses": "Reuses (R)", "minutes": "Over minutes (T)",
         "fresh": "Fresh input per request"}


def cache_rows(page):
    return page.locator("#pb-cache-table tbody tr").evaluate_all(
        "rows => rows.map(r => [r.dataset.option, ...[...r.cells].map(c => c.textContent)])")


def expect_cache_view(page, catalog, args):
    """The section shows exactly what api.cache_view answers in CPython for the same fields."""
    view = api.cache_view(catalog, args)
    assert view["errors"] == [], view["errors"]
    want = [[r["key"], r["label"], r["official"]["display"], r["gateway"]["display"], r["saving_text"],
             r["break_even_text"], r["note"]] for r in view["rows"]]
    expect(page.get_by_test_id("cache-answer")).to_have_text(view["answer"])
    expect(page.locator("#pb-cache")).to_have_attribute("data-origin", "worker")
    page.wait_for_function("n => document.querySelectorAll('#pb-cache-table tbody tr').length === n", arg=len(want))
    assert cache_rows(page) == want
    expect(page.locator('#pb-cache [data-cf="span_text"]')).to_have_text(view["span_text"])
    # The picture: one bar per option and side, each the table's exact figure.
    bars = page.locator("#pb-cache-picture rect.pb-bar").evaluate_all(
        "bars => bars.map(b => [b.dataset.label, b.dataset.series, b.dataset.value])")
    want_bars = [[r["label"], str(side), r[key]["exact"]] for side, key in enumerate(("gateway", "official"))
                 for r in view["rows"] if r[key]["exact"] is not None]
    assert sorted(bars) == sorted(want_bars)
    return view


def test_cache_section_shows_the_engine_figures(calc, catalog):
    page = calc
    field(page, "model").select_option("claude-sonnet-4-6")
    field(page, "input").fill("60000")
    field(page, "output").fill("1500")
    for name, value in {"prefix": "50000", "reuses": "9", "minutes": "30", "fresh": "2000"}.items():
        page.get_by_label(CACHE[name], exact=True).fill(value)
    args = {"model": "claude-sonnet-4-6", "input": "60000", "output": "1500", "prefix": "50000", "reuses": "9",
            "minutes": "30", "fresh": "2000"}
    view = expect_cache_view(page, catalog, args)
    assert [r["key"] for r in view["rows"]] == ["none", "5m", "1h"]
    assert view["answer"].startswith("Yes: the 5-minute cache pays from the 1st reuse")
    # Further apart than 5 minutes: the 5-minute cache expires between requests, the 1-hour one wins.
    page.get_by_label(CACHE["minutes"], exact=True).fill("90")
    view = expect_cache_view(page, catalog, {**args, "minutes": "90"})
    assert view["best"] == "1h"
    # The service tier above applies to the cache figures too.
    page.locator("#pb-mode").select_option("batch")
    expect_cache_view(page, catalog, {**args, "minutes": "90", "mode": "batch"})
    # An OpenAI model whose 30-minute writes cost more than input: no 12-hour row, and why.
    page.locator("#pb-mode").select_option("standard")
    field(page, "model").select_option("gpt-6.1-terra")
    view = expect_cache_view(page, catalog, {**args, "model": "gpt-6.1-terra", "minutes": "90"})
    expect(page.locator('#pb-cache [data-cf="omitted_text"]')).to_have_text(view["omitted_text"])
    # A bad count gets its message at the field; the figures stay, marked stale.
    page.get_by_label(CACHE["reuses"], exact=True).fill("0")
    expect(page.locator('[data-cache-msg-for="reuses"]')).to_contain_text("at least 1")
    expect(page.locator("#pb-cache")).to_have_attribute("data-stale", "true")
    page.get_by_label(CACHE["reuses"], exact=True).fill("9")
    expect(page.locator("#pb-cache")).to_have_attribute("data-stale", "false")
    # The link carries the section's fields.
    page.locator("#pb-copy-link").click()
    assert "prefix=50000" in page.url and "minutes=90" in page.url

    # One picture of the section (desktop), looked at by hand: tests/artifacts/calculator-cache.png.
    field(page, "model").select_option("claude-sonnet-4-6")
    page.get_by_label(CACHE["minutes"], exact=True).fill("30")
    expect_cache_view(page, catalog, args)
    ARTIFACTS.mkdir(exist_ok=True)
    section = page.locator("#pb-cache")
    section.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "calculator-cache.png"), full_page=False,
                    clip={**section.bounding_box(), "y": section.bounding_box()["y"] - 60,
                          "height": section.bounding_box()["height"] + 60})
    for selector in ('[data-testid="cache-answer"]', '#pb-cache-table tr[data-option="5m"] td:nth-child(2)',
                     '#pb-cache-table tr[data-option="1h"] td:nth-child(5)'):
        assert _painted(page, selector), f"{selector} is not visible"
    assert page.locator("#pb-cache-picture").count() == 1
    for name in CACHE:
        page.get_by_label(CACHE[name], exact=True).fill("")


def test_paste_sets_the_served_tier_residency_and_searches(calc, tmp_path):
    page = calc
    box = page.get_by_label("Paste a usage object or a log line", exact=True)
    usage = {"id": "msg_1", "usage": {"input_tokens": 20000, "output_tokens": 800, "service_tier": "batch",
                                      "inference_geo": "us"}}
    field(page, "model").select_option("claude-opus-5")
    field(page, "requests").fill("1")   # the CLI prices the one request the object describes
    box.fill(json.dumps(usage))
    expect(page.locator("#pb-mode")).to_have_value("batch")
    expect(page.locator("#pb-residency")).to_have_value("us")
    expect(message(page, "paste")).to_have_text("Filled from an Anthropic usage object. Served: batch tier, us residency.")
    # Priced as the CLI's --usage prices the same object: the tier that was served.
    path = tmp_path / "usage.json"
    path.write_text(json.dumps(usage))
    proc = subprocess.run([sys.executable, "-c", "from hooks.cli import main; raise SystemExit(main())", "estimate",
                           "--model", "claude-opus-5", "--usage", str(path), "--json"],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert (summary["mode"], summary["residency"]) == ("batch", "us")
    gateway, official = shown(summary)
    expect(page.get_by_test_id("total-gateway")).to_have_text(gateway)
    expect(page.get_by_test_id("total-official")).to_have_text(official)
    expect(page.locator('[data-f="residency_text"]')).to_have_text("us residency: 1.1\u00d7 every token rate.")

    # OpenAI puts the served tier beside `usage`; web searches set their control too.
    box.fill(json.dumps({"service_tier": "priority", "usage": {"prompt_tokens": 20000, "completion_tokens": 800,
                                                                "server_tool_use": {"web_search_requests": 3}}}))
    expect(page.locator("#pb-mode")).to_have_value("priority")
    expect(page.locator("#pb-web_searches")).to_have_value("3")
    expect(page.locator("#pb-residency")).to_have_value("us")   # not stated: left as it was
    for sel, value in (("#pb-mode", "standard"), ("#pb-residency", ""), ("#pb-web_searches", "")):
        if sel == "#pb-mode":
            page.locator(sel).select_option(value)
        else:
            page.locator(sel).fill(value)
    box.fill("")


def test_the_what_if_line_follows_the_totals(calc, catalog):
    """The "what if" line comes in its own worker call once the totals are shown, and says what
    api.estimate_view says in CPython for the same form; it follows every change of the form."""
    page = calc
    form_args = "() => Object.fromEntries(new FormData(document.getElementById('pb-calculator')))"
    field(page, "model").select_option("claude-opus-5")
    page.locator("#pb-mode").select_option("standard")
    for value, mode in (("100000", "standard"), ("250000", "standard"), ("250000", "batch")):
        page.locator("#pb-mode").select_option(mode)
        field(page, "input").fill(value)
        expect(page.get_by_test_id("total-gateway")).to_have_text(
            api.estimate_view(catalog, page.evaluate(form_args))["total"]["gateway"]["display"])
        want = api.estimate_view(catalog, page.evaluate(form_args))["what_if"]
        assert want.startswith("What if (official price): " + ("batch" if mode == "standard" else "standard"))
        expect(page.get_by_test_id("what-if")).to_have_text(want)
