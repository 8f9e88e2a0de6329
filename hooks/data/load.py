"""Load and validate everything in data/ into the catalog dict, collecting every mistake.

`load_catalog(data_dir)` never raises for bad data: each file is read (yamlload), checked against
its JSON Schema (schemacheck), then by the rules a schema cannot say (below), and every Problem from
every file comes back in one LoadResult.
"""
import datetime
import difflib
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from calculator.catalog import FORMAT_VERSION, Catalog
from calculator.money import PRICE_TEXT

from hooks.data.rules.errors_yaml import REAL_KEY, check_errors
from hooks.data.problems import DataError, HasProblems, Problem
from hooks.data.schema import field_label, load_schema, money_message, validate
from hooks.data.yamlfile import DATE_TEXT, as_list, load_yaml

# What may stand verbatim in the curl / Python / Node examples (hooks/figures.py `literal` enforces
# it at render time): the base URL and the key placeholder are pasted there unescaped, so anything
# else is refused here, by line.
VERBATIM = re.compile(r"^[A-Za-z0-9._~:/?#@+,=%-]+$")
SCHEMA_LINE = "# yaml-language-server: $schema={}"


@dataclass
class LoadResult(HasProblems):
    catalog_dict: dict
    catalog: object                      # calculator.catalog.Catalog, or None when there are errors
    problems: list = field(default_factory=list)
    docs: dict = field(default_factory=dict)   # repo-relative path -> YamlDoc, for files that parsed

    def raise_for_errors(self):
        """DataError listing every problem when any is an error."""
        if self.errors:
            raise DataError(self.problems)
        return self


def load_catalog(data_dir, today=None, strict=False):
    """LoadResult for the data folder `data_dir` (its parent is the repo root messages are
    relative to). `today` dates the future/staleness checks; `strict` makes warnings errors."""
    data_dir = Path(data_dir)
    today = today or datetime.date.today()
    root = data_dir.parent
    problems, docs = [], {}

    def rel(p):
        try:
            return Path(p).relative_to(root).as_posix()
        except ValueError:
            return Path(p).as_posix()

    def read(file, schema, schema_ref):
        """YamlDoc or None; schema-checked; problems collected."""
        r = rel(file)
        try:
            doc, found = load_yaml(file, r)
            problems.extend(found)
            if doc is None:
                return None, False
            docs[r] = doc
            if not isinstance(doc.data, dict):
                problems.append(doc.problem((), "expected a mapping of fields (key: value lines) at the top "
                                                 "of the file"))
                return None, False
            expected = SCHEMA_LINE.format(schema_ref)
            if doc.first_line.strip() != expected:
                problems.append(Problem(r, 1, 1, f"the first line should be '{expected}' so editors "
                                                 "check this file as you type", "warning"))
            clean = True
            if schema is not None:
                found = validate(doc, schema)
                problems.extend(found)
                clean = not found
            return doc, clean
        except Exception as exc:  # never a traceback for data: name the file instead
            problems.append(Problem(r, 1, 1, f"internal error while reading this file: "
                                             f"{type(exc).__name__}: {exc}"))
            return None, False

    schema_dir = data_dir / "schema"

    def schema(name, required=True):
        """The schema data/schema/<name>.schema.json (problems collected); an optional one that is
        missing is None: its files are then checked by the rules below only."""
        path = schema_dir / f"{name}.schema.json"
        if not required and not path.exists():
            return None
        found_schema, found = load_schema(path, rel(path))
        problems.extend(found)
        return found_schema

    site_schema, models_schema = schema("site"), schema("models")
    errors_schema = schema("errors", required=False)

    site_doc, _ = read(data_dir / "site.yaml", site_schema, "schema/site.schema.json")
    site = site_doc.data if site_doc else {}
    pricing = site.get("pricing") if isinstance(site.get("pricing"), dict) else {}
    families = pricing.get("families") if isinstance(pricing.get("families"), dict) else None
    stale_days = pricing.get("stale_after_days")
    if not isinstance(stale_days, int) or isinstance(stale_days, bool) or stale_days < 1:
        stale_days = None

    model_files = sorted((data_dir / "models").glob("*.yaml"))
    if not model_files:
        problems.append(Problem(rel(data_dir / "models"), 1, 1, "no provider files: add "
                                                               "models/<provider>.yaml files"))
    model_docs, complete = [], True
    for file in model_files:
        doc, _ = read(file, models_schema, "../schema/models.schema.json")
        if doc is not None:
            model_docs.append(doc)
        else:
            complete = False

    checker = _Checks(problems, today, stale_days, strict)
    checker.complete = complete
    if site_doc is not None:
        checker.site(site_doc)
    for doc in model_docs:
        checker.models_file(doc, families)
    checker.unique_names(model_docs)
    if site_doc is not None:
        checker.overrides(site_doc)

    catalog_dict = {
        "version": FORMAT_VERSION,
        "currency": "USD",
        "site": {**{k: v for k, v in site.items() if k != "pricing"}, "stale_after_days": stale_days},
        "families": {fid: {"name": f.get("name"), "provider": f.get("provider"), "ratio": f.get("ratio"),
                           "label": f.get("label") or ""}
                     for fid, f in (families or {}).items() if isinstance(f, dict)},
        "overrides": [o for o in pricing.get("overrides") or () if isinstance(o, dict)]
        if isinstance(pricing.get("overrides"), list) else [],
        "models": [_model_dict(doc, m) for doc in model_docs
                   for m in (doc.data.get("models") if isinstance(doc.data.get("models"), list) else ())
                   if isinstance(m, dict)],
        "errors": [],
    }

    # topics.yaml: the topic map cards, and the pages an error family's `related` may name. Read
    # from this data folder (never the repository's), schema-checked, and handed on in
    # site["topics"], where the error rules and the troubleshooting pages look for it.
    topics_file = data_dir / "topics.yaml"
    if topics_file.exists():
        topics_doc, _ = read(topics_file, schema("topics", required=False), "schema/topics.schema.json")
        if topics_doc is not None:
            catalog_dict["site"]["topics"] = topics_doc.data

    error_docs = []
    for file in sorted((data_dir / "errors").glob("*.yaml")):
        doc, clean = read(file, errors_schema, "../schema/errors.schema.json")
        if doc is not None:
            catalog_dict["errors"].append({**doc.data, "file": doc.path})
            if clean:
                error_docs.append(doc)
    try:
        found = check_errors(error_docs, catalog_dict)
        if not complete:
            # a provider file that did not parse may hold the slug a fast check names: its own
            # problem is reported, and a second message in every error family would only mislead
            found = [p for p in found if "is not a model slug or alias" not in p.message]
        problems.extend(found)
    except Exception as exc:
        problems.append(Problem(rel(data_dir / "errors"), 1, 1, f"internal error in the error-page checks: "
                                                               f"{type(exc).__name__}: {exc}"))

    if strict:
        problems = [replace(p, level="error") if p.level == "warning" else p for p in problems]
    problems = sorted(set(problems), key=lambda p: (p.path, p.line, p.col, p.message))
    catalog = None
    if not any(p.level == "error" for p in problems):
        try:
            catalog = Catalog.from_dict(catalog_dict)
        except Exception as exc:
            problems.append(Problem(rel(data_dir), 1, 1, f"internal error: the validated data did not make a "
                                                         f"catalog: {type(exc).__name__}: {exc}"))
    return LoadResult(catalog_dict, catalog, problems, docs)


