"""Every figure the generated pages show, asked of the engine (calculator.api), memoized per build.

The pages never multiply a price: rates come from `rates_view` (one call per model, context tier
and date), workload costs from `rank_view` (one call per workload for the whole catalog, the
engine's fast path). What is left here is display: which engine row goes in which column, and how a
rate string is written.
"""
import datetime

from calculator import display
from calculator.api import change_texts, estimate_view, history_view, modifiers_view, rank_view, rates_view
from calculator.buckets import PRICE_FIELDS

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


class Figures:
    """Engine answers for one catalog on one day (the build date, ISO). Build one per build;
    every method is memoized."""

    def __init__(self, catalog, at=None):
        self.catalog = catalog
        self.at = at or datetime.date.today().isoformat()
        self._rates = {}
        self._workloads = None
        self._modifiers = {}

    def rates(self, model, input_tokens=0, at=None):
        """Official and gateway rate per price field for a request of `input_tokens` (which picks
        the context tier) on `model`, with prices in force on `at` (None: the build date).

        A list of dicts: field, label, official, gateway (plain decimal strings from the engine),
        official_text, gateway_text (the rate), official_cell, gateway_cell (the rate and, when the
        provider does not price this bucket separately, that it costs the input rate),
        billed_as_input."""
        at = at or self.at
        key = (model.slug, input_tokens, at)
        found = self._rates.get(key)
        if found is None:
            view = _checked(rates_view(self.catalog, {"model": model.slug, "input": input_tokens, "at": at}),
                            f"rates of {model.slug}")
            rows = {r["field"]: r for r in view["rows"]}
            found = [{"field": field, "label": rows[field]["price_label"],
                      "official": rows[field]["official_rate"], "gateway": rows[field]["gateway_rate"],
                      "official_text": display.rate(rows[field]["official_rate"]),
                      "gateway_text": display.rate(rows[field]["gateway_rate"]),
                      "official_cell": rows[field]["official_rate_text"],
                      "gateway_cell": rows[field]["gateway_rate_text"],
                      "billed_as_input": rows[field]["billed_as_input"]} for field in PRICE_FIELDS]
            self._rates[key] = found
        return found

    def rate(self, model, field, input_tokens=0):
        return next(r for r in self.rates(model, input_tokens) if r["field"] == field)

    def tiers(self, model, at=None):
        """[(threshold, rates at threshold + 1 tokens)] for each context tier in force on `at`."""
        return [(t.above, self.rates(model, t.above + 1, at)) for t in model.prices_at(at or self.at).tiers]

    def workloads(self):
        """{workload id: {slug: rank_view row}}: the standard workloads priced on every model
        callable on the build date."""
        if self._workloads is None:
            self._workloads = {}
            for w in WORKLOADS:
                view = _checked(rank_view(self.catalog, {**w["usage"], "at": self.at}), f"workload {w['id']}")
                self._workloads[w["id"]] = {row["slug"]: row for row in view["rows"]}
        return self._workloads

    def model_workloads(self, model):
        """The standard workloads on one model: [{workload, row, fits}]; `fits` is the engine's
        limit rule (a figure for a prompt that cannot be sent would mislead, so pages show the
        limit instead). Empty for a model not callable on the build date."""
        table = self.workloads()
        return [{"workload": w, "row": table[w["id"]][model.slug], "fits": table[w["id"]][model.slug]["fits"]}
                for w in WORKLOADS if model.slug in table[w["id"]]]

    def status(self, model):
        """The model's status on the build date, and its table cell."""
        return model.status_on(self.at), display.status_cell(model, self.at)

    def upcoming(self, model, cells=False):
        """The scheduled price changes after the build date, each as a sentence (or a table cell)."""
        return change_texts(model, self.at, write=display.change_cell if cells else display.change_text)

    def history(self, model):
        """The model's price periods as table rows and a step chart (calculator.api.history_view)."""
        return history_view(self.catalog, model, self.at)

    def estimate(self, model, usage):
        """The engine's full view of one request on one model (for worked examples)."""
        return _checked(estimate_view(self.catalog, {"model": model.slug, "at": self.at, **usage}),
                        f"estimate for {model.slug}")

    def rank(self, usage, family=None):
        return _checked(rank_view(self.catalog, {**usage, "family": family, "at": self.at}), "rank")["rows"]

    def modifiers(self, model):
        """The model's service tiers, residency, peak-hour rates and fees on the build date
        (calculator.api.modifiers_view): the model page, the pricing pages and the exports share it."""
        found = self._modifiers.get(model.slug)
        if found is None:
            found = self._modifiers[model.slug] = modifiers_view(self.catalog, model, self.at)
        return found
