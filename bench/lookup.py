"""Benchmark of the error lookup's first answer, in Debian's Chromium against the built site.

    .venv/bin/python bench/lookup.py [--quick] [--site DIR]   # prints the figures; bench/run.py calls run()

The site is served as bench/browser.py serves it (precompressed copies). Two profiles:
- desktop: 1366x900, no throttling;
- phone: 390x844, CDP Network.emulateNetworkConditions (10 Mbit/s down and up, 150 ms latency)
  and Emulation.setCPUThrottlingRate 4.
Each run is a fresh browser context (empty caches) that opens the troubleshooting index and, once
the page has loaded and the box is ready (interactive), pastes one of issue 14's three error texts
(the OpenRouter/DeepSeek 402, the insufficient_balance JSON, Anthropic's credit balance JSON, in
turn). Figures, medians over the
runs, from the start of navigation:

- interactive_ms: the lookup box is on the page and ready (its rules compiled and run once);
- first_answer_after_interactive_ms: from the paste's input event (its timeStamp, so a busy page's
  queueing counts) until the frame after the first answer is in the list   target: < 100 ms, both
- first_answer_ms: navigation start to that frame;
- stock_pyodide_ms: a bare loadPyodide() in a module worker under the same profile (bench/browser.py's
  blank page, fewer runs), and first_answer_ratio = first_answer_ms / stock_pyodide_ms (medians):
  what waiting for Pyodide, as the lookup once did, would cost at the least.
"""
from __future__ import annotations

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

from bench.browser import _stock, command, stock_pages  # noqa: E402
from browser_site import build_site, launch, serve  # noqa: E402

TARGET_MS = 100
PROFILES = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
              "network": {"offline": False, "latency": 150, "downloadThroughput": 10_000_000 / 8,
                          "uploadThroughput": 10_000_000 / 8}, "cpu": 4},
}
# Recorded in the page before its own scripts: when the box is ready, the paste's input event, the
# first answer in the list and the frame after it.
PROBE = """
window.__lk = {};
(() => {
  const lk = window.__lk;
  document.addEventListener("input", (e) => {
    if (e.target && e.target.id === "pb-error-text" && lk.input === undefined) lk.input = e.timeStamp;
  }, true);
  const mo = new MutationObserver(() => {
    const box = document.getElementById("error-lookup");
    if (lk.ready === undefined && box && box.dataset.pbReady && document.getElementById("pb-error-text")) {
      lk.ready = performance.now();
    }
    if (lk.answer === undefined && document.querySelector(".pb-error-results > li")) {
      lk.answer = performance.now();
      requestAnimationFrame(() => setTimeout(() => { lk.frame = performance.now(); mo.disconnect(); }, 0));
    }
  });
  mo.observe(document, {childList: true, subtree: true, attributes: true});
})();
"""


def texts():
    """Issue 14's three pasted errors (tests/test_errors_match.py holds them verbatim)."""
    from test_errors_match import TEXT
    return [TEXT["seed 001: 402 with provider_name, user balance positive"],
            TEXT["another gateway's insufficient_balance body"], TEXT["Anthropic credits used up"]]


def _throttle(ctx, page, profile):
    if "network" not in profile:
        return
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", profile["network"])
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": profile["cpu"]})


def _context(browser, profile):
    return browser.new_context(**{k: v for k, v in profile.items() if k in ("viewport", "is_mobile", "has_touch")})


def _lookup(browser, url, profile, text, timeout=120_000):
    """One cold load of the troubleshooting index and one paste: the probe's figures (ms)."""
    ctx = _context(browser, profile)
    ctx.add_init_script(PROBE)
    page = ctx.new_page()
    _throttle(ctx, page, profile)
    page.goto(url, wait_until="load")       # interactive: loaded, and the box ready (below)
    page.wait_for_function("() => window.__lk.ready !== undefined", timeout=timeout)
    page.fill("#pb-error-text", text, timeout=timeout)
    page.wait_for_function("() => window.__lk.frame !== undefined", timeout=timeout)
    lk = page.evaluate("window.__lk")
    family = page.locator(".pb-error-results > li").first.get_attribute("data-family")
    ctx.close()
    return {"interactive_ms": lk["ready"], "first_answer_after_interactive_ms": lk["frame"] - lk["input"],
            "first_answer_ms": lk["frame"], "family": family}


