"""The view layer's words and numbers: every amount, rate, token count, tier, ratio and request
count any page, the CLI or the browser shows is written here, once. Templates and calculator.js
only place these strings; tests/test_display.py holds the expected text of each.
"""
from decimal import ROUND_HALF_UP, Decimal

from .buckets import BY_PRICE
from .money import EXACT

DISPLAY_PLACES = 4
DISPLAY_QUANTUM = Decimal(1).scaleb(-DISPLAY_PLACES)
THOUSAND = Decimal(1000)
CENT = Decimal("0.01")
TIMES = "\u00d7"


def usd(amount):
    """A cost that reads like money: half-up to 4 decimal places, trailing zeros dropped down to
    whole cents, thousands separators ("$25.00", "$12.50", "$0.3125", "$1.234", "$1,234.56"); a
    non-zero amount that would round to $0.0000 is shown with two significant digits instead
    ("$0.0000012"), so a real cost never reads as $0."""
    if not isinstance(amount, Decimal):
        amount = Decimal(amount)
    sign = ""
    if amount < 0:
        sign, amount = "-", -amount
    rounded = amount.quantize(DISPLAY_QUANTUM, rounding=ROUND_HALF_UP, context=EXACT)
    if not rounded and amount:
        exponent = amount.adjusted() - 1  # keep two significant digits
        small = amount.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP, context=EXACT)
        if small.adjusted() > amount.adjusted():  # rounding carried (0.0000099996 -> 0.0000100)
            small = small.quantize(Decimal(1).scaleb(exponent + 1), context=EXACT)
        return f"{sign}${format(small, 'f')}"
    # `rounded` has exactly four places ("12.5000"): the zeros of the last two go, the cents stay.
    # One format call: this runs for every amount the calculator shows on every keystroke.
    text = format(rounded, ",f" if rounded >= THOUSAND else "f")
    return f"{sign}${text[:-2]}{text[-2:].rstrip('0')}"


def rate(value):
    """A USD-per-1M rate as every table and the calculator show it: "$3.00", "$0.105", "$0.0028"
    (at least cents, every digit the provider lists beyond them)."""
    value = Decimal(value).normalize(EXACT)   # "2.8000" (a product) and "2.8" read the same
    if value == value.to_integral_value() or value.as_tuple().exponent >= -2:
        value = value.quantize(CENT)
    return f"${value:,}" if value >= THOUSAND else f"${value}"


def rate_cell(value, billed_as_input):
    """A rate in a breakdown: the rate, and why when the provider does not price this part apart."""
    return rate(value) + (" (input rate)" if billed_as_input else "")


def tokens(n):
    """A token count: "12,000"."""
    return f"{n:,}"


def percent(part, whole):
    """part / whole as a percentage with one decimal, half-up ("35.0")."""
    if whole == 0:
        return "0.0"
    value = EXACT.divide(EXACT.multiply(part, Decimal(100)), whole)
    return format(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP, context=EXACT), "f")


def ratio_percent(ratio):
    """A ratio of the official price as a percentage, no ".0": "35", "12.5"."""
    text = percent(Decimal(ratio), Decimal(1))
    return text[:-2] if text.endswith(".0") else text


def ratio_text(ratio, note=""):
    """What the gateway charges against the official price: "0.35 × the official price"."""
    return f"{ratio} {TIMES} the official price" + (f" ({note})" if note else "")


def requests_text(n):
    return f"{n:,} request" + ("" if n == 1 else "s")


def tier_text(tier):
    """The rates in force, as the calculator's result says it."""
    return "base rates" if tier is None else f"long-context rates (above {tier:,} tokens)"


def tier_short(tier):
    """The same in a table cell (the ranking's tier column)."""
    return "base" if tier is None else f"above {tier:,}"


def tier_reason(total, tier, thresholds):
    """Why those rates: the prompt length against the model's first tier threshold."""
    if not thresholds:
        return "This model has one rate for every prompt length."
    if tier is None:
        return (f"Base rates: the whole prompt ({total:,} tokens, cache included) is not above "
                f"{thresholds[0]:,} tokens.")
    return (f"Long-context rates: the whole prompt ({total:,} tokens, cache included) is above "
            f"{tier:,} tokens, so these rates apply to every bucket of the request.")


def covered_text(covered):
    """What a balance covers (None: the request costs nothing)."""
    if covered is None:
        return "a zero-cost request is not limited by balance"
    return f"about {covered:,} such requests at the gateway price"


