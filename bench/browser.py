"""Browser benchmark of the calculator page, in one run of Debian's Chromium against the built site.

    .venv/bin/python bench/browser.py [--quick]      # prints the figures; bench/run.py calls run()

The site is served as the README's Serving section says: each asset's precompressed .br (or .gz)
copy when the browser accepts it. Baseline, in the same run: a blank page whose module worker runs
a stock `loadPyodide()` from node_modules/pyodide (Pyodide's own stdlib, its lock file), served
from the same server. Figures, medians of several runs, times from the start of navigation:

- first_figure_ms: a person's first real figure. The page is opened, a model other than the
  default is chosen and an input count typed as soon as the form takes them, and the clock stops
  when the engine's answer for that workload (CPython's `api` computes the expected text) is the
  gateway total on the page, from the worker (data-origin="worker", not stale).
  vs stock_pyodide_ms, the bare worker's loadPyodide() resolved. Cold: a fresh browser context
  each run (empty HTTP and wasm code caches, no snapshot). Warm: a persistent profile
  (`launch_persistent_context`, as a returning visitor's browser), primed by two loads, each of
  which stays open until the worker has written its memory snapshot (worker.mjs: after the page
  has been idle a second); each measured load is a new tab; how each warm start went (snapshot or
  fresh) and its phases are reported. Ratios are medians of per-run ratios. target: <= 0.5 cold and warm
- estimate_visible_ms: the build-time estimate is in the DOM and a frame rendered after it
                                                                       target: <= 500 ms
- bytes.calculator_cold: what a cold calculator load transfers until its first figure (bodies,
  encoded, + headers), brotli where the browser accepts it           target: <= 4.5 MB
- recompute_ms: an input change until the new total is on the page, p50/p95, with every modifier
  set (the prices JSON gives the default model bench/engine.py's MODIFIERS; the form asks for
  batch, US residency, a peak hour, web searches and storage hours)   target: p95 <= 5 ms
- compare_1000_ms: with a 1,000-model catalog (bench.synth) served as the prices JSON, an input
  change until the compare table holds the 1,000 new rows             target: p95 <= 100 ms
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
for p in (REPO, REPO / "tests"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from bench.engine import MODIFIER_ARGS  # noqa: E402
from browser_site import CHROMIUM, CHROMIUM_ARGS, build_site, launch, serve  # noqa: E402

TARGET_VISIBLE_MS = 500
TARGET_RATIO = 0.5
TARGET_COLD_BYTES = 4_500_000
TARGET_RECOMPUTE_P95_MS = 5
TARGET_COMPARE_1000_MS = 100
STOCK = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")

BLANK_HTML = """<!doctype html><meta charset="utf-8"><title>stock Pyodide</title>
<p id="s">loading</p><script type="module" src="main.mjs"></script>
"""
BLANK_MAIN = """const w = new Worker(new URL("worker.mjs", import.meta.url), {type: "module"});
w.onmessage = ({data}) => {
  performance.mark("bare:ready");
  document.getElementById("s").textContent = data;
};
"""
BLANK_WORKER = """const index = new URL("pyodide/", import.meta.url).href;
const { loadPyodide } = await import(`${index}pyodide.mjs`);
await loadPyodide({ indexURL: index });
postMessage("ready");
"""
# When the page shows the engine's answer `want` as its gateway total (set per run).
FIRST_FIGURE_PROBE = """
window.__pb_first = null;
(() => {
  const want = %s;
  const check = () => {
    const t = document.querySelector('[data-testid="total-gateway"]');
    const r = document.getElementById("pb-result");
    return Boolean(t && r && r.dataset.origin === "worker" && r.dataset.stale === "false"
                   && t.textContent.trim() === want);
  };
  const mo = new MutationObserver(() => {
    if (window.__pb_first === null && check()) { window.__pb_first = performance.now(); mo.disconnect(); }
  });
  mo.observe(document, {childList: true, subtree: true, characterData: true, attributes: true});
})();
"""
# Recorded in every page before its own scripts: when the build-time total is in the DOM, and
# the first frame after that.
VISIBLE_PROBE = """
(() => {
  const seen = () => {
    if (window.__pb_visible !== undefined) return true;
    if (!document.querySelector('[data-testid="total-gateway"]')) return false;
    window.__pb_visible = null;
    requestAnimationFrame(() => setTimeout(() => { window.__pb_visible = performance.now(); }, 0));
    return true;
  };
  if (!seen()) {
    const mo = new MutationObserver(() => { if (seen()) mo.disconnect(); });
    mo.observe(document, {childList: true, subtree: true});
  }
})();
"""
# In the page: change the Input tokens field n times; time each change until the result is
# rendered anew (and, for the compare table, until its rows changed). Before each change it waits
# for the worker to go idle (the rank answer) and for a rendered frame, as between two keystrokes.
# The result counts as rendered when #pb-result's data-stale is written (render() does it after
# the texts, in the same task): the page writes a text only when it changed, and a change of a few
# tokens can leave the total's text as it was (a cheap model of the 1,000-model catalog).
RECOMPUTE = """
async ([n, field, start, waitCompare]) => {
  const input = document.getElementById(field);
  const result = document.getElementById('pb-result');
  const body = document.querySelector('#pb-compare tbody');
  const times = [], compare = [];
  const changed = (node, opts) => new Promise((resolve) => {
    const mo = new MutationObserver(() => { mo.disconnect(); resolve(performance.now()); });
    mo.observe(node, opts);
  });
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  for (let i = 0; i < n; i++) {
    await frame();  // the previous change is on screen, as between two keystrokes
    const t = changed(result, {attributes: true, attributeFilter: ['data-stale']});
    const c = changed(body, {childList: true, subtree: true, characterData: true});
    const t0 = performance.now();
    input.value = String(start + i * 37);
    input.dispatchEvent(new Event('input', {bubbles: true}));
    times.push((await t) - t0);
    compare.push((await c) - t0);
  }
  return {times, compare, rows: body.rows.length};
}
"""


# Set form fields by name (values as typed) and let the page recompute once.
SET_FIELDS = """
(values) => {
  const form = document.getElementById("pb-calculator");
  for (const [name, value] of Object.entries(values)) form.elements.namedItem(name).value = value;
  form.elements.namedItem("input").dispatchEvent(new Event("input", {bubbles: true}));
}
"""
# Every modifier is in force on the page: peak hours, residency and both fees are in the result.
MODIFIERS_SHOWN = """
() => {
  const r = document.getElementById("pb-result"), text = (f) => r.querySelector(`[data-f="${f}"]`).textContent;
  return r.dataset.stale === "false" && text("peak_text").startsWith("Peak hours") && text("residency_text") !== ""
    && text("fees_text").includes("Web search") && text("fees_text").includes("Cache storage")
    && text("mode_text") === "Batch rates.";
}
"""


def measure_recompute(site_dir, n):
    """An input change until the new total shows, n times, on a ready calculator page whose default
    model has every modifier and whose form asks for all of them (MODIFIER_ARGS)."""
    from playwright.sync_api import sync_playwright

    with serve(site_dir, replace={"assets/calculator/catalog.json": every_modifier_prices(site_dir)}) as base, \
            sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_context().new_page()
            page.goto(f"{base}calculator/")
            page.wait_for_function("() => performance.getEntriesByName('pricebook:interactive').length > 0",
                                   timeout=90_000)
            page.evaluate(SET_FIELDS, MODIFIER_ARGS)
            page.wait_for_function(MODIFIERS_SHOWN, timeout=30_000)
            page.evaluate(RECOMPUTE, [5, "pb-input", 60000, True])  # warm-up
            r = page.evaluate(RECOMPUTE, [n, "pb-input", 61000, True])
        finally:
            browser.close()
    return {"n": n, "p50": round(_pct(r["times"], 0.5), 3), "p95": round(_pct(r["times"], 0.95), 3),
            "compare_p95": round(_pct(r["compare"], 0.95), 3), "modifiers": MODIFIER_ARGS}


def every_modifier_prices(site_dir):
    """The site's prices JSON with bench/engine.py's MODIFIERS (service tiers, peak hours, US
    residency, web search fee, cache storage) on the calculator's default model, offered by the
    gateway: what the recompute is measured on."""
    from bench.engine import with_modifiers
    from calculator.catalog import Catalog
    from hooks.sitegen.pages.calculator import default_model

    doc = json.loads((Path(site_dir) / "assets" / "calculator" / "catalog.json").read_text(encoding="utf-8"))
    slug = default_model(Catalog.from_dict(doc)).slug
    return json.dumps(with_modifiers(doc, slug), separators=(",", ":")).encode()


def _mark(page, name):
    return page.evaluate(f"(performance.getEntriesByName({json.dumps(name)})[0] || {{}}).startTime ?? null")


class Bytes:
    def __init__(self, page):
        self.total = 0
        self.requests = 0
        self.encodings = {}
        page.on("requestfinished", self._done)

    def _done(self, request):
        try:
            sizes = request.sizes()
            enc = (request.response().headers or {}).get("content-encoding", "none")
        except Exception:  # the page went away
            return
        self.requests += 1
        self.encodings[enc] = self.encodings.get(enc, 0) + 1
        self.total += max(sizes.get("responseBodySize", 0), 0) + max(sizes.get("responseHeadersSize", 0), 0)


def _pct(values, q):
    values = sorted(values)
    if not values:
        return None
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def _target(name, target, measured, ok):
    return {"name": name, "target": target, "measured": None if measured is None else round(measured, 3),
            "met": bool(measured is not None and ok(measured))}


def first_figure_case():
    """(model, input, the gateway total text the page must show): a model other than the default,
    the page's default workload otherwise, priced by the engine in CPython."""
    from calculator import api
    from hooks.data.load import load_catalog
    from hooks.sitegen.pages.calculator import DEFAULT_WORKLOAD, default_model

    catalog = load_catalog(REPO / "data").catalog
    model = next(m.slug for m in catalog.models if m.slug != default_model(catalog).slug)
    api.load(json.dumps(catalog.to_dict()))
    typed = "123457"
    answer = json.loads(api.call("estimate", json.dumps({**DEFAULT_WORKLOAD, "model": model, "input": typed})))
    assert not answer["errors"], answer["errors"]
    return model, typed, answer["total"]["gateway"]["display"]


