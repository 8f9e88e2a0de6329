"""JSON in, JSON out: the one entry point the browser worker, the CLI and the build share.

Every function takes plain values (or a JSON string, for the worker) and returns plain values
(or a JSON string). Bad input never raises: the result carries `errors`, a list of
{"field", "message"}, so the page can show each message at its field.
"""
import datetime
import gc
import json
import re
from decimal import Decimal, InvalidOperation

from . import display  # cache_plan, charts, usage, tokens, errors_match: imported by the views that
                       # use them, after the first estimate (not on the calculator's start path)
from .buckets import BUCKETS, CACHE_PARTS, COUNT_FIELDS, PRICE_FIELDS
from .catalog import WINDOW_PROMPT_AND_OUTPUT, Catalog, CatalogError, UnknownModel, shift_day
from .modes import MAX_HOURS, MAX_SEARCHES, MODES, ModeError, parse_time
from .money import plain
from .pricing import MAX_REQUESTS, MAX_TOKENS, PricingError, Usage
from .pricing import estimate as _estimate
from .pricing import rank as _rank
from .pricing import requests_covered

MAX_BALANCE = Decimal(10) ** 9
_INT_TEXT = re.compile(r"^\d{1,3}(?:[,_ ]\d{3})+$|^\d+$")
_SEPARATORS = re.compile(r"[,_ ]")                       # thousands separators a count may be typed with
_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NOTICE_DAYS = 30   # a scheduled price change this close to the chosen date is announced
_DECIMAL_COMMA = re.compile(r"^\$?\d+,\d{1,2}$")      # "10,00": a decimal comma, not a thousands separator
_AMOUNT_TEXT = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d*)?$|^\d*\.?\d*$")
MAX_PROMPT_CHARS = 2_000_000   # the prompt box of the token estimate
RANK_CHART_TOP = 10            # the ranking's chart: the cheapest models that fit (and the chosen one)
_state = {"catalog": None}


class InputError(ValueError):
    def __init__(self, field, message):
        self.field = field
        super().__init__(message)


def parse_count(field, raw, limit=MAX_TOKENS, default=0):
    """A token count from a form field: "", None -> default; "12,000" -> 12000."""
    if type(raw) is str and raw.isascii() and raw.isdigit():  # as typed, the usual case: no pattern needed
        raw = int(raw)
    elif raw is None or (isinstance(raw, str) and not raw.strip()):
        return default
    if isinstance(raw, bool):
        raise InputError(field, "enter a whole number")
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise InputError(field, "enter a whole number, not NaN or Infinity")
        if not raw.is_integer():
            raise InputError(field, "enter a whole number of tokens")
        raw = int(raw)
    if isinstance(raw, str):
        text = raw.strip()
        if text.startswith("-") and _INT_TEXT.match(text[1:].strip()):
            raise InputError(field, "cannot be negative")
        if _DECIMAL_COMMA.match(text):
            raise InputError(field, f"{text} has a decimal comma; token counts are whole numbers: write "
                                    f"{text.split(',')[0]} (a comma only groups thousands, as in 12,000)")
        if not _INT_TEXT.match(text):
            raise InputError(field, "enter a whole number such as 12000 or 12,000")
        raw = int(_SEPARATORS.sub("", text))
    if not isinstance(raw, int):
        raise InputError(field, "enter a whole number")
    if raw < 0:
        raise InputError(field, "cannot be negative")
    if raw > limit:
        raise InputError(field, f"more than {display.tokens(limit)} is not a real request")
    return raw


def parse_date(raw, today=None):
    """The pricing date: "" / None -> today (the reader's, in the browser); otherwise an ISO date
    YYYY-MM-DD and nothing else (20261006 or 2026-W41-2 would otherwise be read as text)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return (today or datetime.date.today()).isoformat()
    text = str(raw).strip()
    if not _DATE_TEXT.match(text):
        raise InputError("at", f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-02")
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        raise InputError("at", f"{text} is not a date (no such day): write YYYY-MM-DD") from None
    return text


def parse_balance(raw):
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    text = str(raw).strip().lstrip("$")
    if _DECIMAL_COMMA.match(text):
        raise InputError("balance", f"{text} has a decimal comma: write {text.replace(',', '.')}")
    if "," in text and not _AMOUNT_TEXT.match(text):
        raise InputError("balance", "a comma only groups thousands (1,250.50); enter an amount in USD such "
                                    "as 25 or 25.50")
    text = text.replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InputError("balance", "enter an amount in USD such as 25 or 25.50") from None
    if not value.is_finite():
        raise InputError("balance", "enter a finite amount in USD")
    if value < 0:
        raise InputError("balance", "cannot be negative")
    if value > MAX_BALANCE:
        raise InputError("balance", "more than $1,000,000,000 is not a real balance")
    return value


def _as_args(args):
    if isinstance(args, (str, bytes)):
        args = json.loads(args)
    return args if isinstance(args, dict) else {}


def _workload(args):
    """(Usage, requests, errors) from form-like args; every bad field reported at once."""
    counts, errors = {}, []
    for name in COUNT_FIELDS:
        try:
            counts[name] = parse_count(name, args.get(name))
        except InputError as err:
            errors.append({"field": err.field, "message": str(err)})
            counts[name] = 0
    try:
        requests = parse_count("requests", args.get("requests"), MAX_REQUESTS, default=1)
        if requests < 1:
            raise InputError("requests", "at least 1")
    except InputError as err:
        errors.append({"field": err.field, "message": str(err)})
        requests = 1
    usage = None
    if not errors:
        try:
            usage = Usage(**counts)
        except PricingError as err:
            errors.append({"field": err.field, "message": str(err)})
    try:
        at = parse_date(args.get("at"))
    except InputError as err:
        errors.append({"field": err.field, "message": str(err)})
        at = None
    return usage, requests, at, errors


def _money(amount):
    if amount is None:
        return {"exact": None, "display": display.NOT_OFFERED}
    return {"exact": plain(amount), "display": display.usd(amount)}


def parse_hours(raw):
    """Cache storage hours: "" / None -> None; a decimal text such as 2 or 1.5."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool) or isinstance(raw, float):
        raise InputError("cache_hours", "enter hours as a number such as 2 or 1.5")
    text = str(raw).strip()
    if not re.match(r"^\d{1,5}(\.\d{1,4})?$", text):
        raise InputError("cache_hours", "enter hours as a number such as 2 or 1.5")
    value = Decimal(text)
    if value > MAX_HOURS:
        raise InputError("cache_hours", "more than a year of storage is not a real workload")
    return value or None


