"""JSON in, JSON out: the one entry point the browser worker, the CLI and the build share.

Every function takes plain values (or a JSON string, for the worker) and returns plain values
(or a JSON string). Bad input never raises: the result carries `errors`, a list of
{"field", "message"}, so the page can show each message at its field.
"""
import gc
import json
import re
from decimal import Decimal, InvalidOperation

from . import errors_match
from .catalog import Catalog, CatalogError, UnknownModel
from .money import format_usd, percent, plain
from .pricing import BUCKET_LABELS, BUCKET_PRICE, MAX_REQUESTS, MAX_TOKENS, PricingError, Usage
from .pricing import estimate as _estimate
from .pricing import rank as _rank
from .pricing import requests_covered
from .tokens import estimate_tokens as _estimate_tokens
from .usage import UsageError, parse_log_line, parse_usage

COUNT_FIELDS = ("input", "cache_read", "cache_write_5m", "cache_write_1h", "output")
MAX_BALANCE = Decimal(10) ** 9
_INT_TEXT = re.compile(r"^\d{1,3}(?:[,_ ]\d{3})+$|^\d+$")
_DECIMAL_COMMA = re.compile(r"^\$?\d+,\d{1,2}$")      # "10,00": a decimal comma, not a thousands separator
_AMOUNT_TEXT = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d*)?$|^\d*\.?\d*$")
MAX_PROMPT_CHARS = 2_000_000   # the prompt box of the token estimate
_state = {"catalog": None}


class InputError(ValueError):
    def __init__(self, field, message):
        self.field = field
        super().__init__(message)


def parse_count(field, raw, limit=MAX_TOKENS, default=0):
    """A token count from a form field: "", None -> default; "12,000" -> 12000."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
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
        raw = int(re.sub(r"[,_ ]", "", text))
    if not isinstance(raw, int):
        raise InputError(field, "enter a whole number")
    if raw < 0:
        raise InputError(field, "cannot be negative")
    if raw > limit:
        raise InputError(field, f"more than {limit:,} is not a real request")
    return raw


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
    return usage, requests, errors


def _money(amount):
    return {"exact": plain(amount), "display": format_usd(amount)}


def estimate_view(catalog, args):
    """Everything the calculator shows for one workload on one model."""
    args = _as_args(args)
    usage, requests, errors = _workload(args)
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
        return {"errors": errors}
    est = _estimate(model, usage, requests, args.get("at") or None)
    official_all, gateway_all = est.official_total, est.gateway_total
    rows = []
    for bucket, price_field in BUCKET_PRICE.items():
        tokens = usage.tokens(bucket)
        rows.append({
            "bucket": bucket, "label": BUCKET_LABELS[bucket], "tokens": tokens,
            "official_rate": plain(est.official_rates.rate(price_field)),
            "gateway_rate": plain(est.gateway_rates.rate(price_field)),
            "billed_as_input": getattr(est.official_rates, price_field) is None and price_field != "input",
            "official": _money(getattr(est.official, bucket)),
            "gateway": _money(getattr(est.gateway, bucket)),
        })
    result = {
        "errors": [],
        "model": {"slug": model.slug, "name": model.name, "family": model.family,
                  "source": model.source, "checked": model.checked, "ratio": plain(model.ratio),
                  "ratio_note": model.ratio_note},
        "usage": usage.to_dict(), "uncached_input": usage.uncached_input, "requests": requests,
        "tier": est.tier, "tier_reason": est.tier_reason(), "rows": rows,
        "per_request": {"official": _money(est.official.total), "gateway": _money(est.gateway.total)},
        "total": {"official": _money(official_all.total), "gateway": _money(gateway_all.total)},
        "saving": {**_money(est.saving), "percent": percent(est.saving, official_all.total)},
        "summary": est.summary(),
        "balance": None,
    }
    if balance is not None:
        covered = requests_covered(balance, est)
        result["balance"] = {
            "amount": _money(balance), "requests": covered,
            "enough": balance >= gateway_all.total,
            "text": ("a zero-cost request is not limited by balance" if covered is None else
                     f"about {covered:,} such requests at the gateway price"),
        }
    return result


def rank_view(catalog, args):
    """Every model's cost for one workload, cheapest first; `family` filters."""
    args = _as_args(args)
    usage, requests, errors = _workload(args)
    family = args.get("family") or None
    if family is not None and family not in catalog.families:
        errors.append({"field": "family", "message": f"unknown family {family!r}"})
    if errors:
        return {"errors": errors}
    rows = []
    percents = {}  # gateway = official x ratio exactly, so the percentage is the ratio's: once per ratio
    for r in _rank(catalog.models, usage, requests, family, args.get("at") or None):
        m = r.model
        if r.official == 0:
            pct = "0.0"
        else:
            pct = percents.get(m.ratio) or percents.setdefault(m.ratio, percent(r.gateway, r.official))
        rows.append({"slug": m.slug, "name": m.name, "family": m.family, "status": m.status,
                     "tier": r.tier, "official": _money(r.official), "gateway": _money(r.gateway),
                     "percent": pct})
    return {"errors": [], "rows": rows, "requests": requests}


def usage_view(text):
    """Fill the form from a pasted provider usage JSON or a log line."""
    text = text if isinstance(text, str) else json.dumps(text)
    if len(text) > 1_000_000:
        return {"errors": [{"field": "paste", "message": "that is more than 1 MB; paste only the usage object"}]}
    stripped = text.strip()
    if stripped.startswith(("{", "[")):
        try:
            shape, usage = parse_usage(stripped)
        except UsageError as err:
            return {"errors": [{"field": "paste", "message": str(err)}]}
        return {"errors": [], "shape": shape, "fields": usage.to_dict()}
    try:
        fields = parse_log_line(stripped)
    except UsageError as err:
        return {"errors": [{"field": "paste", "message": str(err)}]}
    return {"errors": [], "shape": "text", "fields": fields}


def tokens_view(text):
    text = text if isinstance(text, str) else ""
    if len(text) > MAX_PROMPT_CHARS:
        return {"errors": [{"field": "prompt", "message": f"that is more than {MAX_PROMPT_CHARS:,} characters, "
                                                          "far beyond any model's context window; paste a "
                                                          "part and scale the estimate"}]}
    est = _estimate_tokens(text)
    return {"errors": [], "tokens": est.tokens, "low": est.low, "high": est.high,
            "characters": est.characters, "method": est.method}


def errors_view(catalog, text, limit=5):
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
    """Dispatch one worker request: fn in estimate, rank, usage, tokens, errors."""
    try:
        args = _as_args(args_json)
        catalog = _state["catalog"]
        if fn in ("estimate", "rank", "errors") and catalog is None:
            raise CatalogError("the prices are not loaded yet")
        if fn == "estimate":
            out = estimate_view(catalog, args)
        elif fn == "rank":
            out = rank_view(catalog, args)
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