# Whether this origin keeps the worker's memory snapshot (worker.mjs writes it once the page has
# been idle a moment after its first start).
HAS_SNAPSHOT = """async () => {
  const dir = await navigator.storage.getDirectory();
  for await (const [name, handle] of dir.entries())
    if (name.endsWith('.snapshot')) return (await handle.getFile()).size > 1000;
  return false;
}"""


def _first_figure(context, url, case, timeout=90_000, stay=False):
    """Open the calculator in a new tab of `context`, choose the model and type the count as soon as
    the form takes them; (ms to the engine's figure, build-time estimate visible ms, Bytes, the
    worker's "ready" message). stay: keep the tab open until the worker has written its snapshot,
    as a visitor who reads the figures for a moment does (at most 30 s)."""
    model, typed, _ = case
    page = context.new_page()
    counter = Bytes(page)
    page.goto(url, wait_until="commit")
    page.select_option("#pb-model", model, timeout=timeout)
    page.fill("#pb-input", typed, timeout=timeout)
    page.wait_for_function("() => window.__pb_first !== null", timeout=timeout)
    page.wait_for_load_state("networkidle")
    for _ in range(150 if stay else 0):
        if page.evaluate(HAS_SNAPSHOT):
            break
        page.wait_for_timeout(200)
    out = (page.evaluate("window.__pb_first"), page.evaluate("window.__pb_visible ?? null"), counter,
           page.evaluate("window.pricebook.engine.info"))
    page.close()
    return out


