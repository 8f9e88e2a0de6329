"""The catalog: plain immutable records (calculator.record) built from one plain dict.

The dict is what the build side makes from the YAML after validating it, and also what the site
exports as the calculator's prices JSON: `Catalog.from_dict(catalog.to_dict())` round-trips, so
the browser prices requests from exactly the data the build priced its tables with.
"""
import datetime

from .buckets import PRICE_FIELDS
from .modes import Fee, Mode, Residency, TimeOfDay
from .money import parse_decimal
from .record import Record

FORMAT_VERSION = 1


def shift_day(day, days):
    """The ISO date `days` after ISO date `day` (negative: before)."""
    return (datetime.date.fromisoformat(day) + datetime.timedelta(days=days)).isoformat()


class CatalogError(ValueError):
    """The catalog dict is not of the expected shape (the build side validates before this)."""


class UnknownModel(LookupError):
    def __init__(self, slug, suggestions):
        self.slug = slug
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown model slug {slug!r}{hint}")


class Rates(Record):
    """USD per 1M tokens. A bucket priced None is billed at `input` (not priced separately)."""

    def __init__(self, input: object, output: object, cache_read: object = None, cache_write_5m: object = None,
                 cache_write_1h: object = None):
        self._set(locals())

    def rate(self, bucket):
        value = getattr(self, bucket)
        return self.input if value is None else value

    def scaled(self, ratio):
        return Rates(**{name: None if getattr(self, name) is None else getattr(self, name) * ratio
                        for name in PRICE_FIELDS})

    @classmethod
    def from_dict(cls, d):
        return cls(**{name: parse_decimal(d[name]) if d.get(name) is not None else None
                      for name in PRICE_FIELDS})

    def to_dict(self):
        return {name: str(getattr(self, name)) for name in PRICE_FIELDS if getattr(self, name) is not None}


class Tier(Record):
    """A long-context tier: these rates for the whole request once its input passes `above`."""

    def __init__(self,
                 above: int,  # the tier applies when total input (cache parts included) > above
                 rates: Rates):
        self._set(locals())

    @classmethod
    def from_dict(cls, d):
        rates = {k: v for k, v in d.items() if k != "above"}
        return cls(int(d["above"]), Rates.from_dict(rates))

    def to_dict(self):
        return {"above": self.above, **self.rates.to_dict()}


class PriceSet(Record):
    """Base rates plus context tiers, ascending by threshold."""

    def __init__(self, base: Rates, tiers: tuple = ()):
        self._set(locals())

    def select(self, total_input):
        """(threshold or None, rates) for a request whose whole prompt is `total_input` tokens.
        Strictly greater than the threshold: exactly 200,000 stays at the base rate. The chosen
        rates apply to every bucket of the request (a cliff, not graduated)."""
        chosen = None
        for tier in self.tiers:
            if total_input > tier.above:
                chosen = tier
        return (None, self.base) if chosen is None else (chosen.above, chosen.rates)

    @classmethod
    def from_dict(cls, prices, tiers):
        return cls(Rates.from_dict(prices), tuple(Tier.from_dict(t) for t in tiers or ()))


class HistoryEntry(Record):
    """Prices that applied before a date."""

    def __init__(self,
                 until: str,  # ISO date: these prices applied before it
                 prices: PriceSet,
                 note: str = ""):
        self._set(locals())


class ScheduledEntry(Record):
    """Prices announced to apply from a date."""

    def __init__(self,
                 start: str,  # ISO date: these prices apply from it (inclusive), until the next one starts
                 prices: PriceSet,
                 note: str = "",
                 source: str = ""):
        self._set(locals())


# What a model's context window has to hold, by provider (models/<provider>.yaml `window_counts`).
WINDOW_PROMPT = "prompt"                       # the prompt alone; output has its own max_output
WINDOW_PROMPT_AND_OUTPUT = "prompt_and_output"  # prompt + output together


class Family(Record):
    """A model family as site.yaml lists it (the gateway's ratio and labels)."""

    def __init__(self, id: str, name: str, provider: str, ratio: object, label: str = ""):
        self._set(locals())


