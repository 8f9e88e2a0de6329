"""The cost calculator page: `calculator.md`, with real figures before any JavaScript runs.

The build prices a default workload with the same functions the browser worker calls later
(`calculator.api.estimate_view` and `rank_view`), so the page shows a correct estimate and a
full compare table at once, and keeps showing them if Pyodide cannot load. The browser glue
(docs/assets/calculator/calculator.js) reads the form, asks the worker, and writes the worker's
answer into the same elements (`data-f` paths into the estimate_view result).

The page's front matter sets `csp: calculator`; docs/overrides/main.html turns that into a
Content-Security-Policy meta tag (same-origin scripts, 'wasm-unsafe-eval', and the hash of the
page's one inline script, START_WORKER_JS below).
"""
import base64
import datetime
import hashlib

from calculator import api, cache_plan, display
from calculator.buckets import BUCKETS
from calculator.pricing import MAX_TOKENS
from calculator.tokens import METHOD as TOKEN_METHOD

from hooks.sitegen.render import Page, render

SRC_URI = "calculator.md"

# The page's one inline script, first in its <head> (docs/overrides/main.html), allowed by its hash
# in the page's Content-Security-Policy and by nothing else. It makes the calculator's worker before
# the page's other scripts and layout: a dedicated worker's thread starts only once the page's main
# thread takes the browser's answer to its creation, so a worker made by the first external script
# waited behind Material's bundle and the first layout (about 100 ms of a cold start on this
# machine). It keeps the worker's early messages and errors until calculator.js adopts it
# (startWorker); if the browser refuses it, calculator.js makes one itself and says what went wrong.
# Its text never varies (the worker's URL comes from data-worker), so neither does its hash.
START_WORKER_JS = (
    "try{(function(s){var q=[],w=new Worker(s.dataset.worker,{type:\"module\"});"
    "w.onmessage=function(e){q.push(e)};w.onerror=function(e){e.preventDefault();q.push(e)};"
    "window.__pb_early={worker:w,queue:q};performance.mark(\"pricebook:worker\")})(document.currentScript)}catch(e){}"
)


def start_worker_script():
    """{text, csp}: the inline script above and its CSP hash source ('sha256-...')."""
    digest = base64.b64encode(hashlib.sha256(START_WORKER_JS.encode()).digest()).decode()
    return {"text": START_WORKER_JS, "csp": f"'sha256-{digest}'"}


# The workload priced at build time and filled into the form: a long prompt mostly served
# from the cache, as in an agent loop, repeated 20 times.
DEFAULT_WORKLOAD = {
    "input": 50000,
    "cache_read": 40000,
    "cache_write_5m": 5000,
    "cache_write_1h": 0,
    "output": 2000,
    "requests": 20,
}
# (api field, label text, help text) from the bucket table; the labels are part of the page's
# contract (tests use them)
COUNT_FIELDS = tuple((b.count, b.count_label, b.help) for b in BUCKETS) + (
    ("requests", "Requests", "how many times, retries included"),
)


# The "Should I cache?" section's fields (calculator.api.cache_view's args): name, label, help,
# value, placeholder. Output per request and the model, date and tier are the form's above.
CACHE_FIELDS = (
    ("prefix", "Prefix tokens (P)", "the part every request repeats; empty: the input tokens above", "", "input tokens above"),
    ("reuses", "Reuses (R)", "requests after the first that send the prefix again", str(cache_plan.DEFAULT_REUSES), ""),
    ("minutes", "Over minutes (T)", "from the first request to the last, evenly spaced; 0: all at once",
     str(cache_plan.DEFAULT_MINUTES), ""),
    ("fresh", "Fresh input per request", "tokens after the prefix, never cached", "", "0"),
)


def default_model(catalog, at=None):
    """The model the calculator opens on: the catalog's one rule for a default model."""
    return catalog.default_model(at or datetime.date.today().isoformat())


def context(catalog, at):
    """Everything calculator.md.j2 needs, computed by the engine."""
    model = default_model(catalog, at)
    args = {**DEFAULT_WORKLOAD, "model": model.slug, "at": at}
    estimate = api.estimate_view(catalog, args)
    ranked = api.rank_view(catalog, {**args, "chart": True})
    charts = api.charts_view(catalog, args)
    cache = api.cache_view(catalog, {"model": model.slug, "at": at, "input": DEFAULT_WORKLOAD["input"],
                                     "output": DEFAULT_WORKLOAD["output"]})
    problems = estimate["errors"] + ranked["errors"] + charts["errors"] + cache["errors"]
    if problems:  # the defaults are ours: a failure here is a bug, not a data mistake
        raise ValueError(f"the calculator's default workload does not price: {problems}")
    groups = []
    for fid, family in catalog.families.items():
        models = [m for m in catalog.family_models(fid) if m.callable_on(at)]   # never a retired one
        if models:
            groups.append({"id": fid, "name": family.name, "models": models})
    family_names = {fid: f.name for fid, f in catalog.families.items()}
    checked = sorted(m.checked for m in catalog.models)
    compare = [{**row, "rank": i, "family_name": family_names.get(row["family"], row["family"])}
               for i, row in enumerate(ranked["rows"], 1)]
    return {
        "site": catalog.site,
        "brand": catalog.site.get("brand", "the gateway"),
        "model": model,
        "at": at,
        "groups": groups,
        "fields": [{"name": name, "label": label, "help": help_,
                    "value": str(DEFAULT_WORKLOAD[name])} for name, label, help_ in COUNT_FIELDS],
        "est": estimate,
        "cache": cache,
        "cache_fields": [{"name": n, "label": label, "help": help_, "value": value, "placeholder": ph}
                         for n, label, help_, value, ph in CACHE_FIELDS],
        "modes": list(display.MODE_LABELS.items()),
        "rows": estimate["rows"],
        "compare": compare,
        "charts": charts,
        "rank_chart": ranked["chart"],
        "families": [{"id": fid, "name": f.name, "label": f.label, "percent": display.ratio_percent(f.ratio)}
                     for fid, f in catalog.families.items()],
        "overrides": [{"name": m.name, "percent": display.ratio_percent(m.ratio), "note": m.ratio_note}
                      for m in catalog.models if m.overridden],
        "checked_first": checked[0] if checked else "",
        "checked_last": checked[-1] if checked else "",
        "model_count": len(catalog.models),
        "token_method": TOKEN_METHOD,
        "max_tokens": display.tokens(MAX_TOKENS),
    }


def pages(catalog, at=None):
    markdown = render("calculator.md.j2", **context(catalog, at or datetime.date.today().isoformat()))
    return [Page(SRC_URI, markdown, edit_path="", in_nav=True)]
