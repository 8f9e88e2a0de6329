"""Cache economics: is it cheaper to cache a repeated prompt prefix, and with which retention?

The workload, stated once (data/README.md says the same):
- a prefix of P tokens is sent with R + 1 requests: the first one and R reuses, evenly spaced
  over T minutes, so one request every T / R minutes (T = 0: all at once). Each request may also
  send F fresh input tokens (never cached) and get O output tokens;
- every request is priced by calculator.pricing.estimate, with the same service tier, residency
  and request time as the rest of the calculator (the one stacking rule), on the model's card
  for a prompt of P + F tokens; the gateway figure is None where the gateway does not offer it.

The options, from what the model's data prices (never a made-up rate):
- **no cache**: every request bills P + F as input;
- **a cache whose lifetime a hit refreshes** (Anthropic's 5-minute cache: "this lifetime is
  refreshed each time the cached content is used", and its 1-hour cache counted the same way;
  OpenAI's 30-minute writes and its
  in-memory cache, cleared after minutes of inactivity): the first request writes P at the write
  rate, a reuse within the TTL of the request before it reads P at the cache-read rate. A gap
  longer than the TTL means the entry expired and P is written again; with evenly spaced requests
  either every reuse hits or every request writes. A gap exactly equal to the TTL still hits;
- **a retention a hit does not extend** (OpenAI's 12-hour retention, "up to" that long): an entry
  lives its TTL after it was written; the first request after that writes P again. The write is
  billed at the model's `cache_write_1h` rate. The OpenAI file lists none, so it bills at input as
  that file's note says, which is shown only for models with no write surcharge at all (see
  long_retention_priced); a model whose 30-minute writes cost more than input gets no 12-hour
  row, and the plan says why (`omitted`);
- **an explicit cache with storage** (where the model has `cache_storage`, e.g. Gemini): created
  once at the input rate (Google bills the tokens that create a cache at the standard input
  price), read by every request, and stored for T minutes at the per-1M-tokens-per-hour price.
  Minutes become hours by the one division in this module (exact to 80 significant digits);
- providers that state no retention (Google's implicit cache, DeepSeek, Z.AI) are counted as a
  5-minute cache refreshed on each hit, and said so;
- a prefix shorter than the model's `min_cache_tokens` is not cached, and a model with no
  `cache_read` price has no cache: the plan says which, with no option rows.

Break-even: the smallest number of reuses R >= 1 at which an option costs less than no cache,
with requests still arriving T / R minutes apart (None: never at this spacing). Every amount is
an exact Decimal (calculator.money.EXACT).
"""
from dataclasses import dataclass
from decimal import Decimal

from .money import EXACT
from .pricing import Usage, estimate

SIXTY = Decimal(60)
DEFAULT_REUSES = 9        # the calculator's defaults: 10 requests ...
DEFAULT_MINUTES = 30      # ... over half an hour
MAX_REUSES = 10 ** 6
MAX_MINUTES = 366 * 24 * 60


@dataclass(frozen=True)
class Option:
    """One cache option a model offers: the write it bills, how long an entry lives."""
    key: str             # "5m", "30m", "1h", "12h", "explicit"
    write: str           # the price field a write bills at ("" for an explicit cache: created at input)
    ttl: int             # minutes an entry lives after its write (or its last hit, with `refresh`)
    refresh: bool        # a hit restarts the TTL
    stated: bool = True  # False: the provider states no retention; counted as `ttl` minutes


EXPLICIT = Option("explicit", "", 0, False)


def options(model, rates):
    """The cache options a model's data offers, on the rates in force (calculator.catalog.Rates)."""
    if rates.cache_read is None:
        return ()
    if model.provider == "anthropic":
        found = [Option("5m", "cache_write_5m", 5, True)]
        if rates.cache_write_1h is not None:
            found.append(Option("1h", "cache_write_1h", 60, True))
    elif model.provider == "openai":
        # From GPT-5.6 on the short write is priced and lasts 30 minutes; before, the in-memory
        # cache is "cleared within 5 to 10 minutes of inactivity": counted at the lower bound.
        short = 30 if rates.cache_write_5m is not None else 5
        found = [Option(f"{short}m", "cache_write_5m", short, True)]
        if long_retention_priced(model, rates):
            found.append(Option("12h", "cache_write_1h", 720, False))
    else:
        found = [Option("5m", "cache_write_5m", 5, True, stated=False)]
    if model.cache_storage is not None:
        found.append(EXPLICIT)
    return tuple(found)


def long_retention_priced(model, rates):
    """OpenAI's 12-hour retention has a price the data states: its own `cache_write_1h` rate, or
    no write surcharge at all (a model without a short write rate bills every write at input, as
    data/models/openai.yaml says). A model that bills short writes above input but lists no
    12-hour rate gets no 12-hour option: billing it at input would make it look cheaper than the
    30-minute cache, which no OpenAI page says."""
    return model.provider == "openai" and (rates.cache_write_1h is not None or rates.cache_write_5m is None)