class Model(Record):
    """One model: its prices over time, lifecycle, limits, aliases and modifiers."""
    _unhashed = ("modes", "residency", "tools")   # dicts

    def __init__(self,
                 slug: str,
                 name: str,
                 family: str,
                 provider: str,
                 provider_model_id: str,
                 context_window: int,
                 max_output: int,
                 status: str,
                 prices: PriceSet,
                 source: str,
                 checked: str,
                 ratio: object,            # the gateway's ratio of official price for this model
                 ratio_note: str = "",     # why, when a per-model override sets it
                 deprecated_on: str = "",  # ISO date the provider announced the deprecation
                 aliases: tuple = (),
                 history: tuple = (),      # HistoryEntry, oldest first: prices before each `until`
                 file: str = "",           # the YAML file it came from, for edit links and messages
                 provider_name: str = "",
                 released: str = "",       # ISO date the model became callable ("" = before the catalog's time)
                 retires_on: str = "",     # ISO date the provider stops serving it
                 replacement: str = "",    # the slug the provider recommends instead
                 scheduled: tuple = (),    # ScheduledEntry, oldest first: prices from each `start`
                 min_cache_tokens: int = 0,    # shorter prompts are not cached (0: no minimum known)
                 window: str = WINDOW_PROMPT,  # what context_window has to hold
                 # The modifiers (calculator/modes.py), provider defaults already merged in by the loader:
                 modes: dict = None,           # name -> Mode (batch, flex, priority, fast); None: {}
                 residency: dict = None,       # region -> Residency; None: {}
                 time_of_day: object = None,   # TimeOfDay or None
                 tools: dict = None,           # name -> Fee (USD per 1,000 calls); None: {}
                 cache_storage: object = None,  # Fee (USD per 1M tokens per hour) or None
                 ):
        modes = {} if modes is None else modes
        residency = {} if residency is None else residency
        tools = {} if tools is None else tools
        self._set(locals())

    def prices_at(self, day=None):
        """The official prices in force on ISO date `day` (None: the current period as the data
        writes it). A timeline: history (each until its `until`), the current prices, then each
        scheduled period from its `start`."""
        if day:
            for entry in self.history:
                if day < entry.until:
                    return entry.prices
            for entry in reversed(self.scheduled):
                if day >= entry.start:
                    return entry.prices
        return self.prices

    def changes_after(self, day):
        """Scheduled periods that start after ISO date `day`: [(start, PriceSet, note)]."""
        return [e for e in self.scheduled if e.start > day]

    def status_on(self, day):
        """The model's status on ISO date `day`. Where the data has a date, the date decides:
        upcoming before `released`, retired from `retires_on`, deprecated from `deprecated_on`
        (or, with no such date, once a retirement is announced). Without dates, the status the
        data lists (active, preview, deprecated, retired)."""
        if self.released and day < self.released:
            return "upcoming"
        if self.retires_on:
            if day >= self.retires_on:
                return "retired"
        elif self.status == "retired":
            return "retired"
        if self.deprecated_on:
            if day >= self.deprecated_on:
                return "deprecated"
        elif self.status in ("deprecated", "retired"):
            return "deprecated"
        return "active" if self.status in ("deprecated", "retired") else self.status

    def callable_on(self, day):
        return self.status_on(day) not in ("retired", "upcoming")

    def limit_for(self, prompt, output):
        """(field, what, limit) for the first limit a request of `prompt` + `output` tokens breaks,
        or None when it fits: the context window (for the prompt, or prompt plus output where the
        provider counts both), then the maximum output."""
        if prompt > self.context_window:
            return ("input", "context_window", self.context_window)
        if output > self.max_output:
            return ("output", "max_output", self.max_output)
        if self.window == WINDOW_PROMPT_AND_OUTPUT and prompt + output > self.context_window:
            return ("output", "context_window_total", self.context_window)
        return None

    @property
    def overridden(self):
        return bool(self.ratio_note)


def _model_from_dict(d, families, overrides):
    fam = families.get(d["family"])
    if fam is None:
        raise CatalogError(f"model {d['slug']!r}: unknown family {d['family']!r}")
    override = overrides.get(d["slug"])
    return Model(
        slug=d["slug"], name=d["name"], family=d["family"], provider=d["provider"],
        provider_model_id=d["provider_model_id"], context_window=int(d["context_window"]),
        max_output=int(d["max_output"]), status=d["status"],
        prices=PriceSet.from_dict(d["prices"], d.get("tiers")),
        source=d["source"], checked=str(d["checked"]),
        ratio=parse_decimal(override["ratio"]) if override else fam.ratio,
        ratio_note=(override.get("note") or "per-model override") if override else "",
        deprecated_on=str(d.get("deprecated_on") or ""), aliases=tuple(d.get("aliases") or ()),
        history=tuple(HistoryEntry(str(h["until"]), PriceSet.from_dict(h["prices"], h.get("tiers")),
                                   h.get("note", "")) for h in d.get("history") or ()),
        file=d.get("file", ""), provider_name=d.get("provider_name", d["provider"]),
        released=str(d.get("released") or ""), retires_on=str(d.get("retires_on") or ""),
        replacement=str(d.get("replacement") or ""),
        scheduled=tuple(ScheduledEntry(str(s["from"]), PriceSet.from_dict(s["prices"], s.get("tiers")),
                                       s.get("note", ""), s.get("source", "")) for s in d.get("scheduled") or ()),
        min_cache_tokens=int(d.get("min_cache_tokens") or 0), window=d.get("window") or WINDOW_PROMPT,
        modes={k: Mode.from_dict(k, v) for k, v in (d.get("modes") or {}).items()},
        residency={k: Residency.from_dict(k, v) for k, v in (d.get("residency") or {}).items()},
        time_of_day=TimeOfDay.from_dict(d["time_of_day"]) if d.get("time_of_day") else None,
        tools={k: Fee.from_dict(k, v, "per_1000") for k, v in (d.get("tools") or {}).items()},
        cache_storage=Fee.from_dict("cache_storage", d["cache_storage"], "per_hour") if d.get("cache_storage") else None,
    )


