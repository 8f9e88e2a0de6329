"""Rules for data/models/<provider>.yaml that the JSON Schema cannot say: the provider id is the
file name, families exist, prices are consistent (a cache read never above input), tiers ascend,
dates are real, not in the future and not stale, history is in order; across files, slugs and
aliases route to one model each and no slug takes the URL of a page of the site."""
import difflib
from pathlib import Path

from calculator.catalog import PRICE_FIELDS

from calculator.display import tokens
from hooks.data.rules.common import price
from hooks.data.schema import field_label
from hooks.data.yamlfile import as_list

# models/<slug>.md must not collide with the models section's own pages
RESERVED_SLUGS = ("index", "family")


def _modifiers(ctx, doc, base, m):
    """What the schema cannot say about service tiers, residency and peak hours (calculator/modes.py):
    a tier's explicit long-context rates name one of the model's thresholds; a residency's `modes`
    name tiers the model offers; a peak window ends after it starts; a checked date is not in the
    future."""
    label = lambda *p: field_label(doc, base + p)  # noqa: E731
    merged_modes = {**(doc.data.get("modes") if isinstance(doc.data.get("modes"), dict) else {}),
                    **(m.get("modes") if isinstance(m.get("modes"), dict) else {})}
    offered = {"standard"} | {k for k, v in merged_modes.items() if isinstance(v, dict)}
    thresholds = {t.get("above") for t in as_list(m.get("tiers")) if isinstance(t, dict)}
    for name, mode in (m.get("modes") or {}).items() if isinstance(m.get("modes"), dict) else ():
        if not isinstance(mode, dict):
            continue
        if mode.get("multiplier") is None and not mode.get("prices"):
            ctx.add(doc, base + ("modes", name), f"{label('modes', name)}: give a multiplier, explicit "
                                                 "prices, or both (an empty tier would price nothing)")
        for j, tier in enumerate(as_list(mode.get("tiers"))):
            above = tier.get("above") if isinstance(tier, dict) else None
            if isinstance(above, int) and above not in thresholds:
                ctx.add(doc, base + ("modes", name, "tiers", j, "above"),
                        f"{label('modes', name, 'tiers', j, 'above')}: {above} is not one of this model's "
                        f"context tier thresholds ({', '.join(map(str, sorted(thresholds))) or 'none'})")
    residency = m.get("residency")
    for region, entry in residency.items() if isinstance(residency, dict) else ():
        for j, mode in enumerate(as_list(entry.get("modes")) if isinstance(entry, dict) else ()):
            if mode not in offered:
                path = base + ("residency", region, "modes", j)
                ctx.add(doc, path, f"{field_label(doc, path)}: this model has no {mode} mode (it has "
                                   f"{', '.join(sorted(offered))})")
    tod = m.get("time_of_day")
    if isinstance(tod, dict):
        for j, text in enumerate(as_list(tod.get("hours_utc"))):
            if isinstance(text, str) and len(text) == 11 and text[:5] >= text[6:]:
                ctx.add(doc, base + ("time_of_day", "hours_utc", j),
                        f"{label('time_of_day', 'hours_utc', j)}: {text} ends before it starts; split a "
                        "window over midnight in two (22:00-24:00 and 00:00-02:00)")


def check_provider_modifiers(ctx, doc):
    """The provider-level modifiers: peak windows that end after they start, checked dates not in
    the future."""
    paths = []
    for kind in ("modes", "residency", "tools"):
        group = doc.data.get(kind)
        if isinstance(group, dict):
            paths += [(kind, k) for k, v in group.items() if isinstance(v, dict)]
    for kind in ("time_of_day", "cache_storage"):
        if isinstance(doc.data.get(kind), dict):
            paths.append((kind,))
    for models_i, model in enumerate(as_list(doc.data.get("models"))):
        for kind in ("modes", "residency", "tools"):
            group = model.get(kind) if isinstance(model, dict) else None
            if isinstance(group, dict):
                paths += [("models", models_i, kind, k) for k, v in group.items() if isinstance(v, dict)]
        for kind in ("time_of_day", "cache_storage"):
            if isinstance(model, dict) and isinstance(model.get(kind), dict):
                paths.append(("models", models_i, kind))
    for path in paths:
        checked = ctx.date(doc, path + ("checked",))
        if checked and checked > ctx.today:
            ctx.add(doc, path + ("checked",), f"{field_label(doc, path + ('checked',))}: {checked} is in the "
                                              f"future (today is {ctx.today})")
    tod = doc.data.get("time_of_day")
    if isinstance(tod, dict):
        for j, text in enumerate(as_list(tod.get("hours_utc"))):
            if isinstance(text, str) and len(text) == 11 and text[:5] >= text[6:]:
                ctx.add(doc, ("time_of_day", "hours_utc", j),
                        f"{field_label(doc, ('time_of_day', 'hours_utc', j))}: {text} ends before it starts; "
                        "split a window over midnight in two (22:00-24:00 and 00:00-02:00)")