@dataclass(frozen=True)
class Cost:
    """An amount at the official price and at the gateway's (None: not offered)."""
    official: Decimal
    gateway: object = None

    def __add__(self, other):
        gate = None if self.gateway is None or other.gateway is None else EXACT.add(self.gateway, other.gateway)
        return Cost(EXACT.add(self.official, other.official), gate)

    def __sub__(self, other):
        gate = None if self.gateway is None or other.gateway is None else EXACT.subtract(self.gateway, other.gateway)
        return Cost(EXACT.subtract(self.official, other.official), gate)

    def times(self, n):
        n = Decimal(n)
        return Cost(EXACT.multiply(self.official, n), None if self.gateway is None else EXACT.multiply(self.gateway, n))


@dataclass(frozen=True)
class Row:
    """What one cache option costs for the whole workload, and when it starts to pay."""
    option: Option
    total: Cost             # all R + 1 requests (+ creation and storage for an explicit cache)
    writes: int             # requests that write the prefix (0 for an explicit cache: created once)
    reads: int              # requests that read it
    hits: bool              # reuses are served from the cache at this spacing
    billed_as_input: bool   # the write has no rate of its own in the data: billed at input
    break_even: object      # smallest R >= 1 cheaper than no cache at this spacing, official; None: never
    break_even_gateway: object
    storage: object = None  # Cost of storing an explicit cache for T minutes


@dataclass(frozen=True)
class Plan:
    """The workload, its cost with no cache, and one Row per cache option the model offers."""
    model: object
    prefix: int
    reuses: int
    minutes: int
    none: Cost              # no cache, all R + 1 requests
    rows: tuple             # Row per option
    uncached: str = ""      # "no_price": the model has no cache price; "too_short": P < min_cache_tokens
    omitted: tuple = ()     # option keys the provider has but the data does not price ("12h")


def _first(a, b, limit=None):
    """The smallest whole R >= 1 with R x b > a (None: none, or none up to `limit`). a, b exact."""
    if a is None or b is None:
        return None
    if b > 0:
        r = 1 if a < b else int(EXACT.divide_int(a, b)) + 1
    else:
        r = 1 if b > a else None
    return None if r is None or (limit is not None and r > limit) else r


def _break_even(a, b, limit=None):
    """(official, gateway) break-even from Costs a (extra cost of the first request) and b (saving
    per reuse)."""
    return _first(a.official, b.official, limit), _first(a.gateway, b.gateway, limit)


def plan(model, prefix, reuses, minutes, fresh=0, output=0, at=None, offers=None, **mods):
    """The Plan for one workload on one model. `mods`: pricing.estimate's mode, residency, when.
    Raises pricing.PricingError / modes.ModeError as estimate does."""
    n = reuses + 1
    whole = prefix + fresh

    def request(**parts):
        est = estimate(model, Usage(input=whole, output=output, **parts), 1, at, offers=offers, **mods)
        return Cost(est.official_all, est.gateway_all)

    plain = request()
    none = plain.times(n)
    rates = model.prices_at(at).select(whole)[1]   # the card: which buckets the data prices
    opts = options(model, rates)
    if not opts:
        return Plan(model, prefix, reuses, minutes, none, (), "no_price")
    if model.min_cache_tokens and prefix < model.min_cache_tokens:
        return Plan(model, prefix, reuses, minutes, none, (), "too_short")
    read = request(cache_read=prefix)
    rows = []
    for opt in opts:
        if opt is EXPLICIT:
            rows.append(_explicit(model, prefix, reuses, minutes, at, offers, mods, plain, read))
            continue
        write = request(**{opt.write: prefix})
        if opt.refresh:
            hits = minutes <= opt.ttl * reuses
            block = None if hits else 1
        else:   # requests per entry: the write and every request within the TTL after it
            block = None if minutes == 0 else opt.ttl * reuses // minutes + 1
            hits = block is None or block > 1
        writes = 1 if block is None else -(-n // block)
        reads = n - writes
        total = write.times(writes) + read.times(reads)
        be = _break_even(write - plain, plain - read, None if block is None else block - 1) if hits else (None, None)
        as_input = getattr(rates, opt.write) is None
        rows.append(Row(opt, total, writes, reads, hits, as_input, *be))
    omitted = ("12h",) if model.provider == "openai" and not long_retention_priced(model, rates) else ()
    return Plan(model, prefix, reuses, minutes, none, tuple(rows), omitted=omitted)


def _explicit(model, prefix, reuses, minutes, at, offers, mods, plain, read):
    """Created once at input, read by every request, stored T minutes. Break-even at the same
    spacing, scaled by R to stay exact: R x (C + read - plain) is the extra cost of the first
    request and R x (plain - read) - storage(T) the saving per reuse."""
    created = estimate(model, Usage(input=prefix), 1, at, offers=offers, **mods)
    creation = Cost(created.official_all, created.gateway_all)
    storage = Cost(Decimal(0), Decimal(0))
    if minutes:   # stored `minutes` hours, then / 60: one division, exact whenever the amount is
        stored = estimate(model, Usage(input=prefix, cache_read=prefix), 1, at, offers=offers,
                          cache_hours=Decimal(minutes), **mods)
        _name, _hours, off, gate = stored.fees[-1]
        storage = Cost(EXACT.divide(off, SIXTY), None if gate is None else EXACT.divide(gate, SIXTY))
    n = reuses + 1
    total = creation + read.times(n) + storage
    be = _break_even((creation + read - plain).times(reuses), (plain - read).times(reuses) - storage)
    return Row(EXPLICIT, total, 0, n, True, False, *be, storage=storage)