def balance_text(amount_display, covered):
    return f"A balance of {amount_display} covers {covered_text(covered)}."


NO_BALANCE_TEXT = "Fill in a balance to see how many such requests it covers."

USAGE_SHAPES = {"openai-chat": "an OpenAI chat usage object", "openai-responses": "an OpenAI responses usage object",
                "anthropic": "an Anthropic usage object", "openrouter": "an OpenRouter usage object",
                "gemini": "a Gemini usageMetadata object", "text": "the text"}


def filled_text(shape):
    """What the paste box says after filling the form from a usage object or log line."""
    return f"Filled from {USAGE_SHAPES.get(shape, shape)}."


def served_text(served):
    """What a pasted usage object says was served, after "Filled from ...": " Served: fast mode, us
    residency, 3 web searches." ("" when it says nothing)."""
    parts = []
    if "mode" in served:
        parts.append(f"{MODE_LABELS.get(served['mode'], served['mode']).lower()}"
                     + ("" if served["mode"] in ("standard", "fast") else " tier"))
    if "residency" in served:
        parts.append(f"{served['residency']} residency" if served["residency"] else "no residency")
    if "web_searches" in served:
        n = served["web_searches"]
        parts.append(f"{n:,} web search" + ("" if n == 1 else "es"))
    return (" Served: " + ", ".join(parts) + ".") if parts else ""


def token_estimate_text(est):
    """The prompt box's answer (calculator.tokens.estimate_tokens)."""
    if not est.tokens:
        return "Paste text to estimate its tokens (an estimate, not a tokenizer count)."
    return (f"Estimate: about {tokens(est.tokens)} tokens (likely {tokens(est.low)} to {tokens(est.high)}) "
            f"for {tokens(est.characters)} characters. Not a tokenizer count: {est.method}.")


# ---- dates, lifecycle and limits ------------------------------------------------------------

LIMIT_PAGE = "errors/context-too-long/"


def at_text(day):
    return f"Prices in force on {day}."


def retired_text(model, day):
    """Why a retired model is not priced on `day` (model: calculator.catalog.Model)."""
    instead = f"; use {model.replacement} instead" if model.replacement else ""
    return f"{model.slug} was retired on {model.retires_on}{instead}. Prices before that day: choose an earlier date."


def upcoming_text(model):
    return f"{model.slug} is not released until {model.released}; choose that date or a later one."


def limit_text(model, what, limit, prompt, output):
    """The limit a workload breaks, named, as every surface says it."""
    if what == "context_window":
        return (f"The prompt ({tokens(prompt)} tokens) is over {model.name}'s context window of "
                f"{tokens(limit)} tokens: the provider refuses it and bills nothing.")
    if what == "max_output":
        return (f"The output ({tokens(output)} tokens) is over {model.name}'s maximum output of "
                f"{tokens(limit)} tokens: the provider refuses it and bills nothing.")
    return (f"Prompt and output together ({tokens(prompt + output)} tokens) are over {model.name}'s "
            f"context window of {tokens(limit)} tokens, which holds both: the provider refuses it and bills nothing.")


def limit_short(what, limit):
    """The same in a ranking cell."""
    if what == "max_output":
        return f"does not fit: {tokens(limit)} max output"
    return f"does not fit: {tokens(limit)}-token window"


def uncached_text(minimum):
    return (f"This prompt is shorter than the {tokens(minimum)} tokens the model caches at the least, so "
            "its cache reads and writes are billed as plain input.")


def _changed(before, after, fields):
    """(label, field) of each rate that changes, skipping buckets neither side prices apart (they
    follow input)."""
    return [(BY_PRICE[name].price_label.lower(), name) for name in fields
            if before.rate(name) != after.rate(name)
            and (name == "input" or getattr(before, name) is not None or getattr(after, name) is not None)]


def change_cell(start, before, after, fields):
    """A scheduled change in a table cell: "from 2027-01-01: input $1.50, output $7.50"."""
    parts = [f"{label} {rate(after.rate(name))}" for label, name in _changed(before, after, fields)]
    return f"from {start}: " + (", ".join(parts) if parts else "the same rates")


def change_text(start, before, after, fields):
    """A scheduled price change: "From 2027-01-01: input $0.75 -> $1.50, output $3.75 -> $7.50."
    before/after: calculator.catalog.Rates; fields: the price fields to name."""
    parts = [f"{label} {rate(before.rate(name))} \u2192 {rate(after.rate(name))}"
             for label, name in _changed(before, after, fields)]
    return f"From {start}: " + (", ".join(parts) if parts else "the same rates") + "."