def check_file(ctx, doc, families):
    provider = doc.data.get("provider")
    stem = Path(doc.path).stem
    if isinstance(provider, str) and provider != stem:
        ctx.add(doc, ("provider",), f"provider: '{provider}' does not match the file name {stem}.yaml; "
                                    f"the provider id must equal the file name (write provider: {stem} "
                                    f"or rename the file to {provider}.yaml)")
    for i, model in enumerate(as_list(doc.data.get("models"))):
        if isinstance(model, dict):
            _model(ctx, doc, ("models", i), model, families)
    check_provider_modifiers(ctx, doc)


def _model(ctx, doc, base, m, families):
    label = lambda *p: field_label(doc, base + p)  # noqa: E731
    family = m.get("family")
    if isinstance(families, dict) and isinstance(family, str) and family not in families:
        close = difflib.get_close_matches(family, list(families), n=1, cutoff=0.5)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        ctx.add(doc, base + ("family",), f"{label('family')}: '{family}' is not a family in site.yaml "
                                         f"pricing.families ({', '.join(families)}){hint}")
    if m.get("slug") in RESERVED_SLUGS:
        ctx.add(doc, base + ("slug",), f"slug: '{m['slug']}' cannot be a model slug: the page "
                                       f"models/{m['slug']}/ is taken by the site itself")
    _rate_set(ctx, doc, base + ("prices",))
    _tiers(ctx, doc, base + ("tiers",))
    _limits(ctx, doc, base, m)
    _tier_rates(ctx, doc, base + ("prices",), base + ("tiers",))
    family_provider = (families.get(family) or {}).get("provider") if isinstance(families, dict) \
        and isinstance(families.get(family), dict) else None
    provider = doc.data.get("provider")
    if isinstance(family_provider, str) and isinstance(provider, str) and family_provider != provider:
        ctx.add(doc, base + ("family",), f"{label('family')}: family '{family}' is the {family_provider} "
                                         f"family (site.yaml pricing.families.{family}.provider), but this "
                                         f"model is in {provider}'s file; move the model to "
                                         f"models/{family_provider}.yaml or give it a {provider} family")
    checked = ctx.date(doc, base + ("checked",))
    _lifecycle(ctx, doc, base, m)
    if checked and checked > ctx.today:
        ctx.add(doc, base + ("checked",), f"{label('checked')}: {checked} is in the future (today is "
                                          f"{ctx.today}); write the date the price was compared with "
                                          "the source")
    elif checked and ctx.stale_days is not None and (ctx.today - checked).days > ctx.stale_days:
        days = (ctx.today - checked).days
        ctx.add(doc, base + ("checked",),
                f"{label('checked')}: the official price was last checked {checked}, {days} days ago; "
                f"limit is {ctx.stale_days} days (site.yaml pricing.stale_after_days): compare it with "
                "the source and update checked", "error" if ctx.strict else "warning")
    previous = None
    for j, entry in enumerate(as_list(m.get("history"))):
        hpath = base + ("history", j)
        if not isinstance(entry, dict):
            continue
        _rate_set(ctx, doc, hpath + ("prices",))
        _tiers(ctx, doc, hpath + ("tiers",))
        _tier_rates(ctx, doc, hpath + ("prices",), hpath + ("tiers",))
        until = ctx.date(doc, hpath + ("until",))
        if until is None:
            continue
        if previous is not None and until <= previous[0]:
            ctx.add(doc, hpath + ("until",), f"{label('history', j, 'until')}: history must be oldest first "
                                             f"with ascending 'until' dates: {until} is not after {previous[0]} "
                                             f"(line {previous[1]})")
        elif checked and until > checked:
            ctx.add(doc, hpath + ("until",), f"{label('history', j, 'until')}: {until} is after checked "
                                             f"{checked}; history holds prices that ended before the "
                                             "current ones were checked")
        previous = (until, doc.where(hpath + ("until",))[0])
    _scheduled(ctx, doc, base, m, previous)
    _modifiers(ctx, doc, base, m)


