"""Token buckets, the tier rule, the gateway ratio and the per-bucket cost breakdown.

`input` is the whole prompt, cache reads and cache writes included; the parts are carved out of
it and what is left is uncached input. `output` includes reasoning tokens.
"""
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import cached_property

from . import display
from .buckets import BILLED_PRICE as BUCKET_PRICE
from .buckets import CACHE_PARTS
from .money import EXACT, per_million, plain

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


@dataclass(frozen=True)
class Usage:
    input: int = 0           # the whole prompt, cache parts included
    cache_read: int = 0
    cache_write_5m: int = 0
    cache_write_1h: int = 0
    output: int = 0          # reasoning tokens included

    def __post_init__(self):
        for f in fields(self):
            check_count(f.name, getattr(self, f.name))
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
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Breakdown:
    """Cost per bucket in USD, exact."""
    uncached_input: object
    cache_read: object
    cache_write_5m: object
    cache_write_1h: object
    output: object

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


@dataclass(frozen=True)
class Estimate:
    model: object
    usage: Usage
    requests: int
    tier: object            # threshold of the tier in force, or None for the base rates
    official_rates: object
    gateway_rates: object
    official: Breakdown     # one request
    gateway: Breakdown      # one request
    at: str = ""
    uncached_below: int = 0  # the model's minimum cacheable prompt, when this prompt is under it

    # All requests together. Cached: the view, the saving and the summary each read both, and a
    # frozen dataclass still lets cached_property write its instance __dict__.
    @cached_property
    def official_total(self):
        return self.official.times(self.requests)

    @cached_property
    def gateway_total(self):
        return self.gateway.times(self.requests)

    @property
    def saving(self):
        return self.official_total.total - self.gateway_total.total

    def tier_reason(self):
        thresholds = [t.above for t in self.model.prices_at(self.at).tiers]
        return display.tier_reason(self.usage.input, self.tier, thresholds)

    def summary(self):
        """What `pricebook estimate --json` prints: all requests together."""
        return {"model": self.model.slug, "tier": self.tier,
                "official": self.official_total.summary(), "gateway": self.gateway_total.summary()}


def billed_usage(model, usage):
    """The usage as the provider bills it: a prompt shorter than the model's minimum cacheable
    length is not cached, so its cache reads and writes are plain input."""
    if model.min_cache_tokens and usage.cached and usage.input < model.min_cache_tokens:
        return Usage(input=usage.input, output=usage.output)
    return usage


def estimate(model, usage, requests=1, at=None):
    check_count("requests", requests, MAX_REQUESTS)
    if requests < 1:
        raise PricingError("requests", "requests must be at least 1")
    billed = billed_usage(model, usage)
    tier, official_rates = model.prices_at(at).select(billed.input)
    gateway_rates = official_rates.scaled(model.ratio)
    return Estimate(model, billed, requests, tier, official_rates, gateway_rates,
                    breakdown(billed, official_rates), breakdown(billed, gateway_rates), at or "",
                    model.min_cache_tokens if billed is not usage else 0)


class Ranked(tuple):
    """(model, tier, official total, gateway total, limit) for all requests together; limit is
    None when the request fits the model, else Model.limit_for's (field, what, limit)."""
    __slots__ = ()
    model = property(lambda self: self[0])
    tier = property(lambda self: self[1])
    official = property(lambda self: self[2])
    gateway = property(lambda self: self[3])
    limit = property(lambda self: self[4])


def rank(models, usage, requests=1, family=None, at=None):
    """Every model's total for one workload, cheapest gateway total first (ties: by slug); the
    models the request does not fit come last. With `at` (an ISO date), only the models callable
    that day, priced with that day's prices.

    The hot path of the compare table: totals only, no per-bucket breakdown objects. The gateway
    total is the official total x the ratio, exactly (Decimal products here are never rounded)."""
    check_count("requests", requests, MAX_REQUESTS)
    mul, add = EXACT.multiply, EXACT.add
    scale = mul(Decimal(requests), Decimal("0.000001"))
    plain_counts = [(price, Decimal(usage.tokens(b))) for b, price in BUCKET_PRICE.items()]
    plain_counts = [(price, n) for price, n in plain_counts if n]
    ranked = []
    for m in models:
        if family is not None and m.family != family:
            continue
        if at and not m.callable_on(at):
            continue
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


def requests_covered(balance, estimate_):
    """How many such requests a balance pays for at the gateway price (whole requests)."""
    per = estimate_.gateway.total
    if per == 0:
        return None
    return int(EXACT.divide_int(balance, per))
