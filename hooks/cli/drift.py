"""`pricebook drift`: the catalog's official prices and lifecycle against genai-prices.

genai-prices (https://github.com/pydantic/genai-prices, a dev extra) is an independent, community
kept price list. For every model of the catalog whose `provider_model_id` it knows (matched the
way tests/test_price_crosscheck.py matches: its provider, then its own model matching), this
compares:

- prices: each bucket (input, output, cache_read, cache_write_5m, cache_write_1h) at the base rate
  and above every context-tier threshold either side has, with the prices in force on the pricing
  date in both (genai-prices at 12:00 UTC that day: off-peak for DeepSeek's time-of-day rates), and
  again on the first day of every scheduled period (`scheduled: from`) and of every future price
  change genai-prices has. A bucket neither side prices is not compared (each bills it its own way:
  tests/test_price_crosscheck.py covers that). Rates are what each side bills for that bucket (a
  bucket one side leaves out falls back the way that side bills it), compared as exact Decimals.
- lifecycle: genai-prices 0.2.3 carries no retirement or deprecation date, only a `deprecated`
  flag; a model the catalog has deprecated or retired on the pricing date (`status_on`, i.e.
  `deprecated_on` / `retires_on`) that genai-prices does not flag, or one genai-prices flags while
  the catalog has it active, preview or upcoming, is a disagreement.

A disagreement is *explained* when a YAML comment of the model mentions genai-prices: a comment line
in the block directly above the model's `- slug:` line, or a comment on the reported line itself.
"""
import datetime
import re
from decimal import Decimal
from importlib import metadata
from pathlib import Path

from calculator import display
from calculator.buckets import PRICE_FIELDS

# Our provider ids -> genai-prices provider ids (as in tests/test_price_crosscheck.py).
GENAI_PROVIDER = {"anthropic": "anthropic", "openai": "openai", "zai": "zai", "deepseek": "deepseek",
                  "google": "google"}

# genai-prices price keys that price each of our buckets (a listed value on their side).
GENAI_KEYS = {
    "input": ("input_mtok",),
    "output": ("output_mtok",),
    "cache_read": ("cache_read_mtok",),
    "cache_write_5m": ("cache_write_mtok", "cache_write_5m_mtok"),
    "cache_write_1h": ("cache_write_1h_mtok",),
}

MENTION = re.compile(r"genai[-_ ]?prices", re.IGNORECASE)
PER = Decimal(1_000_000)
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'')
_LINE_COMMENT = re.compile(r"(?:^|\s)#\s?(.*)$")


class DriftError(Exception):
    """Drift cannot run (genai-prices missing): one line, exit 2."""


class _Genai:
    """The installed genai-prices: its snapshot, Usage class and version."""

    def __init__(self):
        try:
            from genai_prices import Usage
            from genai_prices.data_snapshot import get_snapshot
            from genai_prices.types import StartDateConstraint, TieredPrices
        except ImportError:
            raise DriftError("genai-prices is not installed (a dev extra: pip install -e '.[dev]')") from None
        self.snapshot = get_snapshot()
        self.Usage, self.Tiered, self.StartDate = Usage, TieredPrices, StartDateConstraint
        try:
            self.version = metadata.version("genai-prices")
        except metadata.PackageNotFoundError:
            self.version = "unknown"

    def model(self, provider, provider_model_id):
        """The genai-prices ModelInfo for one of our models, or None when it does not know it."""
        try:
            _, model = self.snapshot.find_provider_model(provider_model_id, None,
                                                         GENAI_PROVIDER.get(provider, provider), None)
        except LookupError:
            return None
        return model

    @staticmethod
    def prices(model, day):
        """Their standard prices in force at 12:00 UTC on ISO date `day`."""
        when = datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(12, 0),
                                         tzinfo=datetime.UTC)
        return model.get_prices(when)

    def change_dates(self, model, after):
        """ISO dates after `after` on which their standard prices change."""
        if not isinstance(model.prices, list):
            return []
        return sorted({c.constraint.start_date.isoformat() for c in model.prices
                       if isinstance(c.constraint, self.StartDate) and c.constraint.start_date.isoformat() > after})

    def thresholds(self, model_price):
        found = set()
        for keys in GENAI_KEYS.values():
            for key in keys:
                value = getattr(model_price, key, None)
                if isinstance(value, self.Tiered):
                    found.update(int(t.start) for t in value.tiers)
        return found

    @staticmethod
    def lists(model_price, bucket):
        return any(getattr(model_price, key, None) is not None for key in GENAI_KEYS[bucket])

    def rate(self, model_price, bucket, total_input):
        """What genai-prices bills per 1M tokens of `bucket` in a request of `total_input` prompt
        tokens (every prompt token in that bucket; output: as many output tokens)."""
        n = total_input
        usage = {
            "input": dict(input_tokens=n),
            "output": dict(input_tokens=n, output_tokens=n),
            "cache_read": dict(input_tokens=n, cache_read_tokens=n),
            "cache_write_5m": dict(input_tokens=n, cache_write_tokens=n, cache_write_5m_tokens=n),
            "cache_write_1h": dict(input_tokens=n, cache_write_tokens=n, cache_write_1h_tokens=n),
        }[bucket]
        cost = model_price.calc_price(self.Usage(**usage))
        if bucket == "output":
            cost = cost["total_price"] - model_price.calc_price(self.Usage(input_tokens=n))["total_price"]
        else:
            cost = cost["total_price"]
        return Decimal(str(cost)) * PER / n


