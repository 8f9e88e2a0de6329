"""Token buckets, the tier rule, the gateway ratio and the per-bucket cost breakdown.

`input` is the whole prompt, cache reads and cache writes included; the parts are carved out of
it and what is left is uncached input. `output` includes reasoning tokens.
"""
from decimal import Decimal
from functools import cached_property

from . import display
from .buckets import BILLED_PRICE as BUCKET_PRICE
from .buckets import CACHE_PARTS
from .modes import THOUSAND, ModeError, fee_cost, offered, stack, storage_cost
from .money import EXACT, parse_decimal, per_million, plain
from .record import Record

ZERO = Decimal(0)
MAX_TOKENS = 10 ** 12
MAX_REQUESTS = 10 ** 9


class PricingError(ValueError):
    """Bad token counts; `field` names the input the message is about."""

    def __init__(self, field, message):
        self.field = field
        super().__init__(message)


def check_count(field, value, limit=MAX_TOKENS):
    if isinstance(value, bool) or not isinstance(value, int):
        raise PricingError(field, f"{field} must be a whole number of tokens, got {value!r}")
    if value < 0:
        raise PricingError(field, f"{field} cannot be negative (got {display.tokens(value)})")
    if value > limit:
        raise PricingError(field, f"{field} is more than {display.tokens(limit)}")
    return value


class Usage(Record):
    """Token counts of one request, per bucket."""

    def __init__(self,
                 input: int = 0,           # the whole prompt, cache parts included
                 cache_read: int = 0,
                 cache_write_5m: int = 0,
                 cache_write_1h: int = 0,
                 output: int = 0):         # reasoning tokens included
        self._set(locals())
        for name in self._fields:
            check_count(name, getattr(self, name))
        for part in CACHE_PARTS:
            if getattr(self, part) > self.input:
                raise PricingError(part, f"{part} ({display.tokens(getattr(self, part))}) is larger than the whole "
                                         f"input ({display.tokens(self.input)}); input counts the cache parts too")
        if self.cached > self.input:
            raise PricingError("input", f"cache reads and writes together ({display.tokens(self.cached)}) are more "
                                        f"than the whole input ({display.tokens(self.input)})")

    @property
    def cached(self):
        return self.cache_read + self.cache_write_5m + self.cache_write_1h

    @property
    def uncached_input(self):
        return self.input - self.cached

    def tokens(self, bucket):
        return self.uncached_input if bucket == "uncached_input" else getattr(self, bucket)

    def to_dict(self):
        return {name: getattr(self, name) for name in self._fields}


class Breakdown(Record):
    """Cost per bucket in USD, exact."""

    def __init__(self, uncached_input: object, cache_read: object, cache_write_5m: object, cache_write_1h: object,
                 output: object):
        self._set(locals())

    @property
    def total(self):
        return sum((getattr(self, b) for b in BUCKET_PRICE), start=0 * self.output)

    @property
    def cache_write(self):
        return self.cache_write_5m + self.cache_write_1h

    def times(self, n):
        return Breakdown(*(EXACT.multiply(getattr(self, b), n) for b in BUCKET_PRICE))

    def summary(self):
        """The CLI's --json shape: exact decimal strings, cache writes of both TTLs together."""
        return {"input": plain(self.uncached_input), "cache_read": plain(self.cache_read),
                "cache_write": plain(self.cache_write), "output": plain(self.output),
                "total": plain(self.total)}


def breakdown(usage, rates):
    return Breakdown(*(per_million(usage.tokens(b), rates.rate(p)) for b, p in BUCKET_PRICE.items()))