def _modifiers(args, errors):
    """(mods for pricing.estimate, time given) from form-like args; bad ones go to errors."""
    mode = str(args.get("mode") or "standard").strip().lower()
    if mode not in MODES:
        errors.append({"field": "mode", "message": f"unknown mode {mode!r}; one of {', '.join(MODES)}"})
        mode = "standard"
    residency = str(args.get("residency") or "").strip().lower()
    when = None
    raw_time = args.get("time")
    if raw_time is not None and str(raw_time).strip():
        try:
            when = parse_time(str(raw_time))
        except ValueError as err:
            errors.append({"field": "time", "message": str(err)})
    searches = 0
    try:
        searches = parse_count("web_searches", args.get("web_searches"), MAX_SEARCHES)
    except InputError as err:
        errors.append({"field": err.field, "message": str(err)})
    hours = None
    try:
        hours = parse_hours(args.get("cache_hours"))
    except InputError as err:
        errors.append({"field": err.field, "message": str(err)})
    return {"mode": mode, "residency": residency, "when": when, "web_searches": searches,
            "cache_hours": hours}


def _priced_on(args, at, mods):
    """The day that prices a request: a request time's own day, unless a date was given."""
    if mods["when"] is not None and not (isinstance(args.get("at"), str) and args["at"].strip()):
        return mods["when"].date().isoformat()
    return at


def _unavailable_text(model, at, status):
    """Why a model that is not callable on `at` (status "retired" or "upcoming") cannot be priced."""
    return display.retired_text(model, at) if status == "retired" else display.upcoming_text(model)


def _priced(catalog, args):
    """The form's workload priced on its model: (None, (model, usage, requests, at, mods, balance,
    status, est)), or (what estimate_view answers instead, None) when it cannot be priced."""
    args = _as_args(args)
    usage, requests, at, errors = _workload(args)
    mods = _modifiers(args, errors)
    at = _priced_on(args, at, mods)
    model = None
    try:
        model = catalog.model(str(args.get("model", "")))
    except UnknownModel as err:
        errors.append({"field": "model", "message": str(err)})
    try:
        balance = parse_balance(args.get("balance"))
    except InputError as err:
        errors.append({"field": err.field, "message": str(err)})
        balance = None
    if errors:
        return {"errors": errors}, None
    status = model.status_on(at)
    if status in ("retired", "upcoming"):
        return {"errors": [{"field": "model", "message": _unavailable_text(model, at, status)}],
                "status": status, "at": at,
                "model": {"slug": model.slug, "retires_on": model.retires_on, "replacement": model.replacement,
                          "released": model.released}}, None
    limit = model.limit_for(usage.input, usage.output)
    if limit is not None:
        field, what, value = limit
        text = display.limit_text(model, what, value, usage.input, usage.output)
        return {"errors": [{"field": field, "message": text}], "fits": False, "at": at,
                "limit": {"name": what, "tokens": value, "text": text, "page": display.LIMIT_PAGE}}, None
    try:
        est = _estimate(model, usage, requests, at, offers=catalog.offers, **mods)
    except ModeError as err:
        return {"errors": [{"field": err.field, "message": str(err)}], "at": at}, None
    return None, (model, usage, requests, at, mods, balance, status, est)