def status_cell(model, day):
    """A model's status on `day` as tables show it: "active", "deprecated, retires 2026-12-11",
    "retired 2026-11-30"."""
    status = model.status_on(day)
    if status == "deprecated":
        return f"deprecated, retires {model.retires_on}" if model.retires_on else "deprecated"
    if status == "retired":
        return f"retired {model.retires_on}"
    if status == "upcoming":
        return f"from {model.released}"
    return status


def lifecycle_note(model, day):
    """(title, text) of the notice on a model's page on `day`, or None for an active model."""
    status = model.status_on(day)
    instead = f" Use {model.replacement} instead." if model.replacement else ""
    if status == "retired":
        return ("Retired", f"Retired on {model.retires_on}: the provider no longer serves this model, so "
                           f"requests for it fail.{instead} Its prices stay here as history.")
    if status == "deprecated":
        when = f" on {model.retires_on}" if model.retires_on else ""
        return ("Deprecated", f"The provider is retiring this model{when}.{instead or ' Plan a move to a current model.'}")
    if status == "preview":
        return ("Preview", "The provider offers this model as a preview: its behaviour and price can change "
                           "at short notice.")
    if status == "upcoming":
        return ("Not yet released", f"Callable from {model.released}.")
    return None


def factor(old, new):
    """How many times larger the bigger of two non-zero prices is, one decimal, half-up: "10.7"
    (0.15 -> 1.60, and 1.60 -> 0.15 alike)."""
    old, new = Decimal(old), Decimal(new)
    big, small = (new, old) if new >= old else (old, new)
    value = EXACT.divide(big, small)
    return format(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP, context=EXACT), "f")


# ---- service tiers, peak hours, residency, fees (calculator/modes.py) ------------------------

MODE_LABELS = {"standard": "Standard", "batch": "Batch", "flex": "Flex", "priority": "Priority",
               "fast": "Fast mode"}
NOT_OFFERED = "not offered"
FEE_LABELS = {"web_search": "Web search", "cache_storage": "Cache storage"}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def multiplier(value):
    """A multiplier as pages show it: "2×", "1.1×", "0.5×"."""
    return f"{Decimal(value).normalize(EXACT):f}{TIMES}"


def mode_label(mode):
    return MODE_LABELS.get(mode, mode)


def mode_text(mode, served, tier):
    """What the result says about the service tier ("" for standard)."""
    if mode == "standard":
        return ""
    if served != mode:
        return (f"{mode_label(mode)} does not cover prompts above {tier:,} tokens: this request is served "
                "and billed at the standard rate.")
    return f"{mode_label(mode)} rates."


def peak_hours(tod):
    """"weekdays 01:00-04:00 and 06:00-10:00 UTC"."""
    days = "weekdays" if tuple(tod.days) == WEEKDAYS else ", ".join(tod.days)
    return f"{days} {' and '.join(tod.window_text)} UTC"


def peak_text(peak, tod):
    """The time-of-day line ("" when the model has no time-of-day rates)."""
    if tod is None:
        return ""
    rule = f"{peak_hours(tod)}, since {tod.start}"
    rest = f"; {tod.exceptions}" if tod.exceptions else ""
    if peak is None:
        return (f"No request time given: off-peak rates. Peak hours ({rule}) cost {multiplier(tod.multiplier)} "
                f"the off-peak rate{rest}.")
    if peak:
        return f"Peak hours ({rule}): {multiplier(tod.multiplier)} the off-peak rate{rest}."
    return f"Off-peak rates (peak hours are {rule}, at {multiplier(tod.multiplier)}){rest}."


def residency_text(region, factor):
    return f"{region} residency: {multiplier(factor)} every token rate." if region else ""


def fee_label(name, count):
    """A fee line's label: "Web search (3 per request)", "Cache storage (2.5 hours)"."""
    if name == "web_search":
        return f"{FEE_LABELS[name]} ({count:,} per request)"
    return f"{FEE_LABELS.get(name, name)} ({Decimal(count).normalize(EXACT):f} hours)"


def fee_rate(name, fee):
    """A fee's price as tables show it: "$10.00 per 1,000 searches", "$0.50 per 1M tokens per hour"."""
    return fee_price(name, fee.price)


def not_offered_text(what):
    return f"The gateway does not offer {what}: no gateway price." if what else ""


