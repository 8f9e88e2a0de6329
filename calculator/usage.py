"""Provider `usage` objects and pasted log lines -> token buckets, without double counting.

Shapes, recognised by their keys (a whole response with a `usage` / `usageMetadata` member is
unwrapped first):
- OpenAI chat completions and OpenRouter: `prompt_tokens` INCLUDES
  `prompt_tokens_details.cached_tokens` (OpenRouter may add `cache_write_tokens`, also included;
  DeepSeek's `prompt_cache_hit_tokens` is the cache read when `cached_tokens` is absent);
  `completion_tokens` includes `completion_tokens_details.reasoning_tokens`.
- OpenAI responses: `input_tokens` includes `input_tokens_details.cached_tokens`; `output_tokens`
  includes `output_tokens_details.reasoning_tokens`.
- Anthropic messages: `input_tokens` EXCLUDES `cache_read_input_tokens` and
  `cache_creation_input_tokens`; the creation may be split in `cache_creation` into
  `ephemeral_5m_input_tokens` and `ephemeral_1h_input_tokens` (otherwise it is all 5-minute).
- Gemini `usageMetadata`: `promptTokenCount` includes `cachedContentTokenCount`; thinking tokens
  (`thoughtsTokenCount`) are billed as output but not counted in `candidatesTokenCount`.
An object with a key that does not belong to the shape it is read as (keys of two providers mixed)
is refused, naming those keys: reading it would drop their counts in silence.
"""
import itertools
import json
import re

from .display import tokens
from .pricing import MAX_TOKENS, PricingError, Usage


class UsageError(ValueError):
    """A usage object or log line that cannot be read; the message says why."""


MAX_DEPTH = 32        # a usage object is 3 levels deep; deeper JSON is refused before json.loads
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}.__getitem__


