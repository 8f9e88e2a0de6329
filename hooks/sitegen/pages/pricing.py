"""The pricing pages: the section index, one comparison per family, cache token pricing, the
pricing tracker and the price changes.

URLs (stable):
  pricing/index.md     -> /pricing/           families and their gateway share (the nav section's index)
  pricing/<family>.md  -> /pricing/<family>/  official vs gateway for one family
  pricing/cache.md     -> /pricing/cache/     cache token pricing with worked examples
  pricing/tracker.md   -> /pricing/tracker/   every official price, source, checked date, staleness
  pricing/changes.md   -> /pricing/changes/   the history entries, newest first

Every figure comes from the engine through `hooks.figures.Figures`.
"""
import datetime
from urllib.parse import urlparse

from calculator import display
from calculator.catalog import shift_day
from calculator.modes import MODES, offered

from hooks.sitegen.figures import WORKLOADS, Figures
from hooks.sitegen.pages.models import SITE_FILE, family_file
from hooks.sitegen.render import Page, render

EXAMPLE = {"input": 100_000, "output": 1_000, "cached": 90_000}
COMPARE_WORKLOAD = WORKLOADS[1]                        # the cached agent step


def _rows(catalog, models, figs):
    rows = []
    for m in models:
        rates = {r["field"]: r for r in figs.rates(m)}
        rows.append({"m": m, "input": rates["input"], "output": rates["output"],
                     "cache_read": rates["cache_read"], "cw5": rates["cache_write_5m"],
                     "cw1": rates["cache_write_1h"]})
    return rows


def _percent(figs, m):
    """Gateway as a percentage of official ("35.0"): gateway = official x ratio exactly, so it is
    the ratio's, the same figure the engine's ranking gives for any workload."""
    return display.percent(m.ratio, 1)


def _provider_name(catalog, family):
    models = catalog.family_models(family.id)
    return models[0].provider_name if models else family.provider


def _tier_lines(catalog):
    """The pricing index's service tier list: one line per tier (who has it, what the gateway
    does), each with the families to link to."""
    lines = []
    for name in MODES[1:]:
        fams = [f for f in catalog.families.values() if any(name in m.modes for m in catalog.family_models(f.id))]
        entry = offered(catalog.offers, "modes", name)
        ratio = entry.get("ratio") if entry else None
        lines.append({"label": display.mode_label(name), "what": display.MODE_NOTES[name], "families": fams,
                      "text": display.mode_offer_text(name, bool(fams), entry is not None, ratio)})
    return lines


def index_page(catalog, figs):
    families = [{"family": f, "count": len(catalog.family_models(f.id)),
                 "provider_name": _provider_name(catalog, f)} for f in catalog.families.values()]
    extras = [{"family": f, "peak": any(m.time_of_day for m in ms), "residency": sorted({r for m in ms for r in m.residency}),
               "fees": any(m.tools or m.cache_storage for m in ms)}
              for f in catalog.families.values() for ms in [catalog.family_models(f.id)]]
    overrides = []
    for o in catalog.overrides:
        m = next((m for m in catalog.models if m.slug == o.get("model")), None)
        if m is not None:
            overrides.append({"model": m, "percent": _percent(figs, m)})
    return Page("pricing/index.md",
                render("pricing.md.j2", site=catalog.site, families=families, overrides=overrides,
                       tier_lines=_tier_lines(catalog), extras=[e for e in extras if e["peak"] or e["residency"] or e["fees"]]),
                edit_path=SITE_FILE, in_nav=True)


def _tier_matrix(models, figs):
    """The service tiers any of `models` has (batch, flex, priority, fast, in that order) and, per
    model, its input and output rate in each, official then gateway: display.NO_TIER where the
    model has no such tier, "not offered" (gateway) where the gateway does not offer it."""
    names = [n for n in MODES[1:] if any(n in m.modes for m in models)]
    none = {"exact": None, "text": display.NO_TIER}
    rows = []
    for m in models:
        by = {r["mode"]: r for r in figs.modifiers(m)["rows"] if not r["residency"] and not r["peak"]}
        cells = [{"exact": by[n]["exact"][side][f], "text": by[n][side][f]} if n in by else none
                 for n in names for f in ("input", "output") for side in ("official", "gateway")]
        rows.append({"m": m, "cells": cells})
    heads = [f"{display.mode_label(n)} {f} {side}" for n in names for f in ("input", "output")
             for side in ("official", "gateway")]
    return {"names": names, "heads": heads, "rows": rows if names else []}