def _scheduled(ctx, doc, base, m, last_history):
    """Scheduled periods: consistent prices, `from` ascending and after the last history `until`
    (the current prices need at least one day of their own)."""
    previous = last_history
    for j, entry in enumerate(as_list(m.get("scheduled"))):
        spath = base + ("scheduled", j)
        if not isinstance(entry, dict):
            continue
        _rate_set(ctx, doc, spath + ("prices",))
        _tiers(ctx, doc, spath + ("tiers",))
        start = ctx.date(doc, spath + ("from",))
        if start is None:
            continue
        where = field_label(doc, spath + ("from",))
        if previous is not None and start <= previous[0]:
            what = "the last history 'until'" if previous is last_history else "the scheduled period before it"
            ctx.add(doc, spath + ("from",), f"{where}: {start} is not after {previous[0]} (line {previous[1]}), "
                                            f"{what}; scheduled prices are oldest first and each starts after "
                                            "the current prices began")
        previous = (start, doc.where(spath + ("from",))[0])


def _lifecycle(ctx, doc, base, m):
    """released <= deprecated_on < retires_on; the status the data lists agrees with the dates on
    the day the check is for."""
    label = lambda *p: field_label(doc, base + p)  # noqa: E731
    dates = {name: ctx.date(doc, base + (name,)) for name in ("released", "deprecated_on", "retires_on")}
    released, deprecated, retires = dates["released"], dates["deprecated_on"], dates["retires_on"]
    for early, late in (("released", "deprecated_on"), ("released", "retires_on"), ("deprecated_on", "retires_on")):
        if dates[early] and dates[late] and dates[late] < dates[early]:
            ctx.add(doc, base + (late,), f"{label(late)}: {dates[late]} is before {early} {dates[early]}; "
                                         "a model is released, then deprecated, then retired")
    status = m.get("status")
    if status == "retired" and not retires:
        ctx.add(doc, base + ("status",), f"{label('status')}: a retired model needs retires_on, the day the "
                                         "provider stopped serving it (YYYY-MM-DD)")
    elif status in ("active", "preview", "deprecated") and retires and retires <= ctx.today:
        ctx.add(doc, base + ("status",), f"{label('status')}: listed as {status}, but it retired on {retires} "
                                         "(retires_on): write status: retired", "warning")
    elif status in ("active", "preview") and deprecated and deprecated <= ctx.today:
        ctx.add(doc, base + ("status",), f"{label('status')}: listed as {status}, but it was deprecated on "
                                         f"{deprecated} (deprecated_on): write status: deprecated", "warning")
    if released and status in ("deprecated", "retired") and released > ctx.today:
        ctx.add(doc, base + ("released",), f"{label('released')}: {released} is after today, but the model "
                                           f"is listed as {status}")
    minimum, window = m.get("min_cache_tokens"), m.get("context_window")
    if isinstance(minimum, int) and isinstance(window, int) and minimum > window:
        ctx.add(doc, base + ("min_cache_tokens",), f"{label('min_cache_tokens')}: {minimum} is more than the "
                                                   f"context window ({window}); no prompt could be cached")


def check_replacements(ctx, docs):
    """Each `replacement` names another model of the catalog (a slug, not an alias), one that is
    not retired itself on the day of the check. Runs after check_names."""
    for doc in docs:
        for i, m in enumerate(as_list(doc.data.get("models"))):
            if not isinstance(m, dict) or not isinstance(m.get("replacement"), str):
                continue
            path, target = ("models", i, "replacement"), m["replacement"]
            where = field_label(doc, path)
            if target == m.get("slug"):
                ctx.add(doc, path, f"{where}: '{target}' is this model itself; name the model to use instead")
            elif target in ctx.alias_of:
                ctx.add(doc, path, f"{where}: '{target}' is an alias of {ctx.alias_of[target]}; write the slug: "
                                   f"replacement: {ctx.alias_of[target]}")
            elif target not in ctx.slugs:
                if ctx.complete:
                    close = difflib.get_close_matches(target, list(ctx.slugs), n=1, cutoff=0.6)
                    hint = f"; did you mean '{close[0]}'?" if close else ""
                    ctx.add(doc, path, f"{where}: '{target}' is not the slug of any model in models/*.yaml{hint}")
            else:
                tdoc, tpath = ctx.slugs[target]
                other = tdoc.get(tpath[:-1]) or {}
                retires = other.get("retires_on")
                if other.get("status") == "retired" or (isinstance(retires, str) and retires <= ctx.today.isoformat()):
                    ctx.add(doc, path, f"{where}: '{target}' is retired itself; name a model customers can call",
                            "warning")