def what_if_text(current, others):
    """"What if (official price): batch $0.0510, 50.0% less; priority $0.2040, 100.0% more."
    current: the total shown; others: [(mode, total)]."""
    parts = []
    for mode, total in others:
        if current == 0:
            change = ""
        elif total == current:
            change = ", the same"
        elif total < current:
            change = f", {percent(current - total, current)}% less"
        else:
            change = f", {percent(total - current, current)}% more"
        parts.append(f"{mode_label(mode).lower()} {usd(total)}{change}")
    return ("What if (official price): " + "; ".join(parts) + ".") if parts else ""


def fees_text(lines):
    """The fees beside the tokens, one sentence: "Web search (3 per request): $0.0420 official,
    $0.0231 gateway." lines: [(label, official display, gateway display)]."""
    return " ".join(f"{label}: {off} official, {gate} gateway." for label, off, gate in lines)


def peak_label(tod):
    """The peak row of a model's tier table: "Peak hours (weekdays 01:00-04:00 and 06:00-10:00 UTC, 2×)"."""
    return f"Peak hours ({peak_hours(tod)}, {multiplier(tod.multiplier)})"


def fallback_note(threshold):
    """A tier table's note for a tier without long-context rates."""
    return f"Not for prompts above {threshold:,} tokens: those are served and billed at standard."


# ---- cache economics (calculator/cache_plan.py) ----------------------------------------------

CACHE_LABELS = {"none": "No cache", "5m": "5-minute cache", "30m": "30-minute cache", "1h": "1-hour cache",
                "12h": "12-hour retention", "explicit": "Explicit cache with storage"}
TENTHS = Decimal("0.1")
CACHE_NONE_NOTE = "Every request bills the prefix at the input rate."


def ordinal(n):
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n:,}{suffix}"