def json_depth(text):
    """How deeply the brackets of a JSON text nest (strings skipped), without parsing it: json.loads
    recurses once per level, and a few thousand levels kill Pyodide's stack (a fatal error, not a
    RecursionError)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(itertools.accumulate(map(_STEP, brackets)), default=0)


def _count(obj, key, where):
    value = obj.get(key, 0) if isinstance(obj, dict) else 0
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer() and 0 <= value <= MAX_TOKENS:
            return int(value)
        raise UsageError(f"{where}{key} must be a whole number of tokens, got {json.dumps(value)[:40]}")
    if value < 0:
        raise UsageError(f"{where}{key} cannot be negative (got {value})")
    if value > MAX_TOKENS:
        raise UsageError(f"{where}{key} is more than {tokens(MAX_TOKENS)} tokens")
    return value


def _details(obj, key):
    d = obj.get(key)
    if d is None:
        return {}
    if not isinstance(d, dict):
        raise UsageError(f"{key} must be an object")
    return d


def _unwrap(obj):
    for key in ("usage", "usageMetadata"):
        if isinstance(obj, dict) and isinstance(obj.get(key), dict):
            return obj[key]
    for key in ("message", "response"):  # Anthropic stream message_start, Responses events
        inner = obj.get(key) if isinstance(obj, dict) else None
        if isinstance(inner, dict) and isinstance(inner.get("usage"), dict):
            return inner["usage"]
    return obj


# Every key each shape may hold: an object with a key of another shape (say Anthropic's
# cache_read_input_tokens beside OpenAI's prompt_tokens) is refused, since reading it as one shape
# would drop the other's counts in silence.
_SHAPE_KEYS = {
    "OpenAI chat": {"prompt_tokens", "completion_tokens", "total_tokens", "prompt_tokens_details",
                    "completion_tokens_details", "cost", "cost_details", "is_byok", "server_tool_use",
                    "prompt_cache_hit_tokens", "prompt_cache_miss_tokens"},   # the last two: DeepSeek
    "OpenAI responses": {"input_tokens", "output_tokens", "total_tokens", "input_tokens_details",
                         "output_tokens_details"},
    "Anthropic": {"input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens",
                  "cache_creation", "server_tool_use", "service_tier", "inference_geo", "speed"},
    "Gemini": {"promptTokenCount", "candidatesTokenCount", "totalTokenCount", "cachedContentTokenCount",
               "thoughtsTokenCount", "toolUsePromptTokenCount", "promptTokensDetails",
               "candidatesTokensDetails", "cacheTokensDetails", "toolUsePromptTokensDetails", "trafficType"},
}


def _only(obj, shape):
    extra = sorted(str(k) for k in obj if k not in _SHAPE_KEYS[shape])
    if extra:
        raise UsageError(f"read as {shape} usage, but {', '.join(extra[:5])} "
                         f"{'does' if len(extra) == 1 else 'do'} not belong to that shape, so "
                         f"{'its count' if len(extra) == 1 else 'their counts'} would be dropped; paste one "
                         "provider's usage object as the API returned it")


def _usage(shape, **counts):
    try:
        return shape, Usage(**counts)
    except PricingError as err:
        raise UsageError(f"{shape} usage is inconsistent: {err}") from None


def parse_usage(obj):
    """(shape name, Usage) for a provider usage object (dict or JSON text)."""
    if isinstance(obj, (str, bytes)):
        text = obj.decode("utf-8", "replace") if isinstance(obj, bytes) else obj
        if json_depth(text) > MAX_DEPTH:
            raise UsageError(f"that JSON nests more than {MAX_DEPTH} levels deep; paste only the usage "
                             "object (or the whole response)")
        try:
            obj = json.loads(obj)
        except (ValueError, RecursionError) as err:
            raise UsageError(f"not valid JSON: {str(err)[:80]}") from None
    obj = _unwrap(obj)
    if not isinstance(obj, dict):
        raise UsageError("expected a JSON object with token counts (a provider's `usage`)")
    if "prompt_tokens" in obj or "completion_tokens" in obj:
        _only(obj, "OpenAI chat")
        details = _details(obj, "prompt_tokens_details")
        shape = "openrouter" if ("cost" in obj or "cache_write_tokens" in details) else "openai-chat"
        return _usage(shape,
                      input=_count(obj, "prompt_tokens", ""),
                      cache_read=(_count(details, "cached_tokens", "prompt_tokens_details.")
                                  if "cached_tokens" in details else _count(obj, "prompt_cache_hit_tokens", "")),
                      cache_write_5m=_count(details, "cache_write_tokens", "prompt_tokens_details."),
                      output=_count(obj, "completion_tokens", ""))
    if "cache_read_input_tokens" in obj or "cache_creation_input_tokens" in obj or "cache_creation" in obj:
        return _anthropic(obj)
    if "input_tokens" in obj or "output_tokens" in obj:
        if "input_tokens_details" in obj or "output_tokens_details" in obj or "total_tokens" in obj:
            _only(obj, "OpenAI responses")
            details = _details(obj, "input_tokens_details")
            return _usage("openai-responses",
                          input=_count(obj, "input_tokens", ""),
                          cache_read=_count(details, "cached_tokens", "input_tokens_details."),
                          output=_count(obj, "output_tokens", ""))
        return _anthropic(obj)
    if "promptTokenCount" in obj or "candidatesTokenCount" in obj:
        _only(obj, "Gemini")
        return _usage("gemini",
                      input=_count(obj, "promptTokenCount", ""),
                      cache_read=_count(obj, "cachedContentTokenCount", ""),
                      output=_count(obj, "candidatesTokenCount", "") + _count(obj, "thoughtsTokenCount", ""))
    raise UsageError("no token counts found: expected prompt_tokens/completion_tokens (OpenAI, "
                     "OpenRouter), input_tokens/output_tokens (OpenAI responses, Anthropic) or "
                     "promptTokenCount (Gemini)")


def _anthropic(obj):
    _only(obj, "Anthropic")
    plain_input = _count(obj, "input_tokens", "")
    read = _count(obj, "cache_read_input_tokens", "")
    creation = _count(obj, "cache_creation_input_tokens", "")
    split = _details(obj, "cache_creation")
    w5 = _count(split, "ephemeral_5m_input_tokens", "cache_creation.")
    w1 = _count(split, "ephemeral_1h_input_tokens", "cache_creation.")
    if split and (w5 or w1):
        if creation and w5 + w1 != creation:
            raise UsageError(f"cache_creation splits {tokens(w5 + w1)} tokens but cache_creation_input_tokens "
                             f"says {tokens(creation)}")
    else:
        w5, w1 = creation, 0
    return _usage("anthropic", input=plain_input + read + w5 + w1, cache_read=read,
                  cache_write_5m=w5, cache_write_1h=w1, output=_count(obj, "output_tokens", ""))


# What a response says it was served with: service tier, speed, region, server tools. OpenAI puts
# service_tier beside `usage` (the tier that served the request, not the one asked for: "auto"
# never comes back); Anthropic puts service_tier, speed and inference_geo in `usage`.
_TIERS = {"default": "standard", "standard": "standard", "auto": "standard", "flex": "flex",
          "priority": "priority", "batch": "batch", "fast": "fast"}
_GEOS = {"global": "", "not_available": "", "": ""}


def parse_served(obj):
    """{"mode", "residency", "web_searches"} as far as the object states them (keys left out when
    it does not say). Refuses what cannot have happened (fast mode in a batch)."""
    if isinstance(obj, (str, bytes)):
        if json_depth(obj if isinstance(obj, str) else obj.decode("utf-8", "replace")) > MAX_DEPTH:
            raise UsageError(f"that JSON nests more than {MAX_DEPTH} levels deep")
        try:
            obj = json.loads(obj)
        except (ValueError, RecursionError) as err:
            raise UsageError(f"not valid JSON: {str(err)[:80]}") from None
    if not isinstance(obj, dict):
        return {}
    layers = [obj] + [obj[k] for k in ("usage", "message", "response") if isinstance(obj.get(k), dict)]
    layers += [inner["usage"] for inner in layers[1:] if isinstance(inner.get("usage"), dict)]

    def find(key):
        for layer in layers:
            if isinstance(layer.get(key), str):
                return layer[key]
        return None

    out = {}
    tier, speed, geo = find("service_tier"), find("speed"), find("inference_geo")
    if tier is not None:
        if tier not in _TIERS:
            raise UsageError(f"service_tier {tier!r} is not a tier this site prices (standard, batch, flex, "
                             "priority, fast)")
        out["mode"] = _TIERS[tier]
    if speed == "fast":
        if out.get("mode") == "batch":
            raise UsageError("the usage says service_tier batch and speed fast: fast mode does not combine "
                             "with batch, so one of them is wrong; paste the object as the API returned it")
        out["mode"] = "fast"
    if geo is not None:
        out["residency"] = _GEOS.get(geo, geo.lower())
    searches = "web_search_requests"     # a call count, not a token bucket
    for layer in layers:
        tools = layer.get("server_tool_use")
        if isinstance(tools, dict) and searches in tools:
            out["web_searches"] = _count(tools, searches, "server_tool_use.")
            break
    return out


# "12,000 input, 800 output", "input=12000 cached=4000 output=800", "in: 1.2k out: 300"
_WORDS = (
    ("cache_write_1h", r"cache[_ -]?(?:writes?|creation)[_ -]?\(?1[_ -]?h(?:our)?\)?"),
    ("cache_write_5m", r"cache[_ -]?(?:writes?|creation)(?:[_ -]?\(?5[_ -]?m(?:in(?:utes?)?)?\)?)?"),
    ("cache_read", r"cache[_ -]?reads?|cached(?:[_ -]?input)?|cache[_ -]?hits?"),
    ("output", r"output|completion|out"),
    ("input", r"input|prompt|in"),
)
_ITEM = re.compile(
    "|".join(rf"(?P<{bucket}>\b(?:{words})(?:[_ -]?tokens?)?\b)" for bucket, words in _WORDS)
    + r"|(?P<number>(?<![\w.])(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s?[kKmM]\b)?)")


def _to_int(text):
    text = text.replace(",", "").replace(" ", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1].lower(), 1)
    if scale != 1:
        text = text[:-1]
    whole, _, frac = text.partition(".")
    return int(whole) * scale + int(frac.ljust(7, "0")[:7]) * scale // 10_000_000


def parse_log_line(text):
    """Token counts from free text such as "12,000 input, 800 output" or "input=12000 output=800".
    Labels and numbers are read in order; whichever comes first (a number or a label) decides
    the pairing direction. Returns a dict of the buckets found (input, cache_read,
    cache_write_5m, cache_write_1h, output). Raises UsageError when nothing is found."""
    if not isinstance(text, str):
        raise UsageError("expected text")
    items = []
    for m in _ITEM.finditer(text[:20000].lower()):
        kind = m.lastgroup
        items.append((kind, _to_int(m.group(kind)) if kind == "number" else None))
    found = {}
    number_first = bool(items) and items[0][0] == "number"
    for (a, va), (b, vb) in zip(items, items[1:]):
        if number_first and a == "number" and b != "number":
            found.setdefault(b, va)
        elif not number_first and a != "number" and b == "number":
            found.setdefault(a, vb)
    if not found:
        raise UsageError("no token counts found; try e.g. \"12,000 input, 800 output\"")
    for bucket, value in found.items():
        if value > MAX_TOKENS:
            raise UsageError(f"{bucket} is more than {tokens(MAX_TOKENS)} tokens")
    return found