def _whole(value):
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _limits(ctx, doc, base, m):
    """max_output fits the context window; every tier can apply (its threshold is below the window)."""
    window, most = _whole(m.get("context_window")), _whole(m.get("max_output"))
    if window is None:
        return
    if most is not None and most > window:
        ctx.add(doc, base + ("max_output",), f"{field_label(doc, base + ('max_output',))}: max_output {tokens(most)} "
                                             f"is above context_window {tokens(window)}; the output is part of the "
                                             "context, so it cannot be longer than the whole window")
    for k, tier in enumerate(as_list(m.get("tiers"))):
        above = _whole(tier.get("above")) if isinstance(tier, dict) else None
        if above is not None and above >= window:
            here = base + ("tiers", k, "above")
            ctx.add(doc, here, f"{field_label(doc, here)}: the tier applies above {tokens(above)} input tokens, but "
                               f"context_window is {tokens(window)}: no request can reach it")


def _rate(rates, name):
    """A bucket's rate in a rate set: its own price, else the set's input (how the engine bills it)."""
    own = price(rates.get(name))
    return own if own is not None or name == "output" else price(rates.get("input"))


def _count_text(value):
    return tokens(value) if _whole(value) is not None else str(value)


def _tier_rates(ctx, doc, prices_path, tiers_path):
    """A context tier is a surcharge: none of its rates is below the base rate or the tier before it."""
    before = ("the base prices", doc.get(prices_path))
    for k, tier in enumerate(as_list(doc.get(tiers_path))):
        if not isinstance(tier, dict) or not isinstance(before[1], dict):
            continue
        for name in PRICE_FIELDS:
            if name not in tier:
                continue
            mine, theirs = price(tier.get(name)), _rate(before[1], name)
            if mine is not None and theirs is not None and mine < theirs:
                here = tiers_path + (k, name)
                ctx.add(doc, here, f"{field_label(doc, here)}: {name} \"{tier[name]}\" above "
                                   f"{_count_text(tier.get('above'))} tokens is below {theirs} in {before[0]}; a "
                                   "long-context tier never makes a longer prompt cheaper (check the tier's "
                                   "prices, or the order of the tiers)")
                break
        if isinstance(tier.get("above"), int):
            before = (f"the tier above {tokens(tier['above'])}", tier)


def _rate_set(ctx, doc, path):
    rates = doc.get(path)
    if not isinstance(rates, dict):
        return
    inp, read = price(rates.get("input")), price(rates.get("cache_read"))
    if inp is not None and read is not None and read > inp:
        ctx.add(doc, path + ("cache_read",),
                f"{field_label(doc, path + ('cache_read',))}: cache_read \"{rates['cache_read']}\" is above "
                f"input \"{rates['input']}\" of the same rate set; a cache read is never dearer than "
                "plain input")
    w5, w1 = price(rates.get("cache_write_5m")), price(rates.get("cache_write_1h"))
    for name, write in (("cache_write_5m", w5), ("cache_write_1h", w1)):
        if write is not None and read is not None and write < read:
            ctx.add(doc, path + (name,),
                    f"{field_label(doc, path + (name,))}: {name} \"{rates[name]}\" is below cache_read "
                    f"\"{rates['cache_read']}\"; writing to the cache never costs less than reading from it")
    if w5 is not None and w1 is not None and w1 < w5:
        ctx.add(doc, path + ("cache_write_1h",),
                f"{field_label(doc, path + ('cache_write_1h',))}: cache_write_1h \"{rates['cache_write_1h']}\" "
                f"is below cache_write_5m \"{rates['cache_write_5m']}\"; keeping a cache entry for an hour "
                "never costs less than for 5 minutes (are the two swapped?)")