def _stock(context, url, timeout=90_000, prepare=None):
    page = context.new_page()
    if prepare:
        prepare(page)     # e.g. bench/lookup.py's throttling
    counter = Bytes(page)
    page.goto(url)
    page.wait_for_function("() => performance.getEntriesByName('bare:ready').length > 0", timeout=timeout)
    page.wait_for_load_state("networkidle")
    ms = _mark(page, "bare:ready")
    page.close()
    return ms, counter


def stock_pages():
    """{site path: bytes} of the blank page with a stock loadPyodide() (bench-stock/index.html),
    served beside the site, never written into it."""
    stock_dir = REPO / "node_modules" / "pyodide"
    return {"bench-stock/index.html": BLANK_HTML.encode(), "bench-stock/main.mjs": BLANK_MAIN.encode(),
            "bench-stock/worker.mjs": BLANK_WORKER.encode(),
            **{f"bench-stock/pyodide/{f}": (stock_dir / f).read_bytes() for f in STOCK}}


def measure(site_dir, quick=False, log=print):
    from playwright.sync_api import sync_playwright
    from bench import synth

    blank = stock_pages()
    runs = 1 if quick else 5
    case = first_figure_case()
    probes = VISIBLE_PROBE + FIRST_FIGURE_PROBE % json.dumps(case[2])
    big = json.dumps(synth.catalog_dict(1000)).encode()

    out = {"runs": runs, "first_figure_case": {"model": case[0], "input": case[1], "gateway_total": case[2]},
           "bytes": {}}
    cold = {"stock": [], "calc": [], "visible": []}
    warm = {"stock": [], "calc": [], "visible": [], "start": [], "phases": []}
    with serve(site_dir, replace=blank, precompressed=True) as base, sync_playwright() as p:
        calc_url, stock_url = f"{base}calculator/", f"{base}bench-stock/index.html"
        browser = launch(p)
        try:
            for i in range(runs + 1):  # the first round warms the machine up and is not counted
                for kind in (("stock", "calc") if i % 2 == 0 else ("calc", "stock")):
                    ctx = browser.new_context()
                    ctx.add_init_script(probes)
                    if kind == "calc":
                        ms, visible, counter, _ = _first_figure(ctx, calc_url, case)
                        if i:
                            cold["calc"].append(ms)
                            cold["visible"].append(visible)
                        out["bytes"]["calculator_cold"] = counter.total
                        out["bytes"]["calculator_cold_requests"] = counter.requests
                        out["bytes"]["calculator_cold_encodings"] = ", ".join(
                            f"{k} {v}" for k, v in sorted(counter.encodings.items()))
                    else:
                        ms, counter = _stock(ctx, stock_url)
                        if i:
                            cold["stock"].append(ms)
                        out["bytes"]["stock_pyodide_cold"] = counter.total
                    ctx.close()
            # Another page of the site: what it transfers (no Pyodide).
            ctx = browser.new_context()
            page = ctx.new_page()
            counter = Bytes(page)
            page.goto(base)
            page.wait_for_load_state("networkidle")
            out["bytes"]["index_page"] = counter.total
            ctx.close()
        finally:
            browser.close()

        # Warm: a returning visitor. One persistent profile per page kind, primed by two loads.
        with tempfile.TemporaryDirectory(prefix="pricebook-bench-profile-") as profiles:
            contexts = {}
            try:
                for kind in ("stock", "calc"):
                    ctx = p.chromium.launch_persistent_context(
                        str(Path(profiles) / kind), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                    ctx.add_init_script(probes)
                    contexts[kind] = ctx
                    for _ in range(2):
                        (_first_figure(ctx, calc_url, case, stay=True) if kind == "calc" else _stock(ctx, stock_url))
                for i in range(runs):
                    for kind in (("stock", "calc") if i % 2 == 0 else ("calc", "stock")):
                        if kind == "calc":
                            ms, visible, counter, info = _first_figure(contexts[kind], calc_url, case)
                            warm["calc"].append(ms)
                            warm["visible"].append(visible)
                            warm["start"].append(info.get("start"))
                            warm["phases"].append(info.get("phases"))
                            out["bytes"]["calculator_warm"] = counter.total
                        else:
                            ms, counter = _stock(contexts[kind], stock_url)
                            warm["stock"].append(ms)
                            out["bytes"]["stock_pyodide_warm"] = counter.total
            finally:
                for ctx in contexts.values():
                    ctx.close()

    out["recompute_ms"] = measure_recompute(site_dir, 40 if quick else 200)

    # The compare table on a 1,000-model catalog: the same page, the worker loads the big JSON.
    with serve(site_dir, replace={"assets/calculator/catalog.json": big}) as base, sync_playwright() as p:
        browser = launch(p)
        try:
            ctx = browser.new_context()
            page = ctx.new_page()
            page.goto(f"{base}calculator/")
            page.wait_for_function("() => performance.getEntriesByName('pricebook:interactive').length > 0", timeout=90_000)
            page.wait_for_function("() => document.querySelectorAll('#pb-compare tbody tr').length >= 1000")
            n = 10 if quick else 40
            page.evaluate(RECOMPUTE, [3, "pb-input", 70000, True])
            r = page.evaluate(RECOMPUTE, [n, "pb-input", 71000, True])
            out["compare_1000_ms"] = {"n": n, "rows": r["rows"], "p50": round(_pct(r["compare"], 0.5), 3),
                                      "p95": round(_pct(r["compare"], 0.95), 3),
                                      "estimate_p95": round(_pct(r["times"], 0.95), 3)}
            ctx.close()
        finally:
            browser.close()

    med = lambda xs: round(statistics.median(xs), 1) if xs and None not in xs else None  # noqa: E731
    out["stock_pyodide_ms"] = {"cold": med(cold["stock"]), "warm": med(warm["stock"])}
    out["first_figure_ms"] = {"cold": med(cold["calc"]), "warm": med(warm["calc"])}
    out["estimate_visible_ms"] = {"cold": med(cold["visible"]), "warm": med(warm["visible"])}
    samples = {"cold": cold, "warm": warm}
    out["first_figure_ratio"] = {
        k: round(statistics.median(c / b for c, b in zip(samples[k]["calc"], samples[k]["stock"])), 3)
        for k in ("cold", "warm")}
    out["samples"] = samples
    steps = {k for ph in warm["phases"] for k, v in (ph or {}).items() if isinstance(v, (int, float))}
    out["warm_phases_ms"] = {k: med([ph[k] for ph in warm["phases"] if k in (ph or {})])
                             for k in sorted(steps, key=lambda k: med([ph[k] for ph in warm["phases"] if k in ph]))}
    vis = max(v for v in out["estimate_visible_ms"].values())
    out["targets"] = {
        "estimate_visible": _target("Build-time estimate visible after navigation (ms, cold and warm)",
                                    f"<= {TARGET_VISIBLE_MS}", vis, lambda v: v <= TARGET_VISIBLE_MS),
        "first_figure_cold": _target("First real figure / stock loadPyodide(), cold", f"<= {TARGET_RATIO}x",
                                     out["first_figure_ratio"]["cold"], lambda v: v <= TARGET_RATIO),
        "first_figure_warm": _target("First real figure / stock loadPyodide(), warm", f"<= {TARGET_RATIO}x",
                                     out["first_figure_ratio"]["warm"], lambda v: v <= TARGET_RATIO),
        "cold_bytes": _target("Cold calculator load with brotli (MB)", f"<= {TARGET_COLD_BYTES / 1e6}",
                              out["bytes"]["calculator_cold"] / 1e6, lambda v: v <= TARGET_COLD_BYTES / 1e6),
        "recompute_p95": _target("Recompute after an input change, every modifier set, p95 (ms)",
                                 f"<= {TARGET_RECOMPUTE_P95_MS}",
                                 out["recompute_ms"]["p95"], lambda v: v <= TARGET_RECOMPUTE_P95_MS),
        "compare_1000_p95": _target("Compare table of 1,000 models recomputed, p95 (ms)",
                                    f"<= {TARGET_COMPARE_1000_MS}", out["compare_1000_ms"]["p95"],
                                    lambda v: v <= TARGET_COMPARE_1000_MS),
    }
    return out


def run(quick=False, site_dir=None, log=print):
    """Build the site (unless site_dir is given), measure, return the figures (see the module doc)."""
    if site_dir is not None:
        return measure(Path(site_dir), quick=quick, log=log)
    with tempfile.TemporaryDirectory(prefix="pricebook-bench-browser-") as tmp:
        t0 = time.perf_counter()
        site = build_site(Path(tmp) / "site")
        log(f"browser bench: site built in {time.perf_counter() - t0:.1f} s")
        return measure(site, quick=quick, log=log)


def report(r):
    b = r["bytes"]
    lines = [
        f"stock loadPyodide() (blank page, module worker): cold {r['stock_pyodide_ms']['cold']} ms, "
        f"warm {r['stock_pyodide_ms']['warm']} ms",
        f"first real figure on the calculator:            cold {r['first_figure_ms']['cold']} ms, "
        f"warm {r['first_figure_ms']['warm']} ms  (x{r['first_figure_ratio']['cold']} / x{r['first_figure_ratio']['warm']}; "
        f"warm starts: {', '.join(str(k) for k in r['samples']['warm']['start'])})",
        "warm start-up in the worker (median ms from its start): "
        + ", ".join(f"{k} {v}" for k, v in r["warm_phases_ms"].items()),
        f"build-time estimate visible:                    cold {r['estimate_visible_ms']['cold']} ms, "
        f"warm {r['estimate_visible_ms']['warm']} ms",
        f"recompute after an input change:                p50 {r['recompute_ms']['p50']} ms, "
        f"p95 {r['recompute_ms']['p95']} ms (n={r['recompute_ms']['n']})",
        f"compare table, 1,000 models:                    p50 {r['compare_1000_ms']['p50']} ms, "
        f"p95 {r['compare_1000_ms']['p95']} ms (n={r['compare_1000_ms']['n']})",
        "bytes transferred: " + ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in b.items()),
        "",
    ]
    for t in r["targets"].values():
        lines.append(f"{'ok  ' if t['met'] else 'MISS'} {t['name']}: {t['measured']} (target {t['target']})")
    return "\n".join(lines)


def command(doc, run, report, quick_help, argv=None):
    """The command line of a browser benchmark (this one, bench/lookup.py): --quick, --site, --json."""
    import argparse
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help=quick_help)
    ap.add_argument("--site", help="an already built site folder (default: build one)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ns = ap.parse_args(argv)
    r = run(quick=ns.quick, site_dir=ns.site)
    print(json.dumps(r, indent=1) if ns.json else report(r))
    return 0


def main(argv=None):
    return command(__doc__, run, report, "one run, fewer samples", argv)


if __name__ == "__main__":
    sys.exit(main())