class Estimate(Record):
    """The priced workload: the breakdown per bucket, official and gateway totals."""

    def __init__(self,
                 model: object,
                 usage: Usage,
                 requests: int,
                 tier: object,             # threshold of the tier in force, or None for the base rates
                 official_rates: object,
                 gateway_rates: object,
                 official: Breakdown,      # one request
                 gateway: Breakdown,       # one request
                 at: str = "",
                 uncached_below: int = 0,  # the model's minimum cacheable prompt, when this prompt is under it
                 stacked: object = None,   # calculator.modes.Stack: mode served, peak, residency, gateway offer
                 fees: tuple = ()):        # ((name, count, official all requests, gateway all requests or None), ...)
        self._set(locals())

    # All requests together. Cached: the view, the saving and the summary each read both, and a
    # Record (immutable) still lets cached_property write its instance __dict__.
    @cached_property
    def official_total(self):
        return self.official.times(self.requests)

    @cached_property
    def gateway_total(self):
        return None if self.gateway is None else self.gateway.times(self.requests)

    @property
    def offered(self):
        """The gateway offers this mode, residency and every fee asked for."""
        return self.gateway is not None and all(f[3] is not None for f in self.fees)

    @cached_property
    def official_all(self):
        """Everything for all requests: tokens and fees."""
        return sum((f[2] for f in self.fees), start=self.official_total.total)

    @cached_property
    def gateway_all(self):
        if not self.offered:
            return None
        return sum((f[3] for f in self.fees), start=self.gateway_total.total)

    @property
    def saving(self):
        return None if self.gateway_all is None else self.official_all - self.gateway_all

    def tier_reason(self):
        thresholds = [t.above for t in self.model.prices_at(self.at).tiers]
        return display.tier_reason(self.usage.input, self.tier, thresholds)

    def summary(self):
        """What `pricebook estimate --json` prints: all requests together. A fee asked for is an
        extra key in both official and gateway, and `total` includes it; gateway is None when the
        gateway does not offer the mode, residency or fee. The modifiers appear as keys only when
        used, so a standard estimate keeps its old shape."""
        official = self.official_total.summary()
        gateway = self.gateway_total.summary() if self.offered else None
        for name, _count, off, gate in self.fees:
            official[name] = plain(off)
            if gateway is not None:
                gateway[name] = plain(gate)
        official["total"] = plain(self.official_all)
        if gateway is not None:
            gateway["total"] = plain(self.gateway_all)
        out = {"model": self.model.slug, "tier": self.tier}
        s = self.stacked
        if s is not None:
            if s.mode != "standard":
                out["mode"] = s.mode
                out["served"] = s.served
            if s.peak is not None:
                out["peak"] = s.peak
            if s.residency:
                out["residency"] = s.residency
        out.update(official=official, gateway=gateway)
        return out


def billed_usage(model, usage):
    """The usage as the provider bills it: a prompt shorter than the model's minimum cacheable
    length is not cached, so its cache reads and writes are plain input."""
    if model.min_cache_tokens and usage.cached and usage.input < model.min_cache_tokens:
        return Usage(input=usage.input, output=usage.output)
    return usage


def estimate(model, usage, requests=1, at=None, mode="standard", residency="", when=None,
             web_searches=0, cache_hours=None, offers=None):
    """One workload on one model, the modifiers stacked in the one order (calculator/modes.py):
    standard card -> context tier -> service tier -> time of day -> residency -> gateway ratio.
    `when`: an aware UTC datetime (peak hours); `web_searches`: per request; `cache_hours`: hours
    the cached part of the prompt is stored (a Decimal, charged once for the workload).
    Raises ModeError for an impossible or unpriced combination."""
    check_count("requests", requests, MAX_REQUESTS)
    if requests < 1:
        raise PricingError("requests", "requests must be at least 1")
    billed = billed_usage(model, usage)
    if mode == "standard" and not residency and when is None and not web_searches and not cache_hours:
        tier, official_rates = model.prices_at(at).select(billed.input)
        gateway_rates = official_rates.scaled(model.ratio)
        return Estimate(model, billed, requests, tier, official_rates, gateway_rates,
                        breakdown(billed, official_rates), breakdown(billed, gateway_rates), at or "",
                        model.min_cache_tokens if billed is not usage else 0)
    s = stack(model, billed.input, at, mode, residency, when, offers)
    fees = []
    if web_searches:
        fee = model.tools.get("web_search")
        if fee is None:
            raise ModeError("web_searches", f"{model.slug} has no web search fee in the data, so searches "
                                            "cannot be priced")
        off = fee_cost(fee, web_searches * requests, THOUSAND)
        entry = offered(offers, "tools", "web_search")
        gate = None if entry is None or s.gateway is None else EXACT.multiply(off, _ratio(entry, model))
        fees.append(("web_search", web_searches, off, gate))
    if cache_hours:
        fee = model.cache_storage
        if fee is None:
            raise ModeError("cache_hours", f"{model.slug} has no cache storage price in the data (storage "
                                           "is priced only where the provider charges by the hour)")
        off = storage_cost(fee, billed.cached, cache_hours)
        entry = offered(offers, "cache_storage", None) if offers else None
        gate = None if entry is None or s.gateway is None else EXACT.multiply(off, _ratio(entry, model))
        fees.append(("cache_storage", cache_hours, off, gate))
    return Estimate(model, billed, requests, s.tier, s.official, s.gateway,
                    breakdown(billed, s.official), None if s.gateway is None else breakdown(billed, s.gateway),
                    at or "", model.min_cache_tokens if billed is not usage else 0, s, tuple(fees))


