"""Service tiers, time of day, residency, server-tool fees and cache storage: the modifiers on top
of a model's standard card, and the one order they stack in.

    standard card -> context tier -> service tier -> time of day -> residency -> gateway ratio

Each step multiplies (or replaces) per-1M rates exactly (calculator.money.EXACT, never rounded).
A combination that cannot happen is refused by name (ModeError), never priced:
- a service tier or residency the model does not offer ("claude-haiku-4-5 has no fast mode");
- a residency that does not combine with the service tier (its `modes` list);
- cache storage hours on a model without a storage price.
Priority-like tiers whose data says `long_context: standard` fall back to the standard card above
the model's long-context threshold (the request is served, and billed, at standard).
The gateway side (site.yaml pricing.offers) decides the last step: a service tier, residency or
fee the gateway does not offer has no gateway price (None), never a made-up one.
"""
import datetime
import re
from functools import lru_cache
from decimal import Decimal

from .buckets import PRICE_FIELDS
from .money import EXACT, parse_decimal
from .record import Record

MODES = ("standard", "batch", "flex", "priority", "fast")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LONG_CONTEXT = ("same", "standard")
_TIME_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})$")
_WINDOW = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")
ONE = Decimal(1)
THOUSAND = Decimal(1000)
MILLION = Decimal(1000000)
MAX_HOURS = Decimal(24 * 366)
MAX_SEARCHES = 10 ** 6


class ModeError(ValueError):
    """An impossible or unoffered combination; `field` names the input it is about."""

    def __init__(self, field, message):
        self.field = field
        super().__init__(message)


def _opt(d, key):
    return str(d[key]) if d.get(key) not in (None, "") else ""


def _partial(d):
    """{price field: Decimal} for the fields a dict lists."""
    return {name: parse_decimal(d[name]) for name in PRICE_FIELDS if d.get(name) is not None}


def _partial_dict(p):
    return {name: str(p[name]) for name in PRICE_FIELDS if name in p}


def scale(rates, factor):
    """Rates x factor, exactly; an unpriced bucket stays unpriced (billed at the scaled input)."""
    if factor == ONE:
        return rates
    mul = EXACT.multiply   # type(rates): calculator.catalog.Rates, without importing it on every call
    return type(rates)(*[None if v is None else mul(v, factor) for v in
                         (rates.input, rates.output, rates.cache_read, rates.cache_write_5m, rates.cache_write_1h)])


class Mode(Record):
    """One service tier of one model: a multiplier of the standard card and/or explicit rates."""

    def __init__(self,
                 name: str,
                 multiplier: object = ONE,    # of every bucket of the context tier's card
                 prices: tuple = (),          # ((field, Decimal), ...) explicit base-tier rates replacing the product
                 tiers: tuple = (),           # ((above, ((field, Decimal), ...)), ...) the same above a threshold
                 long_context: str = "same",  # "standard": above a long-context threshold, served at standard
                 note: str = "",
                 source: str = "",
                 checked: str = ""):
        self._set(locals())

    def apply(self, rates, tier):
        """The rates of this tier on the context tier `tier` (None: base)."""
        out = scale(rates, self.multiplier)
        explicit = dict(self.prices) if tier is None else dict(dict(self.tiers).get(tier, ()))
        if explicit:
            values = {n: getattr(out, n) for n in PRICE_FIELDS}
            values.update(explicit)
            out = type(rates)(**values)
        return out

    @classmethod
    def from_dict(cls, name, d):
        return cls(name, parse_decimal(d["multiplier"]) if d.get("multiplier") is not None else ONE,
                   tuple(_partial(d.get("prices") or {}).items()),
                   tuple((int(t["above"]), tuple(_partial(t).items())) for t in d.get("tiers") or ()),
                   d.get("long_context") or "same", _opt(d, "note"), _opt(d, "source"), _opt(d, "checked"))

    def to_dict(self):
        d = {}
        if self.multiplier != ONE:
            d["multiplier"] = str(self.multiplier)
        if self.prices:
            d["prices"] = _partial_dict(dict(self.prices))
        if self.tiers:
            d["tiers"] = [{"above": above, **_partial_dict(dict(p))} for above, p in self.tiers]
        if self.long_context != "same":
            d["long_context"] = self.long_context
        for k in ("note", "source", "checked"):
            if getattr(self, k):
                d[k] = getattr(self, k)
        return d