def _period_keys(model, day):
    """The YAML key path (under the model) of the price period `model.prices_at(day)` returns."""
    if day:
        for j, entry in enumerate(model.history):
            if day < entry.until:
                return ("history", j)
        for k in range(len(model.scheduled) - 1, -1, -1):
            if day >= model.scheduled[k].start:
                return ("scheduled", k)
    return ()


def _our_keys(priceset, bucket, above):
    """Where our rate for `bucket` above `above` (None: base) is written, under the period."""
    if above is None:
        rates, keys = priceset.base, ("prices",)
    else:
        t = next(i for i, tier in enumerate(priceset.tiers) if tier.above == above)
        rates, keys = priceset.tiers[t].rates, ("tiers", t)
    return keys + ((bucket,) if getattr(rates, bucket) is not None else ("input",))


def _fmt(value):
    """A rate as text: the exact Decimal, trailing zeros dropped (2.50 and 2.5 are one price)."""
    return format(value.normalize(), "f")


class _Comments:
    """YAML comments from a data file's text."""

    def __init__(self, path):
        try:
            self.lines = Path(path).read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            self.lines = []

    def block_above(self, line):
        """The comment lines directly above 1-based `line` (up to a blank or non-comment line)."""
        found = []
        i = line - 2
        while 0 <= i < len(self.lines) and self.lines[i].strip().startswith("#"):
            found.append(self.lines[i].strip()[1:].strip())
            i -= 1
        return " ".join(reversed(found))

    def on_line(self, line):
        if not 1 <= line <= len(self.lines):
            return ""
        m = _LINE_COMMENT.search(_QUOTED.sub('""', self.lines[line - 1]))
        return m.group(1).strip() if m else ""


def drift(result, day, root):
    """Everything `pricebook drift` reports, as plain data, for a loaded data folder (a LoadResult
    whose paths are relative to `root`, the data folder's parent) on ISO date `day`."""
    genai = _Genai()
    disagreements, unknown, compared = [], [], 0
    comment_files = {}
    for model in result.catalog.models:
        doc = result.docs.get(model.file)
        if doc is None:
            continue
        index = next(i for i, m in enumerate(doc.get(("models",), []))
                     if isinstance(m, dict) and m.get("slug") == model.slug)
        base_keys = ("models", index)
        if model.file not in comment_files:
            comment_files[model.file] = _Comments(Path(root) / model.file)
        comments = comment_files[model.file]
        entry_line = doc.key_where(base_keys)[0]
        block = comments.block_above(entry_line)
        theirs_model = genai.model(model.provider, model.provider_model_id)
        if theirs_model is None:
            line, col = doc.where(base_keys + ("provider_model_id",))
            unknown.append({"model": model.slug, "provider_model_id": model.provider_model_id,
                            "file": model.file, "line": line, "col": col, "comment": block or None})
            continue
        compared += 1

        def report(keys, kind, message, **fields):
            line, col = doc.where(base_keys + keys)
            same_line = comments.on_line(line)
            texts = [t for t in (block, same_line) if t]
            explained = any(MENTION.search(t) for t in texts)
            disagreements.append({
                "file": model.file, "line": line, "col": col, "model": model.slug,
                "genai_model": theirs_model.id, "kind": kind, **fields, "message": message,
                "explained": explained, "comment": " ".join(texts) if explained else None,
            })

        # Prices: the pricing date, every scheduled start, and every later change genai-prices has.
        dates = sorted({day, *(s.start for s in model.scheduled), *genai.change_dates(theirs_model, day)})
        for when in dates:
            ours = model.prices_at(when)
            theirs = genai.prices(theirs_model, when)
            period = _period_keys(model, when)
            thresholds = sorted({t.above for t in ours.tiers} | genai.thresholds(theirs))
            for bucket in PRICE_FIELDS:
                if getattr(ours.base, bucket) is None and not genai.lists(theirs, bucket):
                    continue
                for above in [None, *thresholds]:
                    total = 1 if above is None else above + 1
                    our_above, our_rates = ours.select(total)
                    mine = our_rates.rate(bucket)
                    their = genai.rate(theirs, bucket, total)
                    if mine == their:
                        continue
                    where = "" if above is None else f" above {display.tokens(above)} tokens"
                    label = "from" if when != day and when in {s.start for s in model.scheduled} else "on"
                    report(period + _our_keys(ours, bucket, our_above), "price",
                           f"{model.slug} {bucket}{where} {label} {when}: catalog {mine}, "
                           f"genai-prices {_fmt(their)} per 1M tokens",
                           date=when, bucket=bucket, above=above, catalog=str(mine), genai_prices=_fmt(their))

        # Lifecycle: genai-prices has a `deprecated` flag and no dates.
        status = model.status_on(day)
        flagged = bool(getattr(theirs_model, "deprecated", False))
        ours_off = status in ("deprecated", "retired")
        if ours_off != flagged:
            order = ("retires_on", "deprecated_on") if status == "retired" else ("deprecated_on", "retires_on")
            keys = next(((k,) for k in order if getattr(model, k)), ("status",))
            if ours_off:
                known = ", ".join(f"{k} {getattr(model, k)}" for k in ("deprecated_on", "retires_on")
                                  if getattr(model, k))
                dated = f" ({known})" if known else ""
                message = f"{model.slug} is {status} on {day}{dated}; genai-prices does not flag it deprecated"
            else:
                keys = ("status",)
                message = (f"{model.slug} is {status} on {day}; genai-prices flags it deprecated")
            report(keys, "lifecycle", message, date=day, catalog=status,
                   genai_prices="deprecated" if flagged else "not deprecated")

    disagreements.sort(key=lambda d: (d["file"], d["line"], d["col"], d["message"]))
    explained = sum(1 for d in disagreements if d["explained"])
    return {
        "at": day,
        "genai_prices": genai.version,
        "disagreements": disagreements,
        "not_in_genai_prices": unknown,
        "summary": {
            "models": len(result.catalog.models), "compared": compared,
            "not_in_genai_prices": len(unknown), "disagreements": len(disagreements),
            "explained": explained, "unexplained": len(disagreements) - explained,
        },
    }


