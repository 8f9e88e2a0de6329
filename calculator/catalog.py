"""The catalog: plain frozen dataclasses built from one plain dict.

The dict is what the build side makes from the YAML after validating it, and also what the site
exports as the calculator's prices JSON: `Catalog.from_dict(catalog.to_dict())` round-trips, so
the browser prices requests from exactly the data the build priced its tables with.
"""
from dataclasses import dataclass, field

from .buckets import PRICE_FIELDS
from .money import parse_decimal

FORMAT_VERSION = 1


class CatalogError(ValueError):
    """The catalog dict is not of the expected shape (the build side validates before this)."""


class UnknownModel(LookupError):
    def __init__(self, slug, suggestions):
        self.slug = slug
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown model slug {slug!r}{hint}")


@dataclass(frozen=True)
class Rates:
    """USD per 1M tokens. A bucket priced None is billed at `input` (not priced separately)."""
    input: object
    output: object
    cache_read: object = None
    cache_write_5m: object = None
    cache_write_1h: object = None

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


@dataclass(frozen=True)
class Tier:
    above: int  # the tier applies when total input (cache parts included) > above
    rates: Rates

    @classmethod
    def from_dict(cls, d):
        rates = {k: v for k, v in d.items() if k != "above"}
        return cls(int(d["above"]), Rates.from_dict(rates))

    def to_dict(self):
        return {"above": self.above, **self.rates.to_dict()}


@dataclass(frozen=True)
class PriceSet:
    """Base rates plus context tiers, ascending by threshold."""
    base: Rates
    tiers: tuple = ()

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


@dataclass(frozen=True)
class HistoryEntry:
    until: str  # ISO date: these prices applied before it
    prices: PriceSet
    note: str = ""


@dataclass(frozen=True)
class Family:
    id: str
    name: str
    provider: str
    ratio: object
    label: str = ""


@dataclass(frozen=True)
class Model:
    slug: str
    name: str
    family: str
    provider: str
    provider_model_id: str
    context_window: int
    max_output: int
    status: str
    prices: PriceSet
    source: str
    checked: str
    ratio: object            # the gateway's ratio of official price for this model
    ratio_note: str = ""     # why, when a per-model override sets it
    deprecated_on: str = ""
    aliases: tuple = ()
    history: tuple = ()
    file: str = ""           # the YAML file it came from, for edit links and messages
    provider_name: str = ""

    def prices_at(self, day=None):
        """The official prices in force on ISO date `day` (None: today's)."""
        if day:
            for entry in self.history:
                if day < entry.until:
                    return entry.prices
        return self.prices

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
    if m.deprecated_on:
        d["deprecated_on"] = m.deprecated_on
    return d


@dataclass
class Catalog:
    models: tuple
    families: dict
    overrides: tuple = ()    # the raw override dicts, as listed in site.yaml
    site: dict = field(default_factory=dict)
    errors: tuple = ()       # troubleshooting families, plain dicts (see calculator.errors_match)
    _index: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        for m in self.models:
            self._index[m.slug] = m
        for m in self.models:
            for alias in m.aliases:
                self._index.setdefault(alias, m)

    def model(self, slug):
        """The model for a slug or alias; UnknownModel (with close matches) otherwise."""
        found = self._index.get(slug)
        if found is None:
            raise UnknownModel(slug, self.suggest(slug))
        return found

    def suggest(self, slug, n=3):
        import difflib
        return difflib.get_close_matches(str(slug), list(self._index), n=n, cutoff=0.5)

    def family_models(self, family):
        return [m for m in self.models if m.family == family]

    def default_model(self, family=None, provider=None, where=None):
        """The one rule for "the model an example uses": among the models of `family` / `provider`
        (all when None) that satisfy `where`, families in site.yaml order and models in data order,
        the first active one, else the first one; None when none qualifies."""
        order = {fid: i for i, fid in enumerate(self.families)}
        found = [m for m in self.models
                 if (family is None or m.family == family) and (provider is None or m.provider == provider)
                 and (where is None or where(m))]
        found.sort(key=lambda m: order.get(m.family, len(order)))   # stable: data order within a family
        return next((m for m in found if m.status == "active"), found[0] if found else None)

    @classmethod
    def from_dict(cls, d):
        if not isinstance(d, dict) or d.get("version") != FORMAT_VERSION:
            raise CatalogError(f"not a pricebook catalog of format version {FORMAT_VERSION}")
        families = {fid: Family(fid, f["name"], f["provider"], parse_decimal(f["ratio"]), f.get("label", ""))
                    for fid, f in d["families"].items()}
        overrides = {o["model"]: o for o in d.get("overrides", ())}
        models = tuple(_model_from_dict(m, families, overrides) for m in d["models"])
        return cls(models=models, families=families, overrides=tuple(d.get("overrides", ())),
                   site=d.get("site", {}), errors=tuple(d.get("errors", ())))

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
        }