def _model_to_dict(m):
    d = {
        "slug": m.slug, "name": m.name, "family": m.family, "provider": m.provider,
        "provider_name": m.provider_name, "provider_model_id": m.provider_model_id,
        "context_window": m.context_window, "max_output": m.max_output, "status": m.status,
        "aliases": list(m.aliases), "prices": m.prices.base.to_dict(),
        "tiers": [t.to_dict() for t in m.prices.tiers], "source": m.source, "checked": m.checked,
        "history": [{"until": h.until, "prices": h.prices.base.to_dict(),
                     "tiers": [t.to_dict() for t in h.prices.tiers], "note": h.note}
                    for h in m.history],
        "file": m.file,
    }
    for name in ("deprecated_on", "released", "retires_on", "replacement", "min_cache_tokens"):
        if getattr(m, name):
            d[name] = getattr(m, name)
    if m.scheduled:
        d["scheduled"] = [{"from": s.start, "prices": s.prices.base.to_dict(),
                           "tiers": [t.to_dict() for t in s.prices.tiers], "note": s.note, "source": s.source}
                          for s in m.scheduled]
    d["window"] = m.window
    if m.modes:
        d["modes"] = {k: v.to_dict() for k, v in m.modes.items()}
    if m.residency:
        d["residency"] = {k: v.to_dict() for k, v in m.residency.items()}
    if m.time_of_day is not None:
        d["time_of_day"] = m.time_of_day.to_dict()
    if m.tools:
        d["tools"] = {k: v.to_dict("per_1000") for k, v in m.tools.items()}
    if m.cache_storage is not None:
        d["cache_storage"] = m.cache_storage.to_dict("per_hour")
    return d


class Catalog(Record):
    """Every model and family, the gateway's offers and error families. Unlike the other records
    it can be changed (attributes assigned) and so is not hashable."""
    __setattr__ = object.__setattr__
    __delattr__ = object.__delattr__
    __hash__ = None

    def __init__(self,
                 models: tuple,
                 families: dict,
                 overrides: tuple = (),   # the raw override dicts, as listed in site.yaml
                 site: dict = None,       # None: {}
                 errors: tuple = (),      # troubleshooting families, plain dicts (see calculator.errors_match)
                 offers: dict = None):    # site.yaml pricing.offers: the gateway's modes, residency, fees; None: {}
        site = {} if site is None else site
        offers = {} if offers is None else offers
        self._set(locals())
        self._index = {}   # slug or alias -> Model (not a field: not compared, not in the repr)
        for m in self.models:
            self._index[m.slug] = m
        for m in self.models:
            for alias in m.aliases:
                self._index.setdefault(alias, m)

    def find(self, slug):
        """The model for a slug or alias, or None (no suggestions: cheap)."""
        return self._index.get(slug)

    def model(self, slug):
        """The model for a slug or alias; UnknownModel (with close matches) otherwise."""
        found = self.find(slug)
        if found is None:
            raise UnknownModel(slug, self.suggest(slug))
        return found

    def suggest(self, slug, n=3):
        import difflib
        return difflib.get_close_matches(str(slug), list(self._index), n=n, cutoff=0.5)

    def family_models(self, family):
        return [m for m in self.models if m.family == family]

    def default_model(self, day, family=None, provider=None, where=None):
        """The one rule for "the model an example uses" on ISO date `day`: among the models of
        `family` / `provider` (all when None) that can be called that day and satisfy `where`,
        families in site.yaml order and models in data order, the first active one, else the first
        one; None when none qualifies. A retired model is never an example."""
        order = {fid: i for i, fid in enumerate(self.families)}
        found = [m for m in self.models
                 if (family is None or m.family == family) and (provider is None or m.provider == provider)
                 and m.callable_on(day) and (where is None or where(m))]
        found.sort(key=lambda m: order.get(m.family, len(order)))   # stable: data order within a family
        return next((m for m in found if m.status_on(day) == "active"), found[0] if found else None)

    @classmethod
    def from_dict(cls, d):
        if not isinstance(d, dict) or d.get("version") != FORMAT_VERSION:
            raise CatalogError(f"not a pricebook catalog of format version {FORMAT_VERSION}")
        families = {fid: Family(fid, f["name"], f["provider"], parse_decimal(f["ratio"]), f.get("label", ""))
                    for fid, f in d["families"].items()}
        overrides = {o["model"]: o for o in d.get("overrides", ())}
        models = tuple(_model_from_dict(m, families, overrides) for m in d["models"])
        return cls(models=models, families=families, overrides=tuple(d.get("overrides", ())),
                   site=d.get("site", {}), errors=tuple(d.get("errors", ())), offers=d.get("offers") or {})

    def to_dict(self):
        return {
            "version": FORMAT_VERSION,
            "currency": "USD",
            "site": self.site,
            "families": {f.id: {"name": f.name, "provider": f.provider, "ratio": str(f.ratio), "label": f.label}
                         for f in self.families.values()},
            "overrides": list(self.overrides),
            "models": [_model_to_dict(m) for m in self.models],
            "errors": list(self.errors),
            **({"offers": self.offers} if self.offers else {}),
        }
