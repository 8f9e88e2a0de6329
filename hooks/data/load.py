"""Load and validate everything in data/ into the catalog dict, collecting every mistake.

`load_catalog(data_dir)` never raises for bad data: each file is read (hooks.data.yamlfile), checked
against its JSON Schema (hooks.data.schema), then by the rules a schema cannot say (one module per
kind of file in hooks.data.rules), and every Problem from every file comes back in one LoadResult.
"""
import datetime
import difflib
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from calculator.catalog import FORMAT_VERSION, Catalog
from calculator.money import PRICE_TEXT

from hooks.data.keys import key_message
from hooks.data.problems import HasProblems, Problem
from hooks.data.rules import models_yaml, site_yaml, topics_yaml
from hooks.data.rules.common import RuleContext
from hooks.data.rules.errors_yaml import check_errors
from hooks.data.schema import dotted, load_schema, validate
from hooks.data.yamlfile import load_yaml, strings

SCHEMA_LINE = "# yaml-language-server: $schema={}"


@dataclass
class LoadResult(HasProblems):
    catalog_dict: dict
    catalog: object                      # calculator.catalog.Catalog, or None when there are errors
    problems: list = field(default_factory=list)
    docs: dict = field(default_factory=dict)   # repo-relative path -> YamlDoc, for files that parsed


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
            for path, text in strings(doc.data):
                message = key_message(dotted(path) or "text", text)
                if message:
                    problems.append(doc.problem(path, message))
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

    model_files = _data_files(data_dir / "models", "provider", rel, problems)
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

    ctx = RuleContext(problems, today, stale_days, strict)
    ctx.complete = complete
    if site_doc is not None:
        site_yaml.check(ctx, site_doc)
    for doc in model_docs:
        models_yaml.check_file(ctx, doc, families)
    models_yaml.check_names(ctx, model_docs)
    models_yaml.check_replacements(ctx, model_docs)
    if site_doc is not None:
        site_yaml.check_overrides(ctx, site_doc)

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
    offers = pricing.get("offers")
    if isinstance(offers, dict) and offers:
        catalog_dict["offers"] = offers

    # topics.yaml: the topic map cards, and the pages an error family's `related` may name. Read
    # from this data folder (never the repository's), schema-checked, and handed on in
    # site["topics"], where the error rules and the troubleshooting pages look for it.
    topics_file = data_dir / "topics.yaml"
    if topics_file.exists():
        topics_doc, _ = read(topics_file, schema("topics", required=False), "schema/topics.schema.json")
        if topics_doc is not None:
            catalog_dict["site"]["topics"] = topics_doc.data
            topics_yaml.check_links(ctx, topics_doc, site)

    error_docs = []
    errors_dir = data_dir / "errors"
    if not errors_dir.is_dir():
        what = "is not a folder" if errors_dir.exists() else "is missing"
        problems.append(Problem(rel(errors_dir), 1, 1, f"the errors folder {what}: the site would have no "
                                                      "troubleshooting pages; restore data/errors/ with one "
                                                      "<family>.yaml per error family"))
    for file in _data_files(errors_dir, "error family", rel, problems):
        doc, clean = read(file, errors_schema, "../schema/errors.schema.json")
        if doc is not None:
            catalog_dict["errors"].append({**doc.data, "file": doc.path})
            if clean:
                error_docs.append(doc)
    try:
        found = check_errors(error_docs, catalog_dict, today)
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


def _data_files(folder, what, rel, problems):
    """The *.yaml files of a folder, sorted; a file the checks would not read because of its name
    (.yml, .YAML, ...) is a problem, so no file is skipped in silence; so is an unreadable folder."""
    try:
        names = sorted(p for p in Path(folder).iterdir() if p.is_file())
    except FileNotFoundError:
        return []
    except OSError as err:
        problems.append(Problem(rel(folder), 1, 1, f"cannot read the folder: {err.strerror or err}"))
        return []
    files = []
    for file in names:
        if file.suffix == ".yaml":
            files.append(file)
        elif file.suffix.lower() in (".yaml", ".yml"):
            problems.append(Problem(rel(file), 1, 1, f"this {what} file is not read: data files end in "
                                                     f".yaml (lower case); rename it to {file.stem}.yaml"))
    return files


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
    for name in ("deprecated_on", "retires_on", "replacement", "released"):
        if m.get(name):
            d[name] = m[name]
    minimum = m.get("min_cache_tokens", doc.data.get("min_cache_tokens"))
    if minimum:
        d["min_cache_tokens"] = minimum
    d["window"] = m.get("window_counts", doc.data.get("window_counts")) or "prompt"
    scheduled = [{"from": s.get("from"), "prices": s.get("prices"), "tiers": list(s.get("tiers") or ()),
                  "note": s.get("note") or "", "source": s.get("source") or ""}
                 for s in (m.get("scheduled") if isinstance(m.get("scheduled"), list) else ()) if isinstance(s, dict)]
    if scheduled:
        d["scheduled"] = scheduled
    d.update(_modifiers(doc.data, m))
    return d


MAPPED_MODIFIERS = ("modes", "residency", "tools")     # name -> entry; a model's key replaces the file's
SINGLE_MODIFIERS = ("time_of_day", "cache_storage")    # one entry; the model's replaces the file's


def _modifiers(provider, m):
    """The modifiers a model has: the provider file's, with the model's own entries on top (an
    entry set to false removes the provider's). Absent ones are left out of the dict."""
    out = {}
    for name in MAPPED_MODIFIERS:
        merged = {}
        for source in (provider.get(name), m.get(name)):
            if isinstance(source, dict):
                for key, value in source.items():
                    if value is False:
                        merged.pop(key, None)
                    elif isinstance(value, dict):
                        merged[key] = value
        if merged:
            out[name] = merged
    for name in SINGLE_MODIFIERS:
        value = m.get(name, provider.get(name))
        if isinstance(value, dict):
            out[name] = value
    return out