def _model_dict(doc, m):
    """A model as the catalog dict has it (the shape of calculator.catalog's to_dict)."""
    d = {
        "slug": m.get("slug"), "name": m.get("name"), "family": m.get("family"),
        "provider": doc.data.get("provider"), "provider_name": doc.data.get("name"),
        "provider_model_id": m.get("provider_model_id"), "context_window": m.get("context_window"),
        "max_output": m.get("max_output"), "status": m.get("status"),
        "aliases": list(m.get("aliases") or ()), "prices": m.get("prices"),
        "tiers": list(m.get("tiers") or ()), "source": m.get("source"), "checked": m.get("checked"),
        "history": [{"until": h.get("until"), "prices": h.get("prices"), "tiers": list(h.get("tiers") or ()),
                     "note": h.get("note") or ""}
                    for h in (m.get("history") if isinstance(m.get("history"), list) else ())
                    if isinstance(h, dict)],
        "file": doc.path,
    }
    if m.get("deprecated_on"):
        d["deprecated_on"] = m["deprecated_on"]
    return d


def _price(value):
    return Decimal(value) if isinstance(value, str) and PRICE_TEXT.match(value) else None


class _Checks:
    """The rules a JSON Schema cannot say. Each check looks only at values of the right shape (the
    schema already reported the rest), so one mistake gives one message."""

    def __init__(self, problems, today, stale_days, strict):
        self.problems = problems
        self.today = today
        self.stale_days = stale_days
        self.strict = strict
        self.slugs = {}        # slug -> (doc, path)
        self.alias_of = {}     # alias -> the slug it routes to (the first model that lists it)
        self.complete = True   # every provider file parsed (else a missing slug may be in a broken file)

    def add(self, doc, path, message, level="error", at_key=False):
        self.problems.append(doc.problem(path, message, level, at_key))

    # site.yaml -----------------------------------------------------------------------------
    def site(self, doc):
        brand = doc.get(("brand",))
        markup = sorted(set(re.findall(r'[<>"]', brand))) if isinstance(brand, str) else []
        if markup:
            # the brand becomes MkDocs' site_name, which the theme writes into <title>, aria-label
            # attributes and the header without escaping: markup characters cannot be allowed
            self.add(doc, ("brand",), "brand: becomes the site name, which the theme writes into every page's "
                                      "title and header as it is, so it may not contain <, > or \" "
                                      f"(found {' '.join(markup)})")
        for key, what in (("base_url", "URL"), ("key_placeholder", "placeholder")):
            value = doc.get((key,))
            if not isinstance(value, str) or not value:
                continue                 # the schema names a missing or empty value
            if not VERBATIM.match(value):
                chars = " ".join(sorted({repr(c) for c in value if not VERBATIM.match(c)}))
                self.add(doc, (key,), f"{key}: the {what} is copied verbatim into every curl, Python and Node "
                                      f"example, so it may hold only letters, digits and ._~:/?#@+,=%- "
                                      f"(found {chars})")
            elif key == "key_placeholder" and REAL_KEY.search(value):
                self.add(doc, (key,), "key_placeholder: this looks like a real API key; the examples show the "
                                      "placeholder, so write one that cannot be mistaken for a key, like YOUR_API_KEY")
        families = doc.get(("pricing", "families"))
        if isinstance(families, dict):
            for fid in families:
                self.ratio(doc, ("pricing", "families", fid, "ratio"))
        for i, _ in enumerate(as_list(doc.get(("pricing", "overrides")))):
            self.ratio(doc, ("pricing", "overrides", i, "ratio"))

    def ratio(self, doc, path):
        value = doc.get(path)
        if isinstance(value, str) and PRICE_TEXT.match(value):   # other shapes: the schema said so
            message = money_message("ratio", value, doc.source(path), doc.quoted(path))
            if message:
                self.add(doc, path, f"{field_label(doc, path)}: {message}")

    def overrides(self, doc):
        aliases = self.alias_of
        seen = {}
        for i, override in enumerate(as_list(doc.get(("pricing", "overrides")))):
            model = override.get("model") if isinstance(override, dict) else None
            if not isinstance(model, str):
                continue
            path = ("pricing", "overrides", i, "model")
            if model in seen:
                self.add(doc, path, f"{field_label(doc, path)}: a second override for '{model}' (the first is "
                                    f"at line {seen[model]}); keep one")
                continue
            seen[model] = doc.where(path)[0]
            if model in self.slugs or not self.complete:
                continue        # a file that did not parse may hold it: no guessing
            if model in aliases:
                self.add(doc, path, f"{field_label(doc, path)}: '{model}' is an alias of {aliases[model]}; "
                                    f"an override names the model's slug: model: {aliases[model]}")
                continue
            close = difflib.get_close_matches(model, list(self.slugs), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            self.add(doc, path, f"{field_label(doc, path)}: the override names '{model}', which is not the slug "
                                f"of any model in models/*.yaml{hint}")

    # models/<provider>.yaml ----------------------------------------------------------------
    def models_file(self, doc, families):
        provider = doc.data.get("provider")
        stem = Path(doc.path).stem
        if isinstance(provider, str) and provider != stem:
            self.add(doc, ("provider",), f"provider: '{provider}' does not match the file name {stem}.yaml; "
                                         f"the provider id must equal the file name (write provider: {stem} "
                                         f"or rename the file to {provider}.yaml)")
        for i, model in enumerate(as_list(doc.data.get("models"))):
            if isinstance(model, dict):
                self.model(doc, ("models", i), model, families)

    def model(self, doc, base, m, families):
        label = lambda *p: field_label(doc, base + p)  # noqa: E731
        family = m.get("family")
        if isinstance(families, dict) and isinstance(family, str) and family not in families:
            close = difflib.get_close_matches(family, list(families), n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            self.add(doc, base + ("family",), f"{label('family')}: '{family}' is not a family in site.yaml "
                                              f"pricing.families ({', '.join(families)}){hint}")
        self.rate_set(doc, base + ("prices",))
        self.tiers(doc, base + ("tiers",))
        checked = self.date(doc, base + ("checked",))
        self.date(doc, base + ("deprecated_on",))
        if checked and checked > self.today:
            self.add(doc, base + ("checked",), f"{label('checked')}: {checked} is in the future (today is "
                                               f"{self.today}); write the date the price was compared with "
                                               "the source")
        elif checked and self.stale_days is not None and (self.today - checked).days > self.stale_days:
            days = (self.today - checked).days
            self.add(doc, base + ("checked",),
                     f"{label('checked')}: the official price was last checked {checked}, {days} days ago; "
                     f"limit is {self.stale_days} days (site.yaml pricing.stale_after_days): compare it with "
                     "the source and update checked", "error" if self.strict else "warning")
        previous = None
        for j, entry in enumerate(as_list(m.get("history"))):
            hpath = base + ("history", j)
            if not isinstance(entry, dict):
                continue
            self.rate_set(doc, hpath + ("prices",))
            self.tiers(doc, hpath + ("tiers",))
            until = self.date(doc, hpath + ("until",))
            if until is None:
                continue
            if previous is not None and until <= previous[0]:
                self.add(doc, hpath + ("until",), f"{label('history', j, 'until')}: history must be oldest first "
                                                  f"with ascending 'until' dates: {until} is not after {previous[0]} "
                                                  f"(line {previous[1]})")
            elif checked and until > checked:
                self.add(doc, hpath + ("until",), f"{label('history', j, 'until')}: {until} is after checked "
                                                  f"{checked}; history holds prices that ended before the "
                                                  "current ones were checked")
            previous = (until, doc.where(hpath + ("until",))[0])

    def date(self, doc, path):
        """The date at path, or None; names a date-shaped value that is not a real date."""
        value = doc.get(path)
        if not isinstance(value, str) or not DATE_TEXT.match(value):
            return None
        try:
            return datetime.date(*map(int, value.split("-")))
        except ValueError as exc:
            self.add(doc, path, f"{field_label(doc, path)}: {value} is not a real date ({exc}); write YYYY-MM-DD")
            return None

    def rate_set(self, doc, path):
        rates = doc.get(path)
        if not isinstance(rates, dict):
            return
        inp, read = _price(rates.get("input")), _price(rates.get("cache_read"))
        if inp is not None and read is not None and read > inp:
            self.add(doc, path + ("cache_read",),
                     f"{field_label(doc, path + ('cache_read',))}: cache_read \"{rates['cache_read']}\" is above "
                     f"input \"{rates['input']}\" of the same rate set; a cache read is never dearer than "
                     "plain input")

    def tiers(self, doc, path):
        previous = None
        for k, tier in enumerate(as_list(doc.get(path))):
            if not isinstance(tier, dict):
                continue
            self.rate_set(doc, path + (k,))
            above = tier.get("above")
            if not isinstance(above, int) or isinstance(above, bool):
                continue
            here = path + (k, "above")
            if previous is not None and above == previous[0]:
                self.add(doc, here, f"{field_label(doc, here)}: duplicate tier: above {above} is also the "
                                    f"threshold of the tier at line {previous[1]}")
            elif previous is not None and above < previous[0]:
                self.add(doc, here, f"{field_label(doc, here)}: tiers must be strictly ascending by 'above': "
                                    f"{above} comes after {previous[0]} (line {previous[1]})")
            previous = (above, doc.where(here)[0])

    # across files ---------------------------------------------------------------------------
    def unique_names(self, docs):
        """Slugs unique across all files; aliases unique across all slugs and aliases."""
        def place(doc, path):
            line, col = doc.where(path)
            return f"{doc.path}:{line}:{col}"

        for doc in docs:
            for i, m in enumerate(as_list(doc.data.get("models"))):
                slug = m.get("slug") if isinstance(m, dict) else None
                if not isinstance(slug, str):
                    continue
                path = ("models", i, "slug")
                if slug in self.slugs:
                    self.add(doc, path, f"slug: duplicate slug '{slug}': also the slug of the model at "
                                        f"{place(*self.slugs[slug])}")
                else:
                    self.slugs[slug] = (doc, path)
        aliases = {}
        for doc in docs:
            for i, m in enumerate(as_list(doc.data.get("models"))):
                if not isinstance(m, dict):
                    continue
                for k, alias in enumerate(as_list(m.get("aliases"))):
                    if not isinstance(alias, str):
                        continue
                    path = ("models", i, "aliases", k)
                    label = field_label(doc, path)
                    if alias == m.get("slug"):
                        self.add(doc, path, f"{label}: alias '{alias}' is the model's own slug; remove it")
                    elif alias in self.slugs:
                        self.add(doc, path, f"{label}: alias '{alias}' is already the slug of the model at "
                                            f"{place(*self.slugs[alias])}; a name routes to one model only")
                    elif alias in aliases:
                        self.add(doc, path, f"{label}: alias '{alias}' is already an alias at "
                                            f"{place(*aliases[alias])}; a name routes to one model only")
                    else:
                        aliases[alias] = (doc, path)
                        if isinstance(m.get("slug"), str):
                            self.alias_of[alias] = m["slug"]