def _ratio(entry, model):
    return parse_decimal(entry["ratio"]) if entry.get("ratio") is not None else model.ratio


class Ranked(tuple):
    """(model, tier, official total, gateway total, limit) for all requests together; limit is
    None when the request fits the model, else Model.limit_for's (field, what, limit)."""
    __slots__ = ()
    model = property(lambda self: self[0])
    tier = property(lambda self: self[1])
    official = property(lambda self: self[2])
    gateway = property(lambda self: self[3])
    limit = property(lambda self: self[4])


def rank(models, usage, requests=1, family=None, at=None, **mods):
    """Every model's total for one workload, cheapest gateway total first (ties: by slug); the
    models the request does not fit come last. With `at` (an ISO date), only the models callable
    that day, priced with that day's prices.

    The hot path of the compare table: totals only, no per-bucket breakdown objects. The gateway
    total is the official total x the ratio, exactly (Decimal products here are never rounded)."""
    check_count("requests", requests, MAX_REQUESTS)
    if mods.get("mode", "standard") != "standard" or any(
            mods.get(k) for k in ("residency", "when", "web_searches", "cache_hours")):
        return _rank_modified(models, usage, requests, family, at, mods)
    mul, add = EXACT.multiply, EXACT.add
    scale = mul(Decimal(requests), Decimal("0.000001"))
    plain_counts = [(price, Decimal(usage.tokens(b))) for b, price in BUCKET_PRICE.items()]
    plain_counts = [(price, n) for price, n in plain_counts if n]
    ranked = []
    for m in _candidates(models, family, at):
        billed = billed_usage(m, usage)
        counts = plain_counts if billed is usage else [
            (price, Decimal(billed.tokens(b))) for b, price in BUCKET_PRICE.items() if billed.tokens(b)]
        tier, rates = m.prices_at(at).select(usage.input)
        total = ZERO
        for price, n in counts:
            total = add(total, mul(n, rates.rate(price)))
        official = mul(total, scale)
        ranked.append(Ranked((m, tier, official, mul(official, m.ratio), m.limit_for(usage.input, usage.output))))
    ranked.sort(key=lambda r: (r[4] is not None, r[3], r[2], r[0].slug))
    return ranked


def _candidates(models, family, at):
    """The models a ranking covers: of `family` (all when None), callable on `at` (all when None)."""
    return (m for m in models if (family is None or m.family == family) and (not at or m.callable_on(at)))


def _rank_modified(models, usage, requests, family, at, mods):
    """rank() with a mode, residency, time or fees: each model through estimate(); a model that
    does not offer the combination is listed last with the reason (limit ("mode", "refused", text));
    gateway None where the gateway does not offer it."""
    ranked = []
    for m in _candidates(models, family, at):
        limit = m.limit_for(usage.input, usage.output)
        try:
            est = estimate(m, usage, requests, at, **mods)
        except ModeError as err:
            ranked.append(Ranked((m, None, None, None, ("mode", "refused", str(err)))))
            continue
        ranked.append(Ranked((m, est.tier, est.official_all, est.gateway_all, limit)))
    ranked.sort(key=lambda r: (r[4] is not None, r[3] is None, r[3] if r[3] is not None else r[2] or 0,
                               r[2] or 0, r[0].slug))
    return ranked


def requests_covered(balance, estimate_):
    """How many such requests a balance pays for at the gateway price (whole requests)."""
    if estimate_.gateway is None:
        return None
    per = estimate_.gateway.total
    if per == 0:
        return None
    return int(EXACT.divide_int(balance, per))