def estimate_view(catalog, args):
    """Everything the calculator shows for one workload on one model, on the date `at` (default
    today). A model not callable that day, or a workload over its limits, gets the reason at the
    field (`errors`) and, for a limit, `fits: false` with the limit instead of costs.
    `brief: true` in args (the calculator page, on every keystroke) leaves out what the totals do
    not need: the "what if" line (three more estimates; the page asks for it with a "what_if" call
    once the totals are shown) and `summary` (the CLI's and the vectors' figures; the page shows
    none): both None."""
    args = _as_args(args)
    failed, priced = _priced(catalog, args)
    if failed:
        return failed
    model, usage, requests, at, mods, balance, status, est = priced
    whole = args.get("brief") is not True
    rows = []
    for b, rates in zip(BUCKETS, _rate_rows(est.official_rates, est.gateway_rates)):
        tokens = est.usage.tokens(b.billed)
        rows.append({**rates,
                     "tokens": tokens, "tokens_text": display.tokens(tokens),
                     "official": _money(getattr(est.official, b.billed)),
                     "gateway": _money(None if est.gateway is None else getattr(est.gateway, b.billed))})
    stacked = est.stacked
    mode_info = {"mode": mods["mode"], "served": stacked.served if stacked else "standard",
                 "mode_text": display.mode_text(mods["mode"], stacked.served, est.tier) if stacked else "",
                 "peak": stacked.peak if stacked else None,
                 "peak_text": display.peak_text(stacked.peak if stacked else None, model.time_of_day),
                 "residency": mods["residency"],
                 "residency_text": display.residency_text(mods["residency"], model.residency[mods["residency"]].multiplier)
                 if mods["residency"] else "",
                 "not_offered_text": display.not_offered_text(stacked.not_offered if stacked else ""),
                 "fees": [{"name": name, "label": display.fee_label(name, count), "official": _money(off),
                           "gateway": _money(gate)} for name, count, off, gate in est.fees],
                 "fees_text": display.fees_text([(display.fee_label(name, count), _money(off)["display"],
                                                  _money(gate)["display"]) for name, count, off, gate in est.fees]),
                 "what_if": _what_if(catalog, model, usage, requests, at, mods, est) if whole else None}
    result = {
        "errors": [],
        "model": {"slug": model.slug, "name": model.name, "family": model.family,
                  "source": model.source, "checked": model.checked, "ratio": plain(model.ratio),
                  "ratio_note": model.ratio_note},
        "usage": usage.to_dict(), "uncached_input": usage.uncached_input, "requests": requests,
        "requests_text": display.requests_text(requests),
        "ratio_text": display.ratio_text(plain(model.ratio), model.ratio_note),
        "tier": est.tier, "tier_text": display.tier_text(est.tier), "tier_reason": est.tier_reason(),
        "rows": rows, "fits": True, "status": status, "at": at, "at_text": display.at_text(at),
        "cache_note": display.uncached_text(est.uncached_below) if est.uncached_below else "",
        "notice": _notice(model, at),
        "per_request": {"official": _money(est.official.total),
                        "gateway": _money(None if est.gateway is None else est.gateway.total)},
        "total": {"official": _money(est.official_all), "gateway": _money(est.gateway_all)},
        "saving": {**_money(est.saving),
                   "percent": "" if est.saving is None else display.percent(est.saving, est.official_all)},
        **mode_info,
        "summary": est.summary() if whole else None,
        "balance": None,
        "balance_text": display.NO_BALANCE_TEXT,
    }
    if balance is not None and est.gateway is not None:
        covered = requests_covered(balance, est)
        result["balance"] = {
            "amount": _money(balance), "requests": covered,
            "enough": est.gateway_all is not None and balance >= est.gateway_all,
            "text": display.covered_text(covered),
        }
        result["balance_text"] = display.balance_text(display.usd(balance), covered)
    return result


_RATE_ROWS = {}  # (official, gateway) -> _rate_row of each bucket: the same few rates on every keystroke


def _rate_rows(official, gateway):
    """_rate_row for every bucket, kept for the rates last seen (dicts the callers copy, never change)."""
    key = (official, gateway)
    rows = _RATE_ROWS.get(key)
    if rows is None:
        if len(_RATE_ROWS) >= 64:
            _RATE_ROWS.clear()
        rows = _RATE_ROWS[key] = tuple(_rate_row(b, official, gateway) for b in BUCKETS)
    return rows


def _rate_row(b, official, gateway):
    """One bucket's rates, official and gateway (None: not offered), as numbers and as the text
    every page shows."""
    official_rate = official.rate(b.price)
    gateway_rate = None if gateway is None else gateway.rate(b.price)
    as_input = getattr(official, b.price) is None and b.price != "input"
    return {"bucket": b.billed, "label": b.label, "field": b.price, "price_label": b.price_label,
            "official_rate": plain(official_rate), "gateway_rate": None if gateway is None else plain(gateway_rate),
            "official_rate_text": display.rate_cell(official_rate, as_input),
            "gateway_rate_text": display.NOT_OFFERED if gateway is None else display.rate_cell(gateway_rate, as_input),
            "billed_as_input": as_input}


def what_if_view(catalog, args):
    """The "what if" line alone, for estimate_view's args: {errors, what_if} ("" when the workload
    cannot be priced: estimate_view's answer says why)."""
    failed, priced = _priced(catalog, args)
    if failed:
        return {"errors": failed["errors"], "what_if": ""}
    model, usage, requests, at, mods, _, _, est = priced
    return {"errors": [], "what_if": _what_if(catalog, model, usage, requests, at, mods, est)}


def _what_if(catalog, model, usage, requests, at, mods, est):
    """The other service tiers this model offers, for the same workload: one line of text."""
    others = []
    for alt in ("standard",) + tuple(model.modes):
        if alt == mods["mode"]:
            continue
        try:
            other = _estimate(model, usage, requests, at, offers=catalog.offers, **{**mods, "mode": alt})
        except ModeError:
            continue
        others.append((alt, other.official_all))
    return display.what_if_text(est.official_all, others)


def rates_view(catalog, args):
    """The official and gateway rate of every bucket of one model on `at` (default today), at the
    context tier a prompt of `input` tokens selects: what price tables show. No workload, so no
    limit applies (a tier above the window is shown as the data has it)."""
    args = _as_args(args)
    errors = []
    try:
        model = catalog.model(str(args.get("model", "")))
    except UnknownModel as err:
        return {"errors": [{"field": "model", "message": str(err)}]}
    try:
        at = parse_date(args.get("at"))
        input_tokens = parse_count("input", args.get("input"))
    except InputError as err:
        return {"errors": [{"field": err.field, "message": str(err)}]}
    tier, official = model.prices_at(at).select(input_tokens)
    gateway = official.scaled(model.ratio)
    return {"errors": errors, "model": model.slug, "at": at, "tier": tier,
            "rows": [_rate_row(b, official, gateway) for b in BUCKETS]}