HELP = """Compare the catalog with the installed genai-prices data (an independent price list, a dev
extra): every official price in force on the pricing date, every scheduled price change (on its
`from` date) and every later change genai-prices has, per bucket (input, output, cache_read,
cache_write_5m, cache_write_1h), at the base rate and above each context-tier threshold either side
has; and the lifecycle (genai-prices carries no retirement date, only a `deprecated` flag: a model
the catalog has deprecated or retired on the date that genai-prices does not flag, or the other way
round, disagrees). A bucket neither side prices is not compared.

Each disagreement is printed as path:line:col (where the catalog's figure is written) with the
explaining comment. A disagreement is explained when a comment of the model mentions genai-prices:
any line of the comment block directly above its `- slug:` line, or a comment on the reported line.

A model genai-prices does not know is listed as "not in genai-prices" and is not a failure (new
models reach it later). Exit 0: no disagreement, or every one explained; 1: an unexplained
disagreement (or the data has errors); 2: bad arguments or genai-prices not installed."""


def cmd_drift(ns, load, usage_exit):
    """The `pricebook drift` command: `load(data)` gives the LoadResult (exit 1 on bad data),
    `usage_exit` is the exception for a bad argument (exit 2)."""
    from calculator import api

    try:
        day = api.parse_date(ns.at)
    except api.InputError as err:
        raise usage_exit(f"--at: {err}") from None
    data = Path(ns.data)
    if not data.is_dir():
        raise usage_exit(f"--data: {data} is not a folder")
    try:
        _Genai()
    except DriftError as err:
        raise usage_exit(str(err)) from None
    result = load(ns.data)
    report = drift(result, day, data.parent)
    if ns.json:
        import json
        print(json.dumps(report, indent=2))
    else:
        for d in report["disagreements"]:
            print(f"{d['file']}:{d['line']}:{d['col']}: {d['message']}")
            print(f"    explained: {d['comment']}" if d["explained"]
                  else "    unexplained: no comment of this model mentions genai-prices")
        for u in report["not_in_genai_prices"]:
            print(f"{u['file']}:{u['line']}:{u['col']}: {u['model']} ({u['provider_model_id']}) "
                  "not in genai-prices")
        s = report["summary"]
        print(f"drift against genai-prices {report['genai_prices']} on {day}: {s['compared']} of {s['models']} "
              f"models compared, {s['not_in_genai_prices']} not in genai-prices; {s['disagreements']} "
              f"disagreement(s), {s['explained']} explained, {s['unexplained']} unexplained")
    return 1 if report["summary"]["unexplained"] else 0
