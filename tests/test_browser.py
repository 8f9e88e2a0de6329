"""The calculator page and the error lookup in headless Chromium, against the built site.

The site is built once (the real mkdocs.yml and data/, Pyodide vendored) and served on
127.0.0.1; one Chromium runs every test. Expected figures come from the `pricebook` CLI and the
engine in CPython, never from numbers written here, so the browser, the CLI and the build are
checked against each other.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from calculator import api, vectors
from calculator.display import usd as format_usd
from hooks.data.load import load_catalog
from hooks.sitegen.pages.calculator import DEFAULT_WORKLOAD, default_model
from sitebuild import data_date

REPO = Path(__file__).resolve().parent.parent
# The site is built for the data's own date (tests/sitebuild.py); the page, once its engine runs,
# and the CLI price for today: the same day unless a price change falls in between.
DAY = data_date(REPO / "data").isoformat()
ARTIFACTS = REPO / "tests" / "artifacts"
READY = "#pb-status[data-state=ready]"
LABELS = {  # the visible label of each field, as the issue fixes them
    "model": "Model", "input": "Input tokens", "cache_read": "Cache read tokens",
    "cache_write_5m": "Cache write tokens (5 min)", "cache_write_1h": "Cache write tokens (1 hour)",
    "output": "Output tokens", "requests": "Requests", "balance": "Balance (USD)", "at": "Prices on",
}
CLI_OPTIONS = {"input": "--input", "cache_read": "--cache-read", "cache_write_5m": "--cache-write",
               "cache_write_1h": "--cache-write-1h", "output": "--output", "requests": "--requests",
               "at": "--at"}
CSP_WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


# ---- helpers -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def catalog():
    result = load_catalog(REPO / "data")
    assert result.catalog is not None, "\n".join(map(str, result.problems))
    return result.catalog


def cli_estimate(model, workload):
    """`pricebook estimate --json` on the default data: what the page's totals must equal."""
    argv = ["estimate", "--model", model, "--json"]
    for name, option in CLI_OPTIONS.items():
        if name in workload:
            argv += [option, str(workload[name])]
    script = Path(sys.executable).with_name("pricebook")
    cmd = [str(script)] if script.exists() else [sys.executable, "-c", "from hooks.cli import main; raise SystemExit(main())"]
    proc = subprocess.run(cmd + argv, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def shown(summary):
    """The two grand totals as the page must show them: the engine's display rule."""
    return (format_usd(Decimal(summary["gateway"]["total"])),
            format_usd(Decimal(summary["official"]["total"])))


class Watch:
    """Uncaught page exceptions and console errors of one page. A failed request to another host
    (Material's header fetches repository facts from GitHub; the tests run offline) is not one."""

    def __init__(self, page):
        self.exceptions, self.errors = [], []
        page.on("pageerror", lambda e: self.exceptions.append(str(e)))
        page.on("console", self._console)

    def _console(self, m):
        url = (m.location or {}).get("url", "")
        if m.type == "error" and not (m.text.startswith("Failed to load resource")
                                      and not url.startswith("http://127.0.0.1:")):
            self.errors.append(m.text)

    def csp(self):
        return [e for e in self.errors if "Content Security Policy" in e]


@pytest.fixture(scope="module")
def context(chromium):
    ctx = chromium.new_context(viewport={"width": 1280, "height": 1000})
    ctx.add_init_script(CSP_WATCH)
    yield ctx
    ctx.close()


@pytest.fixture()
def page(context):
    p = context.new_page()
    p.watch = Watch(p)
    yield p
    assert p.watch.exceptions == [], p.watch.exceptions
    p.close()


@pytest.fixture(scope="module")
def calc_page(context, site_url):
    """One calculator page (one Pyodide start) shared by the tests below that take `calc`."""
    p = context.new_page()
    p.watch = Watch(p)
    open_calculator(p, site_url)
    yield p
    p.close()


@pytest.fixture()
def calc(calc_page, catalog):
    """The shared calculator page, back at the default workload; no exception, no console error."""
    p = calc_page
    if not p.url.split("?")[0].endswith("/calculator/"):
        nav_to(p, "Calculator")
        expect(p.locator(READY)).to_be_visible()
    p.get_by_placeholder("Type to narrow the list").fill("")
    for name in ("paste", "prompt"):
        p.locator(f'#pb-calculator [name="{name}"]').fill("")
    p.get_by_label("Family", exact=True).select_option("")
    fill(p, {"model": default_model(catalog).slug, **DEFAULT_WORKLOAD, "balance": ""})
    expect_totals(p, default_model(catalog).slug, DEFAULT_WORKLOAD)
    yield p
    assert p.watch.exceptions == [], p.watch.exceptions
    assert p.watch.errors == [], p.watch.errors


def nav_to(page, title):
    """Follow the site's top-level navigation (the tabs under the header) to `title`."""
    page.locator(".md-tabs__link", has_text=title).first.click()


def open_calculator(page, site_url, query=""):
    page.goto(f"{site_url}calculator/{query}")
    expect(page.locator(READY)).to_be_visible(timeout=60_000)
    expect(page.locator("#pb-result")).to_have_attribute("data-origin", "worker")


def field(page, name):
    return page.get_by_label(LABELS[name], exact=True)


def fill(page, workload):
    for name, value in workload.items():
        if name == "model":
            field(page, name).select_option(value)
        else:
            field(page, name).fill(str(value))


def expect_totals(page, model, workload):
    gateway, official = shown(cli_estimate(model, workload))
    expect(page.get_by_test_id("total-gateway")).to_have_text(gateway)
    expect(page.get_by_test_id("total-official")).to_have_text(official)
    expect(page.locator("#pb-result")).to_have_attribute("data-stale", "false")
    return gateway, official


def message(page, name):
    return page.locator(f'[data-msg-for="{name}"]')


# ---- the page before and without Pyodide ---------------------------------------------------------

def test_build_time_figures_show_before_pyodide(built_site, site_url, chromium, catalog):
    """The default estimate and the compare table are in the HTML, equal to the CLI, with a
    visible loading state while the worker starts."""
    model = default_model(catalog).slug
    gateway, official = shown(cli_estimate(model, DEFAULT_WORKLOAD))
    html = (built_site / "calculator" / "index.html").read_text(encoding="utf-8")
    assert re.search(rf'data-testid="total-gateway"[^>]*>{re.escape(gateway)}<', html)
    assert re.search(rf'data-testid="total-official"[^>]*>{re.escape(official)}<', html)

    ctx = chromium.new_context()
    held = []
    ctx.route("**/assets/calculator/config.json", lambda route: held.append(route))  # never answered
    page = ctx.new_page()
    watch = Watch(page)
    page.goto(f"{site_url}calculator/", wait_until="domcontentloaded")
    expect(page.locator("#pb-status")).to_have_attribute("data-state", "loading")
    expect(page.locator("#pb-status")).to_contain_text("Loading the calculator")
    expect(page.get_by_test_id("total-gateway")).to_have_text(gateway)
    expect(page.get_by_test_id("total-official")).to_have_text(official)
    expect(page.locator("#pb-compare tbody tr")).to_have_count(len([m for m in catalog.models if m.callable_on(DAY)]))
    for name, value in DEFAULT_WORKLOAD.items():
        expect(field(page, name)).to_have_value(str(value))
    assert watch.exceptions == []
    for route in held:
        route.abort()
    ctx.close()


@pytest.mark.parametrize("hidden", ["assets/pyodide/", "assets/calculator/worker.mjs"])
def test_pyodide_missing_keeps_figures_and_says_so(built_site, chromium, catalog, hidden):
    """Pyodide missing (the worker says "failed"), or the worker's own script (the worker made by
    the page's <head> fails to load, before the page logic runs): the same state, no exception."""
    from browser_site import serve
    model = default_model(catalog).slug
    gateway, official = shown(cli_estimate(model, DEFAULT_WORKLOAD))
    with serve(built_site, hide=(hidden,)) as base:
        ctx = chromium.new_context()
        page = ctx.new_page()
        watch = Watch(page)
        page.goto(f"{base}calculator/")
        status = page.locator("#pb-status")
        expect(status).to_have_attribute("data-state", "failed", timeout=30_000)
        expect(status).to_contain_text("could not start")
        expect(status).to_contain_text("computed when the site was built")
        field(page, "input").fill("123456")  # no worker: nothing changes, nothing throws
        page.wait_for_timeout(200)
        expect(page.get_by_test_id("total-gateway")).to_have_text(gateway)
        expect(page.get_by_test_id("total-official")).to_have_text(official)
        assert watch.exceptions == []
        ctx.close()


# ---- the calculator with Pyodide --------------------------------------------------------------

def test_labelled_fields_give_the_cli_totals(calc, catalog):
    page = calc
    for label in LABELS.values():
        expect(page.get_by_label(label, exact=True)).to_have_count(1)

    tiered = next(m for m in catalog.models if m.prices.tiers and m.status == "active")
    above = tiered.prices.tiers[0].above
    workload = {"model": tiered.slug, "input": above + 1, "cache_read": above // 2,
                "cache_write_5m": 1000, "cache_write_1h": 2000, "output": 3333, "requests": 7}
    fill(page, workload)
    expect_totals(page, tiered.slug, workload)
    expect(page.locator("#pb-result")).to_contain_text(f"long-context rates (above {above:,} tokens)")
    # Exactly the threshold is the base rate.
    field(page, "input").fill(str(above))
    expect_totals(page, tiered.slug, {**workload, "input": above})
    expect(page.locator("#pb-result")).to_contain_text("base rates")

    # A model without cache-write prices (writes billed as input), many requests, a balance.
    plain = next(m for m in catalog.models if m.prices.base.cache_write_5m is None)
    workload = {"model": plain.slug, "input": 12000, "cache_read": 4000, "cache_write_5m": 3000,
                "cache_write_1h": 0, "output": 800, "requests": 1000}
    fill(page, {**workload, "balance": "25"})
    expect_totals(page, plain.slug, workload)
    view = api.estimate_view(catalog, {**workload, "model": plain.slug, "balance": "25"})
    expect(page.locator("#pb-result")).to_contain_text(f"about {view['balance']['requests']:,} such requests")
    expect(page.locator("#pb-result")).to_contain_text(view["saving"]["display"])
    for row in view["rows"]:
        expect(page.locator(f'tr[data-bucket="{row["bucket"]}"] [data-c="gateway.display"]')).to_have_text(row["gateway"]["display"])


def test_state_round_trips_through_the_url(calc, catalog):
    slug = next(m.slug for m in catalog.models if m.family != default_model(catalog).family)
    family = catalog.models[-1].family
    workload = {"model": slug, "input": 90000, "cache_read": 60000, "cache_write_5m": 0,
                "cache_write_1h": 10000, "output": 4096, "requests": 3}
    fill(calc, {**workload, "balance": "12.50"})
    calc.get_by_label("Family", exact=True).select_option(family)
    gateway, official = expect_totals(calc, slug, workload)
    expect(calc).to_have_url(re.compile(r"[?&]family="))
    shared = calc.url
    for name, value in workload.items():
        assert f"{name}={value}" in shared, shared

    # Loading the link again (a reload is what a shared link does in another tab): the same
    # fields, the same figures.
    calc.reload()
    for name, value in {**workload, "balance": "12.50"}.items():
        expect(field(calc, name)).to_have_value(str(value))
    expect(calc.get_by_label("Family", exact=True)).to_have_value(family)
    expect(calc.locator(READY)).to_be_visible(timeout=60_000)
    expect(calc.get_by_test_id("total-gateway")).to_have_text(gateway)
    expect(calc.get_by_test_id("total-official")).to_have_text(official)
    expect(calc.locator("#pb-compare tbody tr")).to_have_count(len(catalog.family_models(family)))
    assert calc.url == shared

    # A link made by hand, or hostile: notes and messages at the fields, nothing thrown.
    calc.goto(shared.split("?")[0] + "?model=no-such-model&input=NaN&output=%3Cb%3E&family=nope")
    expect(calc.locator(READY)).to_be_visible(timeout=60_000)
    expect(message(calc, "model")).to_contain_text("does not list")
    expect(message(calc, "family")).to_contain_text("does not list")
    expect(message(calc, "input")).to_have_attribute("data-kind", "error")
    expect(message(calc, "output")).to_have_attribute("data-kind", "error")
    expect(field(calc, "cache_read")).to_have_value("")
    expect(calc.locator("#pb-result")).to_have_attribute("data-stale", "true")
    field(calc, "input").fill("1000")
    field(calc, "output").fill("10")
    expect_totals(calc, default_model(catalog).slug, {"input": 1000, "output": 10})
    expect(message(calc, "model")).to_contain_text("does not list")  # until a model is chosen


def test_paste_usage_or_log_line_fills_the_fields(calc):
    page = calc
    box = page.get_by_label("Paste a usage object or a log line", exact=True)
    box.fill(json.dumps({"id": "msg_1", "usage": {
        "input_tokens": 1200, "cache_read_input_tokens": 30000, "cache_creation_input_tokens": 2000,
        "cache_creation": {"ephemeral_5m_input_tokens": 500, "ephemeral_1h_input_tokens": 1500},
        "output_tokens": 500}}))
    expected = {"input": "33200", "cache_read": "30000", "cache_write_5m": "500", "cache_write_1h": "1500",
                "output": "500"}
    for name, value in expected.items():
        expect(field(page, name)).to_have_value(value)
    expect(message(page, "paste")).to_contain_text("Anthropic")

    box.fill("12,000 input, 800 output")
    for name, value in {"input": "12000", "cache_read": "0", "cache_write_5m": "0",
                        "cache_write_1h": "0", "output": "800"}.items():
        expect(field(page, name)).to_have_value(value)
    box.fill('{"prompt_tokens": 5000, "prompt_tokens_details": {"cached_tokens": 4096}, "completion_tokens": 77}')
    expect(field(page, "input")).to_have_value("5000")
    expect(field(page, "cache_read")).to_have_value("4096")
    expect(page.locator("#pb-result")).to_have_attribute("data-stale", "false")


def test_prompt_text_gives_a_labelled_token_estimate(calc):
    page = calc
    text = "The quick brown fox jumps over the lazy dog. " * 40
    expected = api.tokens_view(text)
    page.get_by_label("Prompt text, for a token estimate", exact=True).fill(text)
    out = page.locator("#pb-prompt-out")
    expect(out).to_contain_text(f"about {expected['tokens']:,} tokens")
    expect(out).to_contain_text("Estimate")
    expect(out).to_contain_text("Not a tokenizer count")
    page.get_by_role("button", name="Use as input tokens").click()
    expect(field(page, "input")).to_have_value(str(expected["tokens"]))


HOSTILE = ["NaN", "Infinity", "-Infinity", "1e309", "10000000000000", "-5", "12abc", "0x10",
           "<img src=x onerror=alert(1)>", "1.5", "1,2,3"]


def test_bad_input_gets_a_message_and_the_last_good_result_stays(calc, catalog):
    page = calc
    good = shown(cli_estimate(default_model(catalog).slug, DEFAULT_WORKLOAD))
    model = default_model(catalog).slug
    for name in ("input", "output", "requests", "cache_write_1h"):
        for bad in HOSTILE:
            field(page, name).fill(bad)
            errors = api.estimate_view(catalog, {**DEFAULT_WORKLOAD, "model": model, name: bad})["errors"]
            expect(message(page, name)).to_have_text(next(e["message"] for e in errors if e["field"] == name))
            expect(message(page, name)).to_have_attribute("data-kind", "error")
            expect(field(page, name)).to_have_attribute("aria-invalid", "true")
            expect(page.locator("#pb-result")).to_have_attribute("data-stale", "true")
            assert (page.get_by_test_id("total-gateway").inner_text(),
                    page.get_by_test_id("total-official").inner_text()) == good
        field(page, name).fill(str(DEFAULT_WORKLOAD[name]))
        expect(page.locator("#pb-result")).to_have_attribute("data-stale", "false")
        expect(message(page, name)).to_be_empty()

    # A cache part larger than the whole input: the message is at that part.
    field(page, "cache_read").fill(str(DEFAULT_WORKLOAD["input"] + 1))
    expect(message(page, "cache_read")).to_contain_text("larger than the whole input")
    expect(page.get_by_test_id("total-gateway")).to_have_text(good[0])
    field(page, "cache_read").fill(str(DEFAULT_WORKLOAD["cache_read"]))
    field(page, "requests").fill("0")
    expect(message(page, "requests")).to_contain_text("at least 1")
    field(page, "requests").fill(str(DEFAULT_WORKLOAD["requests"]))
    for bad in ("-3", "abc", "NaN", "1e400"):
        field(page, "balance").fill(bad)
        expect(message(page, "balance")).to_have_attribute("data-kind", "error")
    field(page, "balance").fill("")
    expect(page.locator("#pb-result")).to_have_attribute("data-stale", "false")

    # Empty counts as 0 (requests as 1), said at the field.
    field(page, "cache_write_5m").fill("")
    expect(message(page, "cache_write_5m")).to_have_text("empty: counts as 0")
    expect_totals(page, default_model(catalog).slug, {**DEFAULT_WORKLOAD, "cache_write_5m": 0})

    # The usage box: garbage, nothing usable, 1 MB of JSON. The fields stay as they were.
    box = page.get_by_label("Paste a usage object or a log line", exact=True)
    before = field(page, "input").input_value()
    for bad in ("{not json", "[]", "hello there", '{"prompt_tokens": -4}', '{"prompt_tokens": 1e309}',
                '{"usage": {"prompt_tokens": 1, "pad": "' + "x" * 1_100_000 + '"}}'):
        box.fill(bad)
        expect(message(page, "paste")).to_have_attribute("data-kind", "error")
        expect(field(page, "input")).to_have_value(before)
    expect(message(page, "paste")).to_contain_text("1 MB")
    # Deep JSON (issue 12): refused before it is parsed, and the engine lives on; keys of two
    # providers in one object are refused, naming the key that would be dropped.
    box.fill("[" * 100_000 + "]" * 100_000)
    expect(message(page, "paste")).to_contain_text("nests more than 32 levels deep")
    box.fill('{"prompt_tokens": 1000, "completion_tokens": 100, "cache_read_input_tokens": 800}')
    expect(message(page, "paste")).to_contain_text("cache_read_input_tokens does not belong")
    expect(field(page, "input")).to_have_value(before)
    box.fill('{"prompt_tokens": 4321, "completion_tokens": 12}')
    expect(field(page, "input")).to_have_value("4321")
    expect(page.locator(READY)).to_be_visible()
    box.fill("")
    field(page, "input").fill(before)

    text = page.locator("#pb-result").inner_text() + page.locator("#pb-compare").inner_text()
    assert "NaN" not in text and "undefined" not in text and "Infinity" not in text


def test_compare_table_sorted_and_filtered_by_family(calc, catalog):
    page = calc
    workload = {"input": 150000, "cache_read": 100000, "cache_write_5m": 0, "cache_write_1h": 0,
                "output": 5000, "requests": 2}
    fill(page, workload)
    ranked = api.rank_view(catalog, workload)["rows"]
    rows = page.locator("#pb-compare tbody tr")
    expect(rows.first.locator("td").nth(5)).to_have_text(ranked[0]["gateway"]["display"])
    expect(rows).to_have_count(len(ranked))
    assert rows.evaluate_all("rs => rs.map(r => r.dataset.slug)") == [r["slug"] for r in ranked]
    assert rows.evaluate_all("rs => rs.map(r => r.cells[5].textContent)") == \
        [r["gateway"]["display"] if r["fits"] else "" for r in ranked]

    family = next(iter(catalog.families))
    page.get_by_label("Family", exact=True).select_option(family)
    members = [r["slug"] for r in api.rank_view(catalog, {**workload, "family": family})["rows"]]
    expect(rows).to_have_count(len(members))
    assert rows.evaluate_all("rs => rs.map(r => r.dataset.slug)") == members
    page.get_by_label("Family", exact=True).select_option("")
    expect(rows).to_have_count(len(ranked))

    # The model list is grouped by family and narrows as you type.
    groups = page.locator("#pb-model optgroup")
    expect(groups).to_have_count(len({m.family for m in catalog.models}))
    needle = [m for m in catalog.models if m.callable_on(DAY)][-1].slug
    page.get_by_placeholder("Type to narrow the list").fill(needle)
    visible = page.locator("#pb-model option:not([hidden])").evaluate_all("os => os.map(o => o.value)")
    assert needle in visible and all(needle in v for v in visible)
    expect(field(page, "model")).to_have_value(visible[0])


def test_golden_vectors_agree_in_the_browser_worker(calc):
    """The vectors CPython (tests/test_engine.py) and Pyodide under Node run, through the real
    worker of the built site."""
    page = calc
    files = sorted((REPO / "tests" / "vectors").glob("*.json"))
    assert files
    total = 0
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        reply = page.evaluate("doc => window.pricebook.call('vectors', {document: doc})", doc)
        assert reply["ok"], reply
        assert reply["result"] == {"count": vectors.count(doc), "failures": []}, path.name
        total += reply["result"]["count"]
    assert total > 0


def test_error_lookup_links_the_right_family(page, site_url, catalog):
    page.goto(f"{site_url}errors/")
    box = page.get_by_label("Paste your error", exact=True)
    expect(box).to_be_visible()
    cases = [
        ('Error code: 402 - {"error": {"message": "Insufficient Balance", "type": "insufficient_balance"}}',
         "out-of-balance"),
        ("anthropic.BadRequestError: Error code: 400 - prompt is too long: 215000 tokens > 200000 maximum",
         "context-too-long"),
    ]
    for text, family in cases:
        best = api.errors_view(catalog, text)["matches"][0]
        assert best["family"] == family  # CPython agrees
        box.fill(text)  # answers as typed: no button, no worker (tests/test_errors_match_browser.py)
        first = page.locator(".pb-error-results > li").first
        expect(first).to_have_attribute("data-family", family)
        # the page, or the deciding cause's anchor on it when the text picks one
        href = f"{site_url}{(best['cause'] or best)['url']}"
        assert href.startswith(f"{site_url}errors/{family}/")
        assert first.locator("a").first.get_attribute("href") == href
    first.locator("a").first.click()
    expect(page).to_have_url(href)
    title = next(e["title"] for e in catalog.errors if e["id"] == cases[-1][1])
    expect(page.locator("h1")).to_contain_text(title.split(" (")[0])


def test_content_security_policy_holds_and_the_page_works(calc, built_site, catalog):
    html = (built_site / "calculator" / "index.html").read_text(encoding="utf-8")
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert meta, "the calculator page has no CSP meta tag"
    assert html.index("Content-Security-Policy") < html.index("<script"), "the policy comes after a script"
    policy = dict((d.split()[0], d.split()[1:]) for d in meta.group(1).split("; "))
    # One inline script, the worker start (first in <head>), and the policy allows that text only.
    inline = re.findall(r"<script(?![^>]*\b(?:src|type=\"application/json\"))[^>]*>(.*?)</script>", html, re.S)
    assert len(inline) == 1 and "new Worker(" in inline[0], inline
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'", f"'sha256-{digest}'"]
    assert html.index(inline[0]) < html.index("<script src="), "the worker start is not the first script"
    assert policy["worker-src"] == ["'self'"]
    assert "Content-Security-Policy" not in (built_site / "index.html").read_text(encoding="utf-8")

    # The shared page was loaded under the policy and has run every test so far: nothing blocked.
    field(calc, "output").fill("999")
    expect_totals(calc, default_model(catalog).slug, {**DEFAULT_WORKLOAD, "output": 999})
    assert calc.evaluate("window.__csp") == []
    assert calc.watch.csp() == []
    assert calc.evaluate("typeof window.__md_get") == "function"  # Material's code ran, from the file
    # the page logic took over the worker the <head> made: one worker, no second start
    assert calc.evaluate("window.pricebook.engine.starts") == 1
    assert calc.evaluate("window.__pb_early") is None
    assert len([w for w in calc.workers if w.url.endswith("/assets/calculator/worker.mjs")]) == 1


def _painted(page, selector):
    """True when the text of `selector` is drawn on the screenshot: the element's picture changes
    when its text alone is made transparent (a blank, hidden or covered figure does not)."""
    el = page.locator(selector).first
    el.scroll_into_view_if_needed()
    before = el.screenshot()
    el.evaluate("e => e.style.color = 'transparent'")
    try:
        after = el.screenshot()
    finally:
        el.evaluate("e => e.style.color = ''")
    return before != after


def test_screenshot(calc, catalog):
    """The calculator's picture shows the engine's totals with their labels, in the result area."""
    ARTIFACTS.mkdir(exist_ok=True)
    model = default_model(catalog).slug
    gateway, official = shown(cli_estimate(model, DEFAULT_WORKLOAD))
    expect(calc.get_by_test_id("total-gateway")).to_have_text(gateway)
    expect(calc.get_by_test_id("total-official")).to_have_text(official)
    calc.screenshot(path=str(ARTIFACTS / "calculator.png"), full_page=True)
    for selector in ('[data-testid="total-gateway"]', '[data-testid="total-official"]',
                     ".pb-total--gateway .pb-total-label", ".pb-total--official .pb-total-label",
                     '#pb-breakdown tr[data-bucket="output"] [data-c="gateway.display"]'):
        assert _painted(calc, selector), f"{selector} is not visible on the picture"
    labels = calc.locator(".pb-total-label").all_inner_texts()
    assert labels[:2] == [f"{catalog.site['brand']} price, all requests", "Official price, all requests"]


def test_survives_instant_navigation(calc, context, site_url, catalog):
    page = calc
    page.evaluate("window.__same_document = true")
    starts = page.evaluate("window.pricebook.engine.starts")
    nav_to(page, "Overview")
    expect(page).to_have_url(site_url)
    expect(page.locator("#pb-calculator")).to_have_count(0)
    nav_to(page, "Calculator")
    expect(page).to_have_url(re.compile(r"/calculator/"))
    expect(page.locator(READY)).to_be_visible()
    assert page.evaluate("window.__same_document") is True, "navigation.instant did a full reload"
    field(page, "input").fill("77777")
    expect_totals(page, default_model(catalog).slug, {**DEFAULT_WORKLOAD, "input": 77777})
    expect(page).to_have_url(re.compile(r"input=77777"))  # the link follows a moment later
    page.go_back()
    expect(page.locator("#pb-calculator")).to_have_count(0)
    page.go_forward()  # back to the calculator's last URL: its state comes back from the link
    expect(page.locator(READY)).to_be_visible()
    expect(field(page, "input")).to_have_value("77777")
    field(page, "output").fill("1234")
    expect_totals(page, default_model(catalog).slug, {**DEFAULT_WORKLOAD, "input": 77777, "output": 1234})
    assert page.evaluate("window.__same_document") is True
    assert page.evaluate("window.pricebook.engine.starts") == starts == 1, "a second worker was started"
    assert calc.evaluate("window.__csp") == []


def test_other_pages_do_not_load_pyodide(context, site_url):
    fetched = []
    plain = context.new_page()
    plain.on("request", lambda r: fetched.append(r.url))
    for path in ("", "models/", "pricing/"):
        plain.goto(site_url + path)
        plain.wait_for_load_state("networkidle")
    heavy = ("/assets/pyodide/", "worker.mjs", ".whl", "catalog.json", "config.json")
    assert [u for u in fetched if any(h in u for h in heavy)] == []
    plain.close()


def test_errors_index_loads_no_worker(built_site, context, site_url):
    """The lookup ranks in plain JavaScript: the troubleshooting index starts no worker and loads
    no Pyodide, neither from its <head> nor when the box is used."""
    head = (built_site / "errors" / "index.html").read_text(encoding="utf-8").split("</head>")[0]
    assert "new Worker(" not in head and "data-worker" not in head
    fetched = []
    page = context.new_page()
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(f"{site_url}errors/")
    page.get_by_label("Paste your error", exact=True).fill("429 out of balance")
    expect(page.locator(".pb-error-results li").first).to_have_attribute("data-family", "out-of-balance")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.pricebook.engine.starts") == 0
    assert not [u for u in fetched if "/assets/pyodide/" in u or "worker.mjs" in u]
    page.close()


def test_no_page_asks_another_origin_for_anything(context, site_url):
    """No web fonts, no repository stats, no CDN: every request stays on the site's own origin."""
    fetched = []
    page = context.new_page()
    page.on("request", lambda r: fetched.append(r.url))
    for path in ("", "models/", "errors/", "calculator/"):
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
    assert len(fetched) > 10
    assert [u for u in fetched if not u.startswith((site_url, "data:", "blob:"))] == []
    page.close()


# ---- prices in time and limits -------------------------------------------------------------------

def test_the_date_field_prices_the_day_chosen(calc, catalog):
    """Gemini 3.8 Flash's introductory rate ends on 2027-01-01 (a scheduled change in the data):
    the day before and the day itself give the CLI's --at figures, and the change is announced
    when it is less than 30 days away."""
    model = next(m for m in catalog.models if m.scheduled and m.callable_on(DAY))
    change = model.scheduled[0].start
    before = (date.fromisoformat(change) - timedelta(days=1)).isoformat()
    workload = {"input": 1000000, "output": 1000}
    fill(calc, {"model": model.slug, **workload, "cache_read": 0, "cache_write_5m": 0, "requests": 1, "at": before})
    g_before, _ = expect_totals(calc, model.slug, {**workload, "at": before})
    expect(calc.locator("#pb-result [data-f=notice]")).to_contain_text(f"From {change}: input")
    expect(calc.locator("#pb-result [data-f=at_text]")).to_have_text(f"Prices in force on {before}.")
    field(calc, "at").fill(change)
    g_after, _ = expect_totals(calc, model.slug, {**workload, "at": change})
    assert g_after != g_before, "the scheduled change moved the price"
    expect(calc.locator("#pb-result [data-f=notice]")).to_have_text("")
    field(calc, "at").fill("")


def test_a_prompt_over_the_window_is_refused_at_the_field_and_marked_in_the_ranking(calc, catalog):
    small = min((m for m in catalog.models if m.callable_on(DAY)), key=lambda m: m.context_window)
    fill(calc, {"model": small.slug, "input": small.context_window + 1, "cache_read": 0, "cache_write_5m": 0,
                "output": 10})
    msg = message(calc, "input")
    expect(msg).to_contain_text(f"context window of {small.context_window:,} tokens")
    expect(msg.locator("a")).to_have_attribute("href", re.compile(r"/errors/context-too-long/$"))
    expect(calc.locator("#pb-result")).to_have_attribute("data-stale", "true")
    row = calc.locator(f'#pb-compare tr[data-slug="{small.slug}"]')
    expect(row).to_have_attribute("data-fits", "false")
    expect(row.locator("td").nth(3)).to_contain_text("does not fit")
    misfits = calc.locator("#pb-compare tbody tr").evaluate_all("rs => rs.map(r => r.dataset.fits === 'false')")
    assert misfits == sorted(misfits), "the models it does not fit come last"
    field(calc, "input").fill(str(small.context_window))
    expect(calc.locator("#pb-result")).to_have_attribute("data-stale", "false")
    expect(row).not_to_have_attribute("data-fits", "false")


def _aliased(catalog):
    """A model the calculator offers (callable on the data's day) with an alias, and that alias."""
    for m in catalog.models:
        if m.aliases and m.callable_on(DAY) and m.aliases[0] != m.slug:
            return m, m.aliases[0]
    pytest.skip("no callable model has an alias")


def test_an_alias_selects_its_model_in_the_link_and_the_filter(page, site_url, catalog):
    m, alias = _aliased(catalog)
    assert catalog.model(alias).slug == m.slug   # the CLI's resolution
    open_calculator(page, site_url, f"?model={alias}&input=1000&output=10")
    expect(field(page, "model")).to_have_value(m.slug)
    expect(message(page, "model")).to_contain_text(f'"{alias}" is an alias of {m.slug}')
    expect_totals(page, m.slug, {"input": 1000, "output": 10})
    page.get_by_placeholder("Type to narrow the list").fill(alias)
    visible = page.locator("#pb-calculator select[name=model] option:not([hidden])").evaluate_all(
        "els => els.map(e => e.value)")
    assert m.slug in visible and len(visible) < len(catalog.models)
    expect(message(page, "model")).to_have_text("")


def test_an_alias_url_redirects_to_the_model_page(page, site_url, catalog, built_site):
    m, alias = _aliased(catalog)
    html = (built_site / "models" / alias / "index.html").read_text(encoding="utf-8")
    assert f'<meta http-equiv="refresh" content="0; url=../{m.slug}/">' in html
    assert f'href="../{m.slug}/"' in html                      # a link too, for a refresh turned off
    assert "<script" not in html.split("</head>")[0].split('http-equiv="refresh"')[0][-200:]
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d for d in index["docs"] if d["location"].startswith(f"models/{alias}/")]
    assert f'{alias}/"' not in (built_site / "index.html").read_text(encoding="utf-8")   # not in the navigation
    page.goto(f"{site_url}models/{alias}/")
    expect(page).to_have_url(f"{site_url}models/{m.slug}/")
    expect(page.locator("h1")).to_contain_text(m.name)


