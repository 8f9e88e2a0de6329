"""Engine benchmark: one estimate (plain, and with every modifier of issue 13: service tier, peak
hours, residency, web searches, cache storage), and ranking every model for one workload, in CPython.

The catalogs are built straight from bench.synth's catalog dict (`Catalog.from_dict`, the path the
browser takes from the exported prices JSON), so the YAML loader is not part of these figures.

Timings use timeit: each figure is the median over `repeat` rounds of the per-call time of a
round (auto-ranged to at least 0.2 s), with the best round alongside.
"""
import gc
import json
import statistics
import sys
import timeit
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import synth  # noqa: E402
from calculator import api  # noqa: E402
from calculator.catalog import Catalog  # noqa: E402
from calculator.modes import parse_time  # noqa: E402
from calculator.pricing import Usage, estimate, rank  # noqa: E402

# One realistic long-context agent turn: a big cached prompt, some fresh input, a modest answer.
WORKLOAD = {"input": 150_000, "cache_read": 120_000, "cache_write_5m": 10_000, "cache_write_1h": 0,
            "output": 4_000, "requests": 20}
# The same above the 200,000-token tier threshold (the cliff rates apply).
WORKLOAD_TIER = {**WORKLOAD, "input": 300_000, "cache_read": 250_000}
TARGET_ESTIMATE_US = 50
# Every modifier of issue 13 at once (synthetic rates, on the benchmarked model): a service tier,
# peak hours, residency, web searches and cache storage hours, stacked in the one order.
MODIFIERS = {
    "modes": {"batch": {"multiplier": "0.5"}, "priority": {"prices": {"input": "6.00", "output": "30.00"}}},
    "residency": {"us": {"multiplier": "1.1", "modes": ["standard", "batch"]}},
    "time_of_day": {"from": "2026-08-16T16:00Z", "multiplier": "2", "days": ["mon", "tue", "wed", "thu", "fri"],
                    "hours_utc": ["01:00-04:00", "06:00-10:00"]},
    "tools": {"web_search": {"per_1000": "10.00"}},
    "cache_storage": {"per_hour": "1.00"},
}
OFFERS = {"modes": {"batch": {}}, "residency": {"us": {}}, "tools": {"web_search": {}}, "cache_storage": {}}
# The form's fields for them (a weekday peak hour): api args and the browser bench's page.
MODIFIER_ARGS = {"mode": "batch", "residency": "us", "time": "2026-12-02T09:30Z", "web_searches": "3",
                 "cache_hours": "2"}


def with_modifiers(catalog_dict, slug):
    """The catalog dict with MODIFIERS on model `slug` and the gateway offering them."""
    models = [{**m, **MODIFIERS} if m["slug"] == slug else m for m in catalog_dict["models"]]
    return {**catalog_dict, "models": models, "offers": OFFERS}
TARGET_RANK_10K_MS = 100


def _time(fn, repeat, min_time=0.2):
    """(median seconds per call, best seconds per call, calls per round)."""
    timer = timeit.Timer(fn, setup=gc.enable)  # GC on, as in real use
    number = 1
    while True:
        if timer.timeit(number) >= min_time or number >= 10 ** 7:
            break
        number *= 2 if number < 8 else 4
    rounds = [t / number for t in timer.repeat(repeat=repeat, number=number)]
    return statistics.median(rounds), min(rounds), number


def build_catalog(n):
    return Catalog.from_dict(synth.catalog_dict(n))


def _pick_tiered(catalog):
    for m in catalog.models:
        if m.prices.tiers and m.prices.base.cache_write_5m is not None:
            return m
    return catalog.models[0]


