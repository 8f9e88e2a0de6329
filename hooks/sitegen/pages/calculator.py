"""The cost calculator page: `calculator.md`, with real figures before any JavaScript runs.

The build prices a default workload with the same functions the browser worker calls later
(`calculator.api.estimate_view` and `rank_view`), so the page shows a correct estimate and a
full compare table at once, and keeps showing them if Pyodide cannot load. The browser glue
(docs/assets/calculator/calculator.js) reads the form, asks the worker, and writes the worker's
answer into the same elements (`data-f` paths into the estimate_view result).

The page's front matter sets `csp: calculator`; docs/overrides/main.html turns that into a
Content-Security-Policy meta tag (same-origin scripts and 'wasm-unsafe-eval' only).
"""
from decimal import Decimal

from calculator import api
from calculator.money import percent
from calculator.pricing import MAX_TOKENS
from calculator.tokens import METHOD as TOKEN_METHOD

from hooks.sitegen.figures import tokens_text
from hooks.sitegen.render import Page, render

SRC_URI = "calculator.md"
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
# (api field, label text, help text); the labels are part of the page's contract (tests use them)
COUNT_FIELDS = (
    ("input", "Input tokens", "the whole prompt, cache reads and writes included"),
    ("cache_read", "Cache read tokens", "part of the input served from the cache"),
    ("cache_write_5m", "Cache write tokens (5 min)", "part of the input written to the short-lived cache (Anthropic 5 minutes, OpenAI 30)"),
    ("cache_write_1h", "Cache write tokens (1 hour)", "part of the input written to a 1-hour cache"),
    ("output", "Output tokens", "reasoning tokens included"),
    ("requests", "Requests", "how many times, retries included"),
)


def default_model(catalog):
    """The first active model of the first family (site.yaml order), else the first model."""
    for family in catalog.families:
        for m in catalog.models:
            if m.family == family and m.status == "active":
                return m
    return catalog.models[0]


def _requests_text(n):
    return f"{n:,} request" + ("" if n == 1 else "s")


def _percent(ratio):
    text = percent(ratio, Decimal(1))  # "35.0"
    return text[:-2] if text.endswith(".0") else text


def ratio_text(model_view):
    """"0.35 × the official price", plus the override's reason; calculator.js says the same."""
    note = model_view["ratio_note"]
    return f"{model_view['ratio']} \u00d7 the official price" + (f" ({note})" if note else "")


def _tier_text(tier):
    return "base" if tier is None else f"above {tier:,}"


def context(catalog):
    """Everything calculator.md.j2 needs, computed by the engine."""
    model = default_model(catalog)
    args = {**DEFAULT_WORKLOAD, "model": model.slug}
    estimate = api.estimate_view(catalog, args)
    ranked = api.rank_view(catalog, args)
    problems = estimate["errors"] + ranked["errors"]
    if problems:  # the defaults are ours: a failure here is a bug, not a data mistake
        raise ValueError(f"the calculator's default workload does not price: {problems}")
    groups = []
    for fid, family in catalog.families.items():
        models = catalog.family_models(fid)
        if models:
            groups.append({"id": fid, "name": family.name, "models": models})
    family_names = {fid: f.name for fid, f in catalog.families.items()}
    checked = sorted(m.checked for m in catalog.models)
    compare = [{**row, "rank": i, "family_name": family_names.get(row["family"], row["family"]),
                "tier_text": _tier_text(row["tier"])}
               for i, row in enumerate(ranked["rows"], 1)]
    return {
        "site": catalog.site,
        "brand": catalog.site.get("brand", "the gateway"),
        "model": model,
        "groups": groups,
        "fields": [{"name": name, "label": label, "help": help_,
                    "value": str(DEFAULT_WORKLOAD[name])} for name, label, help_ in COUNT_FIELDS],
        "est": estimate,
        "rows": [{**row, "tokens_text": tokens_text(row["tokens"])} for row in estimate["rows"]],
        "requests_text": _requests_text(estimate["requests"]),
        "ratio_text": ratio_text(estimate["model"]),
        "compare": compare,
        "families": [{"id": fid, "name": f.name, "label": f.label, "percent": _percent(f.ratio)}
                     for fid, f in catalog.families.items()],
        "overrides": [{"name": m.name, "percent": _percent(m.ratio), "note": m.ratio_note}
                      for m in catalog.models if m.overridden],
        "checked_first": checked[0] if checked else "",
        "checked_last": checked[-1] if checked else "",
        "model_count": len(catalog.models),
        "token_method": TOKEN_METHOD,
        "max_tokens": tokens_text(MAX_TOKENS),
    }


def pages(catalog):
    markdown = render("calculator.md.j2", **context(catalog))
    return [Page(SRC_URI, markdown, edit_path="", in_nav=True)]