def _in_view(page, selector):
    return page.locator(selector).first.evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight && r.height > 0; }")


@pytest.mark.parametrize("width,height", [(1366, 900), (390, 844)])
def test_totals_stay_in_view_while_typing(chromium, site_url, catalog, width, height):
    """Wide: the result sits beside the form and its totals stick under the header. Phone: the
    totals stick to the bottom of the screen while any field is being typed into."""
    ctx = chromium.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    page.goto(f"{site_url}calculator/")
    totals = page.locator(".pb-totals")
    for name in ("model", "input", "output", "requests", "at"):
        field(page, name).scroll_into_view_if_needed()
        field(page, name).focus()
        assert _in_view(page, ".pb-totals"), f"{width}px: the totals are out of view at {name}"
        # and they do not cover the field being typed into
        f_box, t_box = field(page, name).bounding_box(), totals.bounding_box()
        overlap = not (f_box["y"] + f_box["height"] <= t_box["y"] or t_box["y"] + t_box["height"] <= f_box["y"]
                       or f_box["x"] + f_box["width"] <= t_box["x"] or t_box["x"] + t_box["width"] <= f_box["x"])
        assert not overlap, f"{width}px: the totals cover {name}"
    form_box = page.locator("#pb-calculator").bounding_box()
    if width >= 1200:
        assert totals.bounding_box()["x"] >= form_box["x"] + form_box["width"], "totals not beside the form"
    gateway, _ = shown(cli_estimate(default_model(catalog).slug, DEFAULT_WORKLOAD))
    expect(page.get_by_test_id("total-gateway")).to_have_text(gateway)
    ctx.close()


