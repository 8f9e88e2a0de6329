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
    places = max(2, len(f"{rounded:f}".rstrip("0").partition(".")[2]))   # whole cents at least
    if rounded >= THOUSAND:  # the separator costs a slower format: only where it shows
        return f"{sign}${rounded:,.{places}f}"
    return f"{sign}${rounded:.{places}f}"


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
    if name == "web_search":
        return f"{rate(fee.price)} per 1,000 searches"
    return f"{rate(fee.price)} per 1M tokens per hour"


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
