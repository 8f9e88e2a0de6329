"""The five token buckets: the one table the engine, the CLI, the pages and the browser derive from.

A request's `input` is the whole prompt (cache reads and writes included); the engine carves the
cache parts out of it and bills what is left as uncached input. So each bucket has a token count
field (what a form, the CLI and `Usage` take), a billing name (what the cost breakdown shows) and
a price field (the rate in data/models/*.yaml that bills it; absent in the data = the input rate).
"""
from .record import Record


class Bucket(Record):
    """One token bucket: where its count comes from, what it bills at, and its names."""

    def __init__(self,
                 count: str,         # the token count field: Usage, the form, the worker's args ("input" is the whole prompt)
                 billed: str,        # the cost breakdown's name for the part it bills
                 price: str,         # the price field that bills it (data/models/*.yaml, per 1M tokens)
                 label: str,         # what the breakdown calls the billed part
                 price_label: str,   # what price tables call the rate
                 count_label: str,   # the form's label for the count
                 help: str,          # the form's and the CLI's help for the count
                 flag: str,          # the CLI option
                 usage_keys: tuple,  # where provider usage objects report it (calculator/usage.py reads these)
                 ):
        self._set(locals())


BUCKETS = (
    Bucket("input", "uncached_input", "input", "Uncached input", "Input", "Input tokens",
           "the whole prompt, cache reads and writes included", "--input",
           ("prompt_tokens", "input_tokens", "promptTokenCount")),
    Bucket("cache_read", "cache_read", "cache_read", "Cache read", "Cache read", "Cache read tokens",
           "part of the input served from the cache", "--cache-read",
           ("prompt_tokens_details.cached_tokens", "input_tokens_details.cached_tokens",
            "cache_read_input_tokens", "cachedContentTokenCount", "prompt_cache_hit_tokens")),
    Bucket("cache_write_5m", "cache_write_5m", "cache_write_5m", "Cache write (5 min)", "Cache write (5 min)",
           "Cache write tokens (5 min)",
           "part of the input written to the short-lived cache (Anthropic 5 minutes, OpenAI 30)", "--cache-write",
           ("prompt_tokens_details.cache_write_tokens", "cache_creation.ephemeral_5m_input_tokens",
            "cache_creation_input_tokens")),
    Bucket("cache_write_1h", "cache_write_1h", "cache_write_1h", "Cache write (1 hour)", "Cache write (1 hour)",
           "Cache write tokens (1 hour)", "part of the input written to a 1-hour cache", "--cache-write-1h",
           ("cache_creation.ephemeral_1h_input_tokens",)),
    Bucket("output", "output", "output", "Output", "Output", "Output tokens", "reasoning tokens included",
           "--output", ("completion_tokens", "output_tokens", "candidatesTokenCount", "thoughtsTokenCount")),
)

COUNT_FIELDS = tuple(b.count for b in BUCKETS)             # input, cache_read, ..., output
CACHE_PARTS = COUNT_FIELDS[1:-1]                           # the parts of input that the cache serves or fills
BILLED = tuple(b.billed for b in BUCKETS)                  # uncached_input, cache_read, ..., output
# The price fields in the order price tables (and the catalog JSON) list them: the two rates every
# model has, then the cache rates.
PRICE_FIELDS = ("input", "output", "cache_read", "cache_write_5m", "cache_write_1h")
assert sorted(PRICE_FIELDS) == sorted(b.price for b in BUCKETS)
BILLED_PRICE = {b.billed: b.price for b in BUCKETS}
BY_COUNT = {b.count: b for b in BUCKETS}
BY_BILLED = {b.billed: b for b in BUCKETS}
BY_PRICE = {b.price: b for b in BUCKETS}