def test_copy_link_copies_the_figures_link(chromium, site_url, catalog):
    ctx = chromium.new_context(viewport={"width": 1280, "height": 1000})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = ctx.new_page()
    open_calculator(page, site_url)
    field(page, "output").fill("4321")
    expect_totals(page, default_model(catalog).slug, {**DEFAULT_WORKLOAD, "output": 4321})
    page.get_by_role("button", name="Copy a link to these figures").click()
    expect(page.locator("#pb-copy-msg")).to_have_text("Link copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.url and "output=4321" in copied
    other = ctx.new_page()
    open_calculator(other, site_url, "?" + copied.split("?", 1)[1])
    expect(field(other, "output")).to_have_value("4321")
    expect_totals(other, default_model(catalog).slug, {**DEFAULT_WORKLOAD, "output": 4321})
    ctx.close()


@pytest.mark.parametrize("path", ["models/", "pricing/", "calculator/"])
def test_money_columns_reachable_on_a_phone(chromium, site_url, path):
    """390 px: a table wider than the screen scrolls sideways inside itself (the page does not),
    its first column stays pinned, and its last (money) column can be scrolled into view."""
    ctx = chromium.new_context(viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    page.goto(site_url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page itself scrolls sideways"
    tables = page.locator("article table")
    assert tables.count() > 0
    for i in range(tables.count()):
        t = tables.nth(i)
        last = t.locator("tr").nth(1).locator("td, th").last
        t.evaluate("e => { const s = e.scrollWidth > e.clientWidth ? e : e.parentElement; s.scrollLeft = s.scrollWidth; }")
        last.scroll_into_view_if_needed()
        box = last.bounding_box()
        assert box and 0 <= box["x"] and box["x"] + box["width"] <= 391, f"table {i}: last column out of reach"
        if t.evaluate("e => e.scrollWidth > e.clientWidth"):
            first = t.locator("tr").nth(1).locator("td, th").first
            pinned = page.locator("#pb-compare").count() and t.get_attribute("id") == "pb-compare"
            cell = t.locator("tr").nth(1).locator("td, th").nth(1) if pinned else first
            assert cell.evaluate("e => getComputedStyle(e).position") == "sticky"
    ctx.close()


def test_breakdown_totals_in_view_on_a_phone(chromium, site_url):
    """390 px: the breakdown's total rows show both costs without scrolling sideways (the rate
    columns give way on phones), and the figures are the engine's (the totals above)."""
    ctx = chromium.new_context(viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    page.goto(site_url + "calculator/")
    table = page.locator("#pb-breakdown")
    for row in range(2):
        cells = table.locator("tfoot tr").nth(row).locator("td")
        for i in (3, 4):
            box = cells.nth(i).bounding_box()
            assert box and box["width"] > 0 and box["x"] + box["width"] <= 391, (row, i)
    totals = table.locator("tfoot tr").nth(1).locator("td")   # tokens, 2 rates (hidden), official, gateway
    expect(totals.nth(3)).to_have_text(page.get_by_test_id("total-official").inner_text())
    expect(totals.nth(4)).to_have_text(page.get_by_test_id("total-gateway").inner_text())
    ctx.close()


def test_inline_code_never_breaks_inside_a_host_name(chromium, site_url):
    ctx = chromium.new_context(viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    page.goto(site_url + "models/")
    styles = page.locator("article p code").first.evaluate(
        "e => [getComputedStyle(e).wordBreak, getComputedStyle(e).overflowWrap]")
    assert styles == ["normal", "normal"]
    ctx.close()


def test_header_search_sends_a_pasted_error_to_the_lookup(page, site_url, catalog):
    text = ('openai.RateLimitError: Error code: 429 - {"error": {"message": "out of balance", '
            '"type": "insufficient_balance"}}')
    family = api.errors_view(catalog, text)["matches"][0]["family"]
    page.goto(f"{site_url}models/")
    search = page.locator(".md-search__input")
    search.click()
    search.fill("claude")                     # plain words: an ordinary search, no offer
    expect(page.locator(".pb-search-error-box")).to_be_hidden()
    search.fill(text)
    link = page.get_by_role("link", name="Match this error")
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(re.compile(r"/errors/\?error="))
    expect(page.get_by_label("Paste your error", exact=True)).to_have_value(text)
    expect(page.locator(".pb-error-results li").first).to_have_attribute("data-family", family)


@pytest.mark.parametrize("how", ["click", "shortcut"])
def test_search_works_on_the_calculator_page_and_waits_for_the_reader(page, site_url, catalog, how):
    """On the calculator page Material's search worker (it builds the whole index) is made only
    once the reader turns to search, not while Pyodide starts; then search answers as anywhere."""
    model = default_model(catalog)
    open_calculator(page, site_url)
    searching = lambda: [w.url for w in page.workers if "/workers/search." in w.url]  # noqa: E731
    assert [w.url for w in page.workers if w.url.endswith("worker.mjs")], page.workers  # the calculator's
    assert searching() == []
    search = page.locator(".md-search__input")
    if how == "click":
        search.click()
    else:
        page.locator("body").press("s")         # Material's shortcut: opens search, focuses the box
        expect(search).to_be_focused()
    search.press_sequentially(model.name)
    first = page.locator(".md-search-result__item").first
    expect(first).to_be_visible(timeout=20_000)
    expect(first).to_contain_text(model.name)
    assert len(searching()) == 1


def test_calls_sent_while_the_worker_starts_collapse_to_the_newest_per_view(chromium, site_url, catalog):
    """Form views sent with `latest` before the worker is ready: only the newest of each fn is
    computed (the others are answered superseded), so the first figure waits behind no stale one;
    calls without `latest` are all answered. The page's own typing before ready gives the figure."""
    model = default_model(catalog)
    ctx = chromium.new_context()
    held = []
    ctx.route("**/pyodide.asm.wasm", lambda route: held.append(route))  # held until released
    page = ctx.new_page()
    page.goto(f"{site_url}calculator/")
    expect(page.locator("#pb-status")).to_have_attribute("data-state", "loading")
    page.wait_for_function("() => window.pricebook && window.pricebook.engine.worker")
    sent = []
    for n, fn, latest in ((1, "estimate", True), (2, "estimate", True), (3, "rank", True),
                          (4, "estimate", False), (5, "rank", True), (6, "estimate", True)):
        args = {**DEFAULT_WORKLOAD, "model": model.slug, "input": str(50000 + 1000 * n)}
        sent.append((fn, latest, args))
        page.evaluate("([fn, args, latest, n]) => { (window.__replies ||= {})[n] = null;"
                      " window.pricebook.call(fn, args, latest).then((r) => { window.__replies[n] = r; }); }",
                      [fn, args, latest, n])
    page.locator("#pb-input").fill("64321")              # the page's own call, before ready too
    for _ in range(600):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "Pyodide's wasm was never asked for"
    assert page.evaluate("window.pricebook.engine.state") == "starting"
    held[0].continue_()
    page.wait_for_function("() => Object.values(window.__replies).every((r) => r !== null)", timeout=60_000)
    replies = page.evaluate("window.__replies")
    for n, (fn, latest, args) in enumerate(sent, 1):
        reply = replies[str(n)]
        if n in (1, 2, 3, 6):                              # 6: the page's own estimate is newer
            assert reply["ok"] is False and reply["superseded"] is True, (n, reply)
            assert fn in reply["error"]
        else:
            assert reply["ok"] is True, (n, reply)
            want = (api.estimate_view if fn == "estimate" else api.rank_view)(catalog, args)
            if fn == "estimate":
                assert reply["result"]["total"] == want["total"], n
            else:
                assert reply["result"]["rows"] == json.loads(json.dumps(want["rows"]))
    workload = {**DEFAULT_WORKLOAD, "model": model.slug, "input": 64321}
    expect(page.locator('[data-testid="total-gateway"]')).to_have_text(
        api.estimate_view(catalog, workload)["total"]["gateway"]["display"])
    expect(page.locator("#pb-result")).to_have_attribute("data-origin", "worker")
    ctx.close()