def run(sizes=(1_000, 10_000), repeat=5, quick=False, log=print):
    """{"estimate": {...}, "rank": {N: {...}}, "targets": {...}} with times in us / ms."""
    if quick:
        repeat = 3
    out = {"python": sys.version.split()[0], "workload": WORKLOAD, "repeat": repeat, "sizes": list(sizes)}
    usage = Usage(**{k: v for k, v in WORKLOAD.items() if k != "requests"})
    usage_tier = Usage(**{k: v for k, v in WORKLOAD_TIER.items() if k != "requests"})
    requests = WORKLOAD["requests"]

    small = build_catalog(min(sizes))
    model = _pick_tiered(small)
    modded = Catalog.from_dict(with_modifiers(small.to_dict(), model.slug))
    model_all = modded.model(model.slug)
    mods = {"mode": "batch", "residency": "us", "when": parse_time(MODIFIER_ARGS["time"]), "web_searches": 3,
            "cache_hours": Decimal(MODIFIER_ARGS["cache_hours"]), "offers": modded.offers}
    args_all = {**{k: str(v) for k, v in WORKLOAD.items()}, "model": model.slug, **MODIFIER_ARGS}
    args = {**{k: str(v) for k, v in WORKLOAD.items()}, "model": model.slug, "balance": "25"}
    args_json = json.dumps(args)
    api.load(json.dumps(small.to_dict()))
    rows = {
        "pricing.estimate": lambda: estimate(model, usage, requests),
        "pricing.estimate (above tier)": lambda: estimate(model, usage_tier, requests),
        "api.estimate_view": lambda: api.estimate_view(small, args),
        "api.call('estimate', json)": lambda: api.call("estimate", args_json),
        "pricing.estimate (every modifier)": lambda: estimate(model_all, usage, requests, **mods),
        "api.estimate_view (every modifier)": lambda: api.estimate_view(modded, args_all),
        # the calculator's two result pictures: a separate worker call after the totals are shown
        "api.charts_view (pictures)": lambda: api.charts_view(small, args),
    }
    est = {}
    for name, fn in rows.items():
        med, best, number = _time(fn, repeat)
        est[name] = {"median_us": round(med * 1e6, 2), "best_us": round(best * 1e6, 2), "calls": number}
        log(f"  estimate  {name:<32} {med * 1e6:9.1f} us  (best {best * 1e6:.1f})")
    out["estimate"] = {"model": model.slug, "rows": est}

    ranks = {}
    for n in sizes:
        catalog = small if n == len(small.models) else build_catalog(n)
        rank_args = {k: str(v) for k, v in WORKLOAD.items()}
        rank_json = json.dumps(rank_args)
        api.load(json.dumps(catalog.to_dict()))
        fns = {
            "pricing.rank": lambda: rank(catalog.models, usage, requests),
            "api.rank_view": lambda: api.rank_view(catalog, rank_args),
            "api.call('rank', json)": lambda: api.call("rank", rank_json),
        }
        res = {}
        for name, fn in fns.items():
            med, best, number = _time(fn, repeat, min_time=0.3)
            res[name] = {"median_ms": round(med * 1e3, 2), "best_ms": round(best * 1e3, 2), "calls": number}
            log(f"  rank {n:>6,}  {name:<32} {med * 1e3:9.2f} ms  (best {best * 1e3:.2f})")
        ranks[str(n)] = res
    out["rank"] = ranks
    api.load(json.dumps({"version": 0}))  # leave the module state empty (load reports, never raises)

    est_us = est["pricing.estimate"]["median_us"]
    all_us = est["pricing.estimate (every modifier)"]["median_us"]
    top = str(max(sizes))
    targets = {
        "estimate_us": {"target": f"< {TARGET_ESTIMATE_US} us", "measured": est_us,
                        "view_measured": est["api.estimate_view"]["median_us"],
                        "met": est_us < TARGET_ESTIMATE_US},
        "estimate_every_modifier_us": {"target": f"< {TARGET_ESTIMATE_US} us", "measured": all_us,
                                       "view_measured": est["api.estimate_view (every modifier)"]["median_us"],
                                       "met": all_us < TARGET_ESTIMATE_US},
    }
    if int(top) >= 10_000:
        rank_ms = ranks[top]["pricing.rank"]["median_ms"]
        view_ms = ranks[top]["api.rank_view"]["median_ms"]
        targets["rank_10k_ms"] = {"target": f"< {TARGET_RANK_10K_MS} ms", "measured": rank_ms,
                                  "view_measured": view_ms, "met": rank_ms < TARGET_RANK_10K_MS,
                                  "view_met": view_ms < TARGET_RANK_10K_MS}
    out["targets"] = targets
    return out


def profile_rank_view(n=10_000, top=25):
    """cProfile of api.rank_view for n models: where the time goes (printed)."""
    import cProfile
    import pstats
    catalog = build_catalog(n)
    args = {k: str(v) for k, v in WORKLOAD.items()}
    prof = cProfile.Profile()
    prof.enable()
    api.rank_view(catalog, args)
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(top)


if __name__ == "__main__":
    if "--profile" in sys.argv:
        profile_rank_view()
    else:
        print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