class Residency(Record):
    """A data-residency / regional-processing option: a multiplier of every token rate."""

    def __init__(self,
                 region: str,
                 multiplier: object,
                 modes: tuple = (),   # the service tiers it combines with (empty: all the model offers)
                 note: str = "",
                 source: str = "",
                 checked: str = ""):
        self._set(locals())

    @classmethod
    def from_dict(cls, region, d):
        return cls(region, parse_decimal(d["multiplier"]), tuple(d.get("modes") or ()),
                   _opt(d, "note"), _opt(d, "source"), _opt(d, "checked"))

    def to_dict(self):
        d = {"multiplier": str(self.multiplier)}
        if self.modes:
            d["modes"] = list(self.modes)
        for k in ("note", "source", "checked"):
            if getattr(self, k):
                d[k] = getattr(self, k)
        return d


class TimeOfDay(Record):
    """Peak hours: within `windows` (UTC, start inclusive, end exclusive) on `days`, from `start`
    on, every token rate is multiplied by `multiplier`; every other hour is the card's rate."""

    def __init__(self,
                 start: str,            # ISO time, e.g. 2026-08-16T16:00Z
                 multiplier: object,
                 days: tuple,           # mon..sun
                 windows: tuple,        # ((start minute, end minute), ...) of the UTC day
                 window_text: tuple,    # as the data writes them: "01:00-04:00"
                 exceptions: str = "",  # what the engine does not model (e.g. public holidays), said on every page
                 source: str = "",
                 checked: str = ""):
        self._set(locals())

    def peak(self, when):
        """True when an aware UTC datetime falls in the peak hours."""
        if when < parse_time(self.start):
            return False
        if DAYS[when.weekday()] not in self.days:
            return False
        minute = when.hour * 60 + when.minute
        return any(a <= minute < b for a, b in self.windows)

    @classmethod
    def from_dict(cls, d):
        windows = []
        for text in d["hours_utc"]:
            m = _WINDOW.match(text)
            if not m:
                raise ValueError(f"not a window HH:MM-HH:MM: {text!r}")
            h1, m1, h2, m2 = map(int, m.groups())
            windows.append((h1 * 60 + m1, h2 * 60 + m2))
        return cls(str(d["from"]), parse_decimal(d["multiplier"]), tuple(d["days"]), tuple(windows),
                   tuple(d["hours_utc"]), _opt(d, "exceptions"), _opt(d, "source"), _opt(d, "checked"))

    def to_dict(self):
        d = {"from": self.start, "multiplier": str(self.multiplier), "days": list(self.days),
             "hours_utc": list(self.window_text)}
        for k in ("exceptions", "source", "checked"):
            if getattr(self, k):
                d[k] = getattr(self, k)
        return d


class Fee(Record):
    """A per-call or per-hour charge outside the token buckets: a server tool (USD per 1,000 calls)
    or cache storage (USD per 1M tokens per hour)."""

    def __init__(self,
                 name: str,
                 price: object,
                 free: str = "",   # a free allowance, stated, not modelled per account
                 note: str = "",
                 source: str = "",
                 checked: str = ""):
        self._set(locals())

    @classmethod
    def from_dict(cls, name, d, key):
        return cls(name, parse_decimal(d[key]), _opt(d, "free"), _opt(d, "note"), _opt(d, "source"),
                   _opt(d, "checked"))

    def to_dict(self, key):
        d = {key: str(self.price)}
        for k in ("free", "note", "source", "checked"):
            if getattr(self, k):
                d[k] = getattr(self, k)
        return d