def change_texts(model, at, until=None, write=display.change_text):
    """Each scheduled price change after ISO date `at` (up to `until`, when given) as a text:
    what the model page, the tracker and the calculator's notice say."""
    texts, before = [], model.prices_at(at).base
    for entry in model.changes_after(at):
        if until and entry.start > until:
            break
        texts.append(write(entry.start, before, entry.prices.base, PRICE_FIELDS))
        before = entry.prices.base
    return texts


def _notice(model, at):
    """The scheduled price changes within NOTICE_DAYS after `at`, as one sentence ("" if none)."""
    return " ".join(change_texts(model, at, until=shift_day(at, NOTICE_DAYS)))


def rank_view(catalog, args):
    """Every model callable on `at` (default today) priced for one workload, cheapest first, the
    ones the workload does not fit last (marked); `family` filters."""
    args = _as_args(args)
    usage, requests, at, errors = _workload(args)
    mods = _modifiers(args, errors)
    at = _priced_on(args, at, mods)
    family = args.get("family") or None
    if family is not None and family not in catalog.families:
        errors.append({"field": "family", "message": f"unknown family {family!r}"})
    if errors:
        return {"errors": errors}
    rows = []
    percents = {}  # gateway = official x ratio exactly, so the percentage is the ratio's: once per ratio
    for r in _rank(catalog.models, usage, requests, family, at, offers=catalog.offers, **mods):
        m = r.model
        if r.limit is not None and r.limit[0] == "mode":
            rows.append({"slug": m.slug, "name": m.name, "family": m.family, "status": m.status_on(at),
                         "tier": None, "tier_text": "", "official": _money(None), "gateway": _money(None),
                         "percent": "", "percent_text": "", "fits": False, "offered": False,
                         "limit_text": r.limit[2]})
            continue
        if r.gateway is None:
            rows.append({"slug": m.slug, "name": m.name, "family": m.family, "status": m.status_on(at),
                         "tier": r.tier, "tier_text": display.tier_short(r.tier),
                         "official": _money(r.official), "gateway": _money(None), "percent": "",
                         "percent_text": display.NOT_OFFERED, "fits": r.limit is None, "offered": True,
                         "limit_text": "" if r.limit is None else display.limit_short(r.limit[1], r.limit[2])})
            continue
        if r.official == 0:
            pct = "0.0"
        elif mods["mode"] != "standard" or mods["web_searches"] or mods["cache_hours"]:
            pct = display.percent(r.gateway, r.official)   # a mode's or fee's own ratio may differ
        else:
            pct = percents.get(m.ratio) or percents.setdefault(m.ratio, display.percent(r.gateway, r.official))
        rows.append({"slug": m.slug, "name": m.name, "family": m.family, "status": m.status_on(at),
                     "tier": r.tier, "tier_text": display.tier_short(r.tier),
                     "official": _money(r.official), "gateway": _money(r.gateway),
                     "percent": pct, "percent_text": f"{pct}%", "fits": r.limit is None,
                     "limit_text": "" if r.limit is None else display.limit_short(r.limit[1], r.limit[2])})
    out = {"errors": [], "rows": rows, "requests": requests, "at": at}
    if args.get("chart"):   # the calculator's chart beside the table
        # the chosen model by slug or alias (no suggestions: this runs on every ranking)
        chosen = catalog.find(str(args.get("model", "")))
        out["chart"] = rank_chart(catalog, rows, chosen.slug if chosen else "")
    return out


# ---- pictures (calculator/charts.py draws; display.py writes every text) ----------------------

def _brand(catalog):
    return catalog.site.get("brand", "the gateway")


def _amounts(money_dicts):
    """Decimal values of _money() dicts (None where not offered)."""
    return [None if m["exact"] is None else Decimal(m["exact"]) for m in money_dicts]


def money_bars(catalog, rows, chart_id, title, highlight=()):
    """Bars of gateway and official amounts, one group per row: rows are dicts with a "label" and
    "official" and "gateway" _money() dicts (what tables show, so the bars' texts are the cells')."""
    from . import charts
    brand = _brand(catalog)
    lines = [(r["label"], r["official"]["display"], r["gateway"]["display"]) for r in rows]
    return charts.bars([r["label"] for r in rows],
                       [(display.gateway_name(brand), _amounts([r["gateway"] for r in rows])),
                        (display.OFFICIAL, _amounts([r["official"] for r in rows]))],
                       display.usd, chart_id=chart_id, title=title, desc=display.chart_values_text(lines, brand),
                       missing=display.NOT_OFFERED, highlight=highlight)


def rank_chart(catalog, rows, current=""):
    """The ranking as bars: the RANK_CHART_TOP cheapest models the workload fits, and the chosen
    model (`current`, a slug) when it is not among them; rows: rank_view's."""
    fits = [r for r in rows if r["fits"] and r["official"]["exact"] is not None]
    shown = fits[:RANK_CHART_TOP]
    extra = [r for r in fits[RANK_CHART_TOP:] if r["slug"] == current]
    shown += extra
    return money_bars(catalog, [{**r, "label": r["name"]} for r in shown], "pb-chart-rank",
                      display.rank_chart_title(len(shown) - len(extra), bool(extra)),
                      highlight=[i for i, r in enumerate(shown) if r["slug"] == current])