def _tiers(ctx, doc, path):
    previous = None
    for k, tier in enumerate(as_list(doc.get(path))):
        if not isinstance(tier, dict):
            continue
        _rate_set(ctx, doc, path + (k,))
        above = tier.get("above")
        if not isinstance(above, int) or isinstance(above, bool):
            continue
        here = path + (k, "above")
        if previous is not None and above == previous[0]:
            ctx.add(doc, here, f"{field_label(doc, here)}: duplicate tier: above {above} is also the "
                               f"threshold of the tier at line {previous[1]}")
        elif previous is not None and above < previous[0]:
            ctx.add(doc, here, f"{field_label(doc, here)}: tiers must be strictly ascending by 'above': "
                               f"{above} comes after {previous[0]} (line {previous[1]})")
        previous = (above, doc.where(here)[0])


def check_names(ctx, docs):
    """Slugs unique across all files; aliases unique across all slugs and aliases. Fills
    ctx.slugs and ctx.alias_of for the rules that look names up."""
    def place(doc, path):
        line, col = doc.where(path)
        return f"{doc.path}:{line}:{col}"

    for doc in docs:
        for i, m in enumerate(as_list(doc.data.get("models"))):
            slug = m.get("slug") if isinstance(m, dict) else None
            if not isinstance(slug, str):
                continue
            path = ("models", i, "slug")
            if slug in ctx.slugs:
                ctx.add(doc, path, f"slug: duplicate slug '{slug}': also the slug of the model at "
                                   f"{place(*ctx.slugs[slug])}")
            else:
                ctx.slugs[slug] = (doc, path)
    # a provider's model id routes to the model that has it: no other model may take it as slug or
    # alias, and two models of one provider never share it (which price would apply?)
    upstream = {}
    for doc in docs:
        for i, m in enumerate(as_list(doc.data.get("models"))):
            pid = m.get("provider_model_id") if isinstance(m, dict) else None
            if not isinstance(pid, str):
                continue
            key = (doc.data.get("provider"), pid)
            path = ("models", i, "provider_model_id")
            if key in upstream:
                ctx.add(doc, path, f"{field_label(doc, path)}: '{pid}' is also the provider_model_id of "
                                   f"{upstream[key][2]} at {place(*upstream[key][:2])}; two models cannot "
                                   "be the same upstream model")
            else:
                upstream[key] = (doc, path, m.get("slug"))
    by_pid = {pid: v for (_, pid), v in upstream.items()}
    for slug, (doc, path) in ctx.slugs.items():
        if slug in by_pid and by_pid[slug][2] != slug:
            ctx.add(doc, path, f"slug: '{slug}' is the provider_model_id of {by_pid[slug][2]} at "
                               f"{place(*by_pid[slug][:2])}: a request naming the provider's own id would be "
                               "routed to this model and billed at its price")
    aliases = {}
    for doc in docs:
        for i, m in enumerate(as_list(doc.data.get("models"))):
            if not isinstance(m, dict):
                continue
            for k, alias in enumerate(as_list(m.get("aliases"))):
                if not isinstance(alias, str):
                    continue
                path = ("models", i, "aliases", k)
                label = field_label(doc, path)
                if alias == m.get("slug"):
                    ctx.add(doc, path, f"{label}: alias '{alias}' is the model's own slug; remove it")
                elif alias in ctx.slugs:
                    ctx.add(doc, path, f"{label}: alias '{alias}' is already the slug of the model at "
                                       f"{place(*ctx.slugs[alias])}; a name routes to one model only")
                elif alias in by_pid and by_pid[alias][2] != m.get("slug"):
                    ctx.add(doc, path, f"{label}: alias '{alias}' is the provider_model_id of "
                                       f"{by_pid[alias][2]} at {place(*by_pid[alias][:2])}: a request naming "
                                       f"the provider's own id would be routed to {m.get('slug')} and billed "
                                       "at its price")
                elif alias in aliases:
                    ctx.add(doc, path, f"{label}: alias '{alias}' is already an alias at "
                                       f"{place(*aliases[alias])}; a name routes to one model only")
                else:
                    aliases[alias] = (doc, path)
                    if isinstance(m.get("slug"), str):
                        ctx.alias_of[alias] = m["slug"]