def _modifier_rows(models, figs):
    """(the peak-hour and residency rows on the standard tier, fees) of `models`, each with its
    model `m` (the model pages show residency on every tier)."""
    cards = [{"m": m, **r} for m in models for r in figs.modifiers(m)["rows"]
             if (r["residency"] or r["peak"]) and r["mode"] == "standard"]
    fees = [{"m": m, **f} for m in models for f in figs.modifiers(m)["fees"]]
    return cards, fees


def compare_page(catalog, family, figs):
    models = catalog.family_models(family.id)
    rows = _rows(catalog, models, figs)
    for r in rows:
        r["percent"] = _percent(figs, r["m"])
    tier_rows = []
    for m in models:
        for above, rates in figs.tiers(m):
            by = {r["field"]: r for r in rates}
            tier_rows.append({"m": m, "above": above, "input": by["input"], "output": by["output"]})
    cache_writes = any(not (r["cw5"]["billed_as_input"] and r["cw1"]["billed_as_input"]) for r in rows)
    ranked = figs.rank(COMPARE_WORKLOAD["usage"], family=family.id) if models else []
    provider_name = _provider_name(catalog, family)
    announced = [{"m": m, "text": text} for m in models for text in figs.upcoming(m)]
    cards, fees = _modifier_rows(models, figs)
    return Page(f"pricing/{family.id}.md",
                render("compare.md.j2", site=catalog.site, family=family, provider_name=provider_name,
                       rows=rows, tier_rows=tier_rows, cache_writes=cache_writes, ranked=ranked,
                       announced=announced, modes=_tier_matrix(models, figs), cards=cards, fees=fees,
                       workload=COMPARE_WORKLOAD, source=models[0].source if models else "",
                       tags=[f"{family.name} pricing"]),
                edit_path=family_file(catalog, family), in_nav=True)


def _example_model(catalog, family, figs):
    """The family's example model for the cache page: one whose window fits the example and that
    prices cache reads apart (any that fits when none does)."""
    def fits(m):
        return m.context_window >= EXAMPLE["input"] + EXAMPLE["output"]
    return (catalog.default_model(figs.at, family.id, where=lambda m: fits(m) and not figs.rate(m, "cache_read")["billed_as_input"])
            or catalog.default_model(figs.at, family.id, where=fits))


def cache_page(catalog, figs):
    n, out, cached = EXAMPLE["input"], EXAMPLE["output"], EXAMPLE["cached"]
    scenarios = (("First request, nothing cached", {"input": n, "output": out}),
                 ("First request, prefix written to the cache", {"input": n, "cache_write_5m": cached, "output": out}),
                 ("Repeat request, prefix read from the cache", {"input": n, "cache_read": cached, "output": out}))
    examples = []
    for f in catalog.families.values():
        m = _example_model(catalog, f, figs)
        if m is None:
            continue
        examples.append({
            "family": f, "m": m,
            "write_as_input": figs.rate(m, "cache_write_5m")["billed_as_input"],
            "scenarios": [{"title": title, "view": figs.estimate(m, usage)} for title, usage in scenarios],
        })
    storage = [{"m": m, **f} for m in catalog.models for f in figs.modifiers(m)["fees"] if f["name"] == "cache_storage"]
    return Page("pricing/cache.md",
                render("cache.md.j2", site=catalog.site, examples=examples, rows=_rows(catalog, catalog.models, figs),
                       storage=storage,
                       example_input=n, example_output=out, example_cached=cached),
                edit_path=SITE_FILE, in_nav=True)