def charts_view(catalog, args):
    """The calculator's pictures of the workload estimate_view prices (the same args), as SVG text:
    `buckets`, where the money goes (each bucket's cost for one request, gateway and official: the
    breakdown table's cells), and `curve`, what one request costs against prompt length (the tier
    cliff and the context window's wall). Errors: estimate_view's."""
    view = estimate_view(catalog, args)
    if view["errors"]:
        return {"errors": view["errors"]}
    rows = [r for r in view["rows"] if r["tokens"]] or view["rows"]
    model = catalog.model(view["model"]["slug"])
    mods = _modifiers(_as_args(args), [])
    return {"errors": [],
            "buckets": money_bars(catalog, rows, "pb-chart-buckets", display.bucket_chart_title(view["requests"])),
            "curve": _curve_chart(catalog, model, Usage(**view["usage"]), view["at"], mods)}


def prompt_points(catalog, model, usage, at, mods):
    """(wall, [(prompt, official, gateway or None)]): one request's token cost on `model` for
    prompts from 0 to the longest it takes (`wall`), the cache parts in `usage`'s proportions and
    its output as is. The cost is linear between the points where a rule changes (the minimum
    cacheable prompt, each tier's threshold and one token above it), so those points, the ends and
    the prompt of `usage` draw the curve exactly: a few estimates, not one per pixel."""
    wall = model.context_window - (usage.output if model.window == WINDOW_PROMPT_AND_OUTPUT else 0)
    xs = {0, wall, min(usage.input, wall)}
    for tier in model.prices_at(at).tiers:
        if tier.above < wall:
            xs |= {tier.above, tier.above + 1}
    if usage.cached and 0 < model.min_cache_tokens <= wall:
        xs |= {model.min_cache_tokens - 1, model.min_cache_tokens}
    points = []
    for x in sorted(xs):
        parts = {name: getattr(usage, name) * x // usage.input if usage.input else 0 for name in CACHE_PARTS}
        try:
            est = _estimate(model, Usage(input=x, output=usage.output, **parts), 1, at, offers=catalog.offers, **mods)
        except ModeError:
            continue
        points.append((x, est.official.total, None if est.gateway is None else est.gateway.total))
    return wall, points


def _curve_chart(catalog, model, usage, at, mods):
    from . import charts
    brand = _brand(catalog)
    wall, points = prompt_points(catalog, model, usage, at, mods)
    by_x = {x: (off, gate) for x, off, gate in points}
    series = []
    if all(gate is not None for _, _, gate in points):
        series.append(charts.Series(display.gateway_name(brand), tuple((x, g) for x, _, g in points), style=0,
                                    tips=tuple(display.curve_point_tip(x, brand, display.usd(g)) for x, _, g in points)))
    series.append(charts.Series(display.OFFICIAL, tuple((x, o) for x, o, _ in points), style=1,
                                tips=tuple(display.curve_point_tip(x, "official", display.usd(o)) for x, o, _ in points)))
    x_ticks = [(v, display.tick_tokens(v)) for v in charts.nice_ticks(wall * Decimal("1.08"), 5)]
    y_ticks = [(v, display.tick_usd(v)) for v in charts.nice_ticks(max(o for _, o, _ in points))]
    tiers = [t.above for t in model.prices_at(at).tiers if t.above < wall and t.above in by_x and t.above + 1 in by_x]
    marks = [charts.Mark(above, display.cliff_mark(above), "cliff") for above in tiers]
    marks += [charts.Mark(wall, display.wall_mark(wall), "wall"),
              charts.Mark(usage.input, display.here_mark(usage.input), "here")]
    here_off, here_gate = by_x.get(usage.input, (points[-1][1], points[-1][2]))
    desc = display.curve_desc(model.name, wall, usage.output,
                              [(t, display.usd(by_x[t][0]), display.usd(by_x[t + 1][0])) for t in tiers],
                              (usage.input, display.usd(here_off),
                               display.NOT_OFFERED if here_gate is None else display.usd(here_gate)), brand)
    return charts.plot(series, x_ticks, y_ticks, chart_id="pb-chart-curve", title=display.curve_title(model.name),
                       desc=desc, marks=marks, bands=[(wall, x_ticks[-1][0], "refused")])


def timeline(model):
    """The model's price periods, oldest first: [(start, until, kind, note)], ISO dates (None
    where open), kind "past", "current" or "scheduled"."""
    bounds = [h.until for h in model.history] + [s.start for s in model.scheduled]
    out = []
    for i, (start, until) in enumerate(zip([None] + bounds, bounds + [None])):
        past = len(model.history)
        kind = "past" if i < past else "current" if i == past else "scheduled"
        note = model.history[i].note if kind == "past" else model.scheduled[i - past - 1].note if kind == "scheduled" else ""
        out.append((start, until, kind, note))
    return out


def history_view(catalog, model, at):
    """A model's price periods (history, current, announced) for its page: `rows` (a table: the
    period, official and gateway base input and output rates, the note) and `chart`, a step chart
    of the same rates over time with `at` marked ("" when neither of them ever changed: a tier or a
    cache rate did). {"any": False} when its prices never changed."""
    from . import charts
    import datetime
    periods = timeline(model)
    if len(periods) < 2:
        return {"any": False, "rows": [], "chart": ""}
    brand = _brand(catalog)
    rows, values = [], {}   # values[(who, field)]: the Decimal rate of each period
    for start, until, kind, note in periods:
        official = model.prices_at(start or shift_day(until, -1)).base
        row = {"start": start, "until": until, "kind": kind, "note": note,
               "period": display.period_text(start, until, kind)}
        for who, rates in (("official", official), ("gateway", official.scaled(model.ratio))):
            for field in ("input", "output"):
                values.setdefault((who, field), []).append(rates.rate(field))
                row[f"{who}_{field}"] = plain(rates.rate(field))
                row[f"{who}_{field}_text"] = display.rate(rates.rate(field))
        rows.append(row)
    if all(len(set(values[("official", f)])) == 1 for f in ("input", "output")):
        return {"any": True, "rows": rows, "chart": ""}   # only other rates changed: the table says which
    day = datetime.date.fromisoformat
    dates = [day(r["start"]) for r in rows if r["start"]] + [day(at)] + ([day(model.retires_on)] if model.retires_on else [])
    first, last = min(dates), max(dates)
    pad = datetime.timedelta(days=max(45, (last - first).days // 6))
    lo = day(model.released) if model.released and day(model.released) <= first else first - pad
    hi = last + pad
    end = day(model.retires_on) if model.retires_on else hi
    xs = tuple((day(r["start"]) if r["start"] else lo).toordinal() for r in rows)
    keys = tuple(r["start"] or "" for r in rows)
    series = []
    for who, style in (("official", 1), (brand, 0)):
        key = "official" if who == "official" else "gateway"
        for field, label, dashed in (("input", "Input", False), ("output", "Output", True)):
            rates = values[(key, field)]
            series.append(charts.Series(display.rate_series(label, who), tuple(zip(xs, rates)), style=style,
                                        step=True, end=end.toordinal(), dashed=dashed, keys=keys,
                                        tips=tuple(display.history_tip(r["period"], label, who, v)
                                                   for r, v in zip(rows, rates))))
    top = max(values[("official", "output")] + values[("official", "input")])
    y_ticks = [(v, display.tick_usd(v)) for v in charts.nice_ticks(top)]
    x_ticks = [(d.toordinal(), text) for d, text in charts.month_ticks(lo, hi, display.month_tick)]
    marks = [charts.Mark(day(at).toordinal(), display.today_mark(at), "today")]
    bands = []
    announced = [r for r in rows if r["kind"] == "scheduled" and r["start"] > at]
    if announced:
        start = day(announced[0]["start"]).toordinal()
        marks.append(charts.Mark(start, display.announced_mark(announced[0]["start"]), "announced"))
        bands.append((start, end.toordinal(), "announced"))
    if model.retires_on:
        marks.append(charts.Mark(end.toordinal(), display.retired_mark(model.retires_on), "retired"))
    desc = display.history_desc([(r["period"], r["official_input_text"], r["official_output_text"],
                                  r["gateway_input_text"], r["gateway_output_text"]) for r in rows], brand)
    chart = charts.plot(series, x_ticks, y_ticks, chart_id="pb-chart-history", title=display.history_title(model.name),
                        desc=desc, marks=marks, bands=bands, x_range=(lo.toordinal(), hi.toordinal()))
    return {"any": True, "rows": rows, "chart": chart}


def usage_view(text):
    """Fill the form from a pasted provider usage JSON or a log line."""
    from .usage import UsageError, parse_log_line, parse_served, parse_usage
    text = text if isinstance(text, str) else json.dumps(text)
    if len(text) > 1_000_000:
        return {"errors": [{"field": "paste", "message": "that is more than 1 MB; paste only the usage object"}]}
    stripped = text.strip()
    if stripped.startswith(("{", "[")):
        try:
            shape, usage = parse_usage(stripped)
        except UsageError as err:
            return {"errors": [{"field": "paste", "message": str(err)}]}
        try:
            served = parse_served(stripped)
        except UsageError as err:
            return {"errors": [{"field": "paste", "message": str(err)}]}
        filled = _filled(shape, usage.to_dict())
        # The calculator's mode, residency and web-search controls take what the object says was
        # served (the parse the CLI's --usage prices with); what it does not state stays as it is.
        fields = {name: str(served[name]) for name in ("mode", "residency", "web_searches") if name in served}
        return {**filled, "served": served, "served_fields": fields,
                "filled_text": display.filled_text(shape) + display.served_text(served)}
    try:
        fields = parse_log_line(stripped)
    except UsageError as err:
        return {"errors": [{"field": "paste", "message": str(err)}]}
    return _filled("text", fields)


def _filled(shape, fields):
    fields = {name: fields.get(name, 0) for name in COUNT_FIELDS}
    return {"errors": [], "shape": shape, "fields": fields,
            "fields_text": {name: str(n) for name, n in fields.items()},
            "filled_text": display.filled_text(shape)}


def tokens_view(text):
    from .tokens import estimate_tokens as _estimate_tokens
    text = text if isinstance(text, str) else ""
    if len(text) > MAX_PROMPT_CHARS:
        return {"errors": [{"field": "prompt", "message": f"that is more than {display.tokens(MAX_PROMPT_CHARS)} characters, "
                                                          "far beyond any model's context window; paste a "
                                                          "part and scale the estimate"}]}
    est = _estimate_tokens(text)
    return {"errors": [], "tokens": est.tokens, "low": est.low, "high": est.high,
            "characters": est.characters, "method": est.method, "text": display.token_estimate_text(est)}


def errors_view(catalog, text, limit=5):
    from . import errors_match   # only the error lookup needs it: not imported at the calculator's start
    return {"errors": [], "matches": errors_match.rank(catalog.errors, text, limit=limit)}


# ---- the worker's JSON-string entry points -------------------------------------------------

def load(catalog_json):
    """Load the prices JSON the build exported; returns how many models."""
    try:
        _state["catalog"] = Catalog.from_dict(json.loads(catalog_json))
    except (ValueError, KeyError, TypeError, CatalogError) as err:
        return json.dumps({"errors": [{"field": "catalog", "message": f"prices JSON unreadable: {err}"}]})
    # The catalog lives as long as the page: move it out of the cyclic collector's sight, so the
    # collections a 10,000-row ranking triggers do not walk every price again (173 -> 118 ms for
    # rank_view over 10,000 models in CPython). Reference counting still frees a replaced catalog.
    gc.freeze()
    return json.dumps({"errors": [], "models": len(_state["catalog"].models)})


def call(fn, args_json):
    """Dispatch one worker request: fn in estimate, what_if, rank, cache, charts, usage, tokens,
    errors."""
    try:
        args = _as_args(args_json)
        catalog = _state["catalog"]
        if fn in ("estimate", "what_if", "rank", "errors", "cache", "charts") and catalog is None:
            raise CatalogError("the prices are not loaded yet")
        if fn == "estimate":
            out = estimate_view(catalog, args)
        elif fn == "what_if":
            out = what_if_view(catalog, args)
        elif fn == "rank":
            out = rank_view(catalog, args)
        elif fn == "cache":
            out = cache_view(catalog, args)
        elif fn == "charts":
            out = charts_view(catalog, args)
        elif fn == "usage":
            out = usage_view(args.get("text", ""))
        elif fn == "tokens":
            out = tokens_view(args.get("text", ""))
        elif fn == "errors":
            out = errors_view(catalog, str(args.get("text", "")))
        else:
            out = {"errors": [{"field": "fn", "message": f"unknown function {fn!r}"}]}
    except (ValueError, TypeError, RecursionError) as err:
        out = {"errors": [{"field": "request", "message": str(err)[:200]}]}
    return json.dumps(out)


def cache_view(catalog, args):
    """"Should I cache?": a prefix of `prefix` tokens (empty: `input`) reused `reuses` times over
    `minutes` minutes, with `fresh` input and `output` tokens per request, on one model, with the
    form's date, service tier, residency and time: the cost with no cache and with each cache
    option the model's data offers, the saving, the break-even reuse count, and one sentence
    (calculator/cache_plan.py states the model)."""
    from . import cache_plan
    args = _as_args(args)
    errors = []

    def count(field, limit=MAX_TOKENS, default=0, fallback=None):
        try:
            raw = args.get(field)
            if fallback and (raw is None or not str(raw).strip()):
                raw = args.get(fallback)
            return parse_count(field, raw, limit, default)
        except InputError as err:
            errors.append({"field": err.field, "message": str(err)})
            return default

    prefix = count("prefix", fallback="input")
    reuses = count("reuses", cache_plan.MAX_REUSES, cache_plan.DEFAULT_REUSES)
    minutes = count("minutes", cache_plan.MAX_MINUTES, cache_plan.DEFAULT_MINUTES)
    fresh, output = count("fresh"), count("output")
    if not errors and prefix < 1:
        errors.append({"field": "prefix", "message": "enter the tokens of the prefix every request repeats"})
    if not errors and reuses < 1:
        errors.append({"field": "reuses", "message": "at least 1: how many requests after the first send the prefix again"})
    mods = _modifiers(args, errors)
    try:
        at = parse_date(args.get("at"))
    except InputError as err:
        errors.append({"field": err.field, "message": str(err)})
    try:
        model = catalog.model(str(args.get("model", "")))
    except UnknownModel as err:
        errors.append({"field": "model", "message": str(err)})
    if errors:
        return {"errors": errors}
    at = _priced_on(args, at, mods)
    if not model.callable_on(at):
        return {"errors": [{"field": "model", "message": _unavailable_text(model, at, model.status_on(at))}]}
    limit = model.limit_for(prefix + fresh, output)
    if limit is not None:
        field = "prefix" if limit[0] == "input" else limit[0]
        return {"errors": [{"field": field, "message": display.limit_text(model, limit[1], limit[2], prefix + fresh, output)}]}
    try:
        plan = cache_plan.plan(model, prefix, reuses, minutes, fresh, output, at, catalog.offers,
                               mode=mods["mode"], residency=mods["residency"], when=mods["when"])
    except (ModeError, PricingError) as err:
        return {"errors": [{"field": err.field, "message": str(err)}]}
    gap = display.cache_gap(minutes, reuses)
    requests = reuses + 1
    rows = [{"key": "none", "label": display.cache_label("none"), "note": display.CACHE_NONE_NOTE,
             "official": _money(plan.none.official), "gateway": _money(plan.none.gateway),
             "saving": _money(Decimal(0)), "saving_gateway": _money(None if plan.none.gateway is None else Decimal(0)),
             "percent": "", "saving_text": "", "writes": 0, "reads": 0, "break_even": None, "break_even_gateway": None,
             "break_even_text": "", "break_even_gateway_text": "", "storage": None}]
    best = None
    for row in plan.rows:
        saving = plan.none - row.total
        pct = display.percent(saving.official, plan.none.official)
        label = display.cache_label(row.option.key, row.option.stated)
        rows.append({"key": row.option.key, "label": label,
                     "note": display.cache_note(row, gap, minutes, model.cache_storage),
                     "official": _money(row.total.official), "gateway": _money(row.total.gateway),
                     "saving": _money(saving.official), "saving_gateway": _money(saving.gateway),
                     "percent": pct, "saving_text": display.cache_saving(saving.official, pct),
                     "writes": row.writes, "reads": row.reads,
                     "break_even": row.break_even, "break_even_gateway": row.break_even_gateway,
                     "break_even_text": display.break_even_text(row.break_even),
                     "break_even_gateway_text": display.break_even_text(row.break_even_gateway,
                                                                        row.total.gateway is not None),
                     "storage": None if row.storage is None else _money(row.storage.official)})
        if saving.official > 0 and (best is None or row.total.official < best[0].total.official):
            best = (row, label, saving, pct)
    answer = display.cache_answer(
        model.name, plan.uncached,
        None if best is None else (best[1], best[0].break_even, display.usd(best[2].official),
                                   _money(best[2].gateway)["display"], best[3]),
        model.min_cache_tokens, prefix, requests, gap)
    picture = "" if len(rows) < 2 else money_bars(catalog, rows, "pb-chart-cache", display.cache_chart_title(requests))
    return {"errors": [], "model": model.slug, "at": at, "prefix": prefix, "reuses": reuses, "minutes": minutes,
            "requests": requests, "gap_text": gap, "span_text": display.cache_span(requests, minutes, gap),
            "uncached": plan.uncached, "answer": answer, "picture": picture,
            "omitted_text": display.cache_omitted(plan.omitted),
            "best": None if best is None else best[0].option.key, "rows": rows}


def modifiers_view(catalog, model, at=None):
    """What a model page, a pricing page and the prices export show beyond the standard card, at
    base context length on `at`: each service tier's rates, each residency on each tier it combines
    with, the peak-hour rates, the tool fees and cache storage, official and gateway. Every rate is
    the engine's (calculator.modes.stack / pricing.estimate): `exact` holds plain decimal strings
    (gateway None: not offered), `official` / `gateway` the texts of calculator/display.py. `any`
    is False when the model has none of them."""
    from .modes import offered, scale, stack

    def rates(r):
        """{field: exact, text} of a Rates (None: not offered)."""
        if r is None:
            return {f: None for f in PRICE_FIELDS}, {f: display.NOT_OFFERED for f in PRICE_FIELDS}
        return ({f: plain(r.rate(f)) for f in PRICE_FIELDS},
                {f: display.rate_cell(r.rate(f), getattr(r, f) is None and f != "input") for f in PRICE_FIELDS})

    def row(mode, label, official, gateway, note="", region="", peak=False):
        (off_exact, off_text), (gate_exact, gate_text) = rates(official), rates(gateway)
        return {"mode": mode, "residency": region, "peak": peak, "label": label, "note": note,
                "official": off_text, "gateway": gate_text,
                "exact": {"official": off_exact, "gateway": gate_exact}}

    prices = model.prices_at(at)
    names = ("standard",) + tuple(model.modes)
    rows = []
    for name in names:
        s = stack(model, 0, at, name, "", None, catalog.offers)
        mode = model.modes.get(name)
        note = ""
        if mode is not None and mode.long_context == "standard" and prices.tiers:
            note = display.fallback_note(prices.tiers[0].above)
        label = display.mode_label(name) if model.time_of_day is None else display.offpeak_label(name)
        rows.append(row(name, label, s.official, s.gateway, note or (mode.note if mode else "")))
    residency = []
    for r in model.residency.values():
        modes = [name for name in names if not r.modes or name in r.modes]
        gateway = offered(catalog.offers, "residency", r.region) is not None
        residency.append({"region": r.region, "multiplier": plain(r.multiplier), "modes": modes,
                          "offered": gateway, "official": display.residency_text(r.region, r.multiplier),
                          "gateway": "" if gateway else display.NOT_OFFERED, "note": r.note})
        for name in modes:
            s = stack(model, 0, at, name, r.region, None, catalog.offers)
            rows.append(row(name, display.residency_label(name, r.region, r.multiplier), s.official, s.gateway,
                            region=r.region))   # its note is said once, under the table
    tod = model.time_of_day
    if tod is not None:
        _, base = prices.select(0)
        peak_rates = scale(base, tod.multiplier)
        rows.append(row("standard", display.peak_label(tod), peak_rates, scale(peak_rates, model.ratio),
                        tod.exceptions, peak=True))
    fees = []
    # what 1,000 searches cost; 1M cached tokens stored 1 hour: the fee per its unit
    asks = [(name, fee, Usage(), {"web_searches": 1000}) for name, fee in model.tools.items()]
    if model.cache_storage is not None:
        asks.append(("cache_storage", model.cache_storage, Usage(input=1000000, cache_read=1000000),
                     {"cache_hours": Decimal(1)}))
    for name, fee, usage, ask in asks:
        _, _, off, gate = _estimate(model, usage, 1, at, offers=catalog.offers, **ask).fees[0]
        fees.append({"name": name, "label": display.FEE_LABELS[name], "unit": display.FEE_UNITS[name],
                     "exact": {"official": plain(off), "gateway": None if gate is None else plain(gate)},
                     "official": display.fee_rate(name, fee),
                     "gateway": display.NOT_OFFERED if gate is None else display.fee_price(name, gate),
                     "free": fee.free, "note": fee.note})
    return {"any": len(rows) > 1 or bool(fees), "rows": rows, "residency": residency, "fees": fees}