def _stock_run(browser, url, profile):
    ctx = _context(browser, profile)
    ms, _ = _stock(ctx, url, timeout=300_000, prepare=lambda page: _throttle(ctx, page, profile))
    ctx.close()
    return ms


def measure(site_dir, quick=False, log=print):
    from playwright.sync_api import sync_playwright

    from calculator.errors_match import rank
    from test_errors_match import FAMILIES

    pasted = texts()
    want = [rank(FAMILIES, t)[0]["family"] for t in pasted]
    runs, stock_runs = (3, 1) if quick else (7, 3)
    out = {"runs": runs, "texts": len(pasted), "profiles": {}}
    with serve(site_dir, replace=stock_pages(), precompressed=True) as base, sync_playwright() as p:
        browser = launch(p)
        try:
            for name, profile in PROFILES.items():
                _lookup(browser, f"{base}errors/", profile, pasted[0])     # warm-up, not counted
                samples, stock = [], []
                for i in range(runs):
                    r = _lookup(browser, f"{base}errors/", profile, pasted[i % len(pasted)])
                    assert r["family"] == want[i % len(pasted)], (r, want)
                    samples.append(r)
                    if i < stock_runs:   # Pyodide's start varies less, and on the phone takes seconds
                        stock.append(_stock_run(browser, f"{base}bench-stock/index.html", profile))
                    log(f"lookup bench, {name} run {i + 1}: first answer {r['first_answer_after_interactive_ms']:.1f} ms "
                        f"after input, {r['first_answer_ms']:.0f} ms after navigation; stock Pyodide "
                        f"{stock[-1]:.0f} ms")
                med = lambda key: round(statistics.median(s[key] for s in samples), 1)  # noqa: E731
                figures = {k: med(k) for k in ("interactive_ms", "first_answer_after_interactive_ms", "first_answer_ms")}
                figures["first_answer_after_interactive_max_ms"] = round(
                    max(s["first_answer_after_interactive_ms"] for s in samples), 1)
                figures["stock_pyodide_ms"] = round(statistics.median(stock), 1)
                figures["first_answer_ratio"] = round(figures["first_answer_ms"] / figures["stock_pyodide_ms"], 4)
                out["profiles"][name] = figures
        finally:
            browser.close()
    out["targets"] = {
        f"first_answer_{name}": {
            "name": f"Error lookup: first answer after the page is interactive, {name} (ms, median)",
            "target": f"< {TARGET_MS}", "measured": f["first_answer_after_interactive_ms"],
            "met": f["first_answer_after_interactive_ms"] < TARGET_MS}
        for name, f in out["profiles"].items()}
    return out


def run(quick=False, site_dir=None, log=print):
    """Build the site (unless site_dir is given), measure, return the figures (see the module doc)."""
    if site_dir is not None:
        return measure(Path(site_dir), quick=quick, log=log)
    with tempfile.TemporaryDirectory(prefix="pricebook-bench-lookup-") as tmp:
        t0 = time.perf_counter()
        site = build_site(Path(tmp) / "site")
        log(f"lookup bench: site built in {time.perf_counter() - t0:.1f} s")
        return measure(site, quick=quick, log=log)


def report(r):
    lines = []
    for name, f in r["profiles"].items():
        lines.append(f"{name:8} box ready {f['interactive_ms']} ms; first answer {f['first_answer_after_interactive_ms']} ms "
                     f"after the paste (max {f['first_answer_after_interactive_max_ms']}), {f['first_answer_ms']} ms "
                     f"after navigation; stock loadPyodide() {f['stock_pyodide_ms']} ms (x{f['first_answer_ratio']})")
    for t in r["targets"].values():
        lines.append(f"{'ok  ' if t['met'] else 'MISS'} {t['name']}: {t['measured']} (target {t['target']})")
    return "\n".join(lines)


def main(argv=None):
    return command(__doc__, run, report, "3 runs per profile (default 7), 1 stock Pyodide start (3)", argv)


if __name__ == "__main__":
    sys.exit(main())