@lru_cache(maxsize=256)
def parse_time(text):
    """An ISO request time ("2026-12-02T09:30Z", "2026-12-02T10:30+01:00") as an aware UTC datetime;
    ValueError otherwise (only ISO: "9:30", "tomorrow" or a time without its zone are refused)."""
    text = str(text).strip()
    if not _TIME_TEXT.match(text):
        raise ValueError(f"{text!r} is not an ISO time with its zone; write e.g. 2026-12-02T09:30Z")
    try:
        when = datetime.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        raise ValueError(f"{text} is not a time (no such day or hour); write e.g. 2026-12-02T09:30Z") from None
    return when.astimezone(datetime.timezone.utc)


class Stack(Record):
    """The outcome of the stacking rule for one request on one model."""

    def __init__(self,
                 tier: object,            # context tier threshold or None
                 mode: str,               # the service tier asked for
                 served: str,             # the tier billed (standard when a fallback applies)
                 peak: object,            # True / False at a known time; None when no time (or no time-of-day rule)
                 residency: str,          # region or ""
                 official: object,        # Rates after residency
                 gateway: object,         # Rates after the gateway ratio, or None: the gateway does not offer this
                 gateway_ratio: object,   # the ratio used (None when not offered)
                 standard: object,        # the context tier's standard card (what "what if" lines compare against)
                 not_offered: str = ""):  # what the gateway does not offer (for the "not offered" text)
        self._set(locals())


def offered(offers, kind, name):
    """The gateway's entry for a mode / residency / fee (a dict) or None when it does not offer it."""
    if kind == "modes" and name == "standard":
        return {}
    group = (offers or {}).get(kind)
    if name is None:      # a single entry (cache_storage)
        return group if isinstance(group, dict) else None
    if not isinstance(group, dict):
        return None
    entry = group.get(name)
    return entry if isinstance(entry, dict) else ({} if entry is True else None)


def stack(model, prompt_tokens, at=None, mode="standard", residency="", when=None, offers=None):
    """Apply the stacking rule. `when`: an aware UTC datetime or None; `offers`: site.yaml
    pricing.offers (the catalog's `offers`). Raises ModeError for an impossible combination."""
    if mode not in MODES:
        raise ModeError("mode", f"unknown mode {mode!r}; one of {', '.join(MODES)}")
    tier, standard = model.prices_at(at).select(prompt_tokens)
    rates, served = standard, mode
    if mode != "standard":
        m = model.modes.get(mode)
        if m is None:
            raise ModeError("mode", f"{model.slug} has no {mode} mode"
                            + (f" (it offers {', '.join(model.modes)})" if model.modes else ""))
        if tier is not None and m.long_context == "standard":
            served = "standard"
        else:
            rates = m.apply(standard, tier)
    peak = None
    if when is not None and model.time_of_day is not None:
        peak = model.time_of_day.peak(when)
        if peak:
            rates = scale(rates, model.time_of_day.multiplier)
    if residency:
        r = model.residency.get(residency)
        if r is None:
            raise ModeError("residency", f"{model.slug} has no {residency} residency"
                            + (f" (it offers {', '.join(model.residency)})" if model.residency else ""))
        if r.modes and served not in r.modes:
            raise ModeError("residency", f"{residency} residency does not combine with {served} mode on "
                                         f"{model.slug} (only with {', '.join(r.modes)})")
        rates = scale(rates, r.multiplier)
    gateway, ratio, missing = None, None, ""
    entry = offered(offers, "modes", served)   # a fallback to standard is billed as standard
    if entry is None:
        missing = f"{served} mode"
    elif residency and offered(offers, "residency", residency) is None:
        missing = f"{residency} residency"
    else:
        ratio = parse_decimal(entry["ratio"]) if entry.get("ratio") is not None else model.ratio
        gateway = scale(rates, ratio)
    return Stack(tier, mode, served, peak, residency, rates, gateway, ratio, standard, missing)


def fee_cost(fee, count, per):
    """count x price / per, exact (a web search fee per 1,000 calls)."""
    return EXACT.divide(EXACT.multiply(Decimal(count), fee.price), per)


def storage_cost(fee, tokens, hours):
    """tokens x hours x price per 1M tokens per hour, exact."""
    return EXACT.divide(EXACT.multiply(EXACT.multiply(Decimal(tokens), hours), fee.price), MILLION)
