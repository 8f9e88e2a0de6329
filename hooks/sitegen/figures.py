"""Every figure the generated pages show, asked of the engine (calculator.api), memoized per build.

The pages never multiply a price: rates come from `estimate_view` (one call per model and
context tier), workload costs from `rank_view` (one call per workload for the whole catalog, the
engine's fast path). What is left here is display: which engine row goes in which column, and how a
rate string is written.
"""
import json
from decimal import Decimal

from calculator.api import estimate_view, rank_view

from hooks.sitegen import render as _render
from hooks.data.rules.site_yaml import VERBATIM

# The price fields in the order the tables show them, with the engine bucket that bills each.
PRICE_ORDER = (
    ("input", "uncached_input", "Input"),
    ("output", "output", "Output"),
    ("cache_read", "cache_read", "Cache read"),
    ("cache_write_5m", "cache_write_5m", "Cache write (5 min)"),
    ("cache_write_1h", "cache_write_1h", "Cache write (1 hour)"),
)

# Three standard workloads priced on every model page (and in the exports). Token counts follow
# the engine's buckets: `input` is the whole prompt, the cache parts are inside it.
WORKLOADS = (
    {"id": "chat", "title": "Chat turn",
     "text": "a short question with a little context and a medium answer",
     "usage": {"input": 3000, "output": 800}},
    {"id": "cached-agent", "title": "Agent step on a cached prefix",
     "text": "a 50,000-token prompt of which 40,000 tokens are read from the cache and 5,000 "
             "are written to it at the short-lifetime rate, with a 2,000-token answer",
     "usage": {"input": 50000, "cache_read": 40000, "cache_write_5m": 5000, "output": 2000}},
    {"id": "long-document", "title": "Long document",
     "text": "a 250,000-token document with no cache, summarized in 4,000 tokens; above 200,000 "
             "input tokens many models switch to their long-context rates",
     "usage": {"input": 250000, "output": 4000}},
)


class EngineError(RuntimeError):
    """The engine refused a request the build made (a bug or inconsistent data): fail loudly."""


def _checked(view, what):
    if view.get("errors"):
        raise EngineError(f"{what}: " + "; ".join(f"{e['field']}: {e['message']}" for e in view["errors"]))
    return view


def rate_text(plain):
    """A USD-per-1M rate as shown in tables: "$3.00", "$0.105", "$0.0028", "$0.00"."""
    value = Decimal(plain)
    if value == value.to_integral_value() or value.as_tuple().exponent >= -2:
        value = value.quantize(Decimal("0.01"))
    return f"${value:,}" if value >= 1000 else f"${value}"


def tokens_text(n):
    return f"{n:,}"


class Figures:
    """Engine answers for one catalog. Build one per build; every method is memoized."""

    def __init__(self, catalog):
        self.catalog = catalog
        self._rates = {}
        self._workloads = None

    def rates(self, model, input_tokens=0, at=None):
        """Official and gateway rate per price field for a request of `input_tokens` (which picks
        the context tier) on `model`, with prices in force on `at` (None: today's).

        A list of dicts: field, label, official, gateway (plain decimal strings from the engine),
        official_text, gateway_text (display), billed_as_input (the provider does not price this
        bucket separately, so it costs the input rate)."""
        key = (model.slug, input_tokens, at)
        found = self._rates.get(key)
        if found is None:
            view = _checked(estimate_view(self.catalog, {"model": model.slug, "input": input_tokens,
                                                         "at": at}), f"rates of {model.slug}")
            rows = {r["bucket"]: r for r in view["rows"]}
            found = []
            for field, bucket, label in PRICE_ORDER:
                r = rows[bucket]
                found.append({"field": field, "label": label,
                              "official": r["official_rate"], "gateway": r["gateway_rate"],
                              "official_text": rate_text(r["official_rate"]),
                              "gateway_text": rate_text(r["gateway_rate"]),
                              "billed_as_input": bool(r["billed_as_input"])})
            self._rates[key] = found
        return found

    def rate(self, model, field, input_tokens=0):
        return next(r for r in self.rates(model, input_tokens) if r["field"] == field)

    def tiers(self, model):
        """[(threshold, rates at threshold + 1 tokens)] for each context tier in force today."""
        return [(t.above, self.rates(model, t.above + 1)) for t in model.prices.tiers]

    def workloads(self):
        """{workload id: {slug: rank_view row}}: the standard workloads priced on every model."""
        if self._workloads is None:
            self._workloads = {}
            for w in WORKLOADS:
                view = _checked(rank_view(self.catalog, dict(w["usage"])), f"workload {w['id']}")
                self._workloads[w["id"]] = {row["slug"]: row for row in view["rows"]}
        return self._workloads

    def model_workloads(self, model):
        """The standard workloads on one model: [{workload, row, fits}] where `fits` says whether
        the prompt fits the model's context window (a figure for a prompt that cannot be sent
        would mislead, so pages show the limit instead)."""
        table = self.workloads()
        return [{"workload": w, "row": table[w["id"]][model.slug],
                 "fits": w["usage"]["input"] + w["usage"]["output"] <= model.context_window}
                for w in WORKLOADS]

    def estimate(self, model, usage):
        """The engine's full view of one request on one model (for worked examples)."""
        return _checked(estimate_view(self.catalog, {"model": model.slug, **usage}),
                        f"estimate for {model.slug}")

    def rank(self, usage, family=None):
        return _checked(rank_view(self.catalog, {**usage, "family": family}), "rank")["rows"]


# ---- one Jinja environment for every page of this build side ------------------------------------


def literal(value):
    """Data text placed verbatim where no escaping exists (a fenced code block, a shell command, a
    link target): allowed only when it is made of characters that mean nothing to Markdown, HTML
    or a shell (slugs, https URLs, key placeholders); anything else fails the build."""
    value = str(value)
    if not VERBATIM.match(value):
        raise ValueError(f"refusing to place {value!r} verbatim in a page: only letters, digits and "
                         "._~:/?#@+,=%- are allowed there")
    return value


def yaml_string(value):
    """A front-matter value: JSON is YAML, and json.dumps escapes every control character."""
    return json.dumps(str(value), ensure_ascii=True)


# The render module's StrictUndefined environment plus this side's filters, built once.
render = _render.renderer(literal=literal, yaml=yaml_string, rate=rate_text, tokens=tokens_text)