def _charge_sources(catalog):
    """Where each service tier, residency, peak-hour rule and fee comes from: one row per
    (charge, source, checked), with the models it covers (a provider-wide entry covers many)."""
    groups = {}
    for m in catalog.models:
        charges = [(display.mode_label(n), x) for n, x in m.modes.items()]
        charges += [(display.residency_name(r), x) for r, x in m.residency.items()]
        charges += [(display.FEE_LABELS[n], x) for n, x in m.tools.items()]
        if m.time_of_day is not None:
            charges.append((display.PEAK_NAME, m.time_of_day))
        if m.cache_storage is not None:
            charges.append((display.FEE_LABELS["cache_storage"], m.cache_storage))
        for label, x in charges:
            groups.setdefault((label, x.source, x.checked), []).append(m)
    return [{"label": label, "source": source, "host": urlparse(source).netloc, "checked": checked, "models": ms}
            for (label, source, checked), ms in groups.items()]


def stale_models(catalog, today=None):
    """[(model, days since checked)] for every official price older than stale_after_days."""
    limit = catalog.site.get("stale_after_days")
    today = today or datetime.date.today()
    out = []
    for m in catalog.models:
        days = (today - datetime.date.fromisoformat(m.checked)).days
        if limit is not None and days > limit:
            out.append((m, days))
    return out


def tracker_page(catalog, figs, today=None):
    today = today or datetime.date.today()
    stale = dict((m.slug, days) for m, days in stale_models(catalog, today))
    rows = _rows(catalog, catalog.models, figs)
    for r in rows:
        r["host"] = urlparse(r["m"].source).netloc
        r["stale"] = r["m"].slug in stale
        r["days"] = stale.get(r["m"].slug, 0)
        r["next"] = "; ".join(figs.upcoming(r["m"], cells=True))
    return Page("pricing/tracker.md",
                render("tracker.md.j2", site=catalog.site, rows=rows,
                       stale_after_days=catalog.site.get("stale_after_days") or "an unlimited number of",
                       stale=[{"m": r["m"], "days": r["days"]} for r in rows if r["stale"]],
                       charges=_charge_sources(catalog)),
                edit_path=SITE_FILE, in_nav=True)


def _changed_rows(figs, m, day):
    """Rows (label, before, after) for every official rate that differs across `day` (a history
    `until` or a scheduled `from`): the base rates, then each long-context tier either side had."""
    before_day = shift_day(day, -1)
    tiers = {t.above for t in m.prices_at(before_day).tiers} | {t.above for t in m.prices_at(day).tiers}
    points = [(0, "")] + [(t, f", prompts above {display.tokens(t)} tokens") for t in sorted(tiers)]
    rows = []
    for tokens, suffix in points:
        before = figs.rates(m, tokens + 1 if tokens else 0, at=before_day)
        after = figs.rates(m, tokens + 1 if tokens else 0, at=day)
        for b, a in zip(before, after):
            if (b["official"], b["billed_as_input"]) != (a["official"], a["billed_as_input"]):
                rows.append({"label": b["label"] + suffix, "before": b["official_cell"], "after": a["official_cell"]})
    return rows


def changes_page(catalog, figs):
    """Every change on record, past and announced: each history `until` and each scheduled `from`."""
    by_day = {}
    for m in catalog.models:
        for day, note in [(h.until, h.note) for h in m.history] + [(s.start, s.note) for s in m.scheduled]:
            by_day.setdefault(day, []).append({"m": m, "note": note, "rows": _changed_rows(figs, m, day)})
    past = [{"date": day, "changes": by_day[day]} for day in sorted(by_day, reverse=True) if day <= figs.at]
    announced = [{"date": day, "changes": by_day[day]} for day in sorted(by_day) if day > figs.at]
    return Page("pricing/changes.md", render("changes.md.j2", site=catalog.site, days=past,
                                             announced=announced, at=figs.at),
                edit_path=SITE_FILE, in_nav=True)


def pages(catalog, figs=None, today=None):
    figs = figs or Figures(catalog)
    out = [index_page(catalog, figs)]
    out.extend(compare_page(catalog, f, figs) for f in catalog.families.values())
    out.extend([cache_page(catalog, figs), tracker_page(catalog, figs, today), changes_page(catalog, figs)])
    return out