def minutes(value):
    """A span in minutes: "5 minutes", "3.3 minutes", "1 minute", "12 hours" (whole hours)."""
    value = Decimal(value)
    if value and value % 60 == 0:
        hours = int(value // 60)
        return f"{hours:,} hour" + ("" if hours == 1 else "s")
    shown = value.quantize(TENTHS, rounding=ROUND_HALF_UP, context=EXACT).normalize(EXACT)
    text = f"{shown:f}"
    return f"{text} minute" + ("" if shown == 1 else "s")


def cache_gap(total_minutes, reuses):
    """How often a request comes: "one request every 3.3 minutes", "all requests at once"."""
    if not total_minutes:
        return "all requests at once"
    return f"one request every {minutes(EXACT.divide(Decimal(total_minutes), Decimal(reuses)))}"


def cache_span(requests, total_minutes, gap):
    """The workload in words: "10 requests over 30 minutes: one request every 3.3 minutes"."""
    over = f" over {minutes(total_minutes)}" if total_minutes else ""
    return f"{requests_text(requests)}{over}: {gap}."


def cache_label(key, stated=True):
    return CACHE_LABELS.get(key, key) if stated else "Automatic cache"


def cache_note(row, gap, span, storage=None):
    """What happens to the prefix under one option (row: calculator.cache_plan.Row; span: the
    workload's minutes; storage: the model's cache_storage Fee, for an explicit cache)."""
    opt = row.option
    if opt.key == "explicit":
        return (f"Created once at the input rate, read by all {row.reads:,} requests, and stored for "
                f"{minutes(span)} at {fee_rate('cache_storage', storage)}.")
    life = minutes(opt.ttl)
    if row.reads == 0:
        text = f"Expires between requests ({gap}, longer than its {life}): the prefix is written again every time."
    else:
        if not opt.stated:
            rule = f"the provider states no retention: counted as {life}, refreshed by each hit"
        elif opt.refresh:
            rule = f"each hit keeps it {life} more"
        else:
            rule = f"an entry lasts {life} from its write; hits do not extend it"
        if row.writes == 1:
            reuses = "the one reuse" if row.reads == 1 else f"all {row.reads:,} reuses"
            text = f"Written once, then read by {reuses} ({rule})."
        else:
            text = f"Written {row.writes:,} times, read {row.reads:,} times ({rule})."
    if row.billed_as_input:
        text += " Writes bill at the input rate (no write price of its own in the data)."
    return text


def cache_saving(amount, pct):
    """A saving against no cache, in a cell: "saves $0.3925 (78.5%)", "costs $0.0375 more (25.0%)"."""
    if amount == 0:
        return "the same"
    if amount > 0:
        return f"saves {usd(amount)} ({pct}%)"
    return f"costs {usd(-amount)} more ({pct.lstrip('-')}%)"


def cache_omitted(keys):
    """Why an option the provider has is not in the table ("" when none is left out)."""
    if "12h" not in keys:
        return ""
    return ("OpenAI's 12-hour retention is not shown: the data lists no 12-hour write rate for this model, "
            "whose 30-minute writes cost more than input, so no honest figure can be given.")


def break_even_text(value, offered=True):
    """A break-even in a cell: "from the 2nd reuse", "never at this spacing"."""
    if not offered:
        return NOT_OFFERED
    return f"from the {ordinal(value)} reuse" if value is not None else "never at this spacing"


def cache_answer(name, uncached, best, min_tokens, prefix, requests, gap):
    """The one-sentence answer to "should I cache?". best: (label, break-even, saving display,
    gateway saving display, percent) of the cheapest option, or None when none beats no cache."""
    if uncached == "no_price":
        return f"{name} has no cache price in the data: every request bills the whole prompt at the input rate."
    if uncached == "too_short":
        return (f"No: the prefix ({tokens(prefix)} tokens) is shorter than the {tokens(min_tokens)} tokens "
                f"{name} caches at the least, so every request bills it as plain input.")
    if best is None:
        return (f"No: with {gap}, no cache option costs less than sending the prefix every time "
                f"over {requests:,} requests.")
    label, be, saving, gate, pct = best
    at_gateway = f", {gate} at the gateway" if gate != NOT_OFFERED else ""
    return (f"Yes: the {label[0].lower()}{label[1:]} pays from the {ordinal(be)} reuse and saves "
            f"{saving} official{at_gateway} ({pct}%) over {requests:,} requests.")


# ---- service tiers on the model and pricing pages, the exports -------------------------------

FEE_UNITS = {"web_search": "per 1,000 searches", "cache_storage": "per 1M tokens per hour"}
NO_TIER = "\u2014"    # a tier the provider has no price for on this model
MODE_NOTES = {"batch": "asynchronous requests, answered within 24 hours",
              "flex": "lower-priority requests, slower and sometimes refused when busy",
              "priority": "faster, more reliable serving at a higher rate",
              "fast": "faster output at a higher rate"}


def fee_price(name, price):
    """A fee per its unit: "$10.00 per 1,000 searches", "$0.50 per 1M tokens per hour"."""
    return f"{rate(price)} {FEE_UNITS.get(name, '')}".rstrip()


def residency_label(mode, region, factor):
    """A tier table row for a residency on a service tier: "Batch, us residency (1.1×)"."""
    return f"{mode_label(mode)}, {residency_name(region)} ({multiplier(factor)})"


def mode_offer_text(mode, listed, offered, ratio=None):
    """What the pricing index says of one service tier after the families that have it. listed:
    some model has a price for it; ratio: the gateway's own ratio for it (None: each family's
    share)."""
    if not listed:
        return f"No model in the catalog has a {mode_label(mode).lower()} price yet."
    if not offered:
        return "The gateway does not offer it: no gateway price."
    if ratio is not None:
        return f"The gateway offers it at {ratio_percent(ratio)}% of the official {mode_label(mode).lower()} price."
    return "The gateway offers it at each family's share of the official price."


def offpeak_label(mode):
    """A tier row of a model with peak hours, outside them: "Standard (off-peak)"."""
    return f"{mode_label(mode)} (off-peak)"


PEAK_NAME = "Peak hours"


def residency_name(region):
    """A residency option as a name: "us residency"."""
    return f"{region} residency"


def extras_text(modes, tod, residency, fees):
    """A model's charges beyond the standard card in one phrase (llms.txt): "batch, flex (not
    through the gateway); peak hours weekdays 01:00-04:00 UTC at 2×; us residency 1.1×".
    modes: [(mode, offered by the gateway)]; residency: [(region, multiplier)]; fees: [fee texts]."""
    parts = []
    if modes:
        parts.append("service tiers " + ", ".join(mode_label(m).lower() + ("" if ok else " (not through the gateway)")
                                                  for m, ok in modes))
    if tod is not None:
        parts.append(f"peak hours {peak_hours(tod)} at {multiplier(tod.multiplier)}")
    parts += [f"{residency_name(region)} {multiplier(factor)}" for region, factor in residency]
    parts += list(fees)
    return "; ".join(parts)


# ---- charts (calculator/charts.py draws them; these are their words and numbers) -------------

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MILLION = Decimal(1_000_000)
OFFICIAL = "Official price"


def tick_usd(value):
    """An axis value in USD, as short as exact: "$0", "$0.05", "$2.50", "$10", "$1,000"."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"${value.to_integral_value():,}"
    return rate(value)


def tick_tokens(n):
    """An axis value in tokens: "0", "500", "2.5K", "250K", "1M", "1.25M"."""
    n = Decimal(n)
    for size, unit in ((MILLION, "M"), (THOUSAND, "K")):
        if n >= size:
            return f"{EXACT.divide(n, size).normalize(EXACT):f}{unit}"
    return f"{n.normalize(EXACT):f}"


def month_tick(day):
    """A date axis tick (a datetime.date): "Mar 2026"."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def gateway_name(brand):
    """The gateway's series in a chart's legend: "Relayhub price"."""
    return f"{brand} price"


def bucket_chart_title(requests):
    return "Where the money goes: one request, by token bucket" + (
        "" if requests == 1 else f" (the totals above are for {requests:,} such requests)")


def chart_values_text(lines, brand):
    """A chart's text alternative, one clause per bar group: "Output: $0.0300 official, $0.0105
    at Relayhub; ...". lines: [(label, official text, gateway text)]."""
    return "; ".join(f"{label}: {off} official, {gate if gate == NOT_OFFERED else gate + ' at ' + brand}"
                     for label, off, gate in lines) + "."


def curve_title(name):
    return f"Cost of one request against prompt length: {name}"


def curve_desc(name, wall, output, cliffs, here, brand):
    """The prompt-length chart's text alternative. wall: the longest prompt the model takes;
    cliffs: [(threshold, official usd text at it, official usd text one token above)];
    here: (prompt tokens, official text, gateway text) for the request in the form."""
    parts = [f"One request to {name} with a prompt from 0 to {tokens(wall)} tokens, its cache parts in this "
             f"request's proportions and {tokens(output)} output tokens."]
    for above, before, after in cliffs:
        parts.append(f"Above {tokens(above)} tokens the long-context rates apply to the whole request: "
                     f"{before} official at {tokens(above)} tokens, {after} one token more.")
    parts.append(f"A prompt longer than {tokens(wall)} tokens is refused.")
    prompt, off, gate = here
    parts.append(f"This prompt: {tokens(prompt)} tokens, {off} official"
                 + ("." if gate == NOT_OFFERED else f", {gate} at {brand}."))
    return " ".join(parts)


def curve_point_tip(prompt, who, amount):
    """A point's tooltip on the prompt-length chart: "200,000 tokens: $0.6200 official"."""
    return f"{tokens(prompt)} tokens: {amount} {who}"


def cliff_mark(above):
    return f"above {tokens(above)}: long-context rates"


def wall_mark(limit):
    return f"{tokens(limit)}: the longest prompt; longer is refused"


def here_mark(prompt):
    return f"this prompt: {tokens(prompt)}"


def cache_chart_title(requests):
    return f"The prefix with and without a cache: all {requests:,} requests, each option"


def rank_chart_title(count, with_current):
    return (f"The {count} cheapest models for this workload, all requests together"
            + (", and the chosen model" if with_current else ""))


def period_text(start, until, kind):
    """A price period of a model's history: "until 2026-03-13", "2026-03-13 to 2026-10-07",
    "since 2026-10-07", "from 2027-01-01 (announced)"."""
    if kind == "scheduled":
        return f"from {start} (announced)" + (f" until {until}" if until else "")
    if start and until:
        return f"{start} to {until}"
    if until:
        return f"until {until}"
    return f"since {start}" if start else "always"


def history_title(name):
    return f"Price history of {name}: base rates per 1M tokens"


def history_desc(lines, brand):
    """The price history chart's text alternative: one clause per period. lines: [(period text,
    official input, official output, gateway input, gateway output)], rates as rate() writes them."""
    return "; ".join(f"{period}: input {i}, output {o} official; {gi} and {go} at {brand}"
                     for period, i, o, gi, go in lines) + "."


def rate_series(price_label, who):
    """A price history line's name: "Input, official", "Output, Relayhub"."""
    return f"{price_label}, {who}"


def history_tip(period, price_label, who, value):
    return f"{price_label}, {who}, {period}: {rate(value)}"


def today_mark(day):
    return f"this page: {day}"


def retired_mark(day):
    return f"retired {day}"


def announced_mark(day):
    return f"announced: from {day}"
